"""Bench: see organizations/bench.py."""


def run(base_url: str, stdout) -> None:
    stdout.write("(not written yet)")
