"""The clinician report and the reminder calendar: gathered from the other apps and the core.

Nothing is judged here. The safety level is the journal's (``current_safety``), the
findings and their evidence the check-up's result, the routine the routine app's (built
through the core exactly as its Today page shows it), the device verdicts the therapies
app's, and the pain trend and its meaningful-change marks the core's (``api.pain_trend``,
``api.change_kind``, with the MCID of the pain questionnaire in the content). This module
reads the history in a fixed number of queries, whatever its length.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from backbalance.core import api
from backbalance.web.checkup.forms import SEX_LABELS, WORK
from backbalance.web.checkup.models import Assessment
from backbalance.web.checkup.results import results_context
from backbalance.web.checkup.services import result_for
from backbalance.web.common.content import content
from backbalance.web.journal.models import CheckIn
from backbalance.web.journal.safety import SafetyState, current_safety
from backbalance.web.reports import charts, ledger_hook
from backbalance.web.reports.models import CalendarFeed
from backbalance.web.routine import services as routine_services
from backbalance.web.routine.models import RoutinePlan, Session
from backbalance.web.routine.present import ItemView, item_views, week_view
from backbalance.web.therapies import services as therapies_services
from backbalance.web.therapies.models import DeviceSession

User = AbstractBaseUser | AnonymousUser

# The sections a person may leave out. The safety level is not among them: a clinician
# always sees it first.
SECTIONS: tuple[str, ...] = (
    "findings",
    "body_map",
    "imbalances",
    "routine",
    "adherence",
    "trends",
    "devices",
    "ledger",
)
# Device sessions listed at most (the newest in the range); the totals count them all.
SHOWN_DEVICE_SESSIONS = 40
# The steps at which a pain level is tried against the core's meaningful-change rule to
# draw its lines (one decimal, as the report prints the means).
LEVEL_STEP = Decimal("0.1")


# --------------------------------------------------------------------------- the routine


def current_routine(user: User, safety: SafetyState) -> routine_services.Today | None:
    """The routine as routine:today shows it, or None when there is none to show.

    Only a plan the person has already started is read (this never makes a new one), and
    only while the standing safety level allows a routine at all; under an urgent level
    the core gives the gentle routine, as the Today page does.
    """
    if not safety.routine_allowed:
        return None
    assessment = routine_services.latest_checkup(user)
    if assessment is None:
        return None
    started = RoutinePlan.objects.filter(
        owner_id=user.pk, active=True, assessment_id=assessment.pk
    ).exists()
    if not started:
        return None
    try:
        today = routine_services.today_for(user, safety, assessment)
    except (routine_services.NoRoutine, api.CaseError):
        return None
    return today if today.routine is not None else None


# --------------------------------------------------------------------------- the report


@dataclass(frozen=True)
class PainTrend:
    chart: charts.TrendChart | None
    days: int
    change: api.MeasureChange | None
    window_days: int
    instrument_name: str
    mcid_words: str
    improve_at: float | None
    worse_at: float | None


@dataclass(frozen=True)
class Adherence:
    chart: charts.WeekBars
    weeks: list[tuple[date, int, int]]
    session_days: int
    sessions: int
    planned_per_week: int | None


@dataclass(frozen=True)
class DeviceSummary:
    name: str
    standing: Any
    total: int
    tolerated: int


@dataclass(frozen=True)
class Report:
    first_day: date
    last_day: date
    made_on: date
    sections: frozenset[str]
    safety: SafetyState
    person: dict[str, Any]
    checkup: Assessment | None
    results: dict[str, Any] | None
    routine: Any | None
    routine_items: list[ItemView] = field(default_factory=list)
    routine_week: list[Any] = field(default_factory=list)
    adherence: Adherence | None = None
    trend: PainTrend | None = None
    devices: list[DeviceSummary] = field(default_factory=list)
    device_sessions: list[DeviceSession] = field(default_factory=list)
    device_sessions_total: int = 0
    ledger: list[ledger_hook.LedgerVisit] | None = None

    @property
    def retest_on(self) -> date | None:
        """The routine's re-test date (the core gives it as an ISO string)."""
        found = getattr(self.routine, "retest_date", None)
        return date.fromisoformat(found) if found else None

    @property
    def shows(self) -> dict[str, bool]:
        """For the template: ``report.shows.routine`` and so on."""
        return {section: section in self.sections for section in SECTIONS}


def _bounds(first: date, last: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(first, time.min))
    end = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min))
    return start, end


def _person(safety: SafetyState, checkup: Assessment | None) -> dict[str, Any]:
    source = safety.screen or checkup
    raw = dict(source.person) if source is not None else {}
    sex = raw.get("sex")
    work = dict(WORK).get(checkup.work) if checkup is not None and checkup.work else None
    sitting = checkup.sitting_hours if checkup is not None else None
    return {
        "age": raw.get("age"),
        "sex": SEX_LABELS.get(sex, sex) if sex else None,
        "work": work,
        "sitting_hours": sitting,
    }


def build_report(
    user: User,
    safety: SafetyState,
    first: date,
    last: date,
    sections: Sequence[str],
    *,
    today: date | None = None,
) -> Report:
    """Everything the report shows for ``first`` to ``last``, in a bounded number of queries."""
    chosen = frozenset(s for s in sections if s in SECTIONS)
    checkup = routine_services.latest_checkup(user)
    results: dict[str, Any] | None = None
    if checkup is not None and chosen & {"findings", "body_map", "imbalances", "devices"}:
        try:
            results = results_context(checkup, result_for(checkup), safety)
        except api.CaseError:
            results = None
        else:
            results["sources"] = _number_sources(results["finding_groups"])
    routine_today = (
        current_routine(user, safety) if chosen & {"routine", "adherence", "trends"} else None
    )
    routine = routine_today.routine if routine_today is not None else None
    report = Report(
        first_day=first,
        last_day=last,
        made_on=today or timezone.localdate(),
        sections=chosen,
        safety=safety,
        person=_person(safety, checkup),
        checkup=checkup,
        results=results,
        routine=routine,
    )
    extra: dict[str, Any] = {}
    if "routine" in chosen and routine_today is not None and routine is not None:
        extra["routine_items"] = item_views(routine, content())
        extra["routine_week"] = week_view(
            routine, content(), routine_today.day_index, routine_today.done_this_week
        )
    if "adherence" in chosen:
        extra["adherence"] = adherence_for(user, first, last, routine)
    if "trends" in chosen:
        extra["trend"] = pain_trend_for(user, first, last)
    if "devices" in chosen:
        extra.update(_devices(user, safety, first, last))
    if "ledger" in chosen:
        extra["ledger"] = ledger_hook.visits_between(user, first, last)
    return Report(**{**report.__dict__, **extra})


def _number_sources(finding_groups: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Number each source the findings cite, in order of first use, so a table row can
    say [2] and the list under the table gives each one once."""
    numbered: dict[str, dict[str, Any]] = {}
    for group in finding_groups:
        for row in group["rows"]:
            for evidence in row["evidence"]:
                for source in evidence["sources"]:
                    listed = numbered.setdefault(
                        source["id"], {**source, "number": len(numbered) + 1}
                    )
                    source["number"] = listed["number"]
    return list(numbered.values())


def adherence_for(user: User, first: date, last: date, routine: Any | None) -> Adherence:
    """Routine sessions per week (weeks start on ``first``), in one query."""
    per_day = dict(
        Session.objects.filter(owner_id=user.pk, day__gte=first, day__lte=last)
        .values("day")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("day", "n")
    )
    weeks: list[tuple[date, int, int]] = []
    start = first
    while start <= last:
        days = [start + timedelta(days=n) for n in range(7) if start + timedelta(days=n) <= last]
        weeks.append(
            (start, sum(1 for d in days if per_day.get(d)), sum(per_day.get(d, 0) for d in days))
        )
        start += timedelta(days=7)
    planned = sum(1 for day in routine.schedule if day) if routine is not None else None
    return Adherence(
        chart=charts.week_bars(weeks, planned),
        weeks=weeks,
        session_days=sum(1 for n in per_day.values() if n),
        sessions=sum(per_day.values()),
        planned_per_week=planned,
    )


def _pain_instrument() -> Any:
    loaded = content()
    return loaded.instruments[loaded.outcomes.measures["pain"]]


def meaningful_levels(instrument: Any, baseline: float) -> tuple[float | None, float | None]:
    """The pain levels at which the core first calls a week meaningfully better or worse
    than ``baseline``: each level of the scale, a tenth apart, is put to ``api.change_kind``
    (so the lines follow the core's own rule, both parts of it and its rounding)."""
    low, high = (Decimal(str(v)) for v in instrument.score_range)
    levels = []
    value = low
    while value <= high:
        levels.append(float(value))
        value += LEVEL_STEP
    better = [
        v for v in levels if api.change_kind(instrument, baseline, v) == "improved_meaningfully"
    ]
    worse = [v for v in levels if api.change_kind(instrument, baseline, v) == "worse_meaningfully"]
    lower_is_better = instrument.better == "lower"
    improve_at = (max(better) if lower_is_better else min(better)) if better else None
    worse_at = (min(worse) if lower_is_better else max(worse)) if worse else None
    return improve_at, worse_at


def _mcid_words(instrument: Any) -> str:
    mcid = instrument.mcid
    if mcid is None:
        return ""
    parts = []
    if mcid.points is not None:
        parts.append(_("%(points)s points") % {"points": f"{mcid.points.value:g}"})
    if mcid.percent is not None:
        parts.append(_("%(percent)s %% of the first week") % {"percent": f"{mcid.percent.value:g}"})
    return _(" or ").join(parts)


def pain_trend_for(user: User, first: date, last: date) -> PainTrend:
    """Pain each day and its weekly mean, judged against the pain questionnaire's MCID.

    One query: the database averages each day's check-ins. The core smooths the days into
    the weekly (rolling) mean and judges the latest week against the first one.
    """
    start, end = _bounds(first, last)
    rows = (
        CheckIn.objects.filter(owner_id=user.pk, at__gte=start, at__lt=end)
        .annotate(day=TruncDate("at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(mean=Avg("pain_now"))
        .order_by("day")
        .values_list("day", "mean")
    )
    daily = [(day, float(mean)) for day, mean in rows if first <= day <= last]
    instrument = _pain_instrument()
    rules = content().outcomes
    window = int(rules.pain_window_days.value)
    diary = [api.DailyPain(day, mean) for day, mean in daily]
    trend = api.pain_trend(diary, instrument, rules.change_words, window)
    low, high = instrument.score_range
    improve_at = worse_at = None
    levels: list[tuple[float, str]] = []
    weekly: list[tuple[date, float, str]] = []
    if trend.change is not None:
        baseline = trend.change.before
        improve_at, worse_at = meaningful_levels(instrument, baseline)
        levels.append((baseline, "first_week"))
        if improve_at is not None:
            levels.append((improve_at, "improved_meaningfully"))
        if worse_at is not None:
            levels.append((worse_at, "worse_meaningfully"))
        weekly = [
            (r.day, r.pain, api.change_kind(instrument, baseline, r.pain)) for r in trend.rolling
        ]
    else:
        weekly = [(r.day, r.pain, "") for r in trend.rolling]
    chart = charts.trend_chart(daily, weekly, levels, first, last, low, high) if daily else None
    return PainTrend(
        chart=chart,
        days=len(daily),
        change=trend.change,
        window_days=window,
        instrument_name=instrument.name,
        mcid_words=_mcid_words(instrument),
        improve_at=improve_at,
        worse_at=worse_at,
    )


def _devices(user: User, safety: SafetyState, first: date, last: date) -> dict[str, Any]:
    """Each device's standing verdict, and the sessions logged in the range (two queries)."""
    start, end = _bounds(first, last)
    logged = DeviceSession.objects.filter(owner_id=user.pk, at__gte=start, at__lt=end)
    counts = {
        row["device"]: row
        for row in logged.values("device")
        .annotate(n=Count("id"), ok=Count("id", filter=Q(tolerated=True)))
        .order_by()
    }
    standings = therapies_services.standings(user, safety)
    summaries = [
        DeviceSummary(
            name=standing.therapy.name,
            standing=standing,
            total=counts.get(device, {}).get("n", 0),
            tolerated=counts.get(device, {}).get("ok", 0),
        )
        for device, standing in standings.items()
    ]
    names = {device: standing.therapy.name for device, standing in standings.items()}
    shown = list(logged.order_by("-at")[:SHOWN_DEVICE_SESSIONS])
    for session in shown:
        session.device_name = names.get(session.device, session.device)  # type: ignore[attr-defined]
    return {
        "devices": summaries,
        "device_sessions": shown,
        "device_sessions_total": sum(row["n"] for row in counts.values()),
    }


# --------------------------------------------------------------------------- the PDF


def report_pdf(html: str, base_url: str) -> bytes:
    """The report page's HTML as a PDF.

    WeasyPrint draws an inline SVG on its own, without the page's style sheets, so the
    body map's colours (CSS classes on screen) are given to each drawing as a style sheet
    of its own here; the charts use presentation attributes and need nothing.
    """
    from weasyprint import CSS, HTML

    from backbalance.web.reports.pdf import stylesheet_paths, with_svg_styles

    out = io.BytesIO()
    HTML(string=with_svg_styles(html), base_url=base_url).write_pdf(
        out, stylesheets=[CSS(filename=str(path)) for path in stylesheet_paths()]
    )
    return out.getvalue()


# --------------------------------------------------------------------------- the calendar


def live_feed(user: User) -> CalendarFeed | None:
    return (
        CalendarFeed.objects.filter(owner_id=user.pk, revoked_at__isnull=True)
        .order_by("-created_at")
        .first()
    )


def new_feed(user: User, routine_time: time | None = None) -> CalendarFeed:
    """A new secret link; any link the person had stops working at once."""
    assert user.pk is not None
    with transaction.atomic():
        old = live_feed(user)
        keep_time = routine_time or (old.routine_time if old is not None else None)
        revoke_feeds(user)
        feed = CalendarFeed(owner_id=user.pk)
        if keep_time is not None:
            feed.routine_time = keep_time
        feed.save()
        return feed


def revoke_feeds(user: User) -> int:
    with transaction.atomic():
        return CalendarFeed.objects.filter(owner_id=user.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )


def set_routine_time(feed: CalendarFeed, at: time) -> None:
    with transaction.atomic():
        feed.routine_time = at
        feed.save(update_fields=["routine_time"])


def feed_for_token(token: str) -> CalendarFeed | None:
    """The live link with this token whose owner may still log in; None otherwise."""
    if not token or len(token) > 64:
        return None
    return (
        CalendarFeed.objects.filter(token=token, revoked_at__isnull=True, owner__is_active=True)
        .select_related("owner")
        .first()
    )


@dataclass(frozen=True)
class Reminder:
    """One event of the calendar, as the calendar page lists it too."""

    uid: str
    summary: str
    description: str
    start: date | datetime
    minutes: int | None = None
    # "DAILY" or "WEEKLY" for the routine; None for a one-off.
    repeats: str | None = None
    # When a timed one-off ends, if known (a booked appointment with its length).
    end: datetime | None = None

    @property
    def timed(self) -> bool:
        """Whether it starts at a time of day (else it is a whole day)."""
        return isinstance(self.start, datetime)


def reminders(user: User, routine_time: time) -> list[Reminder]:
    """The routine's days at the chosen time, the re-test date and booked appointments.

    The routine is left out entirely while the standing safety level does not allow one
    (an emergency, or no safety screen yet): a reminder must never invite a locked routine.
    """
    safety = current_safety(user)
    found: list[Reminder] = []
    routine_today = current_routine(user, safety)
    if routine_today is not None and routine_today.routine is not None:
        found.extend(_routine_reminders(routine_today, routine_time))
    found.extend(_appointment_reminders(user))
    return found


def _appointment_reminders(user: User) -> list[Reminder]:
    """Each booked appointment on its day, at its time when one is given (else all day),
    ending after its length when that is known too.

    Only who and when: the calendar lives outside the app, so no pain, money or notes.
    A cancelled booking is left out; a visit already noted is in the past, not a reminder.
    """
    zone = timezone.get_current_timezone()
    found = []
    for booking in ledger_hook.bookings_for_calendar(user):
        start: date | datetime = booking.day
        end: datetime | None = None
        if booking.at is not None:
            start = datetime.combine(
                booking.day, booking.at, tzinfo=zone if isinstance(zone, ZoneInfo) else None
            )
            if booking.minutes:
                end = start + timedelta(minutes=booking.minutes)
        found.append(
            Reminder(
                uid=f"booking-{booking.id}@backbalance",
                summary=_("Appointment: %(provider)s (%(kind)s)")
                % {"provider": booking.provider, "kind": booking.kind},
                description=_("Once it has happened, note how it went in the ledger."),
                start=start,
                end=end,
            )
        )
    return found


def _routine_reminders(today: routine_services.Today, at: time) -> list[Reminder]:
    routine = today.routine
    assert routine is not None
    zone = timezone.get_current_timezone()
    week_start = timezone.localdate() - timedelta(days=today.day_index)
    names = {item: content().exercises[item].name for day in routine.schedule for item in day}
    planned = [n for n, items in enumerate(routine.schedule) if items]
    plan_id = today.plan.pk
    found: list[Reminder] = []

    def start_on(day: date) -> datetime:
        return datetime.combine(day, at, tzinfo=zone if isinstance(zone, ZoneInfo) else None)

    if len(planned) == len(routine.schedule):
        # Every day has items: one daily reminder, as long as the longest day.
        longest = max(routine.minutes_by_day)
        found.append(
            Reminder(
                uid=f"routine-{plan_id}@backbalance",
                summary=_("Back routine (%(minutes)s min)") % {"minutes": max(1, round(longest))},
                description=_("Today's items are on the Routine page."),
                start=start_on(timezone.localdate()),
                minutes=max(1, round(longest)),
                repeats="DAILY",
            )
        )
    else:
        for n in planned:
            minutes = routine.minutes_by_day[n]
            found.append(
                Reminder(
                    uid=f"routine-{plan_id}-day{n + 1}@backbalance",
                    summary=_("Back routine (%(minutes)s min)")
                    % {"minutes": max(1, round(minutes))},
                    description=", ".join(names[item] for item in routine.schedule[n]),
                    start=start_on(week_start + timedelta(days=n)),
                    minutes=max(1, round(minutes)),
                    repeats="WEEKLY",
                )
            )
    if routine.retest_date:
        found.append(
            Reminder(
                uid=f"retest-{plan_id}@backbalance",
                summary=_("Redo the self-tests"),
                description=routine.expect_change,
                start=date.fromisoformat(routine.retest_date),
            )
        )
    return found


def calendar_bytes(user: User, routine_time: time) -> bytes:
    """The reminders as an iCalendar file."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//backbalance//reminders//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("backbalance reminders"))
    stamp = timezone.now()
    for reminder in reminders(user, routine_time):
        event = icalendar.Event()
        event.add("uid", reminder.uid)
        event.add("dtstamp", stamp)
        event.add("summary", reminder.summary)
        if reminder.description:
            event.add("description", reminder.description)
        event.add("dtstart", reminder.start)
        if reminder.end is not None:
            event.add("dtend", reminder.end)
        if reminder.minutes is not None:
            event.add("duration", timedelta(minutes=reminder.minutes))
        if reminder.repeats is not None:
            event.add("rrule", {"freq": reminder.repeats})
        calendar.add_component(event)
    calendar.add_missing_timezones()
    ical: bytes = calendar.to_ical()
    return ical
