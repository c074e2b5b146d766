"""The embedded default (`make run`): SQLite in var/, tasks in-process, mail to the console."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
