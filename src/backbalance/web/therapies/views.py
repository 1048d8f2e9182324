"""The devices: each one's verdict, its protocol stage, the session log and stage moves.

Every view asks ``services`` whether the device is open before it shows a form or stores
anything; the services check again inside the write, so no request can get past the gate.
"""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from backbalance.figures import render_pose
from backbalance.web.common.access import owned_or_404
from backbalance.web.common.content import content
from backbalance.web.common.context import safety_for
from backbalance.web.journal.safety import SafetyState
from backbalance.web.therapies import services
from backbalance.web.therapies.forms import MoveForm, SessionForm
from backbalance.web.therapies.models import DeviceSession


def _person(request: HttpRequest) -> AbstractBaseUser:
    """The logged-in person (every view here is behind ``login_required``)."""
    assert isinstance(request.user, AbstractBaseUser)
    return request.user


def _safety(request: HttpRequest) -> SafetyState:
    return cast(SafetyState, safety_for(request))


def _device_or_404(device: str) -> str:
    if device not in services.DEVICES:
        raise Http404
    return device


@login_required
@require_http_methods(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    safety = _safety(request)
    standings = services.standings(_person(request), safety)
    devices = [
        {"standing": s, "stage": services.stage_now(_person(request), s.device)}
        for s in standings.values()
    ]
    return render(
        request, "therapies/index.html", {"nav": "therapies", "devices": devices, "safety": safety}
    )


def _device_page(
    request: HttpRequest,
    device: str,
    form: SessionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    safety = _safety(request)
    standing = services.standing(_person(request), safety, device)
    stage = services.stage_now(_person(request), device)
    if form is None and standing.may_log:
        form = SessionForm(list(services.LOGGED_SETTINGS[device]), stage.caps)
    figure = standing.therapy.figure
    context = {
        "nav": "therapies",
        "safety": safety,
        "device": device,
        "standing": standing,
        "stage": stage,
        "protocol": standing.therapy.protocol,
        "form": form if standing.may_log else None,
        "sessions": services.past_sessions(_person(request), device),
        "figure": render_pose(figure) if figure else None,
        "sources": [content().sources[s] for s in standing.therapy.evidence.sources],
    }
    return render(request, "therapies/device.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def device(request: HttpRequest, device: str) -> HttpResponse:
    device = _device_or_404(device)
    if request.method != "POST":
        return _device_page(request, device)
    safety = _safety(request)
    standing = services.standing(_person(request), safety, device)
    if not standing.may_log:
        # Closed: refused before the form is even read (the service checks again).
        messages.error(request, " ".join(standing.blocked_because))
        return _device_page(request, device, status=403)
    stage = services.stage_now(_person(request), device)
    form = SessionForm(list(services.LOGGED_SETTINGS[device]), stage.caps, request.POST)
    if not form.is_valid():
        # Show the stage's limits for the values that did read, all in one round.
        _add_problems(form, services.session_problems(_person(request), device, form.values()))
        return _device_page(request, device, form)
    try:
        services.log_session(_person(request), safety, device, form.values())
    except services.Blocked as blocked:
        messages.error(request, " ".join(blocked.reasons))
        return _device_page(request, device, status=403)
    except ValueError as problems:
        _add_problems(form, problems.args[0])
        return _device_page(request, device, form)
    messages.success(request, _("Session saved."))
    return redirect("therapies:device", device=device)


def _add_problems(form: SessionForm, problems: dict[str, str]) -> None:
    for field, message in problems.items():
        if field and field in form.errors:
            continue  # one problem per field: the form's own comes first
        # Each message names its field, so it reads on its own (a screen reader, a list).
        named = f"{form.fields[field].label}: {message}" if field else message
        form.add_error(field or None, named)


@login_required
@require_POST
def move_stage(request: HttpRequest, device: str) -> HttpResponse:
    device = _device_or_404(device)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to move on or to go back."))
        return redirect("therapies:device", device=device)
    try:
        move = services.move_stage(
            _person(request),
            _safety(request),
            device,
            form.cleaned_data["direction"],
        )
    except services.Blocked as blocked:
        messages.error(request, " ".join(blocked.reasons))
        return _device_page(request, device, status=403)
    except services.NotYet as not_yet:
        messages.error(request, str(not_yet))
        return redirect("therapies:device", device=device)
    messages.success(request, _("You are now at stage %(stage)d.") % {"stage": move.stage})
    return redirect("therapies:device", device=device)


@login_required
def delete_session(request: HttpRequest, pk: str) -> HttpResponse:
    # The owner check comes first, so a stranger gets the same 404 for every method.
    session = owned_or_404(DeviceSession, _person(request), pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    device = session.device
    services.delete_session(session)
    messages.success(request, _("Session removed."))
    return redirect("therapies:device", device=device)
