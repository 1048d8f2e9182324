"""Every page of the app; each part of the journey has its own URLconf."""

from __future__ import annotations

from django.urls import include, path

urlpatterns = [
    path("", include("backbalance.web.common.urls")),
    path("account/", include("backbalance.web.accounts.urls")),
    path("checkup/", include("backbalance.web.checkup.urls")),
    path("routine/", include("backbalance.web.routine.urls")),
    path("journal/", include("backbalance.web.journal.urls")),
    path("therapies/", include("backbalance.web.therapies.urls")),
    path("ledger/", include("backbalance.web.ledger.urls")),
    path("reports/", include("backbalance.web.reports.urls")),
    path("your-data/", include("backbalance.web.ownership.urls")),
]
