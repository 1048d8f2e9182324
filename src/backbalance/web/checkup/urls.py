from __future__ import annotations

from django.urls import path

from backbalance.web.checkup import views

app_name = "checkup"
urlpatterns = [
    path("", views.start, name="start"),
]
