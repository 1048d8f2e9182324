"""Tolerance-gated progression: turn the logged sessions of one routine item into a proposal.

The rules and every threshold live in ``content/data/progression.yaml``
(:class:`~backbalance.content.schema_progression.ProgressionRules`); this module only
applies them. The strongest rule that fires wins:

1. **stop** — new symptoms (pain spreading, numbness) or very high pain during the
   exercise: the item is paused and the person goes back to the safety questions;
2. **flare-up** — a much worse next morning, worse mornings in a row, or pain during the
   exercise well above usual: the whole routine keeps to gentle items, and this item
   steps back;
3. **regress** — one worse morning, pain above the acceptable ceiling, or an effort at
   the person's limit: less dose, or the easier variation;
4. **progress** — enough good sessions in a row: more reps or hold within the dose range,
   then the harder variation (loaded items: a little more load);
5. **hold** — anything else, including too few sessions or a missed one.

Every harder or easier exercise is checked against the person's exercise gates
(:mod:`backbalance.core.gates`, the same ones the routine applies), so progression never
hands out what the routine would hold back: a gated harder version means staying put, a
gated easier one is skipped for the next easier one that passes (or a smaller dose of
this one), and an exercise that no longer passes (for example a non-gentle one during a
flare-up) is left out rather than changed. The person is told which, and why.

Regress and progress are *suggestions*: nothing changes until the person (or their
therapist) accepts. Stop and flare-up are safety decisions that take effect at once;
a stopped item comes back with :func:`resume` once the safety questions clear it.

Every change marks how far the item's logs were read (:class:`ReadMark`), so the same
session never acts twice, while a next-morning answer that arrives after the change
still counts for a flare-up.

Everything here is pure: same inputs, same proposal.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from itertools import pairwise
from typing import Literal

from msgspec.structs import replace

from backbalance.content.schema import Figure
from backbalance.content.schema_messages import ProgressionWording
from backbalance.content.schema_program import Exercise
from backbalance.content.schema_progression import (
    DoseRange,
    DoseStyle,
    LogScales,
    Message,
    ProgressionRules,
)
from backbalance.content.wording import fill
from backbalance.core.errors import FieldError, ProgressionError, StaleProposalError
from backbalance.core.gates import Block, Gates
from backbalance.core.types import Side
from backbalance.core.value import Value

Morning = Literal["better", "same", "worse", "much_worse"]
Action = Literal["progress", "hold", "regress", "stop"]
Freshness = Literal["fresh", "late", "old"]

MORNINGS: tuple[Morning, ...] = ("better", "same", "worse", "much_worse")
GOOD_MORNINGS: frozenset[str] = frozenset({"better", "same"})
WORSE_MORNINGS: frozenset[str] = frozenset({"worse", "much_worse"})
SIDES: tuple[Side, ...] = ("left", "right", "bilateral")

# The limits of the Dose model (schema_program.Dose), not clinical figures.
MAX_SETS = 10


# --------------------------------------------------------------------------- inputs


class SessionLog(Value, frozen=True):
    """What the person logged for one session of one routine item.

    ``pain_next_morning`` is None until the person answers the next morning.
    ``reps_done`` (optional) is the most repetitions managed in a set; only loaded
    strength items use it, to see whether the target was beaten.
    """

    day: date
    completed: bool
    pain_during: int
    pain_next_morning: Morning | None
    difficulty: int
    usual_pain: int
    # Pain spreading (for example into a leg), or new numbness or pins and needles.
    new_symptoms: bool = False
    reps_done: int | None = None

    def __post_init__(self) -> None:
        problems: list[FieldError] = []
        # The pain and effort scales are content (progression.yaml scales); decide() checks
        # a log against them, since only it has the content.
        if self.pain_next_morning is not None and self.pain_next_morning not in MORNINGS:
            problems.append(
                FieldError("pain_next_morning", f"must be one of {', '.join(MORNINGS)} or empty")
            )
        if self.reps_done is not None and self.reps_done < 0:
            problems.append(FieldError("reps_done", "cannot be negative"))
        if problems:
            raise ProgressionError(problems)


class ReadMark(Value, frozen=True):
    """How far an item's logs had been read when the item last changed.

    Every log before ``day`` and the first ``count_on_day`` logs on ``day`` were read:
    those sessions were done at the old dose and do not count again. Next-morning
    answers arrive a day late, so when the last read session's morning was still open
    (``morning_pending``), its answer still counts once it comes in.
    """

    day: date
    count_on_day: int
    morning_pending: bool


class ItemState(Value, frozen=True):
    """One routine item as it stands: which exercise, which side, and its dose.

    ``level`` is the exercise's level (``Exercise.level``). ``load_kg`` is set only for
    loaded strength work. ``stopped`` marks an item paused by a stop decision until the
    safety questions are answered again (see :func:`resume`). ``read`` is set by every
    change, so the sessions that led to it are not read twice.
    """

    exercise_id: str
    side: Side
    sets: int
    reps: int | None
    hold_s: float | None
    level: int
    load_kg: float | None = None
    stopped: bool = False
    read: ReadMark | None = None

    def __post_init__(self) -> None:
        problems: list[FieldError] = []
        if self.side not in SIDES:
            problems.append(FieldError("side", f"must be one of {', '.join(SIDES)}"))
        if self.sets < 1:
            problems.append(FieldError("sets", "must be at least 1"))
        if self.reps is not None and self.reps < 1:
            problems.append(FieldError("reps", "must be at least 1"))
        if self.hold_s is not None and self.hold_s <= 0:
            problems.append(FieldError("hold_s", "must be above 0"))
        if self.load_kg is not None and self.load_kg <= 0:
            problems.append(FieldError("load_kg", "must be above 0"))
        if problems:
            raise ProgressionError(problems)


class Proposal(Value, frozen=True):
    """What the rules suggest for one item, why, and what the item would become.

    ``new_state`` is None when nothing would change. ``based_on`` lists the days of the
    sessions that led to the decision; ``reason`` says the same in plain words.
    ``decided_for`` is the state the proposal was made for, so a stale proposal cannot be
    applied to a state that has moved on.
    """

    action: Action
    flare_up: bool
    reason: str
    new_state: ItemState | None
    rule_id: str
    sources: tuple[str, ...]
    decided_for: ItemState
    requires_acceptance: bool = True
    based_on: tuple[date, ...] = ()
    # The gates (core/gates.py) that held something back: a harder or easier version not
    # offered, or this exercise itself. Empty when no gate was involved.
    held_back: tuple[Block, ...] = ()
    # This exercise itself does not pass the person's gates now (for example a stretch
    # that is not gentle, during a flare-up): stop doing it until the routine is put
    # together again. Nothing else is offered in its place.
    leave_out: bool = False


# --------------------------------------------------------------------------- the decision


def decide(
    item: ItemState,
    logs: Sequence[SessionLog],
    rules: ProgressionRules,
    exercises: Mapping[str, Exercise],
    gates: Gates,
) -> Proposal:
    """The proposal for ``item`` from all its logged sessions (oldest first, newest last).

    ``gates`` are the person's exercise gates, built for the same person and moment as
    their routine (``core.program.routine_gates``): conditions, movements that worsen the
    pain, triage level, phase, loose muscles and kit. A flare-up adds gentle-only to them.

    Sessions already read by the last change (``item.read``) do not count again, but a
    next-morning answer that came in after the change does. Call again when a morning
    answer arrives: until then the newest session cannot count as a good one.
    """
    _check_logs(logs, rules.scales)
    seen = _evidence(logs, item.read)
    flare = _flare_signal(seen, rules)

    if item.stopped:
        return _paused(item, rules, flare is not None)

    stop = _stop_signal(seen, rules)
    if stop is not None:
        proposal = _proposal(
            item,
            "stop",
            stop,
            new_state=replace(item, stopped=True),
            flare_up=flare is not None,
            # Stopping is a safety decision: the person is told, not asked.
            requires_acceptance=False,
        )
    elif flare is not None:
        # A flare-up keeps the whole routine to gentle items, this step back included.
        proposal = _step_back(item, flare, rules, exercises, gates.in_a_flare(), safety=True)
    else:
        regress = _regress_signal(seen, rules)
        if regress is not None:
            proposal = _step_back(item, regress, rules, exercises, gates, safety=False)
        else:
            proposal = _progress_or_hold(item, seen.sessions, rules, exercises, gates)

    if proposal.new_state is None:
        return proposal
    # Every change marks the logs read so far, so the same sessions never act twice.
    newest = logs[-1]
    mark = ReadMark(
        day=newest.day,
        count_on_day=sum(1 for log in logs if log.day == newest.day),
        morning_pending=newest.pain_next_morning is None,
    )
    return replace(proposal, new_state=replace(proposal.new_state, read=mark))


def apply(item: ItemState, proposal: Proposal, accepted: bool) -> ItemState:
    """The item after the proposal: unchanged unless ``accepted`` is True.

    Stop and flare-up proposals are the exception. They are safety decisions and apply
    even when ``accepted`` is False: the person is told, not asked. A proposal made for
    another state raises :class:`StaleProposalError`, so an old suggestion cannot be accepted twice.
    """
    if proposal.decided_for != item:
        raise StaleProposalError("this proposal was made for a different state of the item")
    if proposal.new_state is None:
        return item
    # Safety decisions do not wait for a yes: the person is told, not asked.
    if proposal.action == "stop" or proposal.flare_up:
        return proposal.new_state
    return proposal.new_state if accepted else item


def resume(item: ItemState) -> ItemState:
    """The item again after a stop, once the safety questions have cleared the person.

    The session that caused the stop stays read, so it cannot stop the item again.
    """
    return replace(item, stopped=False)


def flare_up_over(logs: Sequence[SessionLog], rules: ProgressionRules) -> bool:
    """True once pain is back to usual on the last few logged days.

    ``logs`` are the sessions of the whole routine since the flare-up began, oldest
    first. Each of the last ``calm_days`` distinct days must have every session with
    pain during no more than ``calm_margin`` above usual (and below the stop threshold),
    no new symptoms, and no worse next morning. A morning not yet answered does not count
    against a day.
    """
    _check_logs(logs, rules.scales)
    need = int(rules.flare_up.calm_days.value)
    days = sorted({log.day for log in logs})
    if len(days) < need:
        return False
    last_days = set(days[-need:])
    margin = rules.flare_up.calm_margin.value
    stop_at = rules.stop.pain_during_at_least.value
    return all(
        not log.new_symptoms
        and log.pain_during <= log.usual_pain + margin
        and log.pain_during < stop_at
        and log.pain_next_morning not in WORSE_MORNINGS
        for log in logs
        if log.day in last_days
    )


# --------------------------------------------------------------------------- evidence


class _Evidence(Value, frozen=True):
    """The logs as the rules read them."""

    # Sessions done since the last change, oldest first.
    sessions: tuple[SessionLog, ...]
    # Every answered next morning, oldest first, with how new it is: "fresh" (a session
    # since the last change), "late" (the session that led to the change, whose morning
    # came in afterwards) or "old" (already read).
    mornings: tuple[tuple[SessionLog, Freshness], ...]

    def newest_morning(self) -> tuple[SessionLog, Freshness] | None:
        return self.mornings[-1] if self.mornings else None


def _evidence(logs: Sequence[SessionLog], mark: ReadMark | None) -> _Evidence:
    if mark is None:
        first_unread = 0
    else:
        before = sum(1 for log in logs if log.day < mark.day)
        on_day = sum(1 for log in logs if log.day == mark.day)
        first_unread = before + min(mark.count_on_day, on_day)
    # The last session read by the change may have had its morning still open then.
    late_morning = first_unread - 1 if mark is not None and mark.morning_pending else None

    def freshness(index: int) -> Freshness:
        if index >= first_unread:
            return "fresh"
        return "late" if index == late_morning else "old"

    mornings = tuple(
        (log, freshness(index))
        for index, log in enumerate(logs)
        if log.pain_next_morning is not None
    )
    return _Evidence(sessions=tuple(logs[first_unread:]), mornings=mornings)


class _Signal(Value, frozen=True):
    """A rule that fired: its message, the sessions behind it and the message values."""

    message: Message
    logs: tuple[SessionLog, ...]
    values: dict[str, str]
    figures: tuple[Figure, ...] = ()


def _stop_signal(seen: _Evidence, rules: ProgressionRules) -> _Signal | None:
    """Any session not yet read that reported new symptoms or very high pain stops the item.

    Every unread session counts, not only the newest: a calm session logged after an
    alarming one must not hide it.
    """
    threshold = rules.stop.pain_during_at_least
    for log in seen.sessions:
        if log.new_symptoms:
            return _Signal(rules.stop.new_symptoms, (log,), {"day": _day(log.day, rules.wording)})
    for log in seen.sessions:
        if log.pain_during >= threshold.value:
            return _Signal(
                rules.stop.high_pain,
                (log,),
                {"day": _day(log.day, rules.wording), "pain": str(log.pain_during)},
                (threshold,),
            )
    return None


def _flare_signal(seen: _Evidence, rules: ProgressionRules) -> _Signal | None:
    flare = rules.flare_up
    newest_morning = seen.newest_morning()
    # Morning rules act only on a morning answer that is news since the last change, and
    # a late answer about the session that caused the change still counts here; a
    # morning not answered yet neither counts as worse nor breaks a run of worse ones.
    if newest_morning is not None and newest_morning[1] != "old":
        log = newest_morning[0]
        if log.pain_next_morning == "much_worse":
            return _Signal(flare.much_worse_morning, (log,), {"day": _day(log.day, rules.wording)})
        # The run may reach back past the last change: a worse morning after a step back
        # still follows the worse morning that caused it.
        run: list[SessionLog] = []
        for earlier, _ in reversed(seen.mornings):
            if earlier.pain_next_morning not in WORSE_MORNINGS:
                break
            run.insert(0, earlier)
        if len(run) >= flare.worse_mornings_in_a_row.value:
            return _Signal(
                flare.worse_mornings,
                tuple(run),
                {"count": str(len(run)), "days": _days((log.day for log in run), rules.wording)},
                (flare.worse_mornings_in_a_row,),
            )
    if not seen.sessions:
        return None
    newest = seen.sessions[-1]
    ceiling = rules.tolerance.pain_during_ceiling
    if (
        newest.pain_during > ceiling.value
        and newest.pain_during >= newest.usual_pain + flare.pain_above_usual_by.value
    ):
        return _Signal(
            flare.pain_above_usual,
            (newest,),
            {
                "day": _day(newest.day, rules.wording),
                "pain": str(newest.pain_during),
                "usual": str(newest.usual_pain),
            },
            (ceiling, flare.pain_above_usual_by),
        )
    return None


def _regress_signal(seen: _Evidence, rules: ProgressionRules) -> _Signal | None:
    regress = rules.regress
    newest_morning = seen.newest_morning()
    # A late worse morning about the session that already caused a step back does not
    # step back again; only a flare-up (above) reads it.
    if (
        newest_morning is not None
        and newest_morning[1] == "fresh"
        and newest_morning[0].pain_next_morning in WORSE_MORNINGS
    ):
        log = newest_morning[0]
        return _Signal(regress.worse_morning, (log,), {"day": _day(log.day, rules.wording)})
    if not seen.sessions:
        return None
    newest = seen.sessions[-1]
    ceiling = rules.tolerance.pain_during_ceiling
    if newest.pain_during > ceiling.value:
        return _Signal(
            regress.pain_above_ceiling,
            (newest,),
            {
                "day": _day(newest.day, rules.wording),
                "pain": str(newest.pain_during),
                "ceiling": _number(ceiling.value),
            },
            (ceiling,),
        )
    if newest.difficulty >= regress.difficulty_at_least.value:
        return _Signal(
            regress.too_hard,
            (newest,),
            {"day": _day(newest.day, rules.wording), "difficulty": str(newest.difficulty)},
            (regress.difficulty_at_least,),
        )
    return None


# --------------------------------------------------------------------------- proposals


def paused_reason(item: ItemState, rules: ProgressionRules) -> str:
    """Why a stopped item is not in the routine, in the content's words."""
    return _render(rules.stop.paused, _paused_values(item, rules))


def _paused_values(item: ItemState, rules: ProgressionRules) -> dict[str, str]:
    if item.read is None:
        return {"day": rules.wording.last_session}
    return {"day": _day(item.read.day, rules.wording)}


def _paused(item: ItemState, rules: ProgressionRules, flare_up: bool) -> Proposal:
    signal = _Signal(rules.stop.paused, (), _paused_values(item, rules))
    return _proposal(
        item, "stop", signal, new_state=None, flare_up=flare_up, requires_acceptance=False
    )


def _step_back(
    item: ItemState,
    signal: _Signal,
    rules: ProgressionRules,
    exercises: Mapping[str, Exercise],
    gates: Gates,
    safety: bool,
) -> Proposal:
    exercise = _exercise(exercises, item.exercise_id)
    blocks = gates.blocks(exercise)
    if blocks:
        # This exercise is not one for the person now: a smaller dose of it will not do.
        # The first easier version that passes the gates takes its place, or it is left out.
        easier, skipped = _allowed_easier(exercise, exercises, gates)
        if easier is None:
            return _held_back(item, rules, exercise, blocks, flare=signal if safety else None)
        lower: tuple[ItemState, DoseRange | None] | None = (
            _switched(item, exercise, easier),
            None,
        )
    else:
        lower, skipped = _lowered(item, exercise, rules, exercises, gates)
    held_back = (*blocks, *(block for _, block in skipped))
    if lower is None:
        nothing = rules.hold.nothing_easier
        change = " ".join([*_skipped_text(skipped, rules), _render(nothing, {})])
        values = {**signal.values, "change": change}
        proposal = _proposal(
            item,
            "hold",
            replace(signal, values=values),
            new_state=None,
            flare_up=safety,
            requires_acceptance=not safety,
            extra_sources=(*nothing.sources, *_skipped_sources(skipped, rules)),
            # A flare-up keeps its own rule id: it changes the whole routine.
            rule_id=None if safety else nothing.id,
        )
        return replace(proposal, held_back=held_back)
    new_state, dose_range = lower
    change = " ".join(
        [*_skipped_text(skipped, rules), _change(item, new_state, exercises, rules.wording)]
    )
    values = {**signal.values, "change": change}
    proposal = _proposal(
        item,
        "regress",
        replace(signal, values=values),
        new_state=new_state,
        flare_up=safety,
        # A flare-up is a safety decision: the person is told, not asked.
        requires_acceptance=not safety,
        extra_sources=(
            *(dose_range.sources if dose_range is not None else ()),
            *_skipped_sources(skipped, rules),
        ),
    )
    return replace(proposal, held_back=held_back)


def _held_back(
    item: ItemState,
    rules: ProgressionRules,
    exercise: Exercise,
    blocks: tuple[Block, ...],
    flare: _Signal | None = None,
) -> Proposal:
    """The exercise is left out, unchanged: it does not pass the person's gates now.

    During a flare-up (``flare`` is the flare-up signal) the flare-up keeps its own
    message and rule id, with this as what changes for the item.
    """
    message = rules.gates.exercise_held_back
    values = {"next": exercise.name, "why": blocks[0].why}
    if flare is not None:
        held = replace(flare, values={**flare.values, "change": _render(message, values)})
    else:
        held = _Signal(message, (), values)
    proposal = _proposal(
        item,
        "hold",
        held,
        new_state=None,
        flare_up=flare is not None,
        # Nothing changes and nothing is offered, so there is nothing to accept.
        requires_acceptance=False,
        extra_sources=tuple(message.sources),
    )
    return replace(proposal, held_back=blocks, leave_out=True)


def _allowed_easier(
    exercise: Exercise, exercises: Mapping[str, Exercise], gates: Gates
) -> tuple[Exercise | None, list[tuple[Exercise, Block]]]:
    """The first easier version down the chain that passes the gates, and those skipped.

    Skipping down is safe (each step is easier still); skipping up never happens.
    """
    skipped: list[tuple[Exercise, Block]] = []
    link = exercise.easier
    while link is not None:
        candidate = _exercise(exercises, link)
        blocks = gates.blocks(candidate)
        if not blocks:
            return candidate, skipped
        skipped.append((candidate, blocks[0]))
        link = candidate.easier
    return None, skipped


def _skipped_text(skipped: Sequence[tuple[Exercise, Block]], rules: ProgressionRules) -> list[str]:
    message = rules.gates.easier_held_back
    return [_render(message, {"next": e.name, "why": block.why}) for e, block in skipped]


def _skipped_sources(
    skipped: Sequence[tuple[Exercise, Block]], rules: ProgressionRules
) -> tuple[str, ...]:
    return tuple(rules.gates.easier_held_back.sources) if skipped else ()


def _progress_or_hold(
    item: ItemState,
    sessions: Sequence[SessionLog],
    rules: ProgressionRules,
    exercises: Mapping[str, Exercise],
    gates: Gates,
) -> Proposal:
    progress, hold = rules.progress, rules.hold
    exercise = _exercise(exercises, item.exercise_id)
    blocks = gates.blocks(exercise)
    if blocks:
        # Not one for this person now: more of it is not the answer.
        return _held_back(item, rules, exercise, blocks)
    ceiling = _number(rules.tolerance.pain_during_ceiling.value)
    needed = int(progress.good_sessions_in_a_row.value)
    if len(sessions) < needed:
        signal = _Signal(
            hold.too_few,
            tuple(sessions),
            {"needed": str(needed), "count": str(len(sessions))},
            (progress.good_sessions_in_a_row,),
        )
        return _proposal(item, "hold", signal, new_state=None)

    window = tuple(sessions[-needed:])
    break_day = _missed_or_gap(window, progress.max_gap_days.value)
    if break_day is not None:
        signal = _Signal(
            hold.missed, window, {"day": _day(break_day, rules.wording)}, (progress.max_gap_days,)
        )
        return _proposal(item, "hold", signal, new_state=None)

    gate = (
        rules.tolerance.pain_during_ceiling,
        progress.difficulty_at_most,
        progress.good_sessions_in_a_row,
    )
    if not all(_good(log, rules) for log in window):
        signal = _Signal(hold.not_yet, window, {"needed": str(needed), "ceiling": ceiling}, gate)
        return _proposal(item, "hold", signal, new_state=None)

    if item.load_kg is not None:
        return _load_progress(item, sessions, rules, window, gate)

    went_well = {
        "count": str(needed),
        "days": _days((log.day for log in window), rules.wording),
        "ceiling": ceiling,
    }
    dose_range = rules.dose_range(exercise.kind, _style(exercise))
    raised = _raised(item, dose_range)
    if raised is not None:
        values = {**went_well, "change": _change(item, raised, exercises, rules.wording)}
        signal = _Signal(progress.more_dose, window, values, gate)
        return _proposal(
            item, "progress", signal, new_state=raised, extra_sources=tuple(dose_range.sources)
        )
    if exercise.harder is not None:
        harder = _exercise(exercises, exercise.harder)
        held = gates.blocks(harder)
        if held:
            # Never hand out a harder version the routine would hold back for this person,
            # and never jump past it to a still harder one: stay here.
            values = {**went_well, "next": harder.name, "why": held[0].why}
            signal = _Signal(rules.gates.harder_held_back, window, values, gate)
            return replace(_proposal(item, "hold", signal, new_state=None), held_back=held)
        new_state = _switched(item, exercise, harder)
        values = {**went_well, "change": _change(item, new_state, exercises, rules.wording)}
        signal = _Signal(progress.harder_exercise, window, values, gate)
        return _proposal(
            item, "progress", signal, new_state=new_state, extra_sources=tuple(dose_range.sources)
        )
    signal = _Signal(hold.top_reached, window, went_well, gate)
    return _proposal(item, "hold", signal, new_state=None)


def _load_progress(
    item: ItemState,
    sessions: Sequence[SessionLog],
    rules: ProgressionRules,
    window: tuple[SessionLog, ...],
    gate: tuple[Figure, ...],
) -> Proposal:
    """Loaded strength: more load once the target is beaten on sessions in a row (S50a)."""
    load = rules.load
    assert item.load_kg is not None
    in_a_row = int(load.sessions_in_a_row.value)
    last = tuple(sessions[-in_a_row:])
    target = item.reps
    beat_target = (
        target is not None
        and len(last) == in_a_row
        and all(
            _good(log, rules)
            and log.reps_done is not None
            and log.reps_done >= target + load.reps_over_target.value
            for log in last
        )
    )
    figures = (*gate, load.reps_over_target, load.sessions_in_a_row)
    if not beat_target:
        signal = _Signal(load.not_yet, window, {"needed": str(in_a_row)}, figures)
        return _proposal(item, "hold", signal, new_state=None)
    new_load = _heavier(item.load_kg, load.step_percent.value, load.round_to_kg.value)
    new_state = replace(item, load_kg=new_load)
    values = {
        "count": str(in_a_row),
        "days": _days((log.day for log in last), rules.wording),
        "change": _change(item, new_state, {}, rules.wording),
    }
    signal = _Signal(load.add_load, last, values, (*figures, load.step_percent))
    return _proposal(item, "progress", signal, new_state=new_state)


def _proposal(
    item: ItemState,
    action: Action,
    signal: _Signal,
    *,
    new_state: ItemState | None,
    flare_up: bool = False,
    requires_acceptance: bool = True,
    extra_sources: tuple[str, ...] = (),
    rule_id: str | None = None,
) -> Proposal:
    sources = [*signal.message.sources]
    for figure in signal.figures:
        sources.extend(figure.sources)
    sources.extend(extra_sources)
    return Proposal(
        action=action,
        flare_up=flare_up,
        reason=_render(signal.message, signal.values),
        new_state=new_state,
        rule_id=rule_id or signal.message.id,
        sources=tuple(dict.fromkeys(sources)),
        decided_for=item,
        requires_acceptance=requires_acceptance,
        based_on=tuple(log.day for log in signal.logs),
    )


# --------------------------------------------------------------------------- dose steps


def _style(exercise: Exercise) -> DoseStyle:
    return "hold" if exercise.dose.hold_s is not None else "reps"


def _raised(item: ItemState, dose_range: DoseRange) -> ItemState | None:
    """One step up within the dose range, or None when the range is used up."""
    for part in dose_range.raise_order:
        if part == "reps" and dose_range.reps_max is not None and dose_range.reps_step:
            # A hold dose without a rep count is one hold per set.
            current = item.reps if item.reps is not None else 1
            top = int(dose_range.reps_max.value)
            if current < top:
                step = int(dose_range.reps_step.value)
                return replace(item, reps=min(current + step, top))
        if part == "hold_s" and dose_range.hold_max_s is not None and dose_range.hold_step_s:
            if item.hold_s is None:
                continue
            top_s = dose_range.hold_max_s.value
            if item.hold_s < top_s:
                hold = min(item.hold_s + dose_range.hold_step_s.value, top_s)
                return replace(item, hold_s=hold)
    return None


def _lowered(
    item: ItemState,
    exercise: Exercise,
    rules: ProgressionRules,
    exercises: Mapping[str, Exercise],
    gates: Gates,
) -> tuple[tuple[ItemState, DoseRange | None] | None, list[tuple[Exercise, Block]]]:
    """One step down: undo a dose step, else the easier exercise, else below the default.

    Returns the new state and the dose range it came from (None for a load or an
    exercise switch), or None when there is nothing lower to go to; and the easier
    versions skipped because they do not pass the person's gates.
    """
    lower = _lowered_dose(item, exercise, rules)
    if lower is not None:
        return lower, []
    easier, skipped = _allowed_easier(exercise, exercises, gates)
    if easier is not None:
        return (_switched(item, exercise, easier), None), skipped
    return _below_default(item, exercise, rules), skipped


def _lowered_dose(
    item: ItemState, exercise: Exercise, rules: ProgressionRules
) -> tuple[ItemState, DoseRange | None] | None:
    """Undo the last load or dose step that progression added, or None if none was added."""
    if item.load_kg is not None:
        load = rules.load
        lighter = _lighter(item.load_kg, load.step_percent.value, load.round_to_kg.value)
        if lighter is not None:
            return replace(item, load_kg=lighter), None

    dose_range = rules.dose_range(exercise.kind, _style(exercise))
    default = exercise.dose
    default_reps = default.reps if default.reps is not None else 1
    # Undo what progression added, last-raised part first, never below the default.
    for part in reversed(dose_range.raise_order):
        if (
            part == "reps"
            and dose_range.reps_step is not None
            and item.reps is not None
            and item.reps > default_reps
        ):
            reps = max(item.reps - int(dose_range.reps_step.value), default_reps)
            # Back at one hold per set: say so the way the default dose does.
            new_reps = None if default.reps is None and reps == 1 else reps
            return replace(item, reps=new_reps), dose_range
        if (
            part == "hold_s"
            and dose_range.hold_step_s is not None
            and item.hold_s is not None
            and default.hold_s is not None
            and item.hold_s > default.hold_s
        ):
            hold = max(item.hold_s - dose_range.hold_step_s.value, default.hold_s)
            return replace(item, hold_s=hold), dose_range
    return None


def _below_default(
    item: ItemState, exercise: Exercise, rules: ProgressionRules
) -> tuple[ItemState, DoseRange | None] | None:
    """Nothing easier is allowed: do less of this one, fewer sets first; None at the floor."""
    dose_range = rules.dose_range(exercise.kind, _style(exercise))
    if item.sets > 1:
        return replace(item, sets=item.sets - 1), dose_range
    rep_step = int(dose_range.reps_step.value) if dose_range.reps_step is not None else 1
    if item.reps is not None and item.reps > 1:
        return replace(item, reps=max(item.reps - rep_step, 1)), dose_range
    hold_step = dose_range.hold_step_s.value if dose_range.hold_step_s is not None else None
    if item.hold_s is not None and hold_step is not None and item.hold_s > hold_step:
        return replace(item, hold_s=item.hold_s - hold_step), dose_range
    return None


def _switched(item: ItemState, old: Exercise, new: Exercise) -> ItemState:
    """The item moved to another exercise at its default dose.

    Any sets the routine added or removed on purpose (extra sets for the side that needs
    them) carry over, so a switch does not even out a deliberate side difference.
    """
    offset = item.sets - old.dose.sets
    return ItemState(
        exercise_id=new.id,
        side=item.side if new.unilateral else "bilateral",
        sets=min(MAX_SETS, max(1, new.dose.sets + offset)),
        reps=new.dose.reps,
        hold_s=new.dose.hold_s,
        level=new.level,
        load_kg=None,
        stopped=False,
    )


# --------------------------------------------------------------------------- helpers


def _good(log: SessionLog, rules: ProgressionRules) -> bool:
    """A session that counts towards moving on."""
    return (
        log.completed
        and not log.new_symptoms
        and log.pain_during <= rules.tolerance.pain_during_ceiling.value
        and log.pain_next_morning in GOOD_MORNINGS
        and log.difficulty <= rules.progress.difficulty_at_most.value
    )


def _missed_or_gap(window: Sequence[SessionLog], max_gap_days: float) -> date | None:
    """The day the run of sessions was broken (a session not finished, or a long gap)."""
    for previous, log in zip((None, *window[:-1]), window, strict=True):
        if not log.completed:
            return log.day
        if previous is not None and (log.day - previous.day).days > max_gap_days:
            return log.day
    return None


def _check_logs(logs: Sequence[SessionLog], scales: LogScales) -> None:
    """Logs in date order, each rating on its scale; a ValueError names the field."""
    for earlier, later in pairwise(logs):
        if later.day < earlier.day:
            raise ProgressionError([FieldError("logs", "must be in date order, oldest first")])
    for log in logs:
        for field, scale in (
            ("pain_during", scales.pain),
            ("usual_pain", scales.pain),
            ("difficulty", scales.effort),
        ):
            value = getattr(log, field)
            if not scale.minimum <= value <= scale.maximum:
                raise ProgressionError(
                    [
                        FieldError(
                            field,
                            f"must be {scale.minimum}-{scale.maximum}, not {value} ({log.day})",
                        )
                    ]
                )


def _exercise(exercises: Mapping[str, Exercise], exercise_id: str) -> Exercise:
    try:
        return exercises[exercise_id]
    except KeyError:
        raise ProgressionError(
            [FieldError("exercise_id", f"unknown exercise {exercise_id!r}")]
        ) from None


def _heavier(load_kg: float, percent: float, step: float) -> float:
    """The load raised by ``percent``, rounded to ``step``, and at least one step more."""
    raised = round(load_kg * (1 + percent / 100) / step) * step
    return round(max(raised, load_kg + step), 6)


def _lighter(load_kg: float, percent: float, step: float) -> float | None:
    """The load lowered by ``percent``, rounded to ``step``; None when nothing is left."""
    lowered = round(load_kg * (1 - percent / 100) / step) * step
    lowered = round(min(lowered, load_kg - step), 6)
    return lowered if lowered > 0 else None


def _render(message: Message, values: Mapping[str, str]) -> str:
    return fill(message.says, **values)


def _day(day: date, words: ProgressionWording) -> str:
    return fill(words.date, day=day.day, month=words.month_names[day.month - 1])


def _days(days: Iterable[date], words: ProgressionWording) -> str:
    names = [_day(d, words) for d in days]
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + words.list_and + names[-1]


def _number(value: float) -> str:
    return f"{value:g}"


def _dose_text(state: ItemState, words: ProgressionWording) -> str:
    sets = fill(words.one_set if state.sets == 1 else words.sets, count=state.sets)
    if state.reps is not None and state.hold_s is not None:
        holds = words.one_hold if state.reps == 1 else words.holds
        body = fill(holds, count=state.reps, seconds=_number(state.hold_s))
    elif state.reps is not None:
        body = fill(
            words.one_repetition if state.reps == 1 else words.repetitions, count=state.reps
        )
    else:
        assert state.hold_s is not None
        body = fill(words.single_hold, seconds=_number(state.hold_s))
    if state.load_kg is not None:
        return fill(words.dose_with_load, sets=sets, body=body, kg=_number(state.load_kg))
    return fill(words.dose, sets=sets, body=body)


def _change(
    old: ItemState, new: ItemState, exercises: Mapping[str, Exercise], words: ProgressionWording
) -> str:
    if new.exercise_id != old.exercise_id:
        return fill(
            words.next_time_other_exercise,
            exercise=exercises[new.exercise_id].name,
            new=_dose_text(new, words),
            old_exercise=exercises[old.exercise_id].name,
        )
    return fill(words.next_time, new=_dose_text(new, words), old=_dose_text(old, words))
