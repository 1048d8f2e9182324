from __future__ import annotations

from django.urls import path

from backbalance.web.journal import views

app_name = "journal"
urlpatterns = [
    path("check-in/", views.check_in, name="check_in"),
    path("check-in/<uuid:pk>/", views.check_in_done, name="check_in_done"),
    path("progress/", views.progress, name="progress"),
    path("what-helps/", views.what_helps, name="what_helps"),
    path("clinician-seen/", views.clinician_seen, name="clinician_seen"),
]
