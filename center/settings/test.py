"""Fast and deterministic: MD5 hashing, mail in memory, tasks in-process.

DATABASE_URL and REDIS_URL are still read from the environment so CI runs the suite
on PostgreSQL; tasks stay eager here, and the tests that need a real worker start one.
"""

import os

from .base import *  # noqa: F403
from .base import DATABASES

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = os.environ.get("REDIS_URL") or "memory://"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
ACCOUNT_RATE_LIMITS = False
# Every test sees the shared cache directly (no per-process page copies between tests).
PUBLIC_PAGE_GENERATION_CHECK_SECONDS = 0
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
WHITENOISE_AUTOREFRESH = True
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
