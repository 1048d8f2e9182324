"""Routine services: the only place the routine views reach the core.

The loop, as core/program.py and core/progression.py describe it:

    check-up result -> routine -> item states (the plan) -> logged sessions
        -> decide per item -> proposal -> apply -> item states -> the routine again

A plan stores only the item states (``api.session_state``); the routine shown is always
derived again from them by ``api.routine_for_state``, under the safety answers that stand
*now* (a check-in can raise them), so a gate the core applies can never be skipped by a
stored routine. Every write happens inside ``transaction.atomic()``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from backbalance.core import api
from backbalance.web.checkup.models import Assessment
from backbalance.web.checkup.services import parsed_result
from backbalance.web.common.content import content
from backbalance.web.journal.safety import SafetyState
from backbalance.web.routine.models import PendingProposal, RoutinePlan, Session

User = AbstractBaseUser | AnonymousUser


# --------------------------------------------------------------------------- item states


def state_from_json(raw: dict[str, Any]) -> api.ItemState:
    """An item state as stored in ``RoutinePlan.items`` (the core's JSON form)."""
    values = dict(raw)
    read = values.get("read")
    if read is not None:
        values["read"] = api.ReadMark(
            day=date.fromisoformat(read["day"]),
            count_on_day=read["count_on_day"],
            morning_pending=read["morning_pending"],
        )
    return api.ItemState(**values)


def states_of(plan: RoutinePlan) -> tuple[api.ItemState, ...]:
    return tuple(state_from_json(raw) for raw in plan.items)


def _states_json(states: Iterable[api.ItemState]) -> list[dict[str, Any]]:
    return [api.to_jsonable(state) for state in states]


# --------------------------------------------------------------------------- the plan


def latest_checkup(user: User) -> Assessment | None:
    """The newest finished check-up, the one a routine is built from."""
    return (
        Assessment.objects.filter(owner_id=user.pk, completed_at__isnull=False)
        .order_by("-completed_at")
        .first()
    )


@dataclass(frozen=True)
class Today:
    """Everything the routine pages show, derived through the core."""

    plan: RoutinePlan
    # None when the standing answers forbid any routine (an emergency).
    routine: api.Routine | None
    # The result under the answers that stand now; its gates are the routine's gates.
    result: api.Result
    context: api.Context
    states: tuple[api.ItemState, ...]
    proposals: list[PendingProposal] = field(default_factory=list)
    # The newest session whose next morning has not been answered yet (asked at the
    # next visit, from the day after it).
    morning_due: Session | None = None
    # The days of the routine's week (0 = the day the plan started) with a session.
    done_this_week: set[int] = field(default_factory=set)
    newest: Session | None = None

    @property
    def paused(self) -> bool:
        return any(state.stopped for state in self.states)

    @property
    def day_index(self) -> int:
        """Today as a day of the routine's week (the core's ``days``: 0 = the start day)."""
        return (timezone.localdate() - _week_start(self.plan, timezone.localdate())).days

    def todays_routine(self) -> api.Routine:
        """The routine with only the items due today (all of them on a day with none)."""
        assert self.routine is not None
        return self.routine.due_on(self.day_index)


class NoRoutine(Exception):
    """The check-up has no routine answers (or no routine) yet: back to the check-up."""


def _standing_result(assessment: Assessment, safety: SafetyState) -> api.Result:
    """The check-up's result under the safety answers that stand now.

    After a check-in the standing answers are the screen's with the check-in's on top, so
    the case is judged again with them as its screening: an urgent check-in gives the
    gentle routine the core builds for an urgent screen.
    """
    raw = assessment.case()
    if safety.answers:
        raw["screening"] = dict(safety.answers)
    return api.evaluate(api.parse_case(raw, content()), content())


def _base(assessment: Assessment) -> tuple[api.Routine, api.Context]:
    case = api.parse_case(assessment.case(), content())
    result = parsed_result(assessment)
    if case.context is None or result.routine is None:
        raise NoRoutine
    return result.routine, case.context


def active_plan(user: User, assessment: Assessment) -> RoutinePlan:
    """The person's plan for ``assessment``; a new one from its routine the first time."""
    plan = RoutinePlan.objects.filter(owner_id=user.pk, active=True).order_by("-created_at").first()
    if plan is not None and plan.assessment_id == assessment.pk:
        plan.assessment = assessment  # already read: no second query for it
        return plan
    routine, _ = _base(assessment)
    with transaction.atomic():
        RoutinePlan.objects.filter(owner_id=user.pk, active=True).update(active=False)
        return RoutinePlan.objects.create(
            owner_id=assessment.owner_id,
            assessment=assessment,
            items=_states_json(api.session_state(routine, content())),
        )


def today_for(user: User, safety: SafetyState, assessment: Assessment) -> Today:
    """The routine as it stands now, with what waits for the person's answer.

    A fixed number of queries whatever the history: the plan, its open proposals, the
    newest session and this week's session days.
    """
    plan = active_plan(user, assessment)
    _resume_if_cleared(plan, safety)
    return _today(plan, safety)


def _resume_if_cleared(plan: RoutinePlan, safety: SafetyState) -> None:
    """Bring back items a stop paused, once the safety questions answered since allow it.

    The core pauses an item after new symptoms or very high pain and says it comes back
    when the safety questions clear the person (``api.resume``): a check-in after the
    pause with a level that allows the full routine does that.
    """
    if plan.paused_at is None or safety.set_at is None or safety.set_at <= plan.paused_at:
        return
    if not safety.routine_allowed or safety.gentle_only:
        return
    with transaction.atomic():
        states = [api.resume(s) if s.stopped else s for s in states_of(plan)]
        plan.items = _states_json(states)
        plan.paused_at = None
        plan.save(update_fields=["items", "paused_at", "updated_at"])


def _today(plan: RoutinePlan, safety: SafetyState) -> Today:
    base, context = _base(plan.assessment)
    result = _standing_result(plan.assessment, safety)
    states = states_of(plan)
    routine = api.routine_for_state(
        base, states, result, context, content(), flare_up=plan.flare_up
    )
    proposals = list(
        PendingProposal.objects.filter(plan=plan, decided_at__isnull=True).order_by(
            "created_at", "item_index"
        )
    )
    newest = Session.objects.filter(owner_id=plan.owner_id).order_by("-day", "-created_at").first()
    today = timezone.localdate()
    morning_due = (
        newest
        if newest is not None and not newest.pain_next_morning and newest.day < today
        else None
    )
    week_start = _week_start(plan, today)
    done = {
        (day - week_start).days
        for day in Session.objects.filter(
            owner_id=plan.owner_id, plan=plan, day__gte=week_start
        ).values_list("day", flat=True)
    }
    return Today(plan, routine, result, context, states, proposals, morning_due, done, newest)


def _week_start(plan: RoutinePlan, today: date) -> date:
    start = timezone.localdate(plan.created_at)
    return start + timedelta(days=((today - start).days // 7) * 7)


def usual_pain_guess(today: Today) -> int | None:
    """What to offer as usual pain: the last session's answer, else the check-up's average."""
    if today.newest is not None and today.newest.usual_pain is not None:
        return today.newest.usual_pain
    score = today.result.scores.get("pain_nrs")
    return round(score.value) if score is not None and score.value is not None else None


def session_exists(plan: RoutinePlan, client_token: UUID) -> bool:
    return Session.objects.filter(owner_id=plan.owner_id, client_token=client_token).exists()


def gates_for(today: Today) -> api.Gates:
    gates = api.routine_gates(today.result, today.context, content())
    return gates.in_a_flare() if today.plan.flare_up else gates


# --------------------------------------------------------------------------- logging


@dataclass(frozen=True)
class ItemLog:
    """What the person logged for one routine item in one session."""

    exercise: str
    done: bool
    # Sets done per side ("left", "right" or "bilateral").
    sets: dict[str, int]
    pain_during: int | None
    effort: int | None
    reps_done: int | None = None


def log_session(
    plan: RoutinePlan,
    safety: SafetyState,
    client_token: UUID,
    items: Sequence[ItemLog],
    usual_pain: int,
    new_symptoms: bool,
    started_at: datetime | None = None,
) -> tuple[Session, bool]:
    """Store a session once (a resend with the same ``client_token`` finds the first one).

    Returns the session and whether it was new. A new session is then read by the
    progression rules at once, so a stop or a flare-up takes effect before the next page.
    """
    existing = Session.objects.filter(owner_id=plan.owner_id, client_token=client_token).first()
    if existing is not None:
        return existing, False
    now = timezone.now()
    # A session kept offline and sent later belongs to the day it was done.
    if started_at is not None and started_at > now:
        started_at = now
    day = timezone.localdate(started_at) if started_at is not None else timezone.localdate()
    try:
        with transaction.atomic():
            session = Session.objects.create(
                owner_id=plan.owner_id,
                plan=plan,
                day=day,
                started_at=started_at,
                finished_at=now,
                items=[api.to_jsonable(item) for item in items],
                usual_pain=usual_pain,
                new_symptoms=new_symptoms,
                client_token=client_token,
            )
            review(plan, safety)
    except IntegrityError:
        # The same session arrived twice at once; the other request stored it.
        return Session.objects.get(owner_id=plan.owner_id, client_token=client_token), False
    return session, True


def record_morning(session: Session, answer: str, plan: RoutinePlan, safety: SafetyState) -> None:
    """The next-morning answer for ``session``; the rules read it at once."""
    with transaction.atomic():
        session.pain_next_morning = answer
        session.save(update_fields=["pain_next_morning"])
        if session.plan_id == plan.pk:
            review(plan, safety)


def _logs(sessions: Sequence[Session], exercise_id: str) -> list[api.SessionLog]:
    """One exercise's logs, oldest first: the sessions where it was done."""
    logs: list[api.SessionLog] = []
    for session in sessions:
        for item in session.items:
            if item["exercise"] != exercise_id or not item["done"]:
                continue
            logs.append(
                api.SessionLog(
                    day=session.day,
                    completed=True,
                    pain_during=item["pain_during"],
                    pain_next_morning=session.pain_next_morning or None,  # type: ignore[arg-type]
                    difficulty=item["effort"],
                    usual_pain=session.usual_pain or 0,
                    new_symptoms=session.new_symptoms,
                    reps_done=item.get("reps_done"),
                )
            )
    return logs


def review(plan: RoutinePlan, safety: SafetyState) -> None:
    """Run the progression rules on every item of ``plan`` after a new log.

    Safety decisions (a stop, a flare-up step back) apply at once, as the core says
    (``requires_acceptance`` is False); a suggestion waits as a ``PendingProposal``.
    A flare-up switches the plan to flare mode; the core's ``flare_up_over`` ends it.
    """
    today = _today(plan, safety)
    gates = gates_for(today)
    sessions = list(Session.objects.filter(plan=plan).order_by("day", "created_at"))
    rules = content().progression
    states = list(today.states)
    known = {
        (p.item_index, _key(p.proposal))
        for p in PendingProposal.objects.filter(plan=plan).only("item_index", "proposal")
    }
    flare = False
    for index, state in enumerate(states):
        logs = _logs(sessions, state.exercise_id)
        if not logs:
            continue
        proposal = api.decide(state, logs, rules, content().exercises, gates)
        flare = flare or proposal.flare_up
        if proposal.new_state is None:
            continue
        if not proposal.requires_acceptance:
            states[index] = api.apply(state, proposal, accepted=False)
            if states[index].stopped:
                plan.paused_at = timezone.now()
            continue
        stored = api.to_jsonable(proposal)
        if (index, _key(stored)) in known:
            continue
        # A newer suggestion for the same item replaces one still waiting.
        PendingProposal.objects.filter(plan=plan, item_index=index, decided_at__isnull=True).update(
            decided_at=timezone.now()
        )
        PendingProposal.objects.create(
            owner_id=plan.owner_id, plan=plan, item_index=index, proposal=stored
        )
    plan.items = _states_json(states)
    if flare and not plan.flare_up:
        plan.flare_up, plan.flare_up_since = True, timezone.localdate()
    elif plan.flare_up and plan.flare_up_since is not None:
        since = [s for s in sessions if s.day >= plan.flare_up_since]
        all_logs = [log for s in since for log in _session_logs(s)]
        if api.flare_up_over(all_logs, rules):
            plan.flare_up, plan.flare_up_since = False, None
    plan.save(update_fields=["items", "flare_up", "flare_up_since", "paused_at", "updated_at"])


def _session_logs(session: Session) -> list[api.SessionLog]:
    exercises = {item["exercise"] for item in session.items}
    return [log for exercise in sorted(exercises) for log in _logs([session], exercise)]


def _key(stored: dict[str, Any]) -> str:
    return repr(sorted((k, repr(v)) for k, v in stored.items()))


# --------------------------------------------------------------------------- proposals


def _proposal_from_json(raw: dict[str, Any]) -> api.Proposal:
    """Enough of a stored proposal for ``api.apply``: what it was for and what it offers."""
    new_state = raw.get("new_state")
    return api.Proposal(
        action=raw["action"],
        flare_up=raw["flare_up"],
        reason=raw["reason"],
        new_state=state_from_json(new_state) if new_state is not None else None,
        rule_id=raw["rule_id"],
        sources=tuple(raw["sources"]),
        decided_for=state_from_json(raw["decided_for"]),
        requires_acceptance=raw["requires_acceptance"],
        based_on=tuple(date.fromisoformat(d) for d in raw["based_on"]),
    )


def decide_proposal(pending: PendingProposal, accepted: bool) -> bool:
    """Accept or decline a waiting proposal. False when it was stale and set aside.

    ``api.apply`` refuses a proposal made for another state of the item (it moved on
    since); such a proposal is closed without a change.
    """
    with transaction.atomic():
        plan = RoutinePlan.objects.select_for_update().get(pk=pending.plan_id)
        pending = PendingProposal.objects.select_for_update().get(pk=pending.pk)
        if pending.decided_at is not None:
            return False
        states = list(states_of(plan))
        proposal = _proposal_from_json(pending.proposal)
        pending.decided_at = timezone.now()
        try:
            if pending.item_index >= len(states):
                raise api.StaleProposalError("the item is no longer in the plan")
            states[pending.item_index] = api.apply(
                states[pending.item_index], proposal, accepted=accepted
            )
        except api.StaleProposalError:
            pending.save(update_fields=["decided_at"])
            return False
        pending.accepted = accepted
        pending.save(update_fields=["decided_at", "accepted"])
        plan.items = _states_json(states)
        plan.save(update_fields=["items", "updated_at"])
    return True


# --------------------------------------------------------------------------- flare-up


def start_flare_up(plan: RoutinePlan) -> None:
    """The person says their back has flared up: gentle items only, from now."""
    with transaction.atomic():
        plan.flare_up, plan.flare_up_since = True, timezone.localdate()
        plan.save(update_fields=["flare_up", "flare_up_since", "updated_at"])
