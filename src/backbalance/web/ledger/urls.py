from __future__ import annotations

from django.urls import path

from backbalance.web.ledger import views

app_name = "ledger"
urlpatterns = [
    path("", views.index, name="index"),
    path("therapists/new/", views.add_provider, name="add_provider"),
    path("therapists/<uuid:pk>/", views.provider, name="provider"),
    path("therapists/<uuid:pk>/edit/", views.edit_provider, name="edit_provider"),
    path("therapists/<uuid:pk>/delete/", views.delete_provider, name="delete_provider"),
    path("therapists/<uuid:pk>/brief/", views.brief, name="brief"),
    path("therapists/<uuid:pk>/visits/new/", views.add_visit, name="add_visit"),
    path("visits/<uuid:pk>/edit/", views.edit_visit, name="edit_visit"),
    path("visits/<uuid:pk>/delete/", views.delete_visit, name="delete_visit"),
    path("therapists/<uuid:pk>/bookings/new/", views.add_booking, name="add_booking"),
    path("bookings/<uuid:pk>/edit/", views.edit_booking, name="edit_booking"),
    path("bookings/<uuid:pk>/complete/", views.complete_booking, name="complete_booking"),
    path("bookings/<uuid:pk>/cancel/", views.cancel_booking, name="cancel_booking"),
    path("bookings/<uuid:pk>/delete/", views.delete_booking, name="delete_booking"),
]
