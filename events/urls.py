from django.urls import path

from . import (
    certificate,
    views_applications,
    views_checkin,
    views_public,
    views_registration,
    views_survey,
)

app_name = "events"

urlpatterns = [
    path("", views_public.event_list, name="index"),
    path("calendar/", views_public.event_calendar, name="calendar"),
    path("feed.ics", views_public.feed_ics, name="feed"),
    path("programs/<slug:slug>/feed.ics", views_public.program_feed_ics, name="program_feed"),
    path("<int:pk>/", views_public.event_detail, name="detail"),
    path("<int:pk>/event.ics", views_public.event_ics_view, name="ics"),
    path("<int:pk>/register/", views_registration.register, name="register"),
    path(
        "registration/done/<str:signed>/",
        views_registration.register_done,
        name="register_done",
    ),
    path("<int:pk>/exhibit/", views_applications.exhibit, name="exhibit"),
    path(
        "<int:pk>/exhibit/thanks/",
        views_applications.application_thanks,
        {"kind": "exhibit"},
        name="exhibit_thanks",
    ),
    path("<int:pk>/internship/", views_applications.internship_apply, name="internship_apply"),
    path(
        "<int:pk>/internship/thanks/",
        views_applications.application_thanks,
        {"kind": "internship"},
        name="internship_thanks",
    ),
    path("registration/<str:token>/", views_registration.registrant, name="registrant"),
    path(
        "registration/<str:token>/certificate.pdf",
        certificate.certificate_download,
        name="certificate",
    ),
    path(
        "registration/<str:token>/cancel/",
        views_registration.registrant_cancel,
        name="registrant_cancel",
    ),
    path(
        "registration/<str:token>/leave/",
        views_registration.registrant_leave,
        name="registrant_leave",
    ),
    path(
        "registration/<str:token>/event.ics",
        views_registration.registrant_ics,
        name="registrant_ics",
    ),
    path("survey/<str:token>/", views_survey.survey, name="survey"),
    path("staff/<int:pk>/survey/", views_survey.survey_results_view, name="survey_results"),
    path("staff/checkin/", views_checkin.checkin_index, name="checkin_index"),
    path("staff/checkin/scan/<str:code>/", views_checkin.checkin_scan, name="checkin_scan"),
    path("staff/<int:pk>/checkin/", views_checkin.checkin_session, name="checkin"),
    path(
        "staff/<int:pk>/checkin/walk-in/",
        views_checkin.checkin_walk_in,
        name="checkin_walk_in",
    ),
    path(
        "staff/<int:pk>/checkin/<int:registration_pk>/",
        views_checkin.checkin_toggle,
        name="checkin_toggle",
    ),
]
