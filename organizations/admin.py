"""The back office for groups, spaces and the HUB: one module per area."""

from . import admin_groups, admin_hub, admin_spaces  # noqa: F401
