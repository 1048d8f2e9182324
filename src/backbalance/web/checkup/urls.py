from __future__ import annotations

from django.urls import path

from backbalance.web.checkup import results, views

app_name = "checkup"
urlpatterns = [
    path("", views.start, name="start"),
    path("<uuid:pk>/results/", results.results_page, name="results"),
]
