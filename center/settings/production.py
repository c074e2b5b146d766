"""Production only hardens the base settings; everything else comes from the environment."""

from .base import *  # noqa: F403
from .base import env, env_bool

SECRET_KEY = env.str("SECRET_KEY")  # no default: start-up fails without one
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("insecure"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "Environment variable SECRET_KEY must be a random string of at least 50 characters"
    )
DEBUG = False

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

TEMPLATES[0]["OPTIONS"]["loaders"] = [  # noqa: F405
    (
        "django.template.loaders.cached.Loader",
        [
            "django.template.loaders.filesystem.Loader",
            "django.template.loaders.app_directories.Loader",
        ],
    )
]
TEMPLATES[0]["APP_DIRS"] = False  # noqa: F405
