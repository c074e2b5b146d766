from django.core.files.storage import Storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class _PrivateStorage(LazyObject):
    """settings.STORAGES["private"], looked up at first use and again after the setting
    changes (tests point it at a temporary folder)."""

    def _setup(self):
        self._wrapped = storages["private"]


_private_storage = _PrivateStorage()


@receiver(setting_changed)
def _forget_private_storage(*, setting, **kwargs) -> None:
    if setting == "STORAGES":
        _private_storage._wrapped = empty


def private_storage() -> Storage:
    """Files that only a permission-checked view may serve.

    A callable, so migrations do not freeze the storage; it returns a lazy proxy, so the
    storage follows settings.STORAGES["private"] even after the model class is built.
    """
    return _private_storage
