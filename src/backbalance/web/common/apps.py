from __future__ import annotations

from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "backbalance.web.common"
    label = "common"
