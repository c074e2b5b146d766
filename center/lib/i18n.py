from django.conf import settings


def strip_language_prefix(path: str) -> str:
    """'/en/events/' → '/events/'; paths without a language prefix are returned as they are."""
    for code, _name in settings.LANGUAGES:
        prefix = f"/{code}/"
        if path.startswith(prefix):
            return path[len(prefix) - 1 :]
    return path
