"""Demo magazine (to be written)."""


def load() -> None:
    return None
