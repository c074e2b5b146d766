"""Follow-up: the assignees' daily digest and the weekly agenda of the 定例会議 with 協働推進課.

Both only read cases. Neither carries requester names or contact details: the digest and
the agenda show a case's reference, title, topic, ward and state, nothing more.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from center.accounts.roles import ADMIN_ROLE_NAMES

from ..models import OPEN_STATUSES, Consultation, RequesterType, Status, Topic

OUTSIDE_YOKOHAMA = _("Outside Yokohama")
UNASSIGNED = _("Unassigned")
# Shown instead of the title to viewers who may see a case only as a statistic.
TITLE_WITHHELD = _("(not shared with the city)")


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


# Daily digest ---------------------------------------------------------------------------


def _digest_recipients():
    """Active people who work in the admin (a role that uses it, or superuser)."""
    return get_user_model().objects.filter(
        Q(is_superuser=True) | Q(groups__name__in=ADMIN_ROLE_NAMES), is_active=True
    )


def _digest_cases(*, today: datetime.date):
    """(overdue, untouched) querysets over every assignee's open, non-quarantined cases.

    Overdue: the follow-up date has passed. Untouched: no activity (note, reply, status
    change...) on any of the last CONSULTATION_STALE_AFTER_DAYS days, counted in whole
    local days so the result does not depend on the hour the task runs. A case that is both
    is listed once, as overdue: the due date is the more urgent fact.
    """
    stale_before = _local_midnight(
        today - datetime.timedelta(days=settings.CONSULTATION_STALE_AFTER_DAYS)
    )
    cases = (
        Consultation.objects.open()
        .not_quarantined()
        .filter(assignee__in=_digest_recipients().values("pk"))
        .select_related("assignee")
    )
    overdue = Q(follow_up_due__lt=today)
    untouched = Q(last_activity_at__lt=stale_before) & ~overdue
    return (
        cases.filter(overdue).order_by("follow_up_due", "created_at", "pk"),
        cases.filter(untouched).order_by("last_activity_at", "pk"),
    )


def followup_digests(*, today: datetime.date | None = None) -> list[tuple]:
    """One `(user, overdue_cases, untouched_cases)` per assignee with something to do.

    Assignees are active people with an admin role (or superusers); their open,
    non-quarantined cases count. A person with neither overdue nor untouched cases is
    left out, so nobody gets an empty mail. Two queries, whatever the number of people.
    """
    today = today or timezone.localdate()
    overdue_cases, untouched_cases = _digest_cases(today=today)
    users = {}
    overdue: dict[int, list[Consultation]] = defaultdict(list)
    untouched: dict[int, list[Consultation]] = defaultdict(list)
    for case in overdue_cases:
        users[case.assignee_id] = case.assignee
        overdue[case.assignee_id].append(case)
    for case in untouched_cases:
        users[case.assignee_id] = case.assignee
        untouched[case.assignee_id].append(case)
    ordered = sorted(users.values(), key=lambda user: (user.email, user.pk))
    return [(user, overdue[user.pk], untouched[user.pk]) for user in ordered]


def followup_digest_for_user(
    *, user, today: datetime.date | None = None
) -> tuple[list[Consultation], list[Consultation]]:
    """`(overdue_cases, untouched_cases)` of one person, by the rules of `followup_digests`;
    two empty lists for someone who is inactive or holds no admin role."""
    today = today or timezone.localdate()
    overdue_cases, untouched_cases = _digest_cases(today=today)
    return (
        list(overdue_cases.filter(assignee=user)),
        list(untouched_cases.filter(assignee=user)),
    )


# Weekly agenda --------------------------------------------------------------------------


@dataclass(frozen=True)
class AgendaItem:
    """One line of the agenda. Labels are lazy, so they render in the document's language."""

    reference: str
    received: datetime.date
    topic: Promise
    ward: object  # a Ward (its name follows the active language) or OUTSIDE_YOKOHAMA
    requester_type: Promise
    status: Promise
    assignee: object
    title: object
    shared_on: datetime.date | None = None


def week_monday(day: datetime.date) -> datetime.date:
    """The Monday of the week a day falls in (weeks run Monday to Sunday)."""
    return day - datetime.timedelta(days=day.weekday())


def _agenda_item(case: Consultation, *, show_title: bool) -> AgendaItem:
    sharing = getattr(case, "city_sharing", None) if case.shared_with_city else None
    return AgendaItem(
        reference=case.reference,
        received=timezone.localtime(case.created_at).date(),
        topic=Topic(case.topic).label,
        ward=case.ward or OUTSIDE_YOKOHAMA,
        requester_type=RequesterType(case.requester_type).label,
        status=Status(case.status).label,
        assignee=case.assignee or UNASSIGNED,
        title=case.title if show_title else TITLE_WITHHELD,
        shared_on=timezone.localtime(sharing.shared_at).date() if sharing else None,
    )


def weekly_agenda(
    *, week_start: datetime.date, titles_of_unshared: bool = True
) -> dict[str, object]:
    """The papers for the weekly 定例会議 with 協働推進課, for the week from `week_start`
    (moved back to its Monday) to the Sunday after.

    - ``new``: cases received that week, whatever their state now;
    - ``open``: cases open today that were received by the end of that week;
    - ``shared``: cases shared with the city by the end of that week that are open today
      or were shared during that week.

    Quarantined and anonymised cases are left out. Each item carries reference, received
    date, topic, ward, requester type, status, assignee and title: never names or contact
    details. With ``titles_of_unshared=False`` (a viewer from the city, who may see only
    shared cases in full), cases not shared with the city show a placeholder title.
    """
    start = week_monday(week_start)
    end = start + datetime.timedelta(days=7)
    since, until = _local_midnight(start), _local_midnight(end)
    cases = (
        Consultation.objects.not_quarantined()
        .filter(anonymised_at__isnull=True)
        .select_related("ward", "assignee", "city_sharing")
    )
    new = cases.filter(created_at__gte=since, created_at__lt=until).order_by("created_at", "pk")
    open_ = cases.open().filter(created_at__lt=until).order_by("created_at", "pk")
    shared = (
        cases.filter(shared_with_city=True, city_sharing__shared_at__lt=until)
        .filter(Q(status__in=OPEN_STATUSES) | Q(city_sharing__shared_at__gte=since))
        .order_by("city_sharing__shared_at", "pk")
    )

    def items(queryset) -> list[AgendaItem]:
        return [
            _agenda_item(case, show_title=titles_of_unshared or case.shared_with_city)
            for case in queryset
        ]

    return {
        "week_start": start,
        "week_end": end - datetime.timedelta(days=1),
        "new": items(new),
        "open": items(open_),
        "shared": items(shared),
    }


AGENDA_SECTIONS = (
    ("new", _("New this week")),
    ("open", _("Open cases")),
    ("shared", _("Shared with the city")),
)
AGENDA_CSV_HEADERS = (
    _("Section"),
    _("Reference number"),
    pgettext_lazy("date a case came in", "Received"),
    _("Topic"),
    _("Ward"),
    _("Requester type"),
    _("Status"),
    _("Assignee"),
    _("Title"),
    _("Shared with the city on"),
)
# A cell starting with one of these is a formula to Excel (CSV injection): titles are typed
# by the public, so such cells get a leading apostrophe, which Excel shows as plain text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def weekly_agenda_csv_rows(agenda: dict) -> list[list[str]]:
    """The agenda as CSV rows (header first), in the active language; one table with a
    section column, so a spreadsheet can filter it. Dates are ISO (2026-11-23)."""
    rows = [[str(header) for header in AGENDA_CSV_HEADERS]]
    for key, label in AGENDA_SECTIONS:
        for item in agenda[key]:
            rows.append(
                [
                    _csv_cell(value)
                    for value in (
                        label,
                        item.reference,
                        item.received.isoformat(),
                        item.topic,
                        item.ward,
                        item.requester_type,
                        item.status,
                        item.assignee,
                        item.title,
                        item.shared_on.isoformat() if item.shared_on else "",
                    )
                ]
            )
    return rows
