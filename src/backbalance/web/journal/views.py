"""The journal's pages: the check-in, its result, the clinician visit and progress."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from backbalance.core import api
from backbalance.web.common.access import owned_or_404
from backbalance.web.common.bodymap import pain_region_choices, pain_side_choices
from backbalance.web.common.content import content
from backbalance.web.common.context import safety_for
from backbalance.web.journal import charts, services
from backbalance.web.journal.forms import CheckInForm, ClinicianVisitForm
from backbalance.web.journal.models import CheckIn
from backbalance.web.journal.safety import SafetyState


def _safety(request: HttpRequest) -> SafetyState:
    state = safety_for(request)
    assert isinstance(state, SafetyState)
    return state


@login_required
@require_http_methods(["GET", "POST"])
def check_in(request: HttpRequest) -> HttpResponse:
    if _safety(request).needs_screen:
        messages.info(
            request, _("A check-in is compared with your safety questions; answer those first.")
        )
        return redirect("checkup:start")
    standing = services.signs_standing(_safety(request).answers)
    if request.method == "POST":
        form = CheckInForm(request.POST, signs_standing=bool(standing))
    else:
        form = CheckInForm(initial=services.last_place(request.user), signs_standing=bool(standing))
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.record_check_in(request.user, form.cleaned_data, form.safety_answers())
        except api.CaseError as error:
            form.add_core_errors(error)
        except services.NoScreenYet:
            return redirect("checkup:start")
        else:
            return redirect("journal:check_in_done", pk=saved.pk)
    return render(
        request,
        "journal/check_in.html",
        {
            "form": form,
            "first_error": next((form[n].auto_id for n in form.fields if n in form.errors), ""),
            "scale": content().progression.scales.pain,
            "place": _place_words(form),
            "nav": "check_in",
        },
        status=400 if form.errors else 200,
    )


def _place_words(form: CheckInForm) -> tuple[str, str] | None:
    """Where it hurts as chosen so far (offered from last time), region and side in words
    for the folded body map; None when nothing is chosen or a problem needs the map open."""
    if form.errors.get("region") or form.errors.get("side"):
        return None
    region = dict(pain_region_choices()).get(form["region"].value() or "")
    side = dict(pain_side_choices()).get(form["side"].value() or "")
    return (str(region), str(side)) if region and side else None


@login_required
def check_in_done(request: HttpRequest, pk: UUID) -> HttpResponse:
    # The record first: a stranger gets the same 404 whatever the method.
    saved = owned_or_404(CheckIn, request.user, pk)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    state = _safety(request)
    triage = services.triage_of(saved, state.screen) or state.triage
    return render(
        request,
        "journal/check_in_done.html",
        {
            "check_in": saved,
            "triage": triage,
            "region_label": dict(pain_region_choices()).get(saved.region, ""),
            "side_label": dict(pain_side_choices()).get(saved.side, ""),
            "pain_max": content().progression.scales.pain.maximum,
            "today_pain": services.pain_on_the_day_of(saved),
            "nav": "check_in",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def clinician_seen(request: HttpRequest) -> HttpResponse:
    state = _safety(request)
    screened_on = (
        timezone.localdate(state.screen.screened_at)
        if state.screen and state.screen.screened_at
        else None
    )
    form = ClinicianVisitForm(
        request.POST if request.method == "POST" else None, screened_on=screened_on
    )
    if request.method == "POST" and form.is_valid():
        services.record_clinician_visit(request.user, form.cleaned_data)
        messages.success(request, _("Saved: a clinician has seen you."))
        return redirect("journal:clinician_seen")
    return render(
        request,
        "journal/clinician_seen.html",
        {"form": form, "visits": services.recent_visits(request.user), "nav": "progress"},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET"])
def progress(request: HttpRequest) -> HttpResponse:
    data = services.progress_for(request.user)
    scale = content().progression.scales.pain
    pain = services.pain_judged(services.daily_pain(request.user), data.last_day)
    chart = charts.pain_chart(
        data.pain_days,
        data.first_day,
        data.last_day,
        scale.minimum,
        scale.maximum,
        baseline=pain.trend.change.before if pain.trend.change else None,
        target=pain.target,
    )
    return render(
        request,
        "journal/progress.html",
        {
            "data": data,
            "chart": chart,
            "pain": pain,
            "window_days": pain.trend.window_days,
            "instruments": services.instrument_trends(request.user),
            "weeks": charts.adherence_weeks(data.sessions_by_day, data.first_day, data.last_day),
            "session_days": sum(1 for n in data.sessions_by_day.values() if n),
            "nav": "progress",
        },
    )


@login_required
@require_http_methods(["GET"])
def what_helps(request: HttpRequest) -> HttpResponse:
    rows = services.what_helps(request.user)
    judged = [row for row in rows if row.comparison.difference is not None]
    extent = charts.interval_extent(
        [(row.comparison.low or 0.0, row.comparison.high or 0.0) for row in judged]
    )
    items = [
        {
            "row": row,
            "bar": charts.interval_bar(
                row.comparison.difference,
                row.comparison.low or 0.0,
                row.comparison.high or 0.0,
                extent,
            )
            if row.comparison.difference is not None
            else None,
        }
        for row in rows
    ]
    return render(
        request,
        "journal/what_helps.html",
        {
            "items": items,
            "extent": extent,
            "settings": content().outcomes.what_helps,
            "nav": "progress",
        },
    )
