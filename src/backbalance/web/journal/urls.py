from __future__ import annotations

from django.urls import path

from backbalance.web.journal import views

app_name = "journal"
urlpatterns = [
    path("check-in/", views.check_in, name="check_in"),
    path("progress/", views.progress, name="progress"),
    path("clinician-seen/", views.clinician_seen, name="clinician_seen"),
]
