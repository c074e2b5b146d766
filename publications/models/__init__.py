"""情報活用: news, 協働事例 case stories, the 協働人材バンク talent bank, the 情報誌 magazine,
pamphlets and the name-card guide, and the メルマガ newsletter: one module per subject.

Body texts are Markdown written by staff; they are turned into HTML through the allow-list
sanitiser in `center/lib/text.py`, never shown raw.
"""

from .common import Sector
from .magazine import MagazineArticle, MagazineIssue, MagazineIssueQuerySet, MagazinePhoto
from .news import NewsItem, NewsQuerySet
from .newsletter import (
    NewsletterDelivery,
    NewsletterIssue,
    NewsletterIssueQuerySet,
    NewsletterTopic,
    Subscriber,
    SubscriberQuerySet,
)
from .pamphlets import NameCard, Pamphlet, PamphletQuerySet, PamphletSection, PdfStatus
from .stories import CaseStory, CaseStoryQuerySet, StoryPartner, StoryPhoto, StoryRevision, Theme
from .talent import Expertise, TalentContactRequest, TalentProfile, TalentProfileQuerySet

__all__ = [
    "CaseStory",
    "CaseStoryQuerySet",
    "Expertise",
    "MagazineArticle",
    "MagazineIssue",
    "MagazineIssueQuerySet",
    "MagazinePhoto",
    "NewsItem",
    "NameCard",
    "NewsQuerySet",
    "Pamphlet",
    "PamphletQuerySet",
    "PamphletSection",
    "PdfStatus",
    "NewsletterDelivery",
    "NewsletterIssue",
    "NewsletterIssueQuerySet",
    "NewsletterTopic",
    "Subscriber",
    "SubscriberQuerySet",
    "Sector",
    "StoryPartner",
    "StoryPhoto",
    "StoryRevision",
    "TalentContactRequest",
    "TalentProfile",
    "TalentProfileQuerySet",
    "Theme",
]
