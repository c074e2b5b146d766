"""Who reads which hearing, support request and know-how item.

Center and city staff see every ward; a ward user sees their own ward's hearings and
requests and nothing of another ward (404, never a hint that it exists). Know-how is shared
with every network user. Views call these with a user already checked by
`networks.access.require_network_user`.
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from center.accounts.roles import CENTER_STAFF
from center.core.models import Ward
from center.lib.japanese import normalize
from consultations.models import OPEN_STATUSES, Status

from .access import is_center_side, user_ward_center
from .models import (
    Hearing,
    HearingAnswer,
    KnowHowArticle,
    KnowHowDocument,
    SupportRequest,
    WardCenter,
)

MAX_SEARCH_TERMS = 8


def _ward_scope(user) -> Q | None:
    """None: every ward. Else a filter on ward_center (matching nothing for a ward user
    without a center)."""
    if is_center_side(user):
        return None
    center = user_ward_center(user)
    return Q(ward_center=center) if center is not None else Q(pk__in=[])


def _get_or_404(queryset: QuerySet, pk):
    try:
        return queryset.get(pk=int(pk))
    except (queryset.model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


# Hearings ------------------------------------------------------------------------------


def hearings_visible_to(user) -> QuerySet[Hearing]:
    scope = _ward_scope(user)
    hearings = Hearing.objects.for_listing()
    return hearings if scope is None else hearings.filter(scope)


def hearing_get_for_user(*, user, pk) -> Hearing:
    return _get_or_404(hearings_visible_to(user), pk)


def ward_center_for_comparison(*, user, ward_code: str) -> WardCenter:
    """The ward center whose hearings a user may compare: any for the center side, only
    their own for a ward user (404 for another ward, as for an unknown one)."""
    center = WardCenter.objects.select_related("ward").filter(ward__code=ward_code).first()
    if center is None:
        raise Http404
    if not is_center_side(user) and center != user_ward_center(user):
        raise Http404
    return center


@dataclass
class ComparisonRow:
    key: str
    question: str
    # fiscal year → answer text ("" when that year's hearing did not ask it).
    answers: list[tuple[int, str]]


def hearing_comparison(*, ward_center: WardCenter) -> tuple[list[int], list[ComparisonRow]]:
    """The same question side by side over the fiscal years of one ward's hearings.

    Questions are matched on their key, so a reworded question stays on one row; the row
    shows the wording of the latest year that asked it."""
    years = list(
        Hearing.objects.filter(ward_center=ward_center)
        .order_by("fiscal_year")
        .values_list("fiscal_year", flat=True)
    )
    answers = HearingAnswer.objects.filter(hearing__ward_center=ward_center).select_related(
        "hearing"
    )
    by_key: dict[str, dict] = {}
    english = not (translation.get_language() or "ja").startswith("ja")
    for answer in answers.order_by("hearing__fiscal_year", "order"):
        row = by_key.setdefault(answer.question_key, {"order": answer.order, "answers": {}})
        row["question"] = (
            answer.question_text_en if english and answer.question_text_en else answer.question_text
        )
        row["order"] = answer.order
        row["answers"][answer.hearing.fiscal_year] = answer.answer
    rows = [
        ComparisonRow(
            key=key,
            question=row["question"],
            answers=[(year, row["answers"].get(year, "")) for year in years],
        )
        for key, row in sorted(by_key.items(), key=lambda item: item[1]["order"])
    ]
    return years, rows


# Support requests --------------------------------------------------------------------


# What the ward sees of the case's status: the center's triage steps folded into four.
PUBLIC_STATUS = {
    Status.RECEIVED: ("received", _("Received")),
    Status.IN_PROGRESS: ("in_progress", _("In progress")),
    Status.WAITING: ("in_progress", _("In progress")),
    Status.REFERRED: ("in_progress", _("In progress")),
    Status.CLOSED: ("done", _("Done")),
    Status.WITHDRAWN: ("withdrawn", _("Withdrawn")),
}


def support_request_public_status(support_request: SupportRequest) -> tuple[str, str]:
    """(code, label) of the request's status as shown to the ward, read from its case."""
    code, label = PUBLIC_STATUS.get(
        support_request.consultation.status, ("received", _("Received"))
    )
    return code, str(label)


def support_requests_visible_to(user) -> QuerySet[SupportRequest]:
    scope = _ward_scope(user)
    requests = SupportRequest.objects.for_listing()
    return requests if scope is None else requests.filter(scope)


def support_requests_open_for(user) -> QuerySet[SupportRequest]:
    """The network home's "open requests": the user's ward's (all for the center side)
    whose case is not finished yet."""
    return support_requests_visible_to(user).filter(consultation__status__in=OPEN_STATUSES)


def support_request_get_for_user(*, user, pk) -> SupportRequest:
    return _get_or_404(support_requests_visible_to(user), pk)


# Know-how ----------------------------------------------------------------------------


def knowhow_search(*, query: str = "", category=None) -> QuerySet[KnowHowArticle]:
    """Articles matching every word of the query, compared as normalize() folds them
    (こどもしょくどう finds コドモショクドウ, ＮＰＯ finds npo)."""
    articles = KnowHowArticle.objects.for_listing()
    if category:  # a KnowHowCategory or its key
        key = getattr(category, "key", category)
        articles = articles.filter(category__key=key)
    for term in tuple(dict.fromkeys(normalize(query or "").split()))[:MAX_SEARCH_TERMS]:
        articles = articles.filter(search_text__contains=term)
    return articles


def knowhow_get(*, pk) -> KnowHowArticle:
    return _get_or_404(KnowHowArticle.objects.for_listing(), pk)


def knowhow_editable_by(*, user, article: KnowHowArticle) -> bool:
    """Center staff edit everything; a ward edits what its own ward shared. City staff
    read only."""
    if user.is_superuser or user.has_role(CENTER_STAFF):
        return True
    center = user_ward_center(user)
    return center is not None and article.ward_center_id == center.pk


def knowhow_document_get(*, pk) -> KnowHowDocument:
    return _get_or_404(KnowHowDocument.objects.select_related("article"), pk)


def wards_for_comparison(user) -> QuerySet[Ward]:
    """Wards with at least one hearing the user may see, for the comparison links."""
    return (
        Ward.objects.filter(center__hearings__in=hearings_visible_to(user))
        .distinct()
        .order_by("order")
    )
