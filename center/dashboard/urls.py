from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("", views.index, name="index"),
    path("report.pdf", views.report_pdf, name="report_pdf"),
    path("report.csv", views.report_csv, name="report_csv"),
]
