from __future__ import annotations

from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "backbalance.web.common"
    label = "common"

    def ready(self) -> None:
        # Registers the start-up checks.
        from backbalance.web.common import checks  # noqa: F401
