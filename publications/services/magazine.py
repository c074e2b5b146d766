"""Writes of the 情報誌 magazine: publish, return to draft, and the PDF of each issue.

Only center staff (the `center_staff` role, or a superuser) publish or rebuild; every
service checks its actor itself. The PDF is built by a Celery task, enqueued through the
transactional outbox, so a publication made while Redis is down still gets its PDF once
the broker is back.

How the PDF stays right: every build request raises `pdf_generation` and queues a build
for that number. A build renders, stores the file, and keeps it only if the number is
still current (a conditional UPDATE); an issue edited meanwhile has queued a newer build,
and the older file is deleted unseen. So the public only ever gets the PDF of the text it
reads, and a retried or duplicated task costs a render, never a wrong file.
"""

import logging
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from center.core.cache import public_cache_invalidate
from center.core.services import outbox_enqueue
from center.lib.images import make_rendition
from center.lib.pdf import render_pdf

from ..models import CaseStory, MagazineIssue
from ..selectors.magazine import (
    magazine_issue_articles,
    magazine_issue_for_pdf,
    magazine_issues_with_story,
    user_is_magazine_editor,
)

__all__ = [
    "magazine_issue_content_changed",
    "magazine_issue_publish",
    "magazine_issue_return_to_draft",
    "magazine_issue_save",
    "magazine_pdf_build",
    "magazine_pdf_filename",
    "magazine_pdf_rebuild",
    "magazine_pdf_render",
    "magazine_story_changed",
]

logger = logging.getLogger(__name__)

BUILD_TASK = "publications.tasks_magazine.build_magazine_pdf"
PDF_TEMPLATE = "pdf/publications/magazine.html"
COVER_THUMBNAIL_WIDTH = 480
# Enough to tell staff what went wrong without storing a whole traceback.
ERROR_CHARS = 2000

Status = MagazineIssue.Status
PdfStatus = MagazineIssue.PdfStatus


def _require_editor(actor) -> None:
    if not user_is_magazine_editor(actor):
        raise PermissionDenied(_("Only center staff can publish the magazine."))


def _locked(issue: MagazineIssue) -> MagazineIssue:
    """The row again, locked: two staff members clicking at once act once, in turn."""
    return MagazineIssue.objects.select_for_update().get(pk=issue.pk)


def _copy(issue: MagazineIssue, locked: MagazineIssue, names) -> None:
    # The caller's instance (an admin form's, a test's) shows the new state too.
    for name in names:
        setattr(issue, name, getattr(locked, name))


EDITABLE_FIELDS = [
    "number",
    "season",
    "title",
    "lead",
    "published_on",
    "cover_image",
    "cover_thumbnail",
    "cover_alt_text",
    "updated_at",
]
_BUILD_FIELDS = ("pdf_status", "pdf_generation", "pdf_requested_at", "pdf_error", "updated_at")


def _request_build(locked: MagazineIssue) -> None:
    """Mark the PDF as being prepared and queue a build for a new generation number.

    The previous file, if any, stays in storage until the new one is ready, but it is not
    offered to the public any more: it no longer matches the text."""
    locked.pdf_generation += 1
    locked.pdf_status = PdfStatus.PENDING
    locked.pdf_requested_at = timezone.now()
    locked.pdf_error = ""
    locked.save(update_fields=list(_BUILD_FIELDS))
    outbox_enqueue(BUILD_TASK, locked.pk, locked.pdf_generation)


@transaction.atomic
def magazine_issue_save(
    *, issue: MagazineIssue, actor, cover_changed: bool = False
) -> MagazineIssue:
    """Save an issue's own fields (the admin form's), making the archive's cover thumbnail
    when a new cover was uploaded (already verified and re-encoded by the form).

    Content changes of a published issue are handled by `magazine_issue_content_changed`,
    called once the articles are saved too.
    """
    _require_editor(actor)
    issue.full_clean()
    if cover_changed and not issue.cover_image:
        issue.cover_thumbnail = ""
    if issue._state.adding:
        issue.save()
    else:
        # Only what the form edits: status and PDF fields move through the other services
        # and the build, which may have finished while this form was open.
        issue.save(update_fields=EDITABLE_FIELDS)
    if cover_changed and issue.cover_image:
        # From the stored cover, so the thumbnail is named after it and sits beside it.
        thumbnail = make_rendition(issue.cover_image, width=COVER_THUMBNAIL_WIDTH)
        issue.cover_thumbnail.save(thumbnail.name, thumbnail, save=False)
        issue.save(update_fields=["cover_thumbnail"])
    return issue


def _publication_problems(issue: MagazineIssue) -> list[str]:
    articles = list(issue.articles.select_related("story"))
    problems = []
    if not articles:
        problems.append(gettext("An issue needs at least one article before it is published."))
    for article in articles:
        if article.story is not None and article.story.status != CaseStory.Status.PUBLISHED:
            problems.append(
                gettext(
                    "The collaboration story “%(title)s” is not published; publish it or "
                    "remove the article."
                )
                % {"title": article.story.title}
            )
    return problems


@transaction.atomic
def magazine_issue_publish(*, issue: MagazineIssue, actor) -> MagazineIssue:
    """DRAFT → PUBLISHED, and queue the PDF build. Center staff only.

    Raises ValidationError if the issue is already published, has no article, or reprints
    a story that is not published. `published_on` defaults to today and `published_at`
    keeps the first publication. The page cache is emptied once the transaction commits.
    """
    _require_editor(actor)
    locked = _locked(issue)
    if locked.status == Status.PUBLISHED:
        raise ValidationError(_("This issue is already published."), code="published")
    problems = _publication_problems(locked)
    if problems:
        raise ValidationError([ValidationError(text, code="not_publishable") for text in problems])
    locked.status = Status.PUBLISHED
    locked.published_on = locked.published_on or timezone.localdate()
    locked.published_at = locked.published_at or timezone.now()
    locked.full_clean()
    locked.save(update_fields=["status", "published_on", "published_at", "updated_at"])
    _request_build(locked)
    _copy(issue, locked, ("status", "published_on", "published_at", *_BUILD_FIELDS))
    # After commit: invalidating earlier would let a visitor re-cache the old page from
    # the not yet committed state.
    transaction.on_commit(public_cache_invalidate)
    return issue


@transaction.atomic
def magazine_issue_return_to_draft(*, issue: MagazineIssue, actor) -> MagazineIssue:
    """PUBLISHED → DRAFT: off the public site at once, PDF included. Center staff only.

    The PDF file is deleted after commit (a draft has none); publishing again builds a
    new one. A build still running for the old text is dropped by its generation check.
    """
    _require_editor(actor)
    locked = _locked(issue)
    if locked.status != Status.PUBLISHED:
        raise ValidationError(_("Only a published issue can return to draft."), code="draft")
    old_file = locked.pdf_file.name
    locked.status = Status.DRAFT
    locked.pdf_status = PdfStatus.NOT_BUILT
    locked.pdf_generation += 1
    locked.pdf_file = ""
    locked.pdf_size = None
    locked.pdf_built_at = None
    locked.pdf_error = ""
    locked.save()
    _copy(
        issue,
        locked,
        ("status", "pdf_status", "pdf_generation", "pdf_file", "pdf_size", "pdf_built_at"),
    )
    if old_file:
        transaction.on_commit(lambda: _delete_file(old_file))
    transaction.on_commit(public_cache_invalidate)
    return issue


@transaction.atomic
def magazine_issue_content_changed(*, issue: MagazineIssue, actor) -> bool:
    """Staff changed an issue's text, articles or photos: a published issue's PDF is now
    stale, so it is rebuilt (the page says "being prepared" until then) and the cached
    pages are dropped. Returns True when a rebuild was queued; a draft needs nothing."""
    _require_editor(actor)
    locked = _locked(issue)
    if locked.status != Status.PUBLISHED:
        return False
    _request_build(locked)
    _copy(issue, locked, _BUILD_FIELDS)
    transaction.on_commit(public_cache_invalidate)
    return True


@transaction.atomic
def magazine_pdf_rebuild(*, issue: MagazineIssue, actor) -> MagazineIssue:
    """Build a published issue's PDF again (after a failure, or a font or template update).
    Center staff only; ValidationError for a draft, which has no PDF."""
    _require_editor(actor)
    locked = _locked(issue)
    if locked.status != Status.PUBLISHED:
        raise ValidationError(
            _("A draft has no PDF: it is built when the issue is published."), code="draft"
        )
    _request_build(locked)
    _copy(issue, locked, _BUILD_FIELDS)
    transaction.on_commit(public_cache_invalidate)
    return issue


def magazine_story_changed(*, story: CaseStory) -> int:
    """A reprinted story was corrected, withdrawn or published again: rebuild the PDF of
    every published issue that prints it. Returns how many builds were queued.

    For the case-story services to call (no actor check: the story's own service checked
    its actor)."""
    queued = 0
    with transaction.atomic():
        for issue_id in magazine_issues_with_story(story=story).values_list("pk", flat=True):
            locked = MagazineIssue.objects.select_for_update().get(pk=issue_id)
            if locked.status == Status.PUBLISHED:
                _request_build(locked)
                queued += 1
        if queued:
            transaction.on_commit(public_cache_invalidate)
    return queued


# Building the PDF ------------------------------------------------------------------------


def magazine_pdf_filename(issue: MagazineIssue) -> str:
    """What a downloaded PDF is called: the issue in Japanese, as printed."""
    with translation.override(settings.LANGUAGE_CODE):
        return gettext("Magazine no. %(number)s (%(season)s).pdf") % {
            "number": issue.number,
            "season": issue.season,
        }


def magazine_pdf_render(issue: MagazineIssue) -> bytes:
    """The issue's PDF: A4, cover, contents with page numbers, articles. The issue must be
    prefetched as `magazine_issue_for_pdf` returns it (or any issue: it is then reloaded).

    The magazine is written in Japanese, so it is always printed in Japanese."""
    if "articles" not in getattr(issue, "_prefetched_objects_cache", {}):
        issue = magazine_issue_for_pdf(issue_id=issue.pk)
    context = {"issue": issue, "articles": magazine_issue_articles(issue)}
    return render_pdf(PDF_TEMPLATE, context, language=settings.LANGUAGE_CODE)


def _delete_file(name: str) -> None:
    storage = MagazineIssue._meta.get_field("pdf_file").storage
    try:
        storage.delete(name)
    except Exception:  # a file left behind is untidy, not an error anybody can act on
        logger.warning("Could not delete the superseded magazine PDF %s", name, exc_info=True)


def _record_failure(issue_id: int, generation: int, exc: Exception) -> None:
    error = f"{type(exc).__name__}: {exc}"[:ERROR_CHARS]
    MagazineIssue.objects.filter(pk=issue_id, pdf_generation=generation).update(
        pdf_status=PdfStatus.FAILED, pdf_error=error, updated_at=timezone.now()
    )


def magazine_pdf_build(*, issue_id: int, generation: int) -> str:
    """Render and store the PDF of `issue_id` for build `generation` (the task's work).

    Returns "ready", "failed", or "skipped" (the issue is gone, a draft, or a newer build
    was requested). A failure is recorded on the issue (status and error, shown in the
    admin, where "Rebuild PDF" tries again) and never raised: rendering the same text again
    would fail the same way. Safe to run twice: the second run replaces the file with an
    identical one."""
    issue = magazine_issue_for_pdf(issue_id=issue_id)
    if issue is None or issue.pdf_generation != generation or not issue.is_published:
        return "skipped"
    started = timezone.now()
    try:
        pdf = magazine_pdf_render(issue)
        storage = MagazineIssue._meta.get_field("pdf_file").storage
        name = storage.save(
            f"magazine/pdf/magazine-{issue.number:03d}-{uuid.uuid4().hex[:8]}.pdf",
            ContentFile(pdf),
        )
    except Exception as exc:
        logger.exception("Magazine PDF of issue %s (build %s) failed", issue_id, generation)
        _record_failure(issue_id, generation, exc)
        return "failed"

    with transaction.atomic():
        current = (
            MagazineIssue.objects.select_for_update()
            .filter(pk=issue_id, pdf_generation=generation, status=Status.PUBLISHED)
            .first()
        )
        if current is None:
            superseded = True
        else:
            superseded = False
            old_file = current.pdf_file.name
            current.pdf_file = name
            current.pdf_size = len(pdf)
            current.pdf_status = PdfStatus.READY
            current.pdf_built_at = timezone.now()
            current.pdf_error = ""
            current.save(
                update_fields=[
                    "pdf_file",
                    "pdf_size",
                    "pdf_status",
                    "pdf_built_at",
                    "pdf_error",
                    "updated_at",
                ]
            )
    if superseded:
        # Edited (or returned to draft) while this build ran: its own build follows.
        _delete_file(name)
        return "skipped"
    if old_file and old_file != name:
        _delete_file(old_file)
    logger.info(
        "Magazine PDF of issue %s (build %s): %d bytes in %.1f s",
        issue_id,
        generation,
        len(pdf),
        (timezone.now() - started).total_seconds(),
    )
    # The issue page and the archive now offer the download instead of "being prepared".
    public_cache_invalidate()
    return "ready"
