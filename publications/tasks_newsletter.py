"""newsletter tasks (to be written)."""

__all__: list[str] = []
