"""Reads of the publications app, by subject (with their visibility rules)."""

from .magazine import *  # noqa: F403
from .news import *  # noqa: F403
from .newsletter import *  # noqa: F403
from .stories import *  # noqa: F403
from .talent import *  # noqa: F403
