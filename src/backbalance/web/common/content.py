"""The clinical content, loaded once per process (it is read-only)."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.conf import settings

from backbalance.core import api


@cache
def content() -> api.Content:
    return api.load_content()


def licensed_questionnaires() -> tuple[Any, ...]:
    """The licensed questionnaires whose wording a licence holder's file supplies.

    Read from ``settings.LICENSED_WORDING_FILES`` (``BACKBALANCE_LICENSED_WORDING``); a
    file that cannot be used stops the app at start with every problem named (see
    :mod:`backbalance.web.common.checks`).
    """
    return _licensed(tuple(settings.LICENSED_WORDING_FILES))


@cache
def _licensed(paths: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(api.load_licensed_wording(path, content().instruments) for path in paths)
