"""Ledger services: the only place the ledger views reach the core.

A course of care is never stored as a verdict. Each page builds the core's course from the
stored visits and the person's own records, and asks ``api.judge_course`` for the verdict:

* the pain diary: the daily mean of the check-ins' pain ratings;
* the PSFS: from each finished check-up's questionnaires, dated by when it was finished;
* warning signs: each check-in whose standing level was urgent or emergency, since a
  clinician visit was last recorded (that record is what clears them elsewhere too).

Booked appointments (:class:`~backbalance.web.ledger.models.Booking`) are shown beside the
course but never passed to the core: only visits that happened are judged, added up and
counted towards a checkpoint.

Every page reads a fixed number of queries, however long the history (see
:func:`person_record`, :func:`ledgers_for`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import Avg
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from backbalance.core import api
from backbalance.web.checkup.models import Assessment
from backbalance.web.common.content import content
from backbalance.web.journal.models import CheckIn, ClinicianVisit
from backbalance.web.ledger.models import CHECKLIST, Booking, Provider, Visit

User = AbstractBaseUser | AnonymousUser

# The standing levels of a check-in that count as a warning sign for the ledger.
FLAGGED_LEVELS = ("emergency", "urgent")
# Longest text the core accepts for a warning sign's description.
_MAX_WHAT = 200


class VisitProblems(Exception):
    """The core refused a visit: field name (or "" for the whole visit) -> its message."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(problems)
        self.problems = problems


# --------------------------------------------------------------------------- the person's records


@dataclass(frozen=True)
class PersonRecord:
    """What the person logged outside the ledger, in the core's course format."""

    pain_diary: list[dict[str, Any]]
    psfs: list[dict[str, Any]]
    red_flags: list[dict[str, Any]]


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _diary_since(first_visit: date | None) -> date | None:
    """The first diary day the core can use: its trend window before the first visit."""
    if first_visit is None:
        return None
    rules = content().outcomes
    days = int(rules.trend_before_care.days.value) + int(rules.pain_window_days.value)
    return first_visit - timedelta(days=days)


def person_record(owner_id: Any, first_visit: date | None) -> PersonRecord:
    """The diary, the PSFS and the warning signs of the person. Four queries."""
    since = _diary_since(first_visit)
    check_ins = CheckIn.objects.filter(owner_id=owner_id)
    if since is not None:
        check_ins = check_ins.filter(at__gte=_day_start(since))
    daily = (
        check_ins.annotate(day=TruncDate("at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(mean=Avg("pain_now"))
        .order_by("day")
    )
    diary = [{"date": row["day"], "pain": round(float(row["mean"]), 2)} for row in daily]
    return PersonRecord(diary, _psfs(owner_id), _red_flags(owner_id))


def _psfs(owner_id: Any) -> list[dict[str, Any]]:
    key = content().outcomes.measures["psfs"]
    finished = Assessment.objects.filter(owner_id=owner_id, completed_at__isnull=False).values_list(
        "completed_at", "questionnaires"
    )
    entries: list[dict[str, Any]] = []
    for completed_at, questionnaires in finished:
        answers = (questionnaires or {}).get(key)
        if _is_psfs(answers):
            entries.append({"date": timezone.localdate(completed_at), "activities": answers})
    return entries


def _is_psfs(answers: object) -> bool:
    """Answers in the shape the core reads; its own checks (ranges, counts) come after."""
    return (
        isinstance(answers, list)
        and bool(answers)
        and all(
            isinstance(a, dict)
            and set(a) == {"activity", "rating"}
            and isinstance(a["activity"], str)
            and bool(a["activity"])
            and isinstance(a["rating"], int)
            and not isinstance(a["rating"], bool)
            for a in answers
        )
    )


def _red_flags(owner_id: Any) -> list[dict[str, Any]]:
    # As for the standing safety level: a clinician visit recorded after a warning sign
    # clears it; a sign reported after the visit was recorded counts again.
    seen = (
        ClinicianVisit.objects.filter(owner_id=owner_id)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    flagged = CheckIn.objects.filter(owner_id=owner_id, level__in=FLAGGED_LEVELS)
    if seen is not None:
        flagged = flagged.filter(at__gt=seen)
    questions = {q.id: q.question for q in content().red_flags.questions}
    flags: list[dict[str, Any]] = []
    for at, level, answers in flagged.order_by("at").values_list("at", "level", "safety"):
        said_yes = [
            questions[q] for q, a in (answers or {}).items() if a == "yes" and q in questions
        ]
        what = "; ".join(said_yes) if said_yes else _level_words(level)
        flags.append({"date": timezone.localdate(at), "what": _shortened(what)})
    return flags


def _level_words(level: str) -> str:
    if level == "emergency":
        return _("a check-in answer that needs help now")
    return _("a check-in answer that needs a doctor soon")


def _shortened(text: str) -> str:
    return text if len(text) <= _MAX_WHAT else text[: _MAX_WHAT - 1].rstrip() + "…"


# --------------------------------------------------------------------------- the course


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def visit_data(visit: Visit) -> dict[str, Any]:
    """One stored visit in the core's course format."""
    data: dict[str, Any] = {
        "date": visit.date,
        "cost": _number(visit.cost),
        "reimbursed": _number(visit.reimbursed),
        "pain_before": _number(visit.pain_before),
        "notes": visit.notes,
        "checklist": {
            item: getattr(visit, item) for item in CHECKLIST if getattr(visit, item) is not None
        },
    }
    for optional in ("pain_after", "pain_next_day"):
        value = _number(getattr(visit, optional))
        if value is not None:
            data[optional] = value
    return data


def _currency(visits: Sequence[Visit]) -> str:
    """The latest visit's currency (the totals add up the amounts as they are)."""
    named = [v.currency for v in visits if v.currency]
    return named[-1] if named else ""


def course_data(
    provider: Provider, visits: Sequence[Visit], record: PersonRecord | None
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "provider": {"name": provider.name, "kind": provider.kind},
        "currency": _currency(visits),
        "visits": [visit_data(v) for v in visits],
    }
    if provider.episode_started is not None:
        data["episode_started"] = provider.episode_started
    if record is not None:
        data.update(pain_diary=record.pain_diary, psfs=record.psfs, red_flags=record.red_flags)
    return data


# --------------------------------------------------------------------------- the chart


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    value: float


@dataclass(frozen=True)
class ChartVisit:
    day: date
    x: float
    before: ChartPoint
    after: ChartPoint | None


@dataclass(frozen=True)
class VisitChart:
    """Pain before and after each visit, with the band the pain must leave to count."""

    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    visits: list[ChartVisit]
    y_ticks: list[tuple[float, int]]
    # The meaningful-change band around the first visit's pain: top and bottom in SVG
    # units, and the two threshold values it is drawn between.
    band_top: float | None
    band_bottom: float | None
    improved_at: float | None
    worse_at: float | None

    @property
    def plot_width(self) -> int:
        return self.plot_right - self.plot_left

    @property
    def band_height(self) -> float | None:
        if self.band_top is None or self.band_bottom is None:
            return None
        return self.band_bottom - self.band_top

    @property
    def before_path(self) -> str:
        return " ".join(f"{v.before.x:.1f},{v.before.y:.1f}" for v in self.visits)

    @property
    def after_path(self) -> str:
        return " ".join(f"{v.after.x:.1f},{v.after.y:.1f}" for v in self.visits if v.after)


# Drawing area in SVG user units (the figure scales to its box).
_WIDTH, _HEIGHT = 640, 340
_LEFT, _RIGHT, _TOP, _BOTTOM = 44, 28, 16, 40


def visit_chart(visits: Sequence[Visit]) -> VisitChart | None:
    if not visits:
        return None
    instrument = content().instruments[content().outcomes.measures["pain"]]
    low, high = (int(v) for v in instrument.score_range)
    plot_w, plot_h = _WIDTH - _LEFT - _RIGHT, _HEIGHT - _TOP - _BOTTOM
    first, last = visits[0].date, visits[-1].date
    span = max((last - first).days, 1)

    def x_of(day: date) -> float:
        if first == last:
            return _LEFT + plot_w / 2
        return _LEFT + plot_w * (day - first).days / span

    def y_of(value: float) -> float:
        clamped = min(max(value, low), high)
        return _TOP + plot_h * (high - clamped) / (high - low)

    def point(day: date, value: Any) -> ChartPoint | None:
        if value is None:
            return None
        return ChartPoint(x_of(day), y_of(float(value)), float(value))

    drawn = []
    for v in visits:
        before = point(v.date, v.pain_before)
        assert before is not None  # pain before is required
        drawn.append(ChartVisit(v.date, x_of(v.date), before, point(v.date, v.pain_after)))
    thresholds = api.mcid_thresholds(instrument, float(visits[0].pain_before))
    band: list[float | None] = [None, None]
    improved_at = worse_at = None
    if thresholds is not None:
        improved_at, worse_at = thresholds
        band = list(sorted([y_of(improved_at), y_of(worse_at)]))
    return VisitChart(
        width=_WIDTH,
        height=_HEIGHT,
        plot_left=_LEFT,
        plot_right=_WIDTH - _RIGHT,
        plot_top=_TOP,
        plot_bottom=_HEIGHT - _BOTTOM,
        visits=drawn,
        y_ticks=[(y_of(v), v) for v in range(low, high + 1, 2)],
        band_top=band[0],
        band_bottom=band[1],
        improved_at=None if improved_at is None else round(max(improved_at, low), 1),
        worse_at=None if worse_at is None else round(min(worse_at, high), 1),
    )


# --------------------------------------------------------------------------- booked


@dataclass(frozen=True)
class Booked:
    """A provider's booked appointments as they stand at one moment."""

    # The day (and the time, when one is given) has come: to be completed, or cancelled.
    due: list[Booking]
    # Still ahead, the nearest first.
    upcoming: list[Booking]
    cancelled: list[Booking]

    @property
    def next(self) -> Booking | None:
        return self.upcoming[0] if self.upcoming else None

    def __bool__(self) -> bool:
        return bool(self.due or self.upcoming or self.cancelled)


def _when(booking: Booking) -> tuple[date, time]:
    # A day without a time sorts first on its day, and is due from the day's start.
    return booking.date, booking.time or time.min


def is_due(booking: Booking, now: datetime) -> bool:
    """Whether the booking's day (and time, when given) has come, at the local ``now``."""
    return _when(booking) <= (now.date(), now.time())


def sort_bookings(bookings: Sequence[Booking], now: datetime | None = None) -> Booked:
    now = now or timezone.localtime()
    ordered = sorted(bookings, key=lambda b: (*_when(b), b.created_at))
    kept = [b for b in ordered if not b.cancelled]
    return Booked(
        due=[b for b in kept if is_due(b, now)],
        upcoming=[b for b in kept if not is_due(b, now)],
        cancelled=[b for b in ordered if b.cancelled],
    )


# --------------------------------------------------------------------------- judging


@dataclass(frozen=True)
class Ledger:
    """One provider's course of care, judged today."""

    provider: Provider
    # Only the visits that happened: the course the core judges.
    visits: list[Visit]
    # None until the first visit is noted.
    report: api.CourseReport | None
    chart: VisitChart | None
    # The amounts are added up as they are when the visits name different currencies.
    mixed_currencies: bool
    # Messages from the core about records it could not read: a diary day or a check-up's
    # PSFS is then left out and the verdict given without it; anything else (it should not
    # happen: each visit is checked by the core before it is stored) stops the verdict.
    problems: list[str]
    # Shown beside the course, never part of it.
    booked: Booked


def _judge(
    provider: Provider,
    visits: list[Visit],
    record: PersonRecord,
    today: date,
    bookings: Booked,
) -> Ledger:
    mixed = len({v.currency for v in visits if v.currency}) > 1
    if not visits:
        return Ledger(provider, visits, None, None, mixed, [], bookings)
    data = course_data(provider, visits, record)
    left_out: list[str] = []
    try:
        try:
            course = api.parse_course(data, content())
        except api.LedgerError as refused:
            kept = _without_refused_scores(data, refused.errors)
            if kept is None:
                raise
            left_out = [f"{e.path}: {e.message}" for e in refused.errors]
            course = api.parse_course(kept, content())
        # A visit is never after today (the form refuses it); max() keeps a clock skew
        # between the server and the person from breaking the page.
        report = api.judge_course(course, content(), max(today, visits[0].date))
    except api.LedgerError as refused:
        problems = [f"{e.path}: {e.message}" for e in refused.errors]
        return Ledger(provider, visits, None, visit_chart(visits), mixed, problems, bookings)
    return Ledger(provider, visits, report, visit_chart(visits), mixed, left_out, bookings)


# Entries from elsewhere in the journey that may be left out of a course when the core
# refuses one (an old check-up's PSFS, say). Never the warning signs: a sign the core
# cannot read stops the verdict instead, so it is never silently dropped.
_MAY_LEAVE_OUT = ("pain_diary", "psfs")


def _without_refused_scores(
    data: dict[str, Any], errors: Sequence[api.FieldError]
) -> dict[str, Any] | None:
    """``data`` without the diary or PSFS entries the core refused, or None when it
    refused anything else."""
    refused: dict[str, set[int]] = {}
    for error in errors:
        key, _, rest = error.path.partition(".")
        position = rest.split(".")[0]
        if key not in _MAY_LEAVE_OUT or not position.isdigit():
            return None
        refused.setdefault(key, set()).add(int(position) - 1)
    kept = dict(data)
    for key, positions in refused.items():
        kept[key] = [entry for i, entry in enumerate(data[key]) if i not in positions]
    return kept


def ledgers_for(user: User, today: date | None = None, now: datetime | None = None) -> list[Ledger]:
    """Every provider of ``user`` with its verdict and its bookings. Seven queries,
    whatever the history."""
    today = today or timezone.localdate()
    providers = list(Provider.objects.filter(owner_id=user.pk))
    visits: dict[Any, list[Visit]] = {}
    for visit in Visit.objects.filter(owner_id=user.pk).order_by("date", "created_at"):
        visits.setdefault(visit.provider_id, []).append(visit)
    bookings: dict[Any, list[Booking]] = {}
    for booking in Booking.objects.filter(owner_id=user.pk):
        bookings.setdefault(booking.provider_id, []).append(booking)
    firsts = [v[0].date for v in visits.values()]
    record = person_record(user.pk, min(firsts) if firsts else None)
    return [
        _judge(p, visits.get(p.pk, []), record, today, sort_bookings(bookings.get(p.pk, []), now))
        for p in providers
    ]


def ledger_for(
    provider: Provider, today: date | None = None, now: datetime | None = None
) -> Ledger:
    """One provider's course with its verdict and its bookings. Six queries, whatever the
    history."""
    today = today or timezone.localdate()
    visits = list(Visit.objects.filter(owner_id=provider.owner_id, provider=provider))
    bookings = Booking.objects.filter(owner_id=provider.owner_id, provider=provider)
    record = person_record(provider.owner_id, visits[0].date if visits else None)
    return _judge(provider, visits, record, today, sort_bookings(list(bookings), now))


# --------------------------------------------------------------------------- writing


def _checked_by_the_core(provider: Provider, candidate: Visit) -> None:
    """Ask the core to read the course with ``candidate`` in it; name each bad field."""
    others = list(
        Visit.objects.filter(owner_id=provider.owner_id, provider=provider).exclude(pk=candidate.pk)
    )
    # The candidate goes last, so the core's paths name it as "visits.<its position>".
    visits = [*others, candidate]
    position = str(len(visits))
    try:
        api.parse_course(course_data(provider, visits, None), content())
    except api.LedgerError as refused:
        problems: dict[str, str] = {}
        for error in refused.errors:
            parts = error.path.split(".")
            if parts[:2] == ["visits", position] and len(parts) >= 3:
                field = parts[-1] if parts[2] == "checklist" else parts[2]
                problems.setdefault(field, error.message)
            else:
                problems.setdefault("", f"{error.path}: {error.message}")
        raise VisitProblems(problems) from refused


def save_visit(provider: Provider, values: Mapping[str, Any], visit: Visit | None = None) -> Visit:
    """Store a new visit, or the changes to ``visit``, once the core has read it."""
    visit = visit or Visit(owner_id=provider.owner_id, provider=provider)
    for name, value in values.items():
        setattr(visit, name, value)
    with transaction.atomic():
        _checked_by_the_core(provider, visit)
        visit.save()
    return visit


def delete_visit(visit: Visit) -> None:
    with transaction.atomic():
        visit.delete()


def save_booking(
    provider: Provider, values: Mapping[str, Any], booking: Booking | None = None
) -> Booking:
    """Store a new booking, or the changes to ``booking``. The core never sees it."""
    booking = booking or Booking(owner_id=provider.owner_id, provider=provider)
    for name, value in values.items():
        setattr(booking, name, value)
    with transaction.atomic():
        booking.save()
    return booking


def complete_booking(booking: Booking, values: Mapping[str, Any]) -> Visit:
    """The booked appointment happened: store it as a visit (read by the core first, as
    any visit) and remove the booking, both or neither."""
    with transaction.atomic():
        visit = save_visit(booking.provider, values)
        booking.delete()
    return visit


def cancel_booking(booking: Booking) -> None:
    with transaction.atomic():
        booking.status = Booking.CANCELLED
        booking.save(update_fields=["status"])


def delete_booking(booking: Booking) -> None:
    with transaction.atomic():
        booking.delete()


def save_provider(
    user: User, values: Mapping[str, Any], provider: Provider | None = None
) -> Provider:
    assert user.pk is not None  # the views are behind login_required
    provider = provider or Provider(owner_id=user.pk)
    for name, value in values.items():
        setattr(provider, name, value)
    with transaction.atomic():
        provider.save()
    return provider


def delete_provider(provider: Provider) -> None:
    """The provider and every visit with them."""
    with transaction.atomic():
        provider.delete()
