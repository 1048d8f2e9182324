from __future__ import annotations

from django.urls import path

from backbalance.web.routine import views

app_name = "routine"
urlpatterns = [
    path("", views.today, name="today"),
]
