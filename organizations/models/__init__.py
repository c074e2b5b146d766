"""Registered groups (団体登録), the spaces and their bookings, and the 市民協働HUB.

One module per area; each area's models are imported here so Django finds them.
"""

from .booking import *  # noqa: F401,F403
from .groups import *  # noqa: F401,F403
from .hub import *  # noqa: F401,F403
