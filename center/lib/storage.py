from django.core.files.storage import Storage, storages


def private_storage() -> Storage:
    """Files that only a permission-checked view may serve (settings.STORAGES["private"]).

    A callable, so migrations do not freeze the storage and tests can swap it.
    """
    return storages["private"]
