"""What every page needs: the standing safety level, for the banner and the menu."""

from __future__ import annotations

from django.http import HttpRequest

from backbalance.web.journal.safety import current_safety


def journey(request: HttpRequest) -> dict[str, object]:
    if not request.user.is_authenticated:
        return {}
    # Computed once per request and shared with the view through the request.
    return {"safety": safety_for(request)}


def safety_for(request: HttpRequest) -> object:
    cached = getattr(request, "_backbalance_safety", None)
    if cached is None:
        cached = current_safety(request.user)
        request._backbalance_safety = cached  # type: ignore[attr-defined]
    return cached
