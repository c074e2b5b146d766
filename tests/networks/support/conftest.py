import pytest

from . import use_private_storage


@pytest.fixture(autouse=True)
def private_storage(tmp_path, settings, monkeypatch):
    return use_private_storage(tmp_path, settings, monkeypatch)
