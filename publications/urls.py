from django.urls import path

from .views import magazine, news, newsletter, pamphlets, search, stories, talent

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
    path("pamphlets/", pamphlets.pamphlet_list, name="pamphlets"),
    path("pamphlets/<int:pk>/", pamphlets.pamphlet_detail, name="pamphlet_detail"),
    path("pamphlets/<int:pk>/pdf/", pamphlets.pamphlet_pdf, name="pamphlet_pdf"),
    path("pamphlets/namecard/", pamphlets.namecard, name="namecard"),
    path("pamphlets/namecard/pdf/", pamphlets.namecard_pdf, name="namecard_pdf"),
    path("pamphlets/namecard/sheet/pdf/", pamphlets.namecard_sheet_pdf, name="namecard_sheet_pdf"),
    path("magazine/", magazine.magazine_archive, name="magazine"),
    path("magazine/<int:number>/", magazine.magazine_issue, name="magazine_issue"),
    path("magazine/<int:number>/pdf/", magazine.magazine_pdf, name="magazine_pdf"),
    path(
        "magazine/<int:number>/pdf/preview/",
        magazine.magazine_pdf_preview,
        name="magazine_pdf_preview",
    ),
    path("newsletter/", newsletter.newsletter_home, name="newsletter"),
    path(
        "newsletter/subscribed/",
        newsletter.newsletter_subscribed,
        name="newsletter_subscribed",
    ),
    path(
        "newsletter/confirm/<str:token>/",
        newsletter.newsletter_confirm,
        name="newsletter_confirm",
    ),
    path(
        "newsletter/preferences/<str:token>/",
        newsletter.newsletter_preferences,
        name="newsletter_preferences",
    ),
    path(
        "newsletter/unsubscribe/<str:token>/",
        newsletter.newsletter_unsubscribe,
        name="newsletter_unsubscribe",
    ),
    path("newsletter/archive/", newsletter.newsletter_archive_list, name="newsletter_archive"),
    path("newsletter/archive/<int:pk>/", newsletter.newsletter_issue, name="newsletter_issue"),
]
