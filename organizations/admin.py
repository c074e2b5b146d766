"""The back office for groups, spaces and the HUB: one module per area."""

from . import admin_booking, admin_groups, admin_hub  # noqa: F401
