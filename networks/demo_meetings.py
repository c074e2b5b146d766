"""Demo data: see networks/demo.py."""


def load() -> list[dict]:
    return []
