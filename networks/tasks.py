"""Celery finds tasks in `tasks.py`: one module per area, imported here."""

from . import tasks_meetings, tasks_support  # noqa: F401
