import pytest

from center.core.cache import public_cache_clear

from .test_services import make_group, make_space, make_user


@pytest.fixture(autouse=True)
def _empty_page_cache():
    public_cache_clear()
    yield
    public_cache_clear()


@pytest.fixture
def member(db):
    return make_user("member@example.org")


@pytest.fixture
def group(member):
    return make_group(member)


@pytest.fixture
def lab(db):
    return make_space()
