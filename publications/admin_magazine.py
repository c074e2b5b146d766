"""magazine back office (to be written)."""
