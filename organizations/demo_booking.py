"""Demo data: see organizations/demo.py."""


def load() -> list[dict]:
    return []
