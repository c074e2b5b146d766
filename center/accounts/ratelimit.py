"""allauth's rate limits keep their counters in the default cache (Redis in production).

With Redis down, allauth would raise on every sign-in, sign-up and password reset: a 500
that locks everyone out, staff included, in the very incident they need to handle. These
wrappers let the request through instead and log a warning: the limits fail open for the
length of the outage (the brute-force exposure is bounded by the outage; passwords are
Argon2-hashed and staff also need their TOTP code).
"""

import functools
import logging

from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

CACHE_ERRORS = (RedisError, OSError)


def _fail_open(function, *, result):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except CACHE_ERRORS as exc:
            logger.warning("Rate limit skipped, the cache is unreachable: %s", exc)
            return result(*args, **kwargs) if callable(result) else result

    wrapper.fails_open = True
    return wrapper


def install() -> None:
    """Wrap allauth's rate-limit entry points (idempotent)."""
    from allauth.core.internal import ratelimit

    if getattr(ratelimit.consume, "fails_open", False):
        return
    # consume() returns a usage object (truthy) when allowed; an empty usage allows.
    ratelimit.consume = _fail_open(
        ratelimit.consume, result=lambda *a, **k: ratelimit.RateLimitUsage(usage=[])
    )
    ratelimit.clear = _fail_open(ratelimit.clear, result=None)
    usage = ratelimit.SingleRateLimitUsage
    usage.rollback = _fail_open(usage.rollback, result=None)
