"""Therapies services: the only place the therapies views reach the core and the content.

For each device (the inversion table, the vibration platform) this module answers three
questions, always in this order:

1. **May the person use it now?** The verdict comes from the core's result for the latest
   finished check-up, judged again on the safety answers that stand *now* (a check-in can
   add a warning sign). On top of it, fixed here and never read from content: no safety
   screen or check-up yet, an urgent or emergency standing level, a verdict other than
   "suitable", or a device the person has not said they own each block the device.
2. **Which stage of the protocol now?** The core has no function for "which stage from the
   logged sessions" yet, so the smallest clear version lives here (:func:`stage_now`). Every
   number it uses is read from the protocol in ``adjuncts.yaml``; see that function for the
   rule.
3. **What may one session be?** Each logged value is checked against the stage's own
   setting, the protocol's limits and its step size (:func:`session_caps`), and the
   sessions against the protocol's counts per day or week (:func:`check_session`). A session
   read from an imported file goes through the same check (:func:`check_logged_session`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Final

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import Count, Max, Min, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from backbalance.core import api
from backbalance.web.checkup.models import Assessment
from backbalance.web.checkup.services import result_for
from backbalance.web.common.content import content
from backbalance.web.journal.safety import SafetyState
from backbalance.web.therapies.models import DeviceSession, StageMove

User = AbstractBaseUser | AnonymousUser

# The devices, by their therapy id in adjuncts.yaml (also DeviceSession.Device).
DEVICES: Final[tuple[str, ...]] = tuple(DeviceSession.Device.values)

# Which protocol setting (adjuncts.yaml) each logged field is checked against.
LOGGED_SETTINGS: Final[dict[str, dict[str, str]]] = {
    "inversion": {"angle_deg": "angle", "minutes": "session_minutes"},
    "vibration": {"frequency_hz": "frequency", "bouts": "bouts", "bout_seconds": "bout_seconds"},
}
# Settings that count sessions rather than size one, and the days each counts over.
SESSION_COUNTS: Final[dict[str, int]] = {"sessions_per_day": 1, "sessions_per_week": 7}
# A setting "<id>_step" (or a limit of it) is the largest change of "<id>" from one session
# to the next, as the inversion table's "raise the angle one notch at a time".
STEP_SUFFIX: Final = "_step"
DAYS_PER_WEEK: Final = 7
# How many past sessions a device page lists (the page stays the same size with history).
SHOWN_SESSIONS: Final = 30


class Blocked(Exception):
    """The device may not be used now; ``reasons`` say why, in the person's words."""

    def __init__(self, reasons: Sequence[str]) -> None:
        super().__init__(" ".join(reasons))
        self.reasons = tuple(reasons)


class NotYet(Exception):
    """A stage move the protocol does not allow now; the message says why."""


# --------------------------------------------------------------------------- verdicts


@dataclass(frozen=True)
class Standing:
    """What a device's page shows first: the verdict, and whether sessions may be logged."""

    device: str
    therapy: Any  # the content's Therapy (name, evidence, protocol, approval note)
    verdict: str | None
    verdict_label: str
    reasons: tuple[str, ...]
    # Why sessions cannot be logged now; empty when they can.
    blocked_because: tuple[str, ...]
    # The core's verdict JSON (protocol, sources) when there is one.
    result: Mapping[str, Any] | None = None
    # The check-up does not list the device in the person's equipment.
    kit_missing: bool = False

    @property
    def may_log(self) -> bool:
        return not self.blocked_because

    @property
    def needs_clinician(self) -> bool:
        return self.verdict == "clinician_approval"


def latest_checkup(user: User) -> Assessment | None:
    return (
        Assessment.objects.filter(owner_id=user.pk, completed_at__isnull=False)
        .order_by("-completed_at")
        .first()
    )


def _result_now(checkup: Assessment, safety: SafetyState) -> Mapping[str, Any]:
    """The core result for the check-up, on the safety answers that stand now.

    The stored result was made from the screen answers of its day; a later check-in can
    have added a warning sign, so when the standing answers differ the case is judged again
    (a few milliseconds) instead of trusting the old result.
    """
    if dict(safety.answers) == dict(checkup.screening):
        return result_for(checkup)
    case = {**checkup.case(), "screening": dict(safety.answers)}
    return api.result_to_jsonable(api.evaluate(api.parse_case(case, content()), content()))


def standings(user: User, safety: SafetyState) -> dict[str, Standing]:
    """Each device's standing for ``user`` now, keyed by device id."""
    adjuncts = content().adjuncts
    labels = adjuncts.verdict_labels
    checkup = latest_checkup(user)
    out: dict[str, Standing] = {}
    if safety.needs_screen or checkup is None:
        first = _(
            "Answer the safety questions and finish your check-up first. Until then we "
            "cannot tell whether a device is safe for you."
        )
        for device in DEVICES:
            out[device] = Standing(device, adjuncts.therapy(device), None, "", (), (first,))
        return out
    if safety.level in {"urgent", "emergency"}:
        # Whatever the old result said: a standing urgent or emergency sign blocks both.
        for device in DEVICES:
            therapy = adjuncts.therapy(device)
            gate = therapy.triage_gate.emergency if safety.emergency else therapy.triage_gate.urgent
            label = labels.label("not_suitable", optional_extra=True)
            out[device] = Standing(device, therapy, "not_suitable", label, (gate,), (gate,))
        return out
    try:
        verdicts = _result_now(checkup, safety)["adjuncts"]
    except api.CaseError:
        # The stored answers no longer make a case the engine accepts: fail closed.
        broken = _(
            "Your check-up needs a look before we can judge the devices. "
            "Please go through it again."
        )
        for device in DEVICES:
            out[device] = Standing(device, adjuncts.therapy(device), None, "", (), (broken,))
        return out
    owned = set((checkup.context or {}).get("equipment") or [])
    for device in DEVICES:
        therapy = adjuncts.therapy(device)
        verdict = verdicts[device]
        reasons = tuple(verdict["reasons"])
        blocked: list[str] = []
        if verdict["verdict"] == "not_suitable":
            blocked.extend(reasons)
        elif verdict["verdict"] == "clinician_approval":
            blocked.append(therapy.approval_note)
        kit_missing = therapy.equipment is not None and therapy.equipment not in owned
        if therapy.equipment is not None and kit_missing:
            kit = content().equipment[therapy.equipment].name
            blocked.append(
                _(
                    "Your check-up does not list this device (%(kit)s) in your equipment. "
                    "If you have one, add it to your equipment in the check-up."
                )
                % {"kit": kit}
            )
        out[device] = Standing(
            device,
            therapy,
            verdict["verdict"],
            verdict["verdict_label"],
            reasons,
            tuple(blocked),
            verdict,
            kit_missing,
        )
    return out


def standing(user: User, safety: SafetyState, device: str) -> Standing:
    return standings(user, safety)[device]


# --------------------------------------------------------------------------- the stage now


@dataclass(frozen=True)
class Cap:
    """The most a logged value may be at this stage, and where that number comes from."""

    setting: str
    value: float
    unit: str
    # Plain words for why, e.g. "the stage's setting" or "one step above your last session".
    why: str


@dataclass(frozen=True)
class Run:
    """The sessions at the current stage since the last one that did not go well."""

    count: int
    first_at: datetime | None
    last_at: datetime | None


@dataclass(frozen=True)
class StageNow:
    number: int  # 1-based
    total: int
    stage: Any  # the content's Stage
    caps: dict[str, Cap]
    # Sessions counted per day or week at this stage: setting id -> (allowed, logged).
    counts: dict[str, tuple[int, int]]
    next_stage: Any | None
    can_move_on: bool
    # Why the next stage is not offered yet (empty when it is, or when there is none).
    waiting_for: tuple[str, ...]
    # The latest session at this stage did not go well: hold, and the way back is offered.
    held: bool
    can_step_back: bool
    week: int | None = None
    run: Run = field(default_factory=lambda: Run(0, None, None))


def run_of(sessions: Sequence[tuple[datetime, bool]]) -> Run:
    """The run in a list of (time, went well) sessions at one stage, in any order.

    The plain statement of what :func:`stage_now` asks the database for with aggregates
    (so a long history costs no more queries); the tests hold the two together.
    """
    ordered = sorted(sessions)
    bad = [at for at, tolerated in ordered if not tolerated]
    run = [at for at, _tolerated in ordered if not bad or at > bad[-1]]
    return Run(len(run), run[0] if run else None, run[-1] if run else None)


def _protocol(device: str) -> Any:
    return content().adjuncts.therapy(device).protocol


def _limit_of(protocol: Any, setting_ids: Sequence[str]) -> Any | None:
    for limit in protocol.limits:
        if list(limit.of) == list(setting_ids):
            return limit
    return None


def _start_week(stages: Sequence[Any], index: int) -> float:
    """The earliest week stage ``index`` may start (the first stage: week 1)."""
    for stage in reversed(stages[: index + 1]):
        if stage.from_week is not None:
            return float(stage.from_week.value)
    return 1.0


def week_number(first_at: datetime, now: datetime) -> int:
    """Week 1 is the first seven days from the first session on the device."""
    return (now - first_at).days // DAYS_PER_WEEK + 1


def move_on_rule(
    stages: Sequence[Any], index: int, run: Run, first_ever: datetime | None, now: datetime
) -> tuple[str, ...]:
    """What still stands between the stage at ``index`` and the next; empty when nothing.

    The rule, from the protocol's stages (numbers from content only):

    * at least one session at this stage, and every one since the last that did not go well
      went well (a session that did not go well starts the count again: hold);
    * when the next stage has a ``from_week``: it is at least that week, counted from the
      first session on the device, and the sessions that went well at this stage cover the
      stage's length (the next stage's week less this stage's start week).
    """
    waiting: list[str] = []
    nxt = stages[index + 1]
    if run.count == 0 or run.first_at is None or run.last_at is None:
        waiting.append(
            _("Log a session at this stage that goes well, with none of the stop signs.")
        )
    if nxt.from_week is None:
        return tuple(waiting)
    from_week = float(nxt.from_week.value)
    week = week_number(first_ever, now) if first_ever is not None else 1
    if week < from_week:
        waiting.append(
            _("The next stage starts in week %(from)d at the earliest; you are in week %(now)d.")
            % {"from": from_week, "now": week}
        )
    span_weeks = from_week - _start_week(stages, index)
    if run.first_at is not None and run.last_at is not None and span_weeks > 0:
        covered = run.last_at - run.first_at
        if covered < timedelta(weeks=span_weeks):
            waiting.append(
                _(
                    "Sessions that go well at this stage need to cover %(weeks)d weeks in a "
                    "row; so far they cover %(days)d days."
                )
                % {"weeks": span_weeks, "days": covered.days}
            )
    return tuple(waiting)


def _sessions(user: User, device: str) -> QuerySet[DeviceSession]:
    return DeviceSession.objects.filter(owner_id=user.pk, device=device)


def current_move(user: User, device: str) -> StageMove | None:
    return StageMove.objects.filter(owner_id=user.pk, device=device).order_by("-at").first()


def session_caps(
    protocol: Any, index: int, device: str, latest: DeviceSession | None
) -> dict[str, Cap]:
    """The most each logged value may be at stage ``index``, by setting id.

    The stage's own setting caps it; a protocol limit on that setting alone caps it too
    (the steeper inversion stages name a step, not an angle, so the limit is what holds
    there); and where the protocol names a step for it, the value may rise by at most one
    step above the latest session, and after a session that did not go well it must go
    back one step.
    """
    stage = protocol.stages[index]
    caps: dict[str, Cap] = {}
    for field_name, setting_id in LOGGED_SETTINGS[device].items():
        candidates: list[Cap] = []
        own = stage.setting(setting_id)
        if own is not None:
            candidates.append(
                Cap(setting_id, own.figure.value, own.figure.unit, _("the setting for this stage"))
            )
        limit = _limit_of(protocol, [setting_id])
        if limit is not None:
            candidates.append(
                Cap(
                    setting_id, limit.figure.value, limit.figure.unit, _("the most the plan allows")
                )
            )
        step = _step(protocol, stage, setting_id)
        last_value = getattr(latest, field_name) if latest is not None else None
        if step is not None and latest is not None and last_value is not None:
            unit = candidates[0].unit if candidates else ""
            if latest.tolerated:
                why = _("one step above your last session")
                value = float(last_value) + step
            else:
                why = _("one step below your last session, which did not go well")
                value = max(float(last_value) - step, 0.0)
            candidates.append(Cap(setting_id, value, unit, why))
        if candidates:
            caps[field_name] = min(candidates, key=lambda c: c.value)
    return caps


def _step(protocol: Any, stage: Any, setting_id: str) -> float | None:
    steps: list[float] = []
    own = stage.setting(setting_id + STEP_SUFFIX)
    if own is not None:
        steps.append(own.figure.value)
    limit = _limit_of(protocol, [setting_id + STEP_SUFFIX])
    if limit is not None:
        steps.append(limit.figure.value)
    return min(steps) if steps else None


def _count_limits(user: User, device: str, stage: Any, now: datetime) -> dict[str, tuple[int, int]]:
    counts: dict[str, tuple[int, int]] = {}
    for setting_id, days in SESSION_COUNTS.items():
        setting = stage.setting(setting_id)
        if setting is None:
            continue
        since = _count_start(now, days)
        logged = _sessions(user, device).filter(at__gte=since).count()
        counts[setting_id] = (int(setting.figure.value), logged)
    return counts


def _day_start(now: datetime) -> datetime:
    local = timezone.localtime(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def _count_start(now: datetime, days: int) -> datetime:
    """Where a count over ``days`` days starts: today counts as the first of them."""
    return _day_start(now) - timedelta(days=days - 1)


def stage_now(user: User, device: str, now: datetime | None = None) -> StageNow:
    """The stage the person is at, what one session may be, and whether to offer the next.

    A bounded number of queries, whatever the length of the history.
    """
    now = now or timezone.now()
    protocol = _protocol(device)
    stages = protocol.stages
    move = current_move(user, device)
    index = min(max((move.stage if move else 1) - 1, 0), len(stages) - 1)
    sessions = _sessions(user, device)
    at_stage = sessions.filter(stage=index + 1)
    if move is not None:
        at_stage = at_stage.filter(at__gte=move.at)
    last_bad = at_stage.filter(tolerated=False).aggregate(at=Max("at"))["at"]
    run_qs = at_stage.filter(at__gt=last_bad) if last_bad is not None else at_stage
    agg = run_qs.aggregate(count=Count("id"), first=Min("at"), last=Max("at"))
    run = Run(agg["count"], agg["first"], agg["last"])
    first_ever = sessions.aggregate(first=Min("at"))["first"]
    latest = sessions.order_by("-at").first()
    caps = session_caps(protocol, index, device, latest)
    counts = _count_limits(user, device, stages[index], now)
    has_next = index + 1 < len(stages)
    waiting = move_on_rule(stages, index, run, first_ever, now) if has_next else ()
    held = last_bad is not None and run.count == 0
    return StageNow(
        number=index + 1,
        total=len(stages),
        stage=stages[index],
        caps=caps,
        counts=counts,
        next_stage=stages[index + 1] if has_next else None,
        can_move_on=has_next and not waiting,
        waiting_for=waiting,
        held=held,
        can_step_back=index > 0,
        week=week_number(first_ever, now) if first_ever is not None else None,
        run=run,
    )


def past_sessions(user: User, device: str) -> list[DeviceSession]:
    return list(_sessions(user, device).order_by("-at")[:SHOWN_SESSIONS])


# --------------------------------------------------------------------------- checks and writes


@dataclass(frozen=True)
class Limits:
    """What :func:`check_session` judges one session against (a :class:`StageNow` holds the
    same three for the stage the person is at now)."""

    stage: Any  # the content's Stage
    caps: dict[str, Cap]
    # Sessions counted per day or week at this stage: setting id -> (allowed, logged).
    counts: dict[str, tuple[int, int]]


# A logged value that must be more than 0 (a session of no time was no session), and
# what the form says when it is not.
MORE_THAN_ZERO: Final = {"minutes": _lazy("Enter the minutes the session took, more than 0.")}


def zero_problem(field_name: str, value: Any) -> str | None:
    """The form's message when ``value`` must be more than 0 and is not; else None."""
    if field_name in MORE_THAN_ZERO and value is not None and float(value) <= 0:
        return str(MORE_THAN_ZERO[field_name])
    return None


def check_session(
    device: str,
    now_stage: StageNow | Limits,
    values: Mapping[str, Any],
    today: Sequence[DeviceSession],
) -> dict[str, str]:
    """Problems with one session's values at this stage: form field -> message ("" for the
    form as a whole). ``today`` holds the sessions already logged today on this device.
    """
    problems: dict[str, str] = {}
    for field_name in LOGGED_SETTINGS[device]:
        zero = zero_problem(field_name, values.get(field_name))
        if zero is not None:
            problems[field_name] = zero
    for field_name, cap in now_stage.caps.items():
        if field_name in problems:
            continue
        value = values.get(field_name)
        if value is not None and float(value) > cap.value:
            problems[field_name] = _(
                "this stage goes up to %(cap)s %(unit)s (%(why)s). Keep within it; small "
                "steps let you notice early if something does not agree with you."
            ) % {"cap": _number(cap.value), "unit": cap.unit, "why": cap.why}
    for setting_id, (allowed, logged) in now_stage.counts.items():
        if logged >= allowed:
            label = now_stage.stage.setting(setting_id).label
            problems[""] = _(
                "%(label)s at this stage: %(allowed)d. You have logged %(logged)d in that time "
                "already, so rest until the next one is due."
            ) % {"label": label, "allowed": allowed, "logged": logged}
    by_setting = {s: f for f, s in LOGGED_SETTINGS[device].items()}
    for limit in _protocol(device).limits:
        if len(limit.of) < 2 or not all(s in by_setting for s in limit.of):
            continue
        # A total across several settings (bouts x seconds) counts every session of the day.
        fields_ = [by_setting[s] for s in limit.of]
        if any(values.get(f) is None for f in fields_):
            continue
        total = math.prod(float(values[f]) for f in fields_)
        for earlier in today:
            parts = [getattr(earlier, f) for f in fields_]
            if all(p is not None for p in parts):
                total += math.prod(float(p) for p in parts)
        if total > limit.figure.value:
            problems.setdefault(
                fields_[0],
                _("%(label)s: at most %(cap)s %(unit)s, counting today's earlier sessions.")
                % {
                    "label": limit.label,
                    "cap": _number(limit.figure.value),
                    "unit": limit.figure.unit,
                },
            )
    return problems


def _number(value: float) -> str:
    return f"{value:g}"


# How far back the checks of one session look: the longest count of sessions (a week),
# and a day more, so a clock change in the middle cannot push a session out of it.
LOOK_BACK: Final = timedelta(days=max(SESSION_COUNTS.values()) + 1)


def check_logged_session(
    session: DeviceSession, earlier: Sequence[DeviceSession]
) -> dict[str, str]:
    """Problems with a session already logged (one read from an imported file), judged by
    :func:`check_session` as the log form judged it when it was logged: at the session's own
    stage and time, counting ``earlier``, the sessions on the same device logged before it
    (only those less than :data:`LOOK_BACK` before it can count, so a caller may pass just
    those).

    One part of the form's rule is left out: the step from the session before (the
    inversion table's one notch at a time). The person may have removed a session since,
    and the one before a session in the file is then not the one the form saw; checking
    the step against it would refuse a session the form rightly let through. The stage's
    setting and the protocol's limits still cap every value, and a removed session can
    only lower the counts per day or week and the day's total, never raise them.
    """
    device = session.device
    index = session.stage - 1
    stage = _protocol(device).stages[index]
    caps = session_caps(_protocol(device), index, device, latest=None)
    counts: dict[str, tuple[int, int]] = {}
    for setting_id, days in SESSION_COUNTS.items():
        setting = stage.setting(setting_id)
        if setting is not None:
            since = _count_start(session.at, days)
            logged = sum(1 for e in earlier if since <= e.at)
            counts[setting_id] = (int(setting.figure.value), logged)
    today = [e for e in earlier if _day_start(session.at) <= e.at]
    values = {name: getattr(session, name) for name in LOGGED_SETTINGS[device]}
    return check_session(device, Limits(stage, caps, counts), values, today)


def _todays(user: User, device: str, now: datetime) -> list[DeviceSession]:
    return list(_sessions(user, device).filter(at__gte=_day_start(now)))


def session_problems(user: User, device: str, values: Mapping[str, Any]) -> dict[str, str]:
    now = timezone.now()
    return check_session(device, stage_now(user, device, now), values, _todays(user, device, now))


def log_session(
    user: AbstractBaseUser, safety: SafetyState, device: str, values: Mapping[str, Any]
) -> DeviceSession:
    """Store one session, after checking again that the device is open and the values fit.

    Raises :class:`Blocked` when the device may not be used, ``ValueError`` with the
    problems when a value does not fit the stage (a form shows them before this).
    """
    with transaction.atomic():
        now_standing = standing(user, safety, device)
        if not now_standing.may_log:
            raise Blocked(now_standing.blocked_because)
        now = timezone.now()
        stage = stage_now(user, device, now)
        problems = check_session(device, stage, values, _todays(user, device, now))
        if problems:
            raise ValueError(problems)
        allowed = set(LOGGED_SETTINGS[device]) | {"pain_before", "pain_after", "note", "tolerated"}
        return DeviceSession.objects.create(
            owner_id=user.pk,
            device=device,
            at=now,
            stage=stage.number,
            **{k: v for k, v in values.items() if k in allowed},
        )


def move_stage(
    user: AbstractBaseUser, safety: SafetyState, device: str, direction: str
) -> StageMove:
    """Move to the next stage (only when the rule holds) or back one (always allowed).

    Raises :class:`Blocked` when the device may not be used, :class:`NotYet` when the move
    is not open.
    """
    with transaction.atomic():
        now_standing = standing(user, safety, device)
        if not now_standing.may_log:
            raise Blocked(now_standing.blocked_because)
        now = timezone.now()
        stage = stage_now(user, device, now)
        if direction == StageMove.Direction.FORWARD:
            if not stage.can_move_on:
                raise NotYet(" ".join(stage.waiting_for) or _("This is the last stage."))
            target = stage.number + 1
        elif direction == StageMove.Direction.BACK:
            if not stage.can_step_back:
                raise NotYet(_("This is the first stage already."))
            target = stage.number - 1
        else:
            raise NotYet(_("Choose to move on or to go back."))
        return StageMove.objects.create(
            owner_id=user.pk, device=device, stage=target, direction=direction, at=now
        )


def delete_session(session: DeviceSession) -> None:
    with transaction.atomic():
        session.delete()
