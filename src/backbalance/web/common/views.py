"""The home page ("Today") and the safety page every banner links to."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from backbalance.web.common.context import safety_for
from backbalance.web.common.dashboard import today_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "common/home.html",
        {"nav": "home", "safety": safety_for(request), "today": today_for(request.user)},
    )


@login_required
def safety(request: HttpRequest) -> HttpResponse:
    """What the standing safety level means, why, and what to do now."""
    return render(request, "common/safety.html", {"safety": safety_for(request)})
