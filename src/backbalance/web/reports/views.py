"""The clinician report (page and PDF) and the reminder calendar (its page, file and feed)."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from backbalance.web.common.context import safety_for
from backbalance.web.journal.safety import SafetyState
from backbalance.web.reports import services
from backbalance.web.reports.forms import ReminderTimeForm, ReportForm, default_range
from backbalance.web.reports.models import CalendarFeed

CALENDAR_TYPE = "text/calendar; charset=utf-8"


def _offered_sections() -> tuple[str, ...]:
    return services.SECTIONS


def _choices(request: HttpRequest) -> tuple[ReportForm, tuple[date, date, list[str]] | None]:
    """The form, and the chosen range and sections when they are valid.

    With nothing in the address the report covers the default range with every section.
    """
    offered = _offered_sections()
    if not any(key in request.GET for key in ("start", "end", "sections")):
        first, last = default_range()
        return ReportForm(sections=offered), (first, last, list(offered))
    form = ReportForm(request.GET, sections=offered)
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    return form, (data["start"], data["end"], list(data["sections"]))


def _report_context(request: HttpRequest, chosen: tuple[date, date, list[str]]) -> dict[str, Any]:
    safety = safety_for(request)
    assert isinstance(safety, SafetyState)
    first, last, sections = chosen
    report = services.build_report(request.user, safety, first, last, sections)
    return {"report": report, "user_name": request.user.get_username()}


@login_required
@require_http_methods(["GET"])
def clinician(request: HttpRequest) -> HttpResponse:
    form, chosen = _choices(request)
    context: dict[str, Any] = {"form": form, "nav": "account"}
    if chosen is not None:
        context.update(_report_context(request, chosen))
        query = request.GET.urlencode()
        context["pdf_url"] = reverse("reports:clinician_pdf") + (f"?{query}" if query else "")
    return render(request, "reports/clinician.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET"])
def clinician_pdf(request: HttpRequest) -> HttpResponse:
    form, chosen = _choices(request)
    if chosen is None:
        # The page shows each problem next to its field.
        return render(
            request, "reports/clinician.html", {"form": form, "nav": "account"}, status=400
        )
    html = render_to_string("reports/clinician_pdf.html", _report_context(request, chosen), request)
    pdf = services.report_pdf(html, base_url=request.build_absolute_uri("/"))
    first, last, _sections = chosen
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"backbalance-report-{first.isoformat()}-{last.isoformat()}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _routine_time(feed: CalendarFeed | None) -> time:
    if feed is not None:
        return feed.routine_time
    default = CalendarFeed._meta.get_field("routine_time").default
    assert isinstance(default, time)
    return default


@login_required
@require_http_methods(["GET", "POST"])
def calendar(request: HttpRequest) -> HttpResponse:
    """The private calendar link: make one, change the reminder time, or revoke it."""
    feed = services.live_feed(request.user)
    problem = ""
    posted_time = request.method == "POST" and request.POST.get("action") == "time"
    form = ReminderTimeForm(
        request.POST if posted_time else None, initial={"routine_time": _routine_time(feed)}
    )
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "new":
            services.new_feed(request.user)
            messages.success(
                request, _("Your new private link is ready. Any old link has stopped working.")
            )
            return redirect("reports:calendar")
        if action == "revoke":
            services.revoke_feeds(request.user)
            messages.success(
                request, _("The link has stopped working. No calendar can read it now.")
            )
            return redirect("reports:calendar")
        if action == "time" and form.is_valid():
            if feed is None:
                feed = services.new_feed(request.user, form.cleaned_data["routine_time"])
            else:
                services.set_routine_time(feed, form.cleaned_data["routine_time"])
            messages.success(request, _("Saved: your routine reminder time."))
            return redirect("reports:calendar")
        if action not in {"new", "revoke", "time"}:
            problem = _("Choose one of the buttons on this page.")
    reminders = services.reminders(request.user, feed.routine_time) if feed is not None else []
    feed_url = (
        request.build_absolute_uri(reverse("reports:calendar_feed", args=[feed.token]))
        if feed is not None
        else None
    )
    return render(
        request,
        "reports/calendar.html",
        {
            "feed": feed,
            "feed_url": feed_url,
            "form": form,
            "reminders": reminders,
            "problem": problem,
            "nav": "account",
        },
        status=400 if form.errors or problem else 200,
    )


@login_required
@require_http_methods(["GET"])
def calendar_download(request: HttpRequest) -> HttpResponse:
    at = _routine_time(services.live_feed(request.user))
    response = HttpResponse(services.calendar_bytes(request.user, at), content_type=CALENDAR_TYPE)
    response["Content-Disposition"] = 'attachment; filename="backbalance-reminders.ics"'
    return response


@require_http_methods(["GET", "HEAD"])
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed a calendar app subscribes to. No login (a calendar app cannot log in):
    the secret token is the key, and a wrong or revoked one gets the same 404."""
    feed = services.feed_for_token(token)
    if feed is None:
        raise Http404
    body = services.calendar_bytes(feed.owner, feed.routine_time)
    response = HttpResponse(body, content_type=CALENDAR_TYPE)
    # The address is the secret: keep it out of shared caches and other sites' logs.
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
