from __future__ import annotations

from django.urls import path

from backbalance.web.routine import views

app_name = "routine"
urlpatterns = [
    path("", views.today, name="today"),
    path("plan/<uuid:pk>/session/", views.player, name="player"),
    path("plan/<uuid:pk>/flare-up/", views.flare_up, name="flare_up"),
    path("session/<uuid:pk>/morning/", views.morning, name="morning"),
    path("proposal/<uuid:pk>/", views.proposal, name="proposal"),
]
