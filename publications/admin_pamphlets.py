"""pamphlets back office (to be written)."""
