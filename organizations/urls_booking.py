from django.urls import path

from . import views_booking

urlpatterns = [
    path("spaces/", views_booking.space_index, name="spaces"),
    path("spaces/my-bookings/", views_booking.my_bookings, name="my_bookings"),
    path("spaces/cancel/<str:token>/", views_booking.booking_cancel_view, name="booking_cancel"),
    path("spaces/<slug:slug>/", views_booking.space_detail, name="space_detail"),
    path("spaces/<slug:slug>/book/", views_booking.booking_request, name="booking_request"),
]
