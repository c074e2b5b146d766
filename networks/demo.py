"""Demo data for `make run`: ward centers and meetings, then hearings, requests, know-how."""

from . import demo_meetings, demo_support


def load() -> list[dict]:
    logins: list[dict] = []
    for area in (demo_meetings, demo_support):
        logins.extend(area.load() or [])
    return logins
