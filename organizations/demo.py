"""Demo data for `make run`: groups, then spaces and bookings, then the HUB board."""

from . import demo_booking, demo_groups, demo_hub


def load() -> list[dict]:
    """Load every area's examples; return the demo logins to print."""
    logins: list[dict] = []
    for area in (demo_groups, demo_booking, demo_hub):
        logins.extend(area.load() or [])
    return logins
