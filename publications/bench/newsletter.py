"""newsletter benchmark (to be written)."""


def run(*, base_url: str, stdout) -> None:
    return None
