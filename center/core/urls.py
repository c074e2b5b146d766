from django.urls import path

from . import views, views_signage

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.site_page, {"page": "about"}, name="about"),
    path("access/", views.site_page, {"page": "access"}, name="access"),
    path("privacy/", views.site_page, {"page": "privacy"}, name="privacy"),
    path("accessibility/", views.site_page, {"page": "accessibility"}, name="accessibility"),
    path("signage/", views_signage.signage, name="signage"),
]
