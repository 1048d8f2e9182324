from __future__ import annotations

from django.apps import AppConfig


class RoutineConfig(AppConfig):
    name = "backbalance.web.routine"
    label = "routine"
