import pytest

from center.core.cache import public_cache_clear

from .helpers import ensure_activity_fields, private_files  # noqa: F401


@pytest.fixture(autouse=True)
def _empty_page_cache():
    public_cache_clear()
    yield
    public_cache_clear()


@pytest.fixture(autouse=True)
def _activity_fields(db):
    # An earlier transactional test elsewhere may have flushed the data migration's rows.
    ensure_activity_fields()
