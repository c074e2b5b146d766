"""newsletter back office (to be written)."""
