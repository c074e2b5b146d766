"""RSS 2.0 and Atom feeds of the news and of the 協働事例 case stories.

Titles and descriptions are in the language of the request (/en/news/feed/rss/ is English).
Links are absolute on SITE_URL, like og:url: the address a reader should keep, whatever host
the request came in on. Texts are plain (no HTML): feed readers show them as summaries.
"""

import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from center.lib.text import plain_text

from .models import CaseStory, NewsItem
from .selectors.news import news_for_feed

FEED_SIZE = 20
DESCRIPTION_CHARS = 300
# XML 1.0 cannot carry these; Django refuses to write them (a 500), so they are dropped.
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    return _XML_INVALID.sub("", text or "")


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


class _SiteFeed(Feed):
    """Shared by the four feeds: absolute links and the center as author."""

    list_url_name: str
    detail_url_name: str
    own_url_name: str

    def link(self) -> str:
        return _absolute(reverse(self.list_url_name))

    def feed_url(self) -> str:
        return _absolute(reverse(self.own_url_name))

    def author_name(self) -> str:
        return str(settings.CENTER_NAME)

    def author_link(self) -> str:
        return _absolute(reverse("core:home"))

    def subtitle(self) -> str:  # Atom's name for the description
        return self.description()

    def item_link(self, item) -> str:
        return _absolute(reverse(self.detail_url_name, args=[item.pk]))

    def item_title(self, item) -> str:
        return xml_safe(item.title)


# News ---------------------------------------------------------------------------------------


class NewsRssFeed(_SiteFeed):
    list_url_name = "publications:news"
    detail_url_name = "publications:news_detail"
    own_url_name = "publications:news_rss"

    def title(self) -> str:
        return _("News | %(center)s") % {"center": settings.CENTER_NAME}

    def description(self) -> str:
        return _("Notices, events and activity reports from the %(center)s.") % {
            "center": settings.CENTER_NAME
        }

    def items(self):
        return news_for_feed()

    def item_description(self, item: NewsItem) -> str:
        return xml_safe(plain_text(item.body, DESCRIPTION_CHARS))

    def item_pubdate(self, item: NewsItem):
        return item.publish_from

    def item_updateddate(self, item: NewsItem):
        return item.updated_at

    def item_categories(self, item: NewsItem) -> list[str]:
        return [str(item.get_category_display())]


class NewsAtomFeed(NewsRssFeed):
    feed_type = Atom1Feed
    own_url_name = "publications:news_atom"


# 協働事例 case stories ------------------------------------------------------------------


class StoryRssFeed(_SiteFeed):
    list_url_name = "publications:stories"
    detail_url_name = "publications:story_detail"
    own_url_name = "publications:story_rss"

    def title(self) -> str:
        return _("Collaboration stories | %(center)s") % {"center": settings.CENTER_NAME}

    def description(self) -> str:
        return _(
            "How citizens, NPOs, neighbourhood associations, companies, universities and the "
            "city work together in Yokohama: new collaboration stories."
        )

    def items(self):
        return (
            CaseStory.objects.published()
            .order_by("-published_at", "-pk")
            .prefetch_related("themes")[:FEED_SIZE]
        )

    def item_description(self, item: CaseStory) -> str:
        return xml_safe(item.summary)

    def item_pubdate(self, item: CaseStory):
        return item.published_at

    def item_updateddate(self, item: CaseStory):
        return item.updated_at

    def item_categories(self, item: CaseStory) -> list[str]:
        return [xml_safe(str(theme)) for theme in item.themes.all()]


class StoryAtomFeed(StoryRssFeed):
    feed_type = Atom1Feed
    own_url_name = "publications:story_atom"
