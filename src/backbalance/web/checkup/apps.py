from __future__ import annotations

from django.apps import AppConfig


class CheckupConfig(AppConfig):
    name = "backbalance.web.checkup"
    label = "checkup"
