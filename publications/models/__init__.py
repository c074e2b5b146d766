"""情報活用: news, 協働事例 case stories, the 協働人材バンク talent bank, the 情報誌 magazine,
pamphlets and the name-card guide, and the メルマガ newsletter: one module per subject.

Body texts are Markdown written by staff; they are turned into HTML through the allow-list
sanitiser in `publications/text.py`, never shown raw.
"""

from .common import Sector
from .news import NewsItem, NewsQuerySet
from .stories import CaseStory, CaseStoryQuerySet, StoryPartner, StoryPhoto, StoryRevision, Theme
from .talent import Expertise, TalentContactRequest, TalentProfile, TalentProfileQuerySet

__all__ = [
    "CaseStory",
    "CaseStoryQuerySet",
    "Expertise",
    "NewsItem",
    "NewsQuerySet",
    "Sector",
    "StoryPartner",
    "StoryPhoto",
    "StoryRevision",
    "TalentContactRequest",
    "TalentProfile",
    "TalentProfileQuerySet",
    "Theme",
]
