"""Writes of the 協働事例 workflow: draft → in review → published (→ withdrawn).

A coordinator drafts and submits; only center staff (the `center_staff` role, or a
superuser) publish, withdraw or send a story back. The check is the role, not a model
permission: `change_casestory` is held by coordinators too (for their own drafts), and the
models declare no separate "publish" permission. Every service checks its actor itself, so
no admin action, view or shell script can publish on a coordinator's behalf.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from center.accounts.roles import COORDINATOR
from center.core.cache import public_cache_invalidate
from center.core.models import AuditEvent
from center.core.services import audit_event_record

from ..models import CaseStory, StoryRevision
from ..selectors.stories import user_is_story_editor
from .magazine import magazine_story_changed

__all__ = [
    "story_publish",
    "story_return_to_draft",
    "story_submit_for_review",
    "story_withdraw",
]

Status = CaseStory.Status

PUBLISHABLE_FROM = (Status.IN_REVIEW, Status.WITHDRAWN, Status.PUBLISHED)
RETURNABLE_FROM = (Status.IN_REVIEW, Status.WITHDRAWN)


def _require_editor(actor) -> None:
    if not user_is_story_editor(actor):
        raise PermissionDenied(_("Only center staff can review and publish stories."))


def _locked(story: CaseStory) -> CaseStory:
    """The row again, locked: two staff members clicking at once publish once, in turn."""
    return CaseStory.objects.select_for_update().get(pk=story.pk)


def _set_status(story: CaseStory, locked: CaseStory, status: str, *extra: str) -> None:
    locked.status = status
    locked.full_clean()
    locked.save(update_fields=["status", "updated_at", *extra])
    # The caller's instance (an admin form's, a test's) shows the new state too.
    for name in ("status", "updated_at", *extra):
        setattr(story, name, getattr(locked, name))


@transaction.atomic
def story_submit_for_review(*, story: CaseStory, actor) -> CaseStory:
    """DRAFT → IN_REVIEW, by the coordinator who wrote it or by center staff.

    Raises PermissionDenied for anybody else and ValidationError unless it is a draft.
    """
    is_author = (
        actor.is_authenticated and actor.has_role(COORDINATOR) and story.author_id == actor.pk
    )
    if not (is_author or user_is_story_editor(actor)):
        raise PermissionDenied(_("Only the author or center staff can submit this story."))
    locked = _locked(story)
    if locked.status != Status.DRAFT:
        raise ValidationError(_("Only a draft can be submitted for review."), code="not_draft")
    _set_status(story, locked, Status.IN_REVIEW)
    return story


@transaction.atomic
def story_publish(*, story: CaseStory, actor) -> StoryRevision:
    """IN_REVIEW, WITHDRAWN or PUBLISHED (re-publishing after edits) → PUBLISHED.

    Center staff only (PermissionDenied otherwise; a coordinator can never publish). A
    draft must be submitted first (ValidationError). `published_at` is set on the first
    publication only, so the list keeps its order when a story is corrected. Every call
    writes a StoryRevision with what the public now reads, and empties the page cache once
    the transaction commits.
    """
    _require_editor(actor)
    locked = _locked(story)
    if locked.status not in PUBLISHABLE_FROM:
        raise ValidationError(
            _("A draft must be submitted for review before it is published."),
            code="not_reviewed",
        )
    if locked.published_at is None:
        locked.published_at = timezone.now()
    _set_status(story, locked, Status.PUBLISHED, "published_at")
    revision = StoryRevision(
        story=locked,
        title=locked.title,
        summary=locked.summary,
        body=locked.body,
        published_by=actor,
    )
    revision.full_clean()
    revision.save()
    # Magazine issues that reprint the story print what the public now reads.
    magazine_story_changed(story=locked)
    # After commit: invalidating earlier would let a visitor re-cache the old page from
    # the not yet committed state.
    transaction.on_commit(public_cache_invalidate)
    return revision


@transaction.atomic
def story_withdraw(*, story: CaseStory, actor) -> CaseStory:
    """PUBLISHED → WITHDRAWN: off the public site at once. Center staff only.

    The revisions stay; publishing again brings it back with its first publication date.
    """
    _require_editor(actor)
    locked = _locked(story)
    if locked.status != Status.PUBLISHED:
        raise ValidationError(_("Only a published story can be withdrawn."), code="not_published")
    _set_status(story, locked, Status.WITHDRAWN)
    magazine_story_changed(story=locked)
    transaction.on_commit(public_cache_invalidate)
    return story


@transaction.atomic
def story_return_to_draft(*, story: CaseStory, actor, reason: str) -> CaseStory:
    """IN_REVIEW or WITHDRAWN → DRAFT, so the author can rework it. Center staff only.

    The reason is required and kept in the audit log with who sent it back. A published
    story is withdrawn first: it never leaves the site by this door unannounced.
    """
    _require_editor(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Tell the author why the story goes back to draft.")}, code="required"
        )
    locked = _locked(story)
    if locked.status not in RETURNABLE_FROM:
        raise ValidationError(
            _("Only a story waiting for review or withdrawn can go back to draft."),
            code="not_returnable",
        )
    previous = locked.status
    _set_status(story, locked, Status.DRAFT)
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.CHANGE,
        target=locked,
        detail={"workflow": "return_to_draft", "from": previous, "reason": reason},
    )
    return story
