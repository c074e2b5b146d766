"""Hearings, support requests and know-how under /network/ (see networks/urls.py)."""

from django.urls import path

from . import views_support as views

urlpatterns = [
    path("hearings/", views.hearing_list, name="hearing_list"),
    path("hearings/<int:pk>/", views.hearing_detail, name="hearing_detail"),
    path("hearings/compare/<slug:ward_code>/", views.hearing_compare, name="hearing_compare"),
    path("requests/", views.request_list, name="support_request_list"),
    path("requests/new/", views.request_create, name="support_request_create"),
    path("requests/<int:pk>/", views.request_detail, name="support_request_detail"),
    path("knowhow/", views.knowhow_list, name="knowhow_list"),
    path("knowhow/new/", views.knowhow_edit, name="knowhow_create"),
    path("knowhow/<int:pk>/", views.knowhow_detail, name="knowhow_detail"),
    path("knowhow/<int:pk>/edit/", views.knowhow_edit, name="knowhow_edit"),
    path("knowhow/files/<int:pk>/", views.knowhow_document, name="knowhow_document"),
]
