"""Check-in on the day: staff tick who came, per session, on a phone; a walk-in is registered
and ticked at once; the QR code in the confirmation mail opens the person's check-in.

The QR code carries a signed registration id, not the registrant's private token: a code
shown at the door, photographed or forwarded, lets nobody cancel the registration or read
the online link, and without a staff login it opens nothing.
"""

import datetime
import functools
import io

import qrcode
import qrcode.constants
from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Attendance, Event, EventSession, Registration
from .services import PRIVACY_NOTICE_VERSION, registration_create

CHECKIN_PERMISSION = "events.change_registration"
CHECKIN_SIGNING_SALT = "events.checkin"


# Permission ---------------------------------------------------------------------------------


def user_may_check_in(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(CHECKIN_PERMISSION))


def session_get_for_checkin(*, user, pk) -> EventSession:
    """A session of a published event, for staff who may check people in; 404 for anyone
    else (the page says nothing to whoever may not use it)."""
    if not user_may_check_in(user):
        raise Http404
    try:
        return EventSession.objects.select_related("event").get(
            pk=pk, event__status=Event.Status.PUBLISHED
        )
    except (EventSession.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# The QR code --------------------------------------------------------------------------------


def _signer() -> signing.Signer:
    return signing.Signer(salt=CHECKIN_SIGNING_SALT)


def checkin_code(registration: Registration) -> str:
    return _signer().sign(str(registration.pk))


def checkin_url(registration: Registration) -> str:
    """The absolute URL the QR code holds (language-neutral: staff pick their own)."""
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("events:checkin_scan", kwargs={"code": checkin_code(registration)})
    return settings.SITE_URL + path


def registration_from_checkin_code(code: str) -> Registration:
    try:
        pk = int(_signer().unsign(code))
    except (signing.BadSignature, ValueError):
        raise Http404 from None
    try:
        return Registration.objects.select_related("event").get(pk=pk)
    except Registration.DoesNotExist:
        raise Http404 from None


@functools.lru_cache(maxsize=64)
def qr_png(data: str) -> bytes:
    """A PNG of the QR code (level M, quiet zone of 4 modules), for the confirmation mail:
    mail programs show an attached PNG where many block SVG and data: URIs."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=4)
    code.add_data(data)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().save(buffer, format="PNG")
    return buffer.getvalue()


# Reads --------------------------------------------------------------------------------------


def checkin_list(*, session: EventSession, query: str = "") -> QuerySet[Registration]:
    """Confirmed registrations of the session's event, each with `attended` (for this
    session), searched by name or furigana (family, given, or both with or without a space)."""
    registrations = (
        Registration.objects.filter(event_id=session.event_id, status=Registration.Status.CONFIRMED)
        .annotate(
            attended=Exists(Attendance.objects.filter(registration=OuterRef("pk"), session=session))
        )
        .order_by("family_name_kana", "family_name", "given_name_kana", "pk")
    )
    for word in query.split()[:4]:
        registrations = registrations.filter(
            Q(family_name__icontains=word)
            | Q(given_name__icontains=word)
            | Q(family_name_kana__icontains=word)
            | Q(given_name_kana__icontains=word)
            | Q(organization__icontains=word)
        )
    return registrations


def session_for_today(event: Event, now: datetime.datetime | None = None) -> EventSession | None:
    """The session a person scanned at the door is most likely there for: today's, else the
    next one, else the last."""
    now = now or timezone.now()
    sessions = list(event.sessions.all())
    if not sessions:
        return None
    today = timezone.localdate(now)
    for session in sessions:
        if timezone.localdate(session.starts_at) == today:
            return session
    upcoming = [session for session in sessions if session.starts_at >= now]
    return upcoming[0] if upcoming else sessions[-1]


# Writes -------------------------------------------------------------------------------------


def _require_staff(actor) -> None:
    if not user_may_check_in(actor):
        raise PermissionDenied


@transaction.atomic
def attendance_record(
    *, registration: Registration, session: EventSession, actor, now=None
) -> tuple[Attendance, bool]:
    """Tick that the person came to this session; (attendance, created). Ticking twice
    keeps the first tick. Only a confirmed registration of the session's event."""
    _require_staff(actor)
    # The status as it is now, not as the caller last read it (cancelled a minute ago?).
    registration = Registration.objects.get(pk=registration.pk)
    if registration.event_id != session.event_id:
        raise ValidationError(_("This registration is for another event."))
    if registration.status != Registration.Status.CONFIRMED:
        raise ValidationError(
            _("Only a confirmed registration can be checked in (this one is: %(status)s).")
            % {"status": registration.get_status_display()}
        )
    existing = Attendance.objects.filter(registration=registration, session=session).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(
                registration=registration,
                session=session,
                checked_in_at=now or timezone.now(),
                checked_in_by=actor,
            )
    except IntegrityError:  # two phones ticked the same person at once
        return Attendance.objects.get(registration=registration, session=session), False
    return attendance, True


@transaction.atomic
def attendance_remove(*, registration: Registration, session: EventSession, actor) -> bool:
    """Untick (a tap on the wrong name). True if there was a tick."""
    _require_staff(actor)
    deleted, _details = Attendance.objects.filter(
        registration=registration, session=session
    ).delete()
    return bool(deleted)


@transaction.atomic
def walk_in_register(
    *,
    session: EventSession,
    actor,
    family_name: str,
    given_name: str = "",
    family_name_kana: str = "",
    given_name_kana: str = "",
    party_size: int = 1,
    now=None,
) -> Registration:
    """Someone came without registering: a confirmed walk-in registration, checked in."""
    _require_staff(actor)
    registration = registration_create(
        event=session.event,
        family_name=family_name,
        given_name=given_name,
        family_name_kana=family_name_kana,
        given_name_kana=given_name_kana,
        party_size=party_size,
        channel=Registration.Channel.WALK_IN,
        created_by=actor,
        # Staff read them the notice at the door.
        privacy_notice_version=PRIVACY_NOTICE_VERSION,
        now=now,
    )
    attendance_record(registration=registration, session=session, actor=actor, now=now)
    return registration
