"""A demo person to explore the app with (``serve --demo``), and long histories to measure.

:func:`seed_demo` makes the person ``demo`` with about ten weeks behind them: the check-up,
a re-test six weeks later, the routine built from it, sessions on most days with what was
done, check-ins once or twice a day with a pain that eases slowly (and a small flare-up in
week six), and device sessions (first stage) on each device the check-up allows.
:func:`seed_history` makes the same kind of person with any length of history, for the
benchmarks.

Everything clinical comes from the core: the routine and its doses from ``api.evaluate``,
the routine state from ``api.session_state``, the standing safety answers of each check-in
from ``api.triage_check_in`` (as ``journal.safety`` stores them), the device settings from
the device protocols. Only the person's own answers (pain, sleep, effort) are made up here,
from a seeded random generator, so the same day gives the same history every time.
"""

from __future__ import annotations

import copy
import json
import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from backbalance.core import api
from backbalance.web.checkup.models import Assessment
from backbalance.web.checkup.services import result_for
from backbalance.web.common.content import content
from backbalance.web.journal.models import CheckIn
from backbalance.web.ledger.models import Booking, Provider, Visit
from backbalance.web.routine.models import RoutinePlan, Session
from backbalance.web.therapies.models import DeviceSession

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-back-2026"
DEMO_DAYS = 70
# The office worker with a forward pelvic tilt from the examples: a full check-up.
_DEMO_CASE = Path(__file__).with_name("demo_case.json")

# The made-up person's habits (not clinical figures): how often they do the routine, check
# in twice, use a device; how their pain moves. A flare-up comes in week six of every
# nine-week stretch, so the ten-week demo has exactly one.
_SESSION_SHARE = 0.85
_TWO_CHECK_INS_SHARE = 0.6
_DEVICE_SHARE = 0.5
_FLARE_CYCLE_DAYS = 63
_FLARE_START_DAY = 35
_FLARE_PAIN_RISE = (3, 3, 2, 1, 1)
# The check-in form's sleep answer: five steps from very poor to very good.
_SLEEP_SCALE = (1, 5)
_REGIONS = (("low_back", "centre"), ("low_back", "left"), ("buttock", "left"), ("low_back", "both"))


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str


def seed_demo() -> DemoLogin:
    """Create (or reset) the demo person. Safe to run again: the old demo data goes."""
    return seed_history(DEMO_USERNAME, DEMO_PASSWORD, days=DEMO_DAYS)


def seed_history(username: str, password: str, *, days: int, seed: int = 2026) -> DemoLogin:
    """Create (or replace) ``username`` with ``days`` days of history up to today."""
    if days < 1:
        raise ValueError("days must be at least 1")
    history = _History(random.Random(f"{seed}:{username}:{days}"), days)
    with transaction.atomic():
        User.objects.filter(username=username).delete()
        user = User.objects.create_user(username, password=password)
        history.write(user)
    return DemoLogin(username, password)


def _pain_trend(day: int) -> float:
    """Usual pain on ``day``: from about 5 down to about 2 over ten weeks, then level."""
    return 5.5 - 3.2 * min(1.0, day / DEMO_DAYS)


def _flare(day: int) -> int:
    into = day % _FLARE_CYCLE_DAYS - _FLARE_START_DAY
    return _FLARE_PAIN_RISE[into] if 0 <= into < len(_FLARE_PAIN_RISE) else 0


def _clamp(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


def _pain(value: float) -> int:
    """A pain rating on the content's own pain scale."""
    scale = content().progression.scales.pain
    return _clamp(value, scale.minimum, scale.maximum)


def _effort(value: float) -> int:
    """An effort rating on the content's own effort scale."""
    scale = content().progression.scales.effort
    return _clamp(value, scale.minimum, scale.maximum)


def _with_allowed_devices(case: dict[str, Any]) -> dict[str, Any]:
    """The case with the person owning each device their check-up allows them to try.

    The demo shows the device pages with a log; a device is only logged by someone who has
    it, so the equipment named by each allowed device's own content is added.
    """
    result = api.evaluate(api.parse_case(case, content()), content())
    owned = {
        verdict.about.equipment
        for name, verdict in result.adjuncts.items()
        if name in DeviceSession.Device.values
        and verdict.verdict == "suitable"
        and verdict.about.equipment
    }
    case = copy.deepcopy(case)
    context = case.setdefault("context", {})
    context["equipment"] = sorted(set(context.get("equipment", [])) | owned)
    return case


def _spread_over_week(times: int) -> set[int]:
    """Weekdays (0 = Monday) for ``times`` sessions a week, spaced out."""
    return {round(i * 7 / times) for i in range(times)} if times > 0 else set()


def _retest_case(case: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """The demo case a few weeks on: the same person, a little looser and stronger."""
    case = copy.deepcopy(case)
    tests = case["tests"]
    for side in ("left", "right"):
        tests["modified_thomas"][side]["hip_angle"] -= rng.randint(3, 6)
        tests["prone_knee_bend"][side]["heel_gap_cm"] -= rng.randint(2, 4)
        tests["side_bridge"][side]["hold_s"] += rng.randint(5, 15)
        tests["single_leg_bridge"][side]["reps"] += rng.randint(1, 4)
    tests["mcgill_flexor"]["hold_s"] += rng.randint(10, 25)
    pain = case["questionnaires"]["pain_nrs"]
    case["questionnaires"]["pain_nrs"] = {key: _pain(value - 2) for key, value in pain.items()}
    low, high = content().instruments["psfs"].score_range
    for entry in case["questionnaires"]["psfs"]:
        entry["rating"] = _clamp(entry["rating"] + rng.randint(1, 3), round(low), round(high))
    return case


# The demo's therapist is seen every other week.
_VISIT_EVERY_DAYS = 14
_NEXT_BOOKING_IN_DAYS = 3
# How long the made-up person's physiotherapy appointment is booked for (a habit of their
# practice, not a clinical figure).
_BOOKING_MINUTES = 45


class _History:
    """Builds the records of one person's history; ``write`` stores them in bulk."""

    def __init__(self, rng: random.Random, days: int) -> None:
        self.rng = rng
        self.days = days
        self.today = timezone.localdate()
        self.first_day = self.today - timedelta(days=days)
        self.red_flags = content().red_flags
        self.check_in_questions = [q.id for q in api.check_in_questions(self.red_flags)]
        self.check_ins: list[CheckIn] = []
        self.sessions: list[Session] = []
        self.device_sessions: list[DeviceSession] = []
        # The last session logged, whose next-morning answer comes at the next visit.
        self.last_session: Session | None = None

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def at(self, day: date, hour: int, minute_spread: int = 50) -> datetime:
        moment = datetime.combine(day, time(hour)) + timedelta(
            minutes=self.rng.randint(0, minute_spread)
        )
        return timezone.make_aware(moment)

    # ------------------------------------------------------------------ the whole story

    def write(self, user: User) -> None:
        base_case = _with_allowed_devices(json.loads(_DEMO_CASE.read_text()))
        day = 0
        case = base_case
        plan_ends: list[tuple[int, Assessment, RoutinePlan, api.Result]] = []
        previous: Assessment | None = None
        while day < self.days:
            # Each re-test is stored as a re-test of the check-up before it, so the results
            # page offers the comparison with last time.
            assessment, plan, result = self._check_up(user, case, day, retest_of=previous)
            previous = assessment
            plan_ends.append((day, assessment, plan, result))
            # The re-test comes when the routine says it is due.
            assert result.routine is not None
            day += max(1, result.routine.retest_after_days)
            # Every re-test finds the same gains over the first check-up: the imbalance
            # eased in the first weeks and then held.
            case = _retest_case(base_case, self.rng)
        for index, (start, assessment, plan, result) in enumerate(plan_ends):
            end = plan_ends[index + 1][0] if index + 1 < len(plan_ends) else self.days + 1
            self._days(user, assessment, plan, result, range(start, end))
        CheckIn.objects.bulk_create(self.check_ins, batch_size=500)
        Session.objects.bulk_create(self.sessions, batch_size=500)
        DeviceSession.objects.bulk_create(self.device_sessions, batch_size=500)
        # created_at is set to "now" on insert; the history reads better with its own times.
        for check_in in self.check_ins:
            check_in.created_at = check_in.at
        for session in self.sessions:
            session.created_at = session.finished_at or session.day
        for device_session in self.device_sessions:
            device_session.created_at = device_session.at
        CheckIn.objects.bulk_update(self.check_ins, ["created_at"], batch_size=500)
        Session.objects.bulk_update(self.sessions, ["created_at"], batch_size=500)
        DeviceSession.objects.bulk_update(self.device_sessions, ["created_at"], batch_size=500)
        self._therapist(user)

    def _therapist(self, user: User) -> None:
        """A course of physiotherapy in the last weeks: four visits, every other week."""
        provider = Provider.objects.create(
            owner=user, name="Riverside Physio", kind="physiotherapy"
        )
        first = max(self.first_day, self.today - timedelta(days=_VISIT_EVERY_DAYS * 4))
        visits = []
        for number in range(4):
            day = first + timedelta(days=_VISIT_EVERY_DAYS * number)
            if day > self.today:
                break
            usual = _pain_trend((day - self.first_day).days)
            visits.append(
                Visit(
                    owner=user,
                    provider=provider,
                    date=day,
                    cost=Decimal("65"),
                    reimbursed=Decimal("25"),
                    pain_before=Decimal(_pain(usual)),
                    pain_after=Decimal(_pain(usual - 1)),
                    assessed_hands_on=number == 0,
                    worked_on_findings=True,
                    explained_findings=number == 0,
                    home_plan=True,
                    retested=number > 0,
                )
            )
        Visit.objects.bulk_create(visits)
        # The next appointment, booked a few days ahead, so the ledger and the calendar
        # show one.
        Booking.objects.create(
            owner=user,
            provider=provider,
            date=self.today + timedelta(days=_NEXT_BOOKING_IN_DAYS),
            time=time(10, 30),
            length_minutes=_BOOKING_MINUTES,
            cost=Decimal("65"),
        )

    def _check_up(
        self, user: User, case: dict[str, Any], day: int, retest_of: Assessment | None
    ) -> tuple[Assessment, RoutinePlan, api.Result]:
        """A finished check-up on ``day`` and the routine built from it."""
        when = self.at(self.first_day + timedelta(days=day), 9)
        context = dict(case.get("context") or {})
        context["start_date"] = (self.first_day + timedelta(days=day)).isoformat()
        assessment = Assessment.objects.create(
            owner=user,
            screening=case["screening"],
            screened_at=when,
            person=case["person"],
            context=context,
            questionnaires=case.get("questionnaires", {}),
            tests=case.get("tests", {}),
            completed_at=when,
            retest_of=retest_of,
        )
        Assessment.objects.filter(pk=assessment.pk).update(created_at=when)
        result_for(assessment)
        result = api.evaluate(api.parse_case(assessment.case(), content()), content())
        if result.routine is None:
            raise RuntimeError("the demo case must give a routine")
        RoutinePlan.objects.filter(owner=user, active=True).update(active=False)
        plan = RoutinePlan.objects.create(
            owner=user,
            assessment=assessment,
            items=api.to_jsonable(api.session_state(result.routine, content())),
        )
        RoutinePlan.objects.filter(pk=plan.pk).update(created_at=when)
        return assessment, plan, result

    def _days(
        self,
        user: User,
        assessment: Assessment,
        plan: RoutinePlan,
        result: api.Result,
        days: range,
    ) -> None:
        person = api.parse_person(assessment.person, content())
        # The standing answers start from this screen; every check-in is judged against
        # them by the core, exactly as journal.safety does for a check-in sent by a person.
        standing: dict[str, Any] = dict(assessment.screening)
        owned = set((assessment.context or {}).get("equipment", []))
        devices = {
            name: verdict
            for name, verdict in result.adjuncts.items()
            if name in DeviceSession.Device.values
            and verdict.verdict == "suitable"
            and (verdict.about.equipment is None or verdict.about.equipment in owned)
        }
        for day in days:
            when = self.first_day + timedelta(days=day)
            if when > self.today:
                break
            usual = _pain_trend(day) + _flare(day)
            if self.last_session is not None and not self.last_session.pain_next_morning:
                self.last_session.pain_next_morning = self._morning(day)
            flaring = _flare(day) > 0
            # What the day held, with when, so a check-in says what was done before it.
            done: list[tuple[datetime, str]] = []
            if self.rng.random() < (_SESSION_SHARE / 2 if flaring else _SESSION_SHARE):
                session = self._session(
                    user, plan, result, when, usual, self.first_day + timedelta(days=days.start)
                )
                if session is not None and session.finished_at is not None:
                    self.last_session = session
                    done.append((session.finished_at, "routine"))
            for name in devices:
                if not flaring and self.rng.random() < _DEVICE_SHARE:
                    used = self._device_session(user, name, devices[name], when, day)
                    if used is not None:
                        done.append((used, "device"))
            for hour in (8, 19) if self.rng.random() < _TWO_CHECK_INS_SHARE else (12,):
                standing = self._check_in(user, when, hour, usual, standing, person, done)

    def _check_in(
        self,
        user: User,
        day: date,
        hour: int,
        usual: float,
        standing: dict[str, Any],
        person: api.Person,
        done: list[tuple[datetime, str]],
    ) -> dict[str, Any]:
        at = self.at(day, hour)
        if at > timezone.now():
            return standing
        answers: dict[str, Any] = dict.fromkeys(self.check_in_questions, "no")
        judged = api.triage_check_in(
            answers, standing, person, self.red_flags, clinician_seen_since=False
        )
        region, side = self.rng.choice(_REGIONS)
        weekday = day.weekday() < 5
        self.check_ins.append(
            CheckIn(
                id=self.uuid(),
                owner=user,
                at=at,
                pain_now=_pain(usual + self.rng.gauss(0, 0.9)),
                region=region,
                side=side,
                safety=answers,
                sleep_quality=_clamp(4 - usual / 3 + self.rng.gauss(0, 0.8), *_SLEEP_SCALE),
                hours_sitting=Decimal(
                    str(round(self.rng.uniform(5, 9) if weekday else self.rng.uniform(1, 4), 1))
                ),
                did=sorted({what for finished, what in done if finished < at}),
                client_token=self.uuid(),
                standing_answers=dict(judged.answers),
                level=judged.triage.level,
                content_version=content().version,
            )
        )
        return dict(judged.answers)

    def _morning(self, day: int) -> str:
        change = _pain_trend(day) + _flare(day) - _pain_trend(day - 1) - _flare(day - 1)
        if change > 0.5:
            return "worse"
        return "better" if self.rng.random() < 0.3 else "same"

    def _session(
        self,
        user: User,
        plan: RoutinePlan,
        result: api.Result,
        day: date,
        usual: float,
        plan_start: date,
    ) -> Session | None:
        """A session of the items due on ``day``, logged as the session player stores it."""
        assert result.routine is not None
        # The routine's days count from its start day (0), a week at a time.
        day_of_week = (day - plan_start).days % 7
        items: list[dict[str, Any]] = []
        for item in result.routine.items:
            if day_of_week not in item.days:
                continue
            done = self.rng.random() < 0.9
            items.append(
                {
                    "exercise": item.exercise,
                    "done": done,
                    # Sets done per side: now and then one short on a side.
                    "sets": {
                        side: (max(1, dose.sets - (self.rng.random() < 0.15)) if done else 0)
                        for side, dose in item.dose.items()
                    },
                    "pain_during": _pain(usual - 1 + self.rng.gauss(0, 1)) if done else None,
                    "effort": _effort(self.rng.gauss(4, 1.2)) if done else None,
                    "reps_done": next(iter(item.dose.values())).reps if done else None,
                }
            )
        started = self.at(day, 7, 120)
        if started + timedelta(minutes=result.routine.minutes_budget) > timezone.now():
            return None
        session = Session(
            id=self.uuid(),
            owner=user,
            plan=plan,
            day=day,
            started_at=started,
            finished_at=started + timedelta(minutes=result.routine.minutes_budget),
            items=items,
            usual_pain=_pain(usual),
            client_token=self.uuid(),
        )
        self.sessions.append(session)
        return session

    def _device_session(
        self, user: User, device: str, verdict: api.AdjunctVerdict, day: date, day_number: int
    ) -> datetime | None:
        """A session at the protocol's first stage, at its settings and within its limits.

        Moving on to a later stage is the person's own choice, made on the device page when
        it is offered; the demo leaves that choice to whoever explores it.
        """
        protocol = verdict.protocol
        if protocol is None:
            return None
        stage_number, stage = 1, protocol.stages[0]
        value = {s.id: s.value for s in stage.settings}
        per_week = value.get("sessions_per_week")
        if per_week is not None and day.weekday() not in _spread_over_week(round(per_week)):
            return None
        at = self.at(day, 18)
        if at > timezone.now():
            return None
        pain = _pain(_pain_trend(day_number) + self.rng.gauss(0, 0.8))
        record = DeviceSession(
            id=self.uuid(),
            owner=user,
            device=device,
            at=at,
            stage=stage_number,
            tolerated=True,
            pain_before=pain,
            pain_after=_pain(pain - self.rng.randint(0, 1)),
        )
        if device == DeviceSession.Device.INVERSION:
            record.angle_deg = round(value["angle"])
            record.minutes = Decimal(str(value["session_minutes"]))
        else:
            record.frequency_hz = round(value["frequency"])
            record.bouts = round(value["bouts"])
            record.bout_seconds = round(value["bout_seconds"])
        self.device_sessions.append(record)
        return at
