"""The network home, meetings, action items, materials and invitations under /network/
(see networks/urls.py)."""

from django.urls import path

from . import views, views_meetings

urlpatterns = [
    path("", views.index, name="index"),
    path("meetings/", views_meetings.meeting_list, name="meeting_list"),
    path("meetings/<int:pk>/", views_meetings.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/rsvp/<slug:ward_code>/", views_meetings.rsvp, name="meeting_rsvp"),
    path("actions/", views_meetings.action_item_list, name="action_item_list"),
    path("actions/<int:pk>/", views_meetings.action_item_detail, name="action_item_detail"),
    path("materials/<int:pk>/", views_meetings.material_download, name="meeting_material"),
    path("invitations/", views_meetings.invitation_create, name="invitation_create"),
    path(
        "invitations/<int:pk>/resend/",
        views_meetings.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "invitations/accept/<str:token>/",
        views_meetings.invitation_accept,
        name="invitation_accept",
    ),
]
