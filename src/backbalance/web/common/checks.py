"""Start-up checks: a licensed wording file that cannot be used is named before serving."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, register

from backbalance.web.common.content import licensed_questionnaires


@register()
def licensed_wording_files(app_configs: Any, **kwargs: Any) -> list[Error]:
    try:
        licensed_questionnaires()
    except ValueError as problem:
        return [
            Error(
                str(problem),
                hint="Fix the file or leave it out of BACKBALANCE_LICENSED_WORDING.",
                id="backbalance.E001",
            )
        ]
    return []
