"""Today's routine, the session player, the next-morning answer, proposals and flare-ups.

Every view asks the standing safety level first (:func:`_open_routine`): no screen yet
sends the person to the check-up, an emergency locks the routine (posting straight to a
URL included), urgent keeps to the gentle items the core gives for an urgent screen.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from backbalance.web.common.access import owned_or_404
from backbalance.web.common.content import content
from backbalance.web.common.context import safety_for
from backbalance.web.journal.safety import SafetyState
from backbalance.web.routine import services
from backbalance.web.routine.forms import MorningForm, ProposalForm, SessionForm
from backbalance.web.routine.models import PendingProposal, RoutinePlan, Session
from backbalance.web.routine.present import item_views, week_view


@dataclass(frozen=True)
class Open:
    safety: SafetyState
    today: services.Today


def _open_routine(request: HttpRequest) -> Open | HttpResponse:
    """The routine as it stands, or the page the person must see instead."""
    safety: SafetyState = safety_for(request)  # type: ignore[assignment]
    if safety.needs_screen:
        return redirect("checkup:start")
    if safety.emergency:
        return _locked(request, safety)
    assessment = services.latest_checkup(request.user)
    if assessment is None:
        return redirect("checkup:start")
    try:
        today = services.today_for(request.user, safety, assessment)
    except services.NoRoutine:
        messages.info(request, _("Finish the check-up first; your routine is built from it."))
        return redirect("checkup:start")
    if today.routine is None:
        return _locked(request, safety)
    return Open(safety, today)


def _locked(request: HttpRequest, safety: SafetyState) -> HttpResponse:
    """Where to go now, instead of the routine.

    Sent as 403 so the browser's offline keeper holds on to a session it tries to send
    now (static/routine/player.js): it is sent again once the routine opens.
    """
    context = {"nav": "routine", "safety": safety}
    return render(request, "routine/locked.html", context, status=403)


@login_required
@require_http_methods(["GET"])
def today(request: HttpRequest) -> HttpResponse:
    opened = _open_routine(request)
    if isinstance(opened, HttpResponse):
        return opened
    day = opened.today
    assert day.routine is not None
    return render(
        request,
        "routine/today.html",
        {
            "nav": "routine",
            "safety": opened.safety,
            "day": day,
            "routine": day.routine,
            "items": item_views(day.routine, content()),
            "week": week_view(day.routine, content(), day.day_index, day.done_this_week),
            "todays": {i.exercise for i in day.todays_routine().items},
            "left_out": _left_out(day),
            "morning_form": MorningForm(),
            "proposal_form": ProposalForm(),
        },
    )


def _left_out(day: services.Today) -> list[dict[str, Any]]:
    assert day.routine is not None
    exercises = content().exercises
    return [
        {"name": exercises[o.exercise].name, "reason": o.reason, "why": o.why}
        for o in day.routine.left_out
    ]


@login_required
@require_http_methods(["GET", "POST"])
def player(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    plan = owned_or_404(RoutinePlan, request.user, pk)
    opened = _open_routine(request)
    if isinstance(opened, HttpResponse):
        return opened
    if plan.pk != opened.today.plan.pk:
        messages.info(request, _("Your routine has changed; here is the one for today."))
        return redirect("routine:today")
    routine = opened.today.todays_routine()
    if request.method == "POST":
        form = SessionForm(routine, request.POST)
        token = _token(request.POST.get("client_token"))
        if token is not None and services.session_exists(plan, token):
            # A session kept in the browser and sent again: stored once already.
            return redirect("routine:today")
        if form.is_valid():
            services.log_session(
                plan,
                opened.safety,
                form.cleaned_data["client_token"],
                form.item_logs(),
                usual_pain=form.cleaned_data["usual_pain"],
                new_symptoms=form.cleaned_data["new_symptoms"],
                started_at=form.cleaned_data["started_at"],
            )
            messages.success(request, _("Session saved. Well done."))
            return redirect("routine:today")
    else:
        form = SessionForm(
            routine,
            initial={
                "client_token": uuid.uuid4(),
                "usual_pain": services.usual_pain_guess(opened.today),
            },
        )
    return render(
        request,
        "routine/player.html",
        {
            "nav": "routine",
            "safety": opened.safety,
            "plan": plan,
            "routine": routine,
            "form": form,
            "items": item_views(routine, content(), form),
            "scales": content().progression.scales,
        },
    )


def _token(raw: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(raw) if raw else None
    except ValueError:
        return None


# The answer forms below accept only POST; a GET finds the record first (a stranger gets
# the same 404 as for a missing one) and then goes back to today's routine.


@login_required
@require_http_methods(["GET", "POST"])
def morning(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    session = owned_or_404(Session, request.user, pk)
    if request.method != "POST":
        return redirect("routine:today")
    opened = _open_routine(request)
    if isinstance(opened, HttpResponse):
        return opened
    form = MorningForm(request.POST)
    if form.is_valid():
        services.record_morning(
            session, form.cleaned_data["pain_next_morning"], opened.today.plan, opened.safety
        )
        messages.success(request, _("Thank you. That helps judge the next step."))
    else:
        messages.error(request, _("Please choose how your back felt that morning."))
    return redirect("routine:today")


@login_required
@require_http_methods(["GET", "POST"])
def proposal(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    pending = owned_or_404(PendingProposal, request.user, pk)
    if request.method != "POST":
        return redirect("routine:today")
    opened = _open_routine(request)
    if isinstance(opened, HttpResponse):
        return opened
    form = ProposalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose yes or not now."))
        return redirect("routine:today")
    accepted = form.cleaned_data["decision"] == "accept"
    if not services.decide_proposal(pending, accepted):
        messages.info(
            request,
            _("That suggestion was made for an earlier version of the item, so it was set aside."),
        )
    elif accepted:
        messages.success(request, _("Done: your routine has the change."))
    else:
        messages.info(request, _("Fine: the item stays as it is."))
    return redirect("routine:today")


@login_required
@require_http_methods(["GET", "POST"])
def flare_up(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    plan = owned_or_404(RoutinePlan, request.user, pk)
    if request.method != "POST":
        return redirect("routine:today")
    opened = _open_routine(request)
    if isinstance(opened, HttpResponse):
        return opened
    services.start_flare_up(plan)
    messages.info(
        request,
        _(
            "Flare-up mode is on: gentle items only until your pain is back to usual for a "
            "few days."
        ),
    )
    return redirect("routine:today")
