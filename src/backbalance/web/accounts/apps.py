from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "backbalance.web.accounts"
    label = "accounts"
