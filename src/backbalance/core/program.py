"""Findings + context → a daily corrective routine, deliberately unbalanced.

The steps, each a small function below:

1. **Gates.** An emergency gives no routine. Every other gate lives in
   :mod:`backbalance.core.gates`, shared with progression: an urgent screen or a calming
   phase allows gentle items only; an exercise contraindicated with one of the person's
   conditions is never offered, nor one loading the spine the way, or done in a position,
   that currently makes the pain worse, nor a stretch of a muscle that tested loose
   (lax), nor one of a kind the phase does not use or needing kit they lack. Everything
   later only chooses among what is left.
2. **Phase.** Calm, correct, maintain or strengthen, from pain, irritability and weeks on
   the programme (content/program.yaml).
3. **Targets.** Abnormal findings and signs, the primary imbalances' evidence first.
4. **Choice.** For each target the easiest allowed exercise that addresses it; an
   exercise chosen for both sides becomes one item.
5. **Dose per side.** The side a finding names gets the full dose; the other side of a
   one-sided exercise gets a share of it; a side singled out by an asymmetry gets more.
6. **Time budget.** Items are added in priority order while the busiest day of the week
   still fits the minutes the person has; what does not fit is listed with the reason.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from msgspec.structs import replace

from backbalance.content.loader import Content
from backbalance.content.schema_messages import ProgramMessages
from backbalance.content.schema_program import Dose, Exercise, Phase, ProgramSettings
from backbalance.content.wording import fill
from backbalance.core.gates import Gates, gates_for, loose_muscles
from backbalance.core.progression import ItemState, paused_reason
from backbalance.core.types import (
    CONFIDENCE_ORDER,
    Confidence,
    Context,
    LeftOut,
    Result,
    Routine,
    RoutineItem,
    Side,
    SideDose,
    finding_label,
    other_side,
)
from backbalance.core.value import Value

ONE_SIDED: tuple[Side, ...] = ("left", "right")


def _one_side(named: set[str]) -> Side:
    """The one side in ``named`` (which holds "left" or "right" alone)."""
    return "left" if "left" in named else "right"


class Target(Value, frozen=True):
    """Something the routine should work on: a muscle status or a sign, with its priority."""

    muscle: str | None
    status: str | None
    sign: str | None
    side: Side
    confidence: Confidence
    # Lower is more important: 0 for the first primary imbalance, 1 for the second, …
    rank: int
    label: str
    # The muscle's or the sign's display name: among equals, targets go by name.
    name: str
    # Every primary imbalance this evidence supports (evidence can support both).
    serves: tuple[int, ...] = ()


@dataclass
class _Draft:
    """An item while the routine is being built (mutable; frozen into a RoutineItem)."""

    exercise: Exercise
    rank: int
    sides: set[str] = field(default_factory=set)
    extra_sides: set[str] = field(default_factory=set)
    reasons: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    # The primary imbalances it serves (0 = the first): an exercise for evidence both share
    # can lead the second one's items too, though its own rank is the first's.
    serves: set[int] = field(default_factory=set)


# Rank of an item that follows what eases the pain: below every other rank, so it is fitted
# into the minutes first (see _priority_order).
EASING_RANK = -2


def build_routine(result: Result, context: Context, content: Content) -> Routine | None:
    """The routine for this result and context; None when the safety screen forbids one."""
    if result.triage.level == "emergency":
        return None
    settings = content.program
    phase, phase_reason = routine_phase(result, context, settings)
    said = settings.messages
    notes: list[str] = []
    if result.triage.level == "urgent":
        notes.append(said.urgent_gentle_only)

    gates = routine_gates(result, context, content)
    allowed, left_out = _gate(gates, content)
    targets = _targets(result, content)
    drafts = _choose(targets, allowed, content)
    # A calming phase is built around its base items; elsewhere they only fill spare time.
    base_rank = -1 if phase.gentle_only else len(targets) + 1
    for exercise_id in phase.base_items:
        if exercise_id not in content.exercises:
            continue  # a trimmed library (the content check keeps the real one whole)
        base = _base_item(content.exercises[exercise_id], allowed, content)
        if base is not None and base.id not in drafts:
            reason = fill(said.base_item, phase=phase.name)
            if base.id != exercise_id:
                instead = fill(said.used_in_place, exercise=content.exercises[exercise_id].name)
                reason = f"{reason} {instead}"
            drafts[base.id] = _Draft(base, rank=base_rank, sides={"bilateral"}, reasons=[reason])

    if phase.offer_easing_movements:
        for exercise, reason in _easing_items(allowed, context, content):
            # What eases the person's own pain comes first in the time budget, before any
            # corrective item: it is never the thing dropped for time.
            draft = drafts.get(exercise.id)
            if draft is None:
                drafts[exercise.id] = _Draft(
                    exercise, rank=EASING_RANK, sides={"bilateral"}, reasons=[reason]
                )
            else:
                draft.rank = EASING_RANK
                draft.reasons.append(reason)

    budget_s = context.minutes_per_day * 60
    items: list[RoutineItem] = []
    load_by_day = [0.0] * 7
    ordered = _priority_order(drafts, len(result.primary_imbalances), settings)
    over_budget = False
    for draft in ordered:
        if len(items) >= settings.max_items.value:
            left_out.append(LeftOut(draft.exercise.id, said.list_full, "list_full"))
            continue
        # What eases the pain first takes only its smallest dose, so it always fits and
        # still leaves time for the correction; it grows back once the rest is in.
        easing = draft.rank == EASING_RANK
        fitted = _fit(draft, phase, settings, content, load_by_day, budget_s, 1 if easing else None)
        if fitted is None and easing:
            # Never dropped for time: when what eases the pain cannot all fit even at one
            # set each, it is kept anyway, nothing else is added, and the note says so.
            fitted = _forced(draft, phase, settings, content, load_by_day)
            if not over_budget:
                notes.append(fill(said.easing_over_time, minutes=context.minutes_per_day))
            over_budget = True
        if fitted is None:
            left_out.append(
                LeftOut(
                    draft.exercise.id,
                    fill(said.does_not_fit, minutes=context.minutes_per_day),
                    "time",
                )
            )
            continue
        item, day_load = fitted
        item = replace(item, cautions=_cautions(draft.exercise, context, content))
        items.append(item)
        load_by_day = day_load

    items, load_by_day = _grow_easing_items(
        items, drafts, phase, settings, content, load_by_day, budget_s
    )
    kind_order: dict[str, int] = {kind: n for n, kind in enumerate(settings.order)}
    items.sort(key=lambda i: (kind_order[i.kind], i.exercise))
    schedule = tuple(tuple(i.exercise for i in items if day in i.days) for day in range(7))
    retest_days = int(settings.retest_after_days.value)
    retest_date = (
        (context.start_date + timedelta(days=retest_days)).isoformat()
        if context.start_date
        else None
    )
    if not items:
        notes.append(said.nothing_fits)
    return Routine(
        phase=phase.id,
        phase_name=phase.name,
        phase_reason=phase_reason,
        items=tuple(items),
        schedule=schedule,
        minutes_budget=context.minutes_per_day,
        minutes_by_day=tuple(round(s / 60, 1) for s in load_by_day),
        retest_date=retest_date,
        retest_after_days=retest_days,
        expect_change=fill(
            said.expect_change,
            days=retest_days,
            flexibility_weeks=f"{settings.flexibility_change_weeks.value:g}",
            strength_weeks=f"{settings.strength_change_weeks.value:g}",
        ),
        left_out=tuple(sorted(left_out, key=lambda o: o.exercise)),
        notes=tuple(notes),
    )


# --------------------------------------------------------------------------- phase


def average_pain(result: Result) -> float | None:
    score = result.scores.get("pain_nrs")
    return score.value if score is not None else None


def choose_phase(result: Result, context: Context, settings: ProgramSettings) -> tuple[Phase, str]:
    """The first phase whose tests pass, and a plain sentence saying why."""
    pain = average_pain(result)
    said = settings.messages
    for phase in settings.phases:
        required = _requirements_hold(phase, pain, context)
        if not required:
            continue
        reasons = list(_entry_reasons(phase, pain, context, said))
        has_entry_tests = (
            phase.enter_if_pain_at_least is not None
            or phase.enter_if_irritability
            or phase.enter_if_weeks_below is not None
        )
        if has_entry_tests and not reasons:
            continue
        if not reasons:
            reasons = [said.reason_mild_and_going]
        if phase.requires_weeks_at_least is not None:
            reasons.append(fill(said.reason_weeks_in, weeks=context.weeks_done))
        return phase, fill(said.phase_reason, phase=phase.name, reasons="; ".join(reasons))
    last = settings.phases[-1]
    return last, fill(said.phase_fallback, phase=last.name)


def routine_phase(result: Result, context: Context, settings: ProgramSettings) -> tuple[Phase, str]:
    """The phase the routine is built in: the gentle one while an urgent screen waits.

    An urgent screen switches the self-tests off, so there are no findings to correct; the
    gentle phase's own items (easy movement, breathing, easing positions) are what is safe
    and useful until a doctor has seen the person.
    """
    phase, reason = choose_phase(result, context, settings)
    if result.triage.level != "urgent" or phase.gentle_only:
        return phase, reason
    gentle = next(p for p in settings.phases if p.gentle_only)
    return gentle, fill(settings.messages.phase_urgent, phase=gentle.name)


def _requirements_hold(phase: Phase, pain: float | None, context: Context) -> bool:
    weeks, pain_below = phase.requires_weeks_at_least, phase.requires_pain_below
    if weeks is not None and context.weeks_done < weeks.value:
        return False
    return pain_below is None or (pain is not None and pain < pain_below.value)


def _entry_reasons(
    phase: Phase, pain: float | None, context: Context, said: ProgramMessages
) -> Iterator[str]:
    pain_line, weeks_line = phase.enter_if_pain_at_least, phase.enter_if_weeks_below
    if pain_line is not None and pain is not None and pain >= pain_line.value:
        yield fill(said.reason_pain, pain=f"{pain:g}")
    if context.irritability in phase.enter_if_irritability:
        high = context.irritability == "high"
        yield said.reason_flares_high if high else said.reason_flares_moderate
    if weeks_line is not None and context.weeks_done < weeks_line.value:
        yield said.reason_first_weeks


# --------------------------------------------------------------------------- gates


def routine_gates(result: Result, context: Context, content: Content) -> Gates:
    """The gates this routine applies: the same ones progression must apply to this person.

    A caller that moves a routine item on or back (core/progression.py) builds its gates
    here, from the same result and context, so it can never hand out what the routine
    would have held back.
    """
    phase, _ = routine_phase(result, context, content.program)
    return gates_for(
        triage_level=result.triage.level,
        # The result's conditions include those the safety screen established, so a
        # caller holding only the ticked ones cannot open a gate the routine kept shut.
        conditions=context.conditions | result.conditions,
        # Likewise the result's movements include those a repeated-movement check found
        # worsening, so a caller holding only the stated ones cannot load them.
        worsens=context.worsens | result.worsens,
        loose=loose_muscles(result.findings),
        phase=phase,
        equipment=context.equipment,
        content=content,
    )


def _gate(gates: Gates, content: Content) -> tuple[dict[str, Exercise], list[LeftOut]]:
    """Every exercise the person may be offered now; the rest with the reason it is not.

    This is the only place exercises are admitted; later steps choose among these, so no
    rule downstream can bring back an exercise a gate removed.
    """
    allowed: dict[str, Exercise] = {}
    left_out: list[LeftOut] = []
    for exercise in content.exercises.values():
        blocks = gates.blocks(exercise)
        if not blocks:
            allowed[exercise.id] = exercise
            continue
        # Safety exclusions about this person are always reported; the others (gentle
        # only, a kind not used in this phase, missing kit) would only clutter the list.
        reported = next((b for b in blocks if b.reported), None)
        if reported is not None:
            left_out.append(LeftOut(exercise.id, reported.why, "safety"))
    return allowed, left_out


def _base_item(
    exercise: Exercise, allowed: dict[str, Exercise], content: Content
) -> Exercise | None:
    """The base item itself if the gates allow it, else a stand-in, else None.

    A stand-in is the easiest allowed exercise of the same kind and gentleness working the
    same muscles the same way, so a person for whom lying down makes the pain worse still
    gets the breathing exercise, done sitting.
    """
    if exercise.id in allowed:
        return exercise
    targets = {(t.muscle, t.action) for t in exercise.targets}
    order = {exercise_id: n for n, exercise_id in enumerate(content.exercises)}
    stand_ins = [
        e
        for e in allowed.values()
        if e.kind == exercise.kind
        and e.gentle == exercise.gentle
        and {(t.muscle, t.action) for t in e.targets} == targets
    ]
    return min(stand_ins, key=lambda e: (e.level, order[e.id])) if stand_ins else None


def _easing_items(
    allowed: dict[str, Exercise], context: Context, content: Content
) -> list[tuple[Exercise, str]]:
    """Gentle items that follow what eases the pain, each with the reason it was added.

    For each direction that eases the pain, the easiest gentle mobility exercise moving
    that way only (one that also moves the other way would not follow what eases); for
    each position that eases it (lying down, sitting, walking), the easiest gentle
    exercise done in that position without loading the spine in any direction.
    """
    eased = [content.movements[m] for m in sorted(context.eases)]
    directions = sorted({m.direction for m in eased} - {"none"})
    positions = {p for m in eased for p in m.positions}
    order = {exercise_id: n for n, exercise_id in enumerate(content.exercises)}

    def easiest(matching: list[Exercise]) -> Exercise | None:
        return min(matching, key=lambda e: (e.level, order[e.id])) if matching else None

    chosen: list[tuple[Exercise, str]] = []
    gentle = [e for e in allowed.values() if e.gentle]
    for direction in directions:
        found = easiest([e for e in gentle if e.kind == "mobility" and e.directions == [direction]])
        if found is not None:
            chosen.append((found, content.program.messages.eases_direction))
    if positions:
        found = easiest([e for e in gentle if e.position in positions and e.directions == ["none"]])
        if found is not None:
            chosen.append((found, content.program.messages.eases_position))
    return chosen


# --------------------------------------------------------------------------- targets and choice


def _targets(result: Result, content: Content) -> list[Target]:
    """Abnormal findings and signs, the primary imbalances' evidence first.

    Rank 0 is the evidence of the first primary imbalance, 1 of the second; then the
    other findings, confident ones before doubtful ones.
    """
    primary = _primary_evidence(result)
    others = len(result.primary_imbalances)
    targets: list[Target] = []
    for finding in result.findings:
        if finding.status in ("normal", "inconclusive"):
            continue
        label = finding_label(
            content.muscles[finding.muscle].name,
            finding.status,
            finding.side,
            content.engine.messages,
        )
        key = (finding.muscle, finding.status, finding.side)
        serves = primary.get(key, ())
        rank = serves[0] if serves else others + (1 if finding.confidence == "low" else 0)
        targets.append(
            Target(
                finding.muscle,
                finding.status,
                None,
                finding.side,
                finding.confidence,
                rank,
                label,
                content.muscles[finding.muscle].name,
                serves,
            )
        )
    for sign in result.signs:
        name = content.signs[sign.sign].name
        label = finding_label(name, None, sign.side, content.engine.messages)
        serves = primary.get((sign.sign, None, sign.side), ())
        rank = serves[0] if serves else others + (1 if sign.confidence == "low" else 0)
        targets.append(
            Target(None, None, sign.sign, sign.side, sign.confidence, rank, label, name, serves)
        )
    # Among equals: by name, then status, never by side; the label is wording and not
    # read back.
    targets.sort(key=lambda t: (t.rank, -CONFIDENCE_ORDER[t.confidence], t.name, t.status or ""))
    return targets


def _primary_evidence(
    result: Result,
) -> dict[tuple[str | None, str | None, str], tuple[int, ...]]:
    """(muscle or sign, status, side) → ranks of the primary imbalances it supports, in order."""
    by_pattern = {p.pattern: p for p in result.patterns}
    ranks: dict[tuple[str | None, str | None, str], tuple[int, ...]] = {}
    for imbalance in result.primary_imbalances:
        pattern = by_pattern.get(imbalance.pattern)
        if pattern is None:
            continue
        for matched in pattern.matched:
            # Evidence seen equally on both sides is reported once, as "bilateral".
            sides = (
                ("left", "right", "bilateral") if matched.side == "bilateral" else (matched.side,)
            )
            for side in sides:
                key = (matched.muscle or matched.sign, matched.status, side)
                if imbalance.rank - 1 not in ranks.get(key, ()):
                    ranks[key] = (*ranks.get(key, ()), imbalance.rank - 1)
    return ranks


def _addresses(exercise: Exercise, target: Target) -> bool:
    for spec in exercise.addresses:
        muscle_match = target.muscle is not None and spec.muscle == target.muscle
        if muscle_match and spec.status is not None and target.status in spec.status:
            return True
        if target.sign is not None and spec.sign == target.sign:
            return True
    return False


def _choose(
    targets: list[Target], allowed: dict[str, Exercise], content: Content
) -> dict[str, _Draft]:
    """For each target, the easiest allowed exercise of each kind that addresses it."""
    order = {exercise_id: n for n, exercise_id in enumerate(content.exercises)}
    seen = {(t.muscle or t.sign, t.status, t.side) for t in targets}
    drafts: dict[str, _Draft] = {}
    for target in targets:
        candidates = [e for e in allowed.values() if _addresses(e, target)]
        # A finding on one side only wants an exercise done one side at a time, so the dose
        # can favour that side; then the easiest first.
        twin = (target.muscle or target.sign, target.status, other_side(target.side))
        one_sided = target.side in ONE_SIDED and twin not in seen
        candidates.sort(key=lambda e: (one_sided and not e.unilateral, e.level, order[e.id]))
        by_kind: dict[str, Exercise] = {}
        for exercise in candidates:
            by_kind.setdefault(exercise.kind, exercise)
        for exercise in by_kind.values():
            draft = drafts.get(exercise.id)
            if draft is None:
                draft = drafts[exercise.id] = _Draft(exercise, rank=target.rank)
            draft.rank = min(draft.rank, target.rank)
            draft.serves.update(target.serves)
            if target.sign is not None and target.side in ONE_SIDED:
                draft.extra_sides.add(target.side)
            draft.sides.add(target.side)
            if target.label not in draft.addresses:
                draft.addresses.append(target.label)
    return drafts


# --------------------------------------------------------------------------- dose and time


def _cautions(exercise: Exercise, context: Context, content: Content) -> tuple[str, ...]:
    return tuple(
        f"{content.conditions[c.condition].name}: {c.note}"
        for c in exercise.cautions
        if c.condition in context.conditions
    )


def _priority_order(
    drafts: dict[str, _Draft], primaries: int, settings: ProgramSettings
) -> list[_Draft]:
    """Most important first, but the first item of every primary imbalance before the rest.

    So a tight budget still gives each of the one or two main imbalances something to do,
    instead of spending every minute on the first. The base items of a calming phase (rank
    below zero) come before all of them.
    """
    kind_order = {kind: n for n, kind in enumerate(settings.order)}
    by_rank = sorted(drafts.values(), key=lambda d: (d.rank, kind_order[d.exercise.kind]))
    leaders: list[_Draft] = [d for d in by_rank if d.rank < 0]
    for rank in range(primaries):
        first = next((d for d in by_rank if rank in d.serves and d not in leaders), None)
        if first is not None:
            leaders.append(first)
    lead = {d.exercise.id for d in leaders}
    return leaders + [d for d in by_rank if d.exercise.id not in lead]


def _fit(
    draft: _Draft,
    phase: Phase,
    settings: ProgramSettings,
    content: Content,
    load_by_day: list[float],
    budget_s: float,
    most: int | None = None,
) -> tuple[RoutineItem, list[float]] | None:
    """The item at its full dose if the week still fits; else with fewer sets; else None.

    ``most`` caps the sets tried (an easing item is first fitted at one set).

    Sets come off every side alike, so the side that needs more keeps more for as long
    as it can; an important exercise at a shorter dose beats leaving it out.
    """
    full = _item(draft, phase, settings, content)
    most_sets = max(d.sets for d in full.dose.values())
    return _fit_sets(
        lambda cap: full if cap == most_sets else _item(draft, phase, settings, content, cap),
        most_sets,
        load_by_day,
        budget_s,
        most,
    )


def _fit_sets(
    build: Callable[[int], RoutineItem],
    most_sets: int,
    load_by_day: list[float],
    budget_s: float,
    most: int | None = None,
) -> tuple[RoutineItem, list[float]] | None:
    """The item built with the most sets (at most ``most``) whose week still fits, or None.

    ``build(cap)`` gives the item with its largest side at ``cap`` sets; both the first
    routine and a routine at grown doses are fitted through here, so both keep the budget.
    """
    start = most_sets if most is None else min(most, most_sets)
    for cap in range(start, 0, -1):
        item = build(cap)
        day_load = _with_item(load_by_day, item)
        if max(day_load) <= budget_s:
            return item, day_load
    return None


def _with_item(load_by_day: list[float], item: RoutineItem) -> list[float]:
    return [
        load + (item.seconds if day in item.days else 0) for day, load in enumerate(load_by_day)
    ]


def _forced(
    draft: _Draft,
    phase: Phase,
    settings: ProgramSettings,
    content: Content,
    load_by_day: list[float],
) -> tuple[RoutineItem, list[float]]:
    """The item at one set, added whatever the minutes (only for what eases the pain)."""
    item = _item(draft, phase, settings, content, 1)
    day_load = [
        load + (item.seconds if day in item.days else 0) for day, load in enumerate(load_by_day)
    ]
    return item, day_load


def _grow_easing_items(
    items: list[RoutineItem],
    drafts: dict[str, _Draft],
    phase: Phase,
    settings: ProgramSettings,
    content: Content,
    load_by_day: list[float],
    budget_s: float,
) -> tuple[list[RoutineItem], list[float]]:
    """Give each easing item back as many of its sets as the time left allows."""
    grown: list[RoutineItem] = []
    for item in items:
        if drafts[item.exercise].rank != EASING_RANK:
            grown.append(item)
            continue
        without = [
            load - (item.seconds if day in item.days else 0) for day, load in enumerate(load_by_day)
        ]
        # It fitted at one set before, so it fits at one set again at worst.
        fitted = _fit(drafts[item.exercise], phase, settings, content, without, budget_s)
        if fitted is None:
            grown.append(item)
            continue
        bigger, load_by_day = fitted
        grown.append(replace(bigger, cautions=item.cautions))
    return grown, load_by_day


def _capped(sets: int, most: int, cap: int | None) -> int:
    """Sets after taking the same number off every side so the largest is ``cap``."""
    if cap is None or cap >= most:
        return sets
    return max(1, sets - (most - cap))


def _item(
    draft: _Draft,
    phase: Phase,
    settings: ProgramSettings,
    content: Content,
    cap: int | None = None,
) -> RoutineItem:
    exercise = draft.exercise
    dose = exercise.dose
    bias = settings.side_bias
    per_week = dose.per_week
    if phase.stretch_per_week is not None and exercise.kind == "stretch":
        per_week = min(per_week, int(phase.stretch_per_week.value))

    doses: dict[str, SideDose] = {}
    if exercise.unilateral:
        named = draft.sides & set(ONE_SIDED)
        if "bilateral" in draft.sides or not named:
            named = set(ONE_SIDED)
        for side in ONE_SIDED:
            if side in named:
                sets = dose.sets + (
                    int(bias.asymmetry_extra_sets.value) if side in draft.extra_sides else 0
                )
            else:
                sets = max(1, math.ceil(dose.sets * bias.other_side_share.value))
            doses[side] = SideDose(sets=sets, reps=dose.reps, hold_s=dose.hold_s)
        focus: Side = "bilateral" if named == set(ONE_SIDED) else _one_side(named)
    else:
        doses["bilateral"] = SideDose(sets=dose.sets, reps=dose.reps, hold_s=dose.hold_s)
        focus = "bilateral"
    if cap is not None:
        most = max(d.sets for d in doses.values())
        doses = {
            side: SideDose(_capped(d.sets, most, cap), d.reps, d.hold_s)
            for side, d in doses.items()
        }

    days = tuple(settings.weekly_days[per_week])
    reason = _reason(draft, doses, content)
    if cap is not None:
        reason = f"{reason} {settings.messages.fewer_sets}"
    return RoutineItem(
        exercise=exercise.id,
        name=exercise.name,
        kind=exercise.kind,
        side=focus,
        each_side=exercise.unilateral,
        dose=doses,
        rest_s=dose.rest_s,
        per_week=per_week,
        days=days,
        seconds=_seconds(doses, dose, settings),
        reason=reason,
        addresses=tuple(draft.addresses),
        sources=tuple(dose.sources),
    )


def _seconds(doses: Mapping[str, SideDose], dose: Dose, settings: ProgramSettings) -> int:
    """How long one session of an item takes, every side, with rests and setting up."""
    seconds = 0.0
    for side_dose in doses.values():
        work = side_dose.hold_s or 0.0
        if side_dose.reps is not None:
            work = side_dose.reps * (dose.seconds_per_rep or 0.0) + (
                side_dose.reps * side_dose.hold_s if side_dose.hold_s else 0.0
            )
        seconds += side_dose.sets * (work + dose.rest_s) + settings.setup_s.value
    return math.ceil(seconds)


def _reason(draft: _Draft, doses: dict[str, SideDose], content: Content) -> str:
    said = content.program.messages
    parts = [fill(said.chosen_for, targets="; ".join(draft.addresses)) if draft.addresses else ""]
    parts += draft.reasons
    if set(doses) == set(ONE_SIDED) and doses["left"].sets != doses["right"].sets:
        more = "left" if doses["left"].sets > doses["right"].sets else "right"
        parts.append(fill(said.more_sets_on_side, side=content.engine.messages.side_words[more]))
    return " ".join(p for p in parts if p)


# --------------------------------------------------------------------------- session state
# A routine item is one exercise with a dose per side; progression moves each side on or
# back on its own (core/progression.py). These two functions turn one into the other, so
# a logged session can be decided and applied, and the next routine shows the result.

_SIDE_ORDER: tuple[Side, ...] = ("left", "right", "bilateral")
# A dose key read back as the side it names.
_SIDE_NAMED: dict[str, Side] = {side: side for side in _SIDE_ORDER}


def session_state(routine: Routine, content: Content) -> tuple[ItemState, ...]:
    """The state progression reads and writes: one per item and side, in routine order.

    A one-sided exercise done on each side gives a state for the left and one for the
    right, each with its own dose, so the side that needs more keeps more as both move on.
    """
    states: list[ItemState] = []
    for item in routine.items:
        exercise = content.exercises[item.exercise]
        for side in _SIDE_ORDER:
            dose = item.dose.get(side)
            if dose is None:
                continue
            states.append(
                ItemState(
                    exercise_id=exercise.id,
                    side=side,
                    sets=dose.sets,
                    reps=dose.reps,
                    hold_s=dose.hold_s,
                    level=exercise.level,
                )
            )
    return tuple(states)


def routine_for_state(
    routine: Routine,
    states: Sequence[ItemState],
    result: Result,
    context: Context,
    content: Content,
    *,
    flare_up: bool = False,
) -> Routine | None:
    """The routine again, with each item as its states now stand; None in an emergency.

    ``result`` and ``context`` are those the routine was built from, or a newer result (for
    example after a check-in raised the screen), and ``flare_up`` says whether a flare-up is
    still on. Every state passes the routine's own gates (:func:`routine_gates`, stricter
    during a flare-up) again here, so nothing progression or a stale state holds can bring
    back what a gate removes: an exercise that fails is left out with the gate's reason, and
    so is a side paused by a stop until it is resumed.

    When two states land on the same exercise and side (both sides moved on to a version
    done with both sides at once), the smaller dose is kept, so neither side is asked for
    more than it has shown it can do.
    """
    if result.triage.level == "emergency":
        return None
    settings = content.program
    phase, phase_reason = routine_phase(result, context, settings)
    gates = routine_gates(result, context, content)
    if flare_up:
        gates = gates.in_a_flare()
    # Cautions for every condition that counts, not only the ticked ones.
    counted = replace(context, conditions=context.conditions | result.conditions)
    # What eases and worsens the pain are the result's: the person's answers already joined
    # to the repeated-movement check, exactly as the routine was first built from them (a
    # movement the check found worse no longer eases, even if the person said it did).
    counted = replace(counted, eases=result.eases, worsens=result.worsens)

    doses: dict[str, dict[str, SideDose]] = {}
    paused: set[tuple[str, str]] = set()
    left_out: dict[str, LeftOut] = {}
    for state in states:
        exercise = content.exercises[state.exercise_id]
        sides = _dose_sides(exercise, state.side)
        if state.stopped:
            paused.update((exercise.id, side) for side in sides)
            reason = paused_reason(state, content.progression)
            left_out[exercise.id] = LeftOut(exercise.id, reason, "safety")
            continue
        blocks = gates.blocks(exercise)
        if blocks:
            left_out[exercise.id] = LeftOut(exercise.id, blocks[0].why, "safety")
            continue
        per_side = doses.setdefault(exercise.id, {})
        for side in sides:
            dose = SideDose(state.sets, state.reps, state.hold_s)
            held = per_side.get(side)
            per_side[side] = dose if held is None else min(held, dose, key=_dose_size)

    kept_doses: dict[str, dict[str, SideDose]] = {}
    for exercise_id, per_side in doses.items():
        # A stop on one side holds that side even if another state led to the same dose.
        kept = {side: dose for side, dose in per_side.items() if (exercise_id, side) not in paused}
        if kept:
            kept_doses[exercise_id] = kept

    items, notes = _fit_state_items(kept_doses, routine, phase, gates, counted, content, left_out)
    kind_order: dict[str, int] = {kind: n for n, kind in enumerate(settings.order)}
    items.sort(key=lambda i: (kind_order[i.kind], i.exercise))
    load_by_day = [sum(i.seconds for i in items if day in i.days) for day in range(7)]
    earlier = [
        o for o in routine.left_out if o.exercise not in left_out and o.exercise not in doses
    ]
    return replace(
        routine,
        # A newer result can change the phase (an urgent check-in: the gentle one).
        phase=phase.id,
        phase_name=phase.name,
        phase_reason=phase_reason,
        items=tuple(items),
        schedule=tuple(tuple(i.exercise for i in items if day in i.days) for day in range(7)),
        minutes_budget=context.minutes_per_day,
        minutes_by_day=tuple(round(s / 60, 1) for s in load_by_day),
        left_out=tuple(sorted([*earlier, *left_out.values()], key=lambda o: o.exercise)),
        notes=notes,
    )


def _fit_state_items(
    doses: dict[str, dict[str, SideDose]],
    routine: Routine,
    phase: Phase,
    gates: Gates,
    context: Context,
    content: Content,
    left_out: dict[str, LeftOut],
) -> tuple[list[RoutineItem], tuple[str, ...]]:
    """The items at their grown doses, fitted to the minutes a day and the item limit.

    The same rules as :func:`build_routine`: what eases the pain goes first and is never
    dropped for time (kept at one set, with a note, if even that is too long); the rest keep
    the routine's order, each with as many of its sets as still fit, and anything that does
    not fit, or comes after the list is full, is left out with the reason (added to
    ``left_out``). Returns the items and the routine's notes.
    """
    settings = content.program
    said = settings.messages
    budget_s = context.minutes_per_day * 60
    easing: set[str] = set()
    if phase.offer_easing_movements:
        allowed, _ = _gate(gates, content)
        easing = {e.id for e, _ in _easing_items(allowed, context, content)}
    position = {item.exercise: n for n, item in enumerate(routine.items)}

    def easing_ids(exercise_id: str) -> set[str]:
        # An easing item moved on or back still eases: it is the same movement, done
        # another way. The exercise itself is returned when it is one of them.
        return {exercise_id} if _chain(exercise_id, content) & easing else set()

    def priority(exercise_id: str) -> tuple[bool, int, str]:
        # An exercise reached by moving on or back takes the place of the one it came from.
        chain = _chain(exercise_id, content)
        at = min((position[e] for e in chain if e in position), default=len(position))
        return (not easing_ids(exercise_id), at, exercise_id)

    over_time_note = fill(said.easing_over_time, minutes=context.minutes_per_day)
    notes = [n for n in routine.notes if n != over_time_note]
    items: list[RoutineItem] = []
    builders: dict[str, tuple[Callable[[int], RoutineItem], int]] = {}
    load_by_day = [0.0] * 7
    for exercise_id in sorted(doses, key=priority):
        exercise = content.exercises[exercise_id]
        grown = doses[exercise_id]
        if len(items) >= settings.max_items.value:
            left_out[exercise_id] = LeftOut(exercise_id, said.list_full, "list_full")
            continue
        most_sets = max(d.sets for d in grown.values())

        def build(
            cap: int,
            exercise: Exercise = exercise,
            grown: dict[str, SideDose] = grown,
            most_sets: int = most_sets,
        ) -> RoutineItem:
            capped = {
                side: replace(dose, sets=_capped(dose.sets, most_sets, cap))
                for side, dose in grown.items()
            }
            return _item_for_state(exercise, capped, routine, phase, context, content)

        builders[exercise_id] = build, most_sets
        eases = exercise_id in easing_ids(exercise_id)
        # As when built: what eases the pain first takes one set, and grows back below.
        fitted = _fit_sets(build, most_sets, load_by_day, budget_s, 1 if eases else None)
        if fitted is None and eases:
            # Never dropped for time: kept at one set whatever the minutes, with a note.
            item = build(1)
            fitted = item, _with_item(load_by_day, item)
            if over_time_note not in notes:
                notes.append(over_time_note)
        if fitted is None:
            left_out[exercise_id] = LeftOut(
                exercise_id, fill(said.does_not_fit, minutes=context.minutes_per_day), "time"
            )
            continue
        item, load_by_day = fitted
        items.append(item)

    # Each easing item gets back as many of its sets as the time left allows.
    for n, item in enumerate(items):
        if item.exercise not in easing_ids(item.exercise):
            continue
        without = [
            load - (item.seconds if day in item.days else 0) for day, load in enumerate(load_by_day)
        ]
        full_build, full_sets = builders[item.exercise]
        bigger = _fit_sets(full_build, full_sets, without, budget_s)
        if bigger is not None:
            items[n], load_by_day = bigger
    return items, tuple(notes)


def _dose_sides(exercise: Exercise, side: Side) -> tuple[str, ...]:
    """The routine sides a state's dose goes to.

    A state moved from a two-sided exercise to a one-sided one keeps the side "bilateral"
    (core/progression.py): it means each side, at the same dose.
    """
    if not exercise.unilateral:
        return ("bilateral",)
    return ONE_SIDED if side == "bilateral" else (side,)


def _dose_size(dose: SideDose) -> tuple[int, int, float]:
    return (dose.sets, dose.reps or 0, dose.hold_s or 0.0)


def _item_for_state(
    exercise: Exercise,
    doses: dict[str, SideDose],
    routine: Routine,
    phase: Phase,
    context: Context,
    content: Content,
) -> RoutineItem:
    """A routine item for an exercise at the doses its states reached.

    An exercise reached by moving on or back keeps the reason and targets of the routine
    item it came from (the same chain of easier and harder versions works the same
    muscles), with its own weekly days and its own cautions.
    """
    settings = content.program
    chain = _chain(exercise.id, content)
    origin = next((i for i in routine.items if i.exercise == exercise.id), None)
    origin = origin or next((i for i in routine.items if i.exercise in chain), None)
    per_week = exercise.dose.per_week
    if phase.stretch_per_week is not None and exercise.kind == "stretch":
        per_week = min(per_week, int(phase.stretch_per_week.value))
    if origin is not None and origin.exercise == exercise.id:
        per_week = origin.per_week
    return RoutineItem(
        exercise=exercise.id,
        name=exercise.name,
        kind=exercise.kind,
        side=_side_word(doses, origin),
        each_side=exercise.unilateral,
        dose={side: doses[side] for side in _SIDE_ORDER if side in doses},
        rest_s=exercise.dose.rest_s,
        per_week=per_week,
        days=tuple(settings.weekly_days[per_week]),
        seconds=_seconds(doses, exercise.dose, settings),
        reason=origin.reason if origin is not None else "",
        addresses=origin.addresses if origin is not None else (),
        sources=tuple(exercise.dose.sources),
        cautions=_cautions(exercise, context, content),
    )


def _side_word(doses: Mapping[str, SideDose], origin: RoutineItem | None) -> Side:
    """ "left", "right" or "bilateral", as :class:`RoutineItem` uses them.

    A one-sided exercise done on each side is named by the side that needs more: the one
    the routine item came from named, or else the side with more sets ("bilateral" when
    both get the same).
    """
    if set(doses) != set(ONE_SIDED):
        [side] = doses
        return _SIDE_NAMED.get(side, "bilateral")
    if origin is not None and set(origin.dose) == set(ONE_SIDED):
        return origin.side
    left, right = doses["left"].sets, doses["right"].sets
    return "bilateral" if left == right else ("left" if left > right else "right")


def _chain(exercise_id: str, content: Content) -> set[str]:
    """Every exercise linked to this one by easier and harder steps, itself included."""
    chain = {exercise_id}
    todo = [exercise_id]
    while todo:
        exercise = content.exercises[todo.pop()]
        for link in (exercise.easier, exercise.harder):
            if link is not None and link not in chain:
                chain.add(link)
                todo.append(link)
    return chain
