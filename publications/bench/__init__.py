"""Publication benchmarks for `manage.py bench`, one module per subject."""

from . import magazine, newsletter, stories


def run(*, base_url: str, stdout) -> None:
    for module in (stories, magazine, newsletter):
        module.run(base_url=base_url, stdout=stdout)
