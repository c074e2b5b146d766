"""Rows that data migrations load (wards, programs, fields of activity, ward centers...).

A transactional test flushes the database afterwards, and serialized rollback cannot always
put them back (under Playwright's event loop a test may get a fresh connection without the
serialized copy). Tests that need them call `restore_reference_data()`: each table that is
empty is loaded again by its own migration's function, in dependency order.
"""

import importlib
from types import SimpleNamespace

from django.apps import apps
from django.db import connection

# (model, migration module, loader): wards before the ward centers built from them.
REFERENCE_DATA = [
    ("core.Ward", "center.core.migrations.0002_wards_and_sdgs", "load"),
    ("events.Program", "events.migrations.0002_programs_catalogue", "load"),
    ("organizations.ActivityField", "organizations.migrations.0002_groups", "load_activity_fields"),
    ("organizations.Space", "organizations.migrations.0006_bookings", "create_spaces"),
    ("networks.WardCenter", "networks.migrations.0002_meetings", "add_ward_centers"),
    ("networks.HearingQuestion", "networks.migrations.0003_support", "add_hearing_template"),
    ("networks.KnowHowCategory", "networks.migrations.0003_support", "add_knowhow_categories"),
]


def restore_reference_data() -> list[str]:
    """Reload every empty reference table; return the models that were reloaded."""
    schema_editor = SimpleNamespace(connection=connection)
    reloaded = []
    for label, module_name, loader in REFERENCE_DATA:
        if apps.get_model(label).objects.exists():
            continue
        getattr(importlib.import_module(module_name), loader)(apps, schema_editor)
        reloaded.append(label)
    return reloaded
