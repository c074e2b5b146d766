"""Demo newsletter (to be written)."""


def load() -> None:
    return None
