"""The back office for the ward centers' network: one module per area."""

from . import admin_centers, admin_meetings, admin_support  # noqa: F401
