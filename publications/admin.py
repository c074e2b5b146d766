"""The publications back office, one module per subject."""

from . import (  # noqa: F401
    admin_magazine,
    admin_news,
    admin_newsletter,
    admin_pamphlets,
    admin_stories,
    admin_talent,
)
