"""Reads of 協働事例 case stories: what the public sees, what a writer may touch.

Visibility in one place: the public sees published stories only; center staff (and
superusers) see and preview every story; a coordinator sees the stories they wrote and may
edit them only while they are drafts.
"""

from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.http import Http404

from center.accounts.roles import CENTER_STAFF, COORDINATOR

from ..models import CaseStory, Sector, StoryPartner, StoryPhoto

__all__ = [
    "StoryFilters",
    "stories_for_public_listing",
    "stories_related",
    "stories_visible_to",
    "story_get_for_user",
    "story_is_editable_by",
    "story_partners_by_sector",
    "user_is_story_editor",
]


@dataclass(frozen=True)
class StoryFilters:
    """Filters of the public list, already validated (`StoryFilterForm.filters()`)."""

    ward_code: str | None = None
    sdg_number: int | None = None
    sector: str | None = None
    theme_id: int | None = None


def user_is_story_editor(user) -> bool:
    """Center staff and superusers: review, publish and preview every story."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.has_role(CENTER_STAFF))
    )


def stories_visible_to(*, user) -> QuerySet[CaseStory]:
    """The back office's list: every story for center staff, their own for a coordinator."""
    if user_is_story_editor(user):
        return CaseStory.objects.all()
    if user.is_authenticated and user.has_role(COORDINATOR):
        return CaseStory.objects.filter(author=user)
    return CaseStory.objects.none()


def story_is_editable_by(*, user, story: CaseStory) -> bool:
    """Center staff edit any story; a coordinator edits their own, and only as a draft
    (once submitted, the text is what staff review)."""
    if user_is_story_editor(user):
        return True
    return bool(
        user.is_authenticated
        and user.has_role(COORDINATOR)
        and story.author_id == user.pk
        and story.status == CaseStory.Status.DRAFT
    )


def _as_cards(stories: QuerySet[CaseStory]) -> QuerySet[CaseStory]:
    """What a card (`_story_card.html`) shows: the ward, the SDGs and the first photo. Not
    the themes and partners `for_listing()` also fetches for the story page."""
    return stories.select_related("ward").prefetch_related(
        "sdgs", Prefetch("photos", queryset=StoryPhoto.objects.order_by("order", "pk"))
    )


def stories_for_public_listing(*, filters: StoryFilters | None = None) -> QuerySet[CaseStory]:
    """Published stories, newest first, prefetched for cards (queries constant in length).

    Many-to-many and partner filters use EXISTS rather than joins, so a story matching
    through two partners of the same sector is listed once without DISTINCT.
    """
    filters = filters or StoryFilters()
    stories = CaseStory.objects.published()
    if filters.ward_code:
        stories = stories.filter(ward__code=filters.ward_code)
    if filters.sdg_number:
        stories = stories.filter(
            Exists(
                CaseStory.sdgs.through.objects.filter(
                    casestory_id=OuterRef("pk"), sdggoal_id=filters.sdg_number
                )
            )
        )
    if filters.sector:
        stories = stories.filter(
            Exists(StoryPartner.objects.filter(story_id=OuterRef("pk"), sector=filters.sector))
        )
    if filters.theme_id:
        stories = stories.filter(
            Exists(
                CaseStory.themes.through.objects.filter(
                    casestory_id=OuterRef("pk"), theme_id=filters.theme_id
                )
            )
        )
    return _as_cards(stories).order_by("-published_at", "-pk")


def story_get_for_user(*, user, pk: int) -> CaseStory:
    """One story for its public page: 404 unless published, or the visitor may preview it
    (center staff; the author, for their own). Prefetched like a card."""
    story = CaseStory.objects.for_listing().filter(pk=pk).first()
    if story is None:
        raise Http404
    if story.status == CaseStory.Status.PUBLISHED:
        return story
    if user_is_story_editor(user):
        return story
    if user.is_authenticated and user.has_role(COORDINATOR) and story.author_id == user.pk:
        return story
    raise Http404


def stories_related(*, story: CaseStory, limit: int = 3) -> list[CaseStory]:
    """Up to `limit` other published stories sharing a theme, an SDG or the ward.

    Ranked by how much they share (one point per shared theme, per shared SDG and for the
    ward), then newest first. One query for the ranking plus the card prefetches.
    """
    theme_ids = [theme.pk for theme in story.themes.all()]
    sdg_ids = [goal.pk for goal in story.sdgs.all()]
    zero = Value(0, output_field=IntegerField())
    score = (
        (Count("themes", filter=Q(themes__in=theme_ids), distinct=True) if theme_ids else zero)
        + (Count("sdgs", filter=Q(sdgs__in=sdg_ids), distinct=True) if sdg_ids else zero)
        + (
            Case(When(ward_id=story.ward_id, then=1), default=0, output_field=IntegerField())
            if story.ward_id is not None
            else zero
        )
    )
    related = (
        CaseStory.objects.published()
        .exclude(pk=story.pk)
        .alias(score=score)
        .filter(score__gt=0)
        .order_by("-score", "-published_at", "-pk")
    )
    related = _as_cards(related)
    return list(related[:limit])


def story_partners_by_sector(*, story: CaseStory) -> list[tuple[str, list[StoryPartner]]]:
    """The story's partners grouped by sector, in the order sectors are declared."""
    groups: dict[str, list[StoryPartner]] = {}
    for partner in story.partners.all():
        groups.setdefault(partner.sector, []).append(partner)
    return [(label, groups[value]) for value, label in Sector.choices if value in groups]
