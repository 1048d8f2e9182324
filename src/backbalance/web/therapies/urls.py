from __future__ import annotations

from django.urls import path

from backbalance.web.therapies import views

app_name = "therapies"
urlpatterns = [
    path("", views.index, name="index"),
    path("sessions/<uuid:pk>/delete/", views.delete_session, name="delete_session"),
    path("<slug:device>/", views.device, name="device"),
    path("<slug:device>/stage/", views.move_stage, name="move_stage"),
]
