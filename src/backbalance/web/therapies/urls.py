from __future__ import annotations

from django.urls import path

from backbalance.web.therapies import views

app_name = "therapies"
urlpatterns = [
    path("", views.index, name="index"),
]
