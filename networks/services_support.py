"""Every write to hearings, support requests and the know-how library."""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Case, CharField, F, Value, When
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from center.core.services import outbox_enqueue
from center.lib.i18n import user_mail_language
from center.lib.japanese import normalize
from consultations.models import Channel, ContactPreference, RequesterType, Topic
from consultations.services import cases as consultation_services

from .models import (
    Hearing,
    HearingAnswer,
    HearingQuestion,
    KnowHowArticle,
    KnowHowCategory,
    KnowHowDocument,
    SupportKind,
    SupportRequest,
    WardCenter,
)

logger = logging.getLogger(__name__)

# The consultation topic each kind of help is counted under in the center's statistics.
KIND_TOPIC = {
    SupportKind.FOUNDING: Topic.FOUNDING,
    SupportKind.MANAGEMENT: Topic.MANAGEMENT,
    SupportKind.COLLABORATION: Topic.PROPOSAL,
    SupportKind.PUBLICITY: Topic.PUBLICITY,
    SupportKind.PLACE_FUNDS: Topic.PLACE_FUNDS,
    SupportKind.REFERRAL: Topic.OTHER,
    SupportKind.OTHER: Topic.OTHER,
}


# Hearings ------------------------------------------------------------------------------


def hearing_answers_fill(*, hearing: Hearing) -> int:
    """Give a hearing one (empty) answer per template question in use that it lacks,
    copying the question's current wording. Returns how many were added."""
    have = set(hearing.answers.values_list("question_key", flat=True))
    added = 0
    for question in HearingQuestion.objects.filter(is_active=True):
        if question.key in have:
            continue
        HearingAnswer.objects.create(
            hearing=hearing,
            question=question,
            question_key=question.key,
            question_text=question.text,
            question_text_en=question.text_en,
            order=question.order,
        )
        added += 1
    return added


@transaction.atomic
def hearing_create(
    *,
    ward_center: WardCenter,
    fiscal_year: int,
    held_on,
    interviewer=None,
    attendees: str = "",
    summary: str = "",
    answers: dict[str, str] | None = None,
) -> Hearing:
    """Record a ward center's hearing for a fiscal year from the current question template.

    `answers` maps question keys to answers. A second hearing of the same center and year
    is refused with a message (the database constraint backs this under concurrency)."""
    hearing = Hearing(
        ward_center=ward_center,
        fiscal_year=fiscal_year,
        held_on=held_on,
        interviewer=interviewer,
        attendees=attendees,
        summary=summary,
    )
    hearing.full_clean()
    hearing.save()
    hearing_answers_fill(hearing=hearing)
    for key, text in (answers or {}).items():
        hearing.answers.filter(question_key=key).update(answer=text)
    return hearing


# Support requests --------------------------------------------------------------------


@transaction.atomic
def support_request_file(
    *,
    ward_center: WardCenter,
    filed_by,
    summary: str,
    kind: str,
    urgency: int,
    details: str = "",
    group_name: str = "",
    contact_consent: bool = False,
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    language: str = "ja",
) -> SupportRequest:
    """A ward center asks the center for help: in one transaction, a case in the
    consultation queue (channel 区センター, the ward set) and the request linked to it.

    Contact details are kept only when the person consented; without consent they are
    dropped here whatever the caller passed. The consultation service mails a receipt
    only when there is an address, so a person without consent (or email) gets no mail.
    """
    if not contact_consent:
        contact_name = contact_email = contact_phone = ""
    if filed_by is not None:
        # A double click sends the form twice: the second request waits on the filer's
        # row, then finds the first one and is refused (no second case, no second mail).
        get_user_model().objects.select_for_update().filter(pk=filed_by.pk).first()
        recent = timezone.now() - datetime.timedelta(minutes=10)
        if SupportRequest.objects.filter(
            ward_center=ward_center, filed_by=filed_by, summary=summary, created_at__gte=recent
        ).exists():
            raise ValidationError(
                _("This request has just been filed; it is in the list of requests.")
            )
    body_lines = [details.strip()]
    body_lines.append(
        _("Filed by %(ward_center)s (%(user)s) through the ward center network.")
        % {"ward_center": ward_center, "user": getattr(filed_by, "email", "")}
    )
    if not contact_consent:
        body_lines.append(_("The person has not consented to sharing their contact details."))
    case = consultation_services.consultation_submit(
        fields={
            # The person the ward center is helping is usually a group; the ward center's
            # own name stands in when no group is named, so the case shows who asked.
            "requester_type": RequesterType.CIVIC_GROUP if group_name else RequesterType.OTHER,
            "family_name": contact_name[:50],
            "organization_name": group_name or str(ward_center),
            "email": contact_email,
            "phone": contact_phone,
            "preferred_contact": (
                ContactPreference.PHONE
                if contact_phone and not contact_email
                else ContactPreference.EMAIL
            ),
            "ward": ward_center.ward,
            "topic": KIND_TOPIC.get(kind, Topic.OTHER),
            "title": summary,
            "body": "\n\n".join(line for line in body_lines if line),
            "priority": urgency,
        },
        channel=Channel.WARD_CENTER,
        language=language,
        entered_by=filed_by,
    )
    support_request = SupportRequest(
        ward_center=ward_center,
        filed_by=filed_by,
        summary=summary,
        details=details,
        group_name=group_name,
        kind=kind,
        urgency=urgency,
        contact_consent=contact_consent,
        contact_name=contact_name,
        contact_email=contact_email,
        contact_phone=contact_phone,
        consultation=case,
    )
    support_request.full_clean()
    support_request.save()
    return support_request


# Know-how ----------------------------------------------------------------------------


def _search_text(article: KnowHowArticle) -> str:
    return normalize(f"{article.title}\n{article.body}")


@transaction.atomic
def knowhow_save(
    *,
    article: KnowHowArticle | None = None,
    title: str,
    category: KnowHowCategory,
    body: str,
    author,
    ward_center: WardCenter | None,
    documents: list[UploadedFile] = (),
) -> KnowHowArticle:
    """Create or update an article (and attach already validated documents, see
    consultations.uploads.validate_attachment). `ward_center` None: shared by the center."""
    if article is None:
        article = KnowHowArticle(author=author, ward_center=ward_center)
    article.title = title
    article.category = category
    article.body = body
    article.search_text = _search_text(article)
    article.full_clean()
    article.save()
    for upload in documents:
        knowhow_document_add(article=article, upload=upload)
    return article


def knowhow_reindex(*, article: KnowHowArticle) -> None:
    """Refresh the search text after an edit that did not go through knowhow_save (admin)."""
    KnowHowArticle.objects.filter(pk=article.pk).update(search_text=_search_text(article))


def knowhow_document_add(*, article: KnowHowArticle, upload: UploadedFile) -> KnowHowDocument:
    if not getattr(upload, "original_name", None):
        raise ValidationError(_("The file was not checked."))
    document = KnowHowDocument(
        article=article,
        file=upload,
        original_name=upload.original_name[:255],
        content_type=getattr(upload, "content_type", "") or "application/octet-stream",
        size=upload.size,
    )
    document.full_clean()
    document.save()
    return document


# Status mails --------------------------------------------------------------------------


def _public_status_expression():
    """The case's status folded into the four the ward sees, computed in the database."""
    from .selectors_support import PUBLIC_STATUS

    return Case(
        *[
            When(consultation__status=status, then=Value(code))
            for status, (code, _label) in PUBLIC_STATUS.items()
        ],
        default=Value("received"),
        output_field=CharField(),
    )


def support_status_notifications_send() -> int:
    """Mail whoever filed each support request whose status, as the ward sees it, changed
    since the last mail (received → in progress → done, or withdrawn). Returns how many.

    Exactly once per change: each row is claimed by a conditional UPDATE from the status it
    was last told to the new one, committed with its outbox message, so two runs at once
    never mail twice. Requests filed by nobody still active are marked, not mailed.
    """
    changed = (
        SupportRequest.objects.annotate(public=_public_status_expression())
        .exclude(public=F("notified_status"))
        .values_list("pk", "notified_status", "public")
    )
    sent = 0
    for request_id, told, public in list(changed):
        try:
            with transaction.atomic():
                claimed = SupportRequest.objects.filter(pk=request_id, notified_status=told).update(
                    notified_status=public
                )
                if claimed != 1:
                    continue
                support_request = SupportRequest.objects.select_related("filed_by").get(
                    pk=request_id
                )
                if _mail_status(support_request, public):
                    sent += 1
        except Exception:
            logger.exception("Support request %s: status mail not queued", request_id)
    return sent


def _mail_status(support_request: SupportRequest, public: str) -> bool:
    from .selectors_support import PUBLIC_STATUS

    user = support_request.filed_by
    if user is None or not user.is_active or not user.email:
        return False
    codes = dict(PUBLIC_STATUS.values())
    language = user_mail_language(user)
    with translation.override(language):
        context = {
            "summary": support_request.summary,
            "status": str(codes.get(public, public)),
            "request_url": settings.SITE_URL
            + reverse("networks:support_request_detail", args=[support_request.pk]),
        }
    outbox_enqueue(
        "center.core.tasks.send_email",
        template="network-support-status",
        to=[user.email],
        context=context,
        language=language,
    )
    return True


def support_requests_scrub_anonymised() -> int:
    """Blank the personal data a support request keeps beside its case once the case has
    been anonymised (consultations' retention job cannot reach this app's rows). Daily
    from beat, after the anonymisation; returns how many requests were blanked."""
    with translation.override(settings.LANGUAGE_CODE):
        anonymised = str(_("(anonymised)"))
    return (
        SupportRequest.objects.filter(consultation__anonymised_at__isnull=False)
        .exclude(summary=anonymised)
        .update(
            summary=anonymised,
            details="",
            group_name="",
            contact_name="",
            contact_email="",
            contact_phone="",
        )
    )
