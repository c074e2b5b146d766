from django.urls import path
from django.utils.translation import gettext_lazy as _

from center.core.views import coming_soon_view

from .views import news, search, stories, talent

app_name = "publications"

urlpatterns = [
    path("news/", news.news_list, name="news"),
    path("news/<int:pk>/", news.news_detail, name="news_detail"),
    path("news/feed/rss/", news.news_rss, name="news_rss"),
    path("news/feed/atom/", news.news_atom, name="news_atom"),
    path("stories/", stories.story_list, name="stories"),
    path("stories/<int:pk>/", stories.story_detail, name="story_detail"),
    path("stories/feed/rss/", stories.story_rss, name="story_rss"),
    path("stories/feed/atom/", stories.story_atom, name="story_atom"),
    path("search/", search.search, name="search"),
    path("talent/", talent.talent_list, name="talent"),
    path("talent/<int:pk>/", talent.talent_detail, name="talent_detail"),
    path("talent/<int:pk>/contact/", talent.talent_contact, name="talent_contact"),
    path("talent/<int:pk>/contact/sent/", talent.talent_contact_sent, name="talent_contact_sent"),
    path(
        "magazine/",
        coming_soon_view(
            title=_("Magazine and pamphlets"),
            summary=_("The center's magazine and pamphlets, on the web and as PDF."),
            features=[
                _("Every issue of the magazine as a web page and a PDF"),
                _("The consultation pamphlet and the NPO introduction text"),
            ],
        ),
        name="magazine",
    ),
    path(
        "newsletter/",
        coming_soon_view(
            title=_("Newsletter"),
            summary=_("The center's email newsletter."),
            features=[
                _("Subscribe with a confirmation mail, unsubscribe with one click"),
                _("An archive of past issues"),
            ],
        ),
        name="newsletter",
    ),
]
