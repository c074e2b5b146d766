"""Demo data of every publication, one module per subject, loaded in dependency order.

`manage.py load_demo` calls `load()` once; each module keeps what is there (idempotent).
"""

from . import articles, magazine, newsletter, pamphlets


def load() -> list[dict]:
    # The magazine reprints case stories, so the articles come first.
    for module in (articles, magazine, pamphlets, newsletter):
        module.load()
    return []
