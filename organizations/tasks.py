"""Celery finds tasks in `tasks.py`: one module per area, imported here."""

from . import tasks_booking, tasks_groups  # noqa: F401
