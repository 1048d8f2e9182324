"""The clinical content, loaded once per process (it is read-only)."""

from __future__ import annotations

from functools import cache

from backbalance.core import api


@cache
def content() -> api.Content:
    return api.load_content()
