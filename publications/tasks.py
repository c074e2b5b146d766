"""Celery tasks of the publications app, one module per subject (imported here so that
Celery's autodiscovery, which looks for `<app>.tasks`, registers them all)."""

from .tasks_magazine import *  # noqa: F403
from .tasks_newsletter import *  # noqa: F403
from .tasks_pamphlets import *  # noqa: F403
