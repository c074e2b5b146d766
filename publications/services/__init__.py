"""Writes of the publications app, by subject."""

from .news import *  # noqa: F403
from .stories import *  # noqa: F403
from .talent import *  # noqa: F403
