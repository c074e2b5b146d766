from django.conf import settings


def strip_language_prefix(path: str) -> str:
    """'/en/events/' → '/events/'; paths without a language prefix are returned as they are."""
    for code, _name in settings.LANGUAGES:
        prefix = f"/{code}/"
        if path.startswith(prefix):
            return path[len(prefix) - 1 :]
    return path


def mail_language(language: str | None) -> str:
    """A supported language code for a mail ('en-us' → 'en'); the site's default otherwise."""
    codes = {code for code, _name in settings.LANGUAGES}
    language = (language or "").split("-")[0].lower()
    return language if language in codes else settings.LANGUAGE_CODE


def user_mail_language(user) -> str:
    """The language an account's mail is written in (its `language` setting, if supported)."""
    return mail_language(getattr(user, "language", ""))
