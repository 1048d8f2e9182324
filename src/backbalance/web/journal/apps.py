from __future__ import annotations

from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "backbalance.web.journal"
    label = "journal"
