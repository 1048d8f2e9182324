from __future__ import annotations

from django.urls import path

from backbalance.web.reports import views

app_name = "reports"
urlpatterns = [
    path("clinician/", views.clinician, name="clinician"),
    path("clinician/report.pdf", views.clinician_pdf, name="clinician_pdf"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/reminders.ics", views.calendar_download, name="calendar_download"),
    path("calendar/feed/<slug:token>.ics", views.calendar_feed, name="calendar_feed"),
]
