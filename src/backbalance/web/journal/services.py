"""Writing check-ins and clinician visits, and reading the history back in bounded queries."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import Avg, Count, Max, Min
from django.db.models.functions import TruncDate
from django.utils import timezone

from backbalance.core import api
from backbalance.web.checkup.models import Assessment
from backbalance.web.common.content import content
from backbalance.web.journal.models import CheckIn, ClinicianVisit
from backbalance.web.journal.safety import judge_check_in
from backbalance.web.ledger.models import KINDS, Visit
from backbalance.web.routine.models import Session
from backbalance.web.therapies.models import DeviceSession

User = AbstractBaseUser | AnonymousUser

# How far back the progress page looks: the adherence calendar's ten weeks, and the
# pain chart over the same days so the two line up. A display choice, not a clinical one.
PROGRESS_WEEKS = 10
RECENT_CHECK_INS = 12


class NoScreenYet(Exception):
    """A check-in needs a full safety screen to be compared with."""


def _owner_id(user: User) -> int:
    """The id of a logged-in person (every journal view requires a login)."""
    assert user.pk is not None, "a journal write needs a logged-in person"
    return int(user.pk)


def _lock_person(user: User) -> None:
    """Hold this person's row until the transaction ends.

    Two check-ins sent at once would otherwise both be judged against the same standing
    answers, and the later one could store a set without the other's new sign. (SQLite
    already runs each transaction alone here; this is for PostgreSQL.)
    """
    get_user_model().objects.select_for_update().filter(pk=_owner_id(user)).first()


def record_check_in(user: User, cleaned: Mapping[str, Any], safety: dict[str, str]) -> CheckIn:
    """Judge and store one check-in; the same ``client_token`` sent again is stored once.

    Raises ``api.CaseError`` (``check_in.<question id>`` paths) for a missing or bad
    safety answer, and :class:`NoScreenYet` before the first full screen.
    """
    with transaction.atomic():
        _lock_person(user)
        existing = CheckIn.objects.filter(owner_id=user.pk, client_token=cleaned["client_token"])
        stored = existing.first()
        if stored is not None:
            return stored
        try:
            judged = judge_check_in(user, safety)
        except LookupError as missing:
            raise NoScreenYet from missing
        return CheckIn.objects.create(
            owner_id=_owner_id(user),
            at=timezone.now(),
            pain_now=cleaned["pain_now"],
            region=cleaned.get("region") or "",
            side=cleaned.get("side") or "",
            safety=safety,
            sleep_quality=cleaned.get("sleep_quality"),
            hours_sitting=cleaned.get("hours_sitting"),
            did=list(cleaned.get("did") or []),
            note=cleaned.get("note") or "",
            client_token=cleaned["client_token"],
            standing_answers=dict(judged.answers),
            level=judged.triage.level,
            content_version=content().version,
        )


def last_place(user: User) -> dict[str, str]:
    """Where it hurt at the latest check-in that said so, to offer again: most people
    check in about the same spot, so the body map can stay folded until it changes."""
    latest = (
        CheckIn.objects.filter(owner_id=user.pk).exclude(region="").values("region", "side").first()
    )
    return {"region": latest["region"], "side": latest["side"]} if latest else {}


def signs_standing(answers: Mapping[str, str]) -> list[str]:
    """The check-in questions whose standing answer is not "no" (a "yes" or "not sure"
    from the screen or an earlier check-in), in the order they are asked."""
    return [
        question.id
        for question in api.check_in_questions(content().red_flags)
        if answers.get(question.id, "no") != "no"
    ]


def triage_of(check_in: CheckIn, screen: Assessment | None) -> api.Triage | None:
    """What the answers standing after ``check_in`` say, with what to do; None when they
    were judged by other content (the current standing level is shown instead)."""
    if screen is None or check_in.content_version != content().version:
        return None
    person = api.parse_person(screen.person, content())
    return api.triage(check_in.standing_answers, person, content().red_flags)


def pain_on_the_day_of(check_in: CheckIn, most: int = 24) -> list[int]:
    """The pain of each check-in on the same local day up to this one, oldest first."""
    start = timezone.make_aware(datetime.combine(timezone.localdate(check_in.at), time.min))
    pains = (
        CheckIn.objects.filter(owner_id=check_in.owner_id, at__gte=start, at__lte=check_in.at)
        .order_by("-at")
        .values_list("pain_now", flat=True)[:most]
    )
    return list(reversed(pains))


def record_clinician_visit(user: User, cleaned: Mapping[str, Any]) -> ClinicianVisit:
    with transaction.atomic():
        _lock_person(user)
        return ClinicianVisit.objects.create(
            owner_id=_owner_id(user), seen_on=cleaned["seen_on"], note=cleaned.get("note") or ""
        )


def recent_visits(user: User, count: int = 5) -> list[ClinicianVisit]:
    return list(ClinicianVisit.objects.filter(owner_id=user.pk)[:count])


# --------------------------------------------------------------------------- progress


@dataclass(frozen=True)
class DayPain:
    day: date
    mean: float
    low: int
    high: int
    count: int


@dataclass(frozen=True)
class Progress:
    first_day: date
    last_day: date
    pain_days: list[DayPain]
    sessions_by_day: dict[date, int]
    recent: list[CheckIn]


def progress_for(user: User, today: date | None = None) -> Progress:
    """The last ten weeks in three queries, whatever the length of the history: pain per
    day and sessions per day are summed up by the database, and the recent check-ins are a
    fixed-size slice."""
    last_day = today or timezone.localdate()
    first_day = last_day - timedelta(weeks=PROGRESS_WEEKS) + timedelta(days=1)
    start = timezone.make_aware(datetime.combine(first_day, time.min))
    daily = (
        CheckIn.objects.filter(owner_id=user.pk, at__gte=start)
        .annotate(day=TruncDate("at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(mean=Avg("pain_now"), low=Min("pain_now"), high=Max("pain_now"), n=Count("id"))
        .order_by("day")
    )
    pain_days = [
        DayPain(row["day"], float(row["mean"]), row["low"], row["high"], row["n"])
        for row in daily
        if row["day"] <= last_day
    ]
    sessions = (
        Session.objects.filter(owner_id=user.pk, day__gte=first_day, day__lte=last_day)
        .values("day")
        .annotate(n=Count("id"))
        .order_by()
    )
    recent = list(CheckIn.objects.filter(owner_id=user.pk).order_by("-at")[:RECENT_CHECK_INS])
    return Progress(
        first_day=first_day,
        last_day=last_day,
        pain_days=pain_days,
        sessions_by_day={row["day"]: row["n"] for row in sessions},
        recent=recent,
    )


# --------------------------------------------------------------------------- meaningful change


@dataclass(frozen=True)
class PainJudged:
    """The whole pain diary judged by the core: first week against the latest week."""

    trend: api.PainTrend
    # Where the rolling mean has to reach for a meaningful improvement from the start.
    target: float | None
    days: int


@dataclass(frozen=True)
class InstrumentTrend:
    """One questionnaire's score at each finished check-up, first against latest."""

    instrument: Any
    points: list[tuple[date, float]]
    change: api.MeasureChange | None
    # PSFS: each activity's rating at each check-up, in the order first named.
    activities: list[tuple[str, list[float | None]]]


def _pain_instrument() -> Any:
    return content().instruments[content().outcomes.measures["pain"]]


def daily_pain(user: User, *, after: date | None = None) -> list[api.DailyPain]:
    """The mean pain of each day with a check-in, in one query: the whole history, or
    only the days after ``after``."""
    check_ins = CheckIn.objects.filter(owner_id=user.pk)
    if after is not None:
        first_day = after + timedelta(days=1)
        check_ins = check_ins.filter(
            at__gte=timezone.make_aware(datetime.combine(first_day, time.min))
        )
    rows = (
        check_ins.annotate(day=TruncDate("at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(mean=Avg("pain_now"))
        .order_by("day")
    )
    return [api.DailyPain(row["day"], float(row["mean"])) for row in rows]


def pain_judged(diary: list[api.DailyPain], today: date) -> PainJudged:
    """The core's verdict on the diary since its first day, up to ``today``."""
    outcomes = content().outcomes
    instrument = _pain_instrument()
    trend = api.pain_trend(
        diary,
        instrument,
        outcomes.change_words,
        int(outcomes.pain_window_days.value),
        as_of=today if diary and diary[-1].day <= today else None,
    )
    target = (
        api.meaningful_target(instrument, trend.change.before) if trend.change is not None else None
    )
    return PainJudged(trend=trend, target=target, days=len(diary))


def instrument_trends(user: User) -> list[InstrumentTrend]:
    """Every questionnaire scored at the finished check-ups, in one query.

    The first and the latest score are judged by the core against the instrument's MCID
    (the PSFS also activity by activity); a questionnaire with no MCID is shown unjudged.
    """
    loaded = content()
    rows = (
        Assessment.objects.filter(owner_id=user.pk, completed_at__isnull=False)
        .order_by("completed_at")
        .values_list("completed_at", "questionnaires")
    )
    scored: dict[str, list[tuple[date, Any]]] = {}
    for completed_at, questionnaires in rows:
        try:
            scores = api.score_all(questionnaires or {}, loaded.instruments)
        except api.CaseError:
            continue  # answers the current content no longer reads: left out, not guessed
        for key, score in scores.items():
            if score.value is not None:
                scored.setdefault(key, []).append((timezone.localdate(completed_at), score))
    trends: list[InstrumentTrend] = []
    for key, series in scored.items():
        instrument = loaded.instruments[key]
        first, latest = series[0][1], series[-1][1]
        change: api.MeasureChange | None = None
        if len(series) > 1 and instrument.mcid is not None:
            if instrument.mcid.per_item_points is not None:
                change = api.judge_items(instrument, first, latest, loaded.outcomes.change_words)
            else:
                change = api.judge_change(
                    instrument, first.value, latest.value, loaded.outcomes.change_words
                )
        names: list[str] = []
        for _, score in series:
            names.extend(name for name in score.items if name not in names)
        activities = (
            [(name, [score.items.get(name) for _, score in series]) for name in names]
            if instrument.mcid is not None and instrument.mcid.per_item_points is not None
            else []
        )
        trends.append(
            InstrumentTrend(
                instrument=instrument,
                points=[(day, float(score.value)) for day, score in series],
                change=change,
                activities=activities,
            )
        )
    return trends


# --------------------------------------------------------------------------- what helps


@dataclass(frozen=True)
class HabitRow:
    kind: str  # "exercise" | "device" | "appointment"
    name: str
    comparison: api.HabitComparison


def what_helps(user: User) -> list[HabitRow]:
    """Each exercise done in a session and each device used, compared by the core.

    Five queries whatever the history: the latest check-in, the daily pain of the recent
    stretch the core reads, the session days with their items, the device days, the
    appointment days. The comparison, its interval and its words are the core's
    (``api.what_helps``, worded by the content), which shows what went together and never
    claims a cause. Appointments are grouped by the kind of therapy. Habits are listed
    from the whole history, so one given up long ago still shows, with too few recent days.
    """
    loaded = content()
    latest = CheckIn.objects.filter(owner_id=user.pk).aggregate(latest=Max("at"))["latest"]
    diary = (
        daily_pain(
            user,
            after=api.recent_since(timezone.localdate(latest), loaded.outcomes.what_helps),
        )
        if latest is not None
        else []
    )
    exercise_days: dict[str, set[date]] = {}
    sessions = Session.objects.filter(owner_id=user.pk).order_by().values_list("day", "items")
    # Read row by row: holding every session's items at once would leave thousands of
    # objects for the garbage collector to walk through.
    for day, items in sessions.iterator():
        for item in items or []:
            if isinstance(item, dict) and item.get("done") and item.get("exercise"):
                exercise_days.setdefault(str(item["exercise"]), set()).add(day)
    device_days: dict[str, set[date]] = {}
    devices = (
        DeviceSession.objects.filter(owner_id=user.pk)
        .annotate(day=TruncDate("at", tzinfo=timezone.get_current_timezone()))
        .values_list("device", "day")
        # Without the model's ordering by time, which would add the time to each row and
        # so make every row distinct.
        .order_by()
        .distinct()
    )
    for device, day in devices:
        device_days.setdefault(device, set()).add(day)
    appointment_days: dict[str, set[date]] = {}
    for kind, day in Visit.objects.filter(owner_id=user.pk).values_list("provider__kind", "date"):
        appointment_days.setdefault(kind, set()).add(day)
    therapy_names = {therapy.id: therapy.name for therapy in loaded.adjuncts.therapies}
    kind_names = dict(KINDS)
    habits: list[tuple[str, str, set[date]]] = [
        ("exercise", loaded.exercises[e].name, exercise_days[e])
        for e in loaded.exercises
        if e in exercise_days
    ]
    habits += [
        ("device", therapy_names.get(device, device), days)
        for device, days in sorted(device_days.items())
    ]
    habits += [
        ("appointment", str(kind_names.get(kind, kind)), days)
        for kind, days in sorted(appointment_days.items())
    ]
    # One call: the core takes the person's trend out of the diary once for all habits.
    compared = api.what_helps(
        {name: days for _, name, days in habits}, diary, loaded.outcomes.what_helps
    )
    return [
        HabitRow(kind, name, comparison)
        for (kind, name, _), comparison in zip(habits, compared, strict=True)
    ]
