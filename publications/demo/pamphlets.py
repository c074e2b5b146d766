"""Demo pamphlets (to be written)."""


def load() -> None:
    return None
