"""Spam checks for the public consultation form, with no third party involved.

Three signals: a honeypot field people never see, a signed start time (a person needs more
than a few seconds to fill in the form, and rarely a whole day), and per-address rate
limits in the cache. A suspect submission is not refused: it is stored in quarantine for
staff to review (a real person may trip a check), and the sender sees the usual thank-you
page, so a bot learns nothing from the answer.
"""

import ipaddress
import logging
import time
from collections.abc import Mapping

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

HONEYPOT_FIELD = "website"
STARTED_FIELD = "form_started"

MIN_FILL_SECONDS = 3
MAX_FORM_AGE_SECONDS = 24 * 60 * 60
# Submissions from one address (an IPv6 /64 counts as one) within a clock hour. Past the
# soft limit a group filing several real cases from one office is possible; past the hard
# limit it is almost surely a script. Both are kept for review, with different reasons.
SOFT_LIMIT_PER_HOUR = 5
HARD_LIMIT_PER_HOUR = 20

_SIGNER_SALT = "consultations.form-started"
_SIGNED_VALUE = "consultation-form"

# Stored as the quarantine reason, in the staff's language (settings.LANGUAGE_CODE).
REASONS = {
    "honeypot": _("The hidden anti-spam field was filled in."),
    "no_start": _("The form was sent without its signed start time."),
    "forged_start": _("The form's signed start time was altered."),
    "too_fast": _("The form was sent less than %(seconds)s seconds after it was opened."),
    "too_old": _("The form was sent more than 24 hours after it was opened."),
    "soft_limit": _("More than %(limit)s submissions from the same network within an hour."),
    "hard_limit": _(
        "More than %(limit)s submissions from the same network within an hour (hard limit)."
    ),
}


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=_SIGNER_SALT)


def form_started_token() -> str:
    """The value of the hidden start-time field, signed so it cannot be backdated."""
    return _signer().sign(_SIGNED_VALUE)


def client_network(request: HttpRequest) -> str:
    """The sender's address for rate limiting: IPv4 as is, IPv6 by /64 (one household).

    Goes through allauth's adapter, so ALLAUTH_TRUSTED_PROXY_COUNT (behind a load
    balancer) applies here exactly as to the login rate limits.
    """
    try:
        raw = get_adapter(request).get_client_ip(request)
    except Exception:  # no address, or a proxy setting that does not match the headers
        raw = request.META.get("REMOTE_ADDR", "")
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return "unknown"
    if address.version == 6:
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def _fill_time_problem(token: str) -> tuple[str, dict]:
    if not token:
        return "no_start", {}
    signer = _signer()
    try:
        value = signer.unsign(token, max_age=MAX_FORM_AGE_SECONDS)
    except signing.SignatureExpired:
        return "too_old", {}
    except signing.BadSignature:
        return "forged_start", {}
    if value != _SIGNED_VALUE:
        return "forged_start", {}
    try:
        signer.unsign(token, max_age=MIN_FILL_SECONDS)
    except signing.SignatureExpired:
        return "", {}  # older than the minimum: a person's pace
    return "too_fast", {"seconds": MIN_FILL_SECONDS}


def _rate_problem(request: HttpRequest) -> tuple[str, dict]:
    hour = int(time.time() // 3600)
    key = f"consultations:submissions:{client_network(request)}:{hour}"
    try:
        cache.add(key, 0, timeout=2 * 3600)
        count = cache.incr(key)
    except Exception:  # cache down: the submission matters more than the count
        logger.warning("Rate limit not checked: the cache is unavailable", exc_info=True)
        return "", {}
    if count > HARD_LIMIT_PER_HOUR:
        return "hard_limit", {"limit": HARD_LIMIT_PER_HOUR}
    if count > SOFT_LIMIT_PER_HOUR:
        return "soft_limit", {"limit": SOFT_LIMIT_PER_HOUR}
    return "", {}


def spam_assess(request: HttpRequest, form_data: Mapping) -> str:
    """Why this submission looks like spam, or "" when it does not.

    Call once per valid submission: it counts the submission against the sender's rate
    limits. `form_data` is the form's cleaned data (or the POST data): only the honeypot
    and start-time fields are read. Every reason found is given, for the reviewer.
    """
    found = []
    if str(form_data.get(HONEYPOT_FIELD) or "").strip():
        found.append(("honeypot", {}))
    found.append(_fill_time_problem(str(form_data.get(STARTED_FIELD) or "")))
    found.append(_rate_problem(request))
    with translation.override(settings.LANGUAGE_CODE):
        return " ".join(str(REASONS[code]) % params for code, params in found if code)
