from __future__ import annotations

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "backbalance.web.reports"
    label = "reports"
