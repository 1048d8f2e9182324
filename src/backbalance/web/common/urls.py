from __future__ import annotations

from django.urls import path

from backbalance.web.common import views

app_name = "common"
urlpatterns = [
    path("", views.home, name="home"),
    path("safety/", views.safety, name="safety"),
]
