"""各区センター支援: the 18 ward centers, network meetings, hearings, support requests and
the know-how library. One module per area; imported here so Django finds them."""

from .centers import *  # noqa: F401,F403
from .meetings import *  # noqa: F401,F403
from .support import *  # noqa: F401,F403
