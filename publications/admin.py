"""The publications back office, one module per subject."""

from . import admin_news, admin_stories, admin_talent  # noqa: F401
