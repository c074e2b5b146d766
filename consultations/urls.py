from django.urls import path

from .views import public, sessions, staff, ward

app_name = "consultations"

urlpatterns = [
    path("", public.consultation_form, name="index"),
    path("thanks/<str:signed>/", public.receipt, name="receipt"),
    path("track/<str:token>/", public.track, name="track"),
    path("my/", public.my_cases, name="my"),
    path("sessions/", sessions.session_list, name="sessions"),
    path("sessions/slots/<int:pk>/book/", sessions.slot_book, name="slot_book"),
    path("sessions/booked/<str:signed>/", sessions.booking_done, name="booking_done"),
    path("sessions/cancel/<str:token>/", sessions.booking_cancel, name="booking_cancel"),
    path("staff/attachments/<int:pk>/", staff.attachment_download, name="attachment"),
    path("staff/agenda/", staff.weekly_agenda, name="agenda"),
    path("staff/retention/", staff.retention_preview, name="retention"),
    path("staff/referred/", ward.referred_cases, name="referred"),
    path("staff/referred/<int:pk>/", ward.referred_case, name="referred_case"),
]
