"""Reads of the newsletter: the public archive (sent issues) and the staff preview."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from ..models import NewsletterIssue, NewsletterTopic

__all__ = [
    "NewsletterIssuePage",
    "newsletter_archive",
    "newsletter_issue_get_for_user",
    "newsletter_topics",
]

PREVIEW_PERMISSION = "publications.view_newsletterissue"


def newsletter_archive() -> QuerySet[NewsletterIssue]:
    """Sent issues, newest first (cancelled sends are not published)."""
    return NewsletterIssue.objects.sent().order_by("-finished_at", "-pk")


def newsletter_topics() -> QuerySet[NewsletterTopic]:
    return NewsletterTopic.objects.order_by("order", "pk")


@dataclass(frozen=True)
class NewsletterIssuePage:
    issue: NewsletterIssue
    is_preview: bool


def newsletter_issue_get_for_user(*, user, pk: int) -> NewsletterIssuePage:
    """A sent issue for everyone; any other issue only as a preview for people who may see
    newsletter issues in the back office; 404 for anyone else."""
    issue = newsletter_archive().filter(pk=pk).first()
    if issue is not None:
        return NewsletterIssuePage(issue=issue, is_preview=False)
    if getattr(user, "is_authenticated", False) and user.has_perm(PREVIEW_PERMISSION):
        issue = NewsletterIssue.objects.filter(pk=pk).first()
        if issue is not None:
            return NewsletterIssuePage(issue=issue, is_preview=True)
    raise Http404
