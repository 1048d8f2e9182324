"""Progression: golden cases for every rule and its boundaries, the priority order, the
"suggest, human approves" contract, the read marks, flare-up recovery, and the safety
properties.

The rules come from the packaged ``progression.yaml``. Exercises are small hand-built
chains (easier ↔ harder) so each test shows exactly which link it walks.
"""

from __future__ import annotations

import dataclasses
from dataclasses import fields, is_dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from msgspec.structs import replace
from pydantic import ValidationError

from backbalance.content.loader import load_content
from backbalance.content.schema import Figure, Source
from backbalance.content.schema_program import (
    Addresses,
    Dose,
    Exercise,
    ExerciseKind,
    Phase,
    Target,
)
from backbalance.content.schema_progression import (
    MESSAGE_KEYS,
    ProgressionRules,
    load_progression_rules,
)
from backbalance.content.validation import validate
from backbalance.core.gates import Gates, gates_for
from backbalance.core.progression import (
    ItemState,
    Morning,
    Proposal,
    ReadMark,
    SessionLog,
    apply,
    decide,
    flare_up_over,
    resume,
)
from tests.states import default_state

DATA = resources.files("backbalance.content") / "data"
RULES = load_progression_rules()
CONTENT = load_content()
# The gates of a person with nothing to hold back: no condition, nothing worsens the pain,
# no loose muscle, a clear screen, every kind of exercise and all the kit. The gated cases
# are at the end of this file.
OPEN = gates_for(
    triage_level="none",
    conditions=(),
    worsens=(),
    loose=(),
    phase=next(p for p in CONTENT.program.phases if p.id == "strengthen"),
    equipment=CONTENT.equipment,
    content=CONTENT,
)
START = date(2026, 3, 2)

STOP_AT = int(RULES.stop.pain_during_at_least.value)
CEILING = int(RULES.tolerance.pain_during_ceiling.value)
FLARE_BY = int(RULES.flare_up.pain_above_usual_by.value)
REGRESS_EFFORT = int(RULES.regress.difficulty_at_least.value)
PROGRESS_EFFORT = int(RULES.progress.difficulty_at_most.value)
NEEDED = int(RULES.progress.good_sessions_in_a_row.value)
MAX_GAP = int(RULES.progress.max_gap_days.value)
WORSE_RUN = int(RULES.flare_up.worse_mornings_in_a_row.value)
CALM_DAYS = int(RULES.flare_up.calm_days.value)
CALM_MARGIN = int(RULES.flare_up.calm_margin.value)


# --------------------------------------------------------------------------- builders


def exercise(
    exercise_id: str,
    kind: ExerciseKind,
    *,
    level: int = 1,
    sets: int = 2,
    reps: int | None = None,
    hold_s: float | None = None,
    easier: str | None = None,
    harder: str | None = None,
    unilateral: bool = True,
    gentle: bool = False,
) -> Exercise:
    return Exercise(
        id=exercise_id,
        version=1,
        name=exercise_id.replace("_", " ").capitalize(),
        kind=kind,
        targets=[Target(muscle="gluteus_maximus", action="strengthen")],
        addresses=[Addresses(muscle="gluteus_maximus", status=["weak"])],
        unilateral=unilateral,
        position="lying_on_back",
        level=level,
        easier=easier,
        harder=harder,
        dose=Dose(
            sets=sets,
            reps=reps,
            hold_s=hold_s,
            seconds_per_rep=None if hold_s is not None else 3,
            rest_s=30,
            per_week=3,
            sources=["S50a"],
        ),
        gentle=gentle,
        directions=["none"],
        purpose="A test exercise for the progression rules.",
        steps=["Get into position.", "Do the movement.", "Rest and repeat."],
        mistakes=["Rushing."],
        feel="A light effort.",
        stop_if=["Sharp pain."],
        figure="bridge",
        sources=["S50a"],
    )


EXERCISES: dict[str, Exercise] = {
    e.id: e
    for e in (
        # Held endurance: add holds (reps), never hold time (S51). Marked gentle here so
        # that a flare-up (gentle items only) can step them back; a flare-up on an item
        # that is not gentle leaves it out (see the gate tests at the end of this file).
        exercise(
            "side_bridge_knees",
            "endurance",
            reps=5,
            hold_s=10,
            harder="side_bridge",
            gentle=True,
        ),
        exercise(
            "side_bridge",
            "endurance",
            level=2,
            reps=5,
            hold_s=10,
            easier="side_bridge_knees",
            gentle=True,
        ),
        # Body-weight strength in reps; two-sided, with a one-sided harder version.
        exercise("bridge", "strength", reps=8, unilateral=False, harder="single_leg_bridge"),
        exercise("single_leg_bridge", "strength", level=2, reps=8, easier="bridge"),
        # A held stretch: the hold grows to 30 s, then the deeper version.
        exercise("hip_flexor_stretch", "stretch", reps=2, hold_s=20, harder="deep_lunge_stretch"),
        exercise("deep_lunge_stretch", "stretch", level=2, reps=2, hold_s=30),
        # Moving mobility: no dose range, straight to the harder version if there is one.
        exercise("cat_camel", "mobility", reps=10, unilateral=False, harder="cat_camel_flow"),
        exercise("cat_camel_flow", "mobility", level=2, reps=10, unilateral=False),
        # The gentlest possible item: one set of one short hold, nothing easier.
        exercise("breathing_hold", "stretch", sets=1, hold_s=5, unilateral=False, gentle=True),
    )
}


def state(exercise_id: str, side: str = "left", **changes: Any) -> ItemState:
    """An item at its exercise's default dose, with any fields changed."""
    ex = EXERCISES[exercise_id]
    base = ItemState(
        exercise_id=ex.id,
        side="bilateral" if not ex.unilateral else side,  # type: ignore[arg-type]
        sets=ex.dose.sets,
        reps=ex.dose.reps,
        hold_s=ex.dose.hold_s,
        level=ex.level,
    )
    return replace(base, **changes)


def log(
    day: int,
    *,
    pain: int = 2,
    morning: Morning | None = "same",
    effort: int = 5,
    usual: int = 2,
    completed: bool = True,
    new: bool = False,
    reps_done: int | None = None,
) -> SessionLog:
    return SessionLog(
        day=START + timedelta(days=day),
        completed=completed,
        pain_during=pain,
        pain_next_morning=morning,
        difficulty=effort,
        usual_pain=usual,
        new_symptoms=new,
        reps_done=reps_done,
    )


def good(count: int, first_day: int = 0, every: int = 2, **kwargs: Any) -> list[SessionLog]:
    return [log(first_day + i * every, **kwargs) for i in range(count)]


def d(day: int) -> date:
    return START + timedelta(days=day)


# --------------------------------------------------------------------------- golden cases

# (case id, item, logs, action, flare_up, rule_id)
GOLDEN: list[tuple[str, ItemState, list[SessionLog], str, bool, str]] = [
    # stop: new symptoms, or pain at/above the stop threshold; one below is not a stop.
    (
        "new_symptoms_stop",
        state("bridge"),
        [log(0, new=True, pain=0)],
        "stop",
        False,
        "stop_new_symptoms",
    ),
    (
        "pain_at_stop_threshold",
        state("bridge"),
        [log(0, pain=STOP_AT, usual=STOP_AT)],
        "stop",
        False,
        "stop_high_pain",
    ),
    (
        "pain_one_below_stop_is_not_stop",
        state("bridge"),
        [log(0, pain=STOP_AT - 1, usual=STOP_AT - 1)],
        "regress",
        False,
        "regress_pain_above_ceiling",
    ),
    # flare-up: much worse once; worse twice in a row; pain above ceiling and usual + margin.
    (
        "much_worse_once_flares",
        state("side_bridge"),
        [log(0, morning="much_worse")],
        "regress",
        True,
        "flare_up_much_worse_morning",
    ),
    (
        "worse_twice_in_a_row_flares",
        state("side_bridge"),
        [log(0, morning="worse"), log(2, morning="worse")],
        "regress",
        True,
        "flare_up_worse_mornings",
    ),
    (
        "worse_once_only_regresses",
        state("side_bridge"),
        [log(0, morning="same"), log(2, morning="worse")],
        "regress",
        False,
        "regress_worse_morning",
    ),
    (
        "worse_then_same_then_worse_is_not_a_run",
        state("side_bridge"),
        [log(0, morning="worse"), log(2, morning="same"), log(4, morning="worse")],
        "regress",
        False,
        "regress_worse_morning",
    ),
    (
        "unanswered_morning_does_not_break_a_run",
        state("side_bridge"),
        [log(0, morning="worse"), log(2, morning=None), log(4, morning="worse")],
        "regress",
        True,
        "flare_up_worse_mornings",
    ),
    (
        "pain_above_usual_by_margin_flares",
        state("side_bridge"),
        [log(0, pain=CEILING + 1, usual=CEILING + 1 - FLARE_BY)],
        "regress",
        True,
        "flare_up_pain_above_usual",
    ),
    (
        "pain_above_usual_by_less_than_margin_regresses",
        state("side_bridge"),
        [log(0, pain=CEILING + 1, usual=CEILING + 2 - FLARE_BY)],
        "regress",
        False,
        "regress_pain_above_ceiling",
    ),
    (
        "pain_far_above_usual_but_within_ceiling_is_fine",
        state("side_bridge"),
        [*good(NEEDED - 1), log(2 * NEEDED, pain=CEILING, usual=0)],
        "progress",
        False,
        "progress_more_dose",
    ),
    # regress: pain one above the ceiling vs exactly at it; effort at the cut-off vs one below.
    (
        "pain_one_above_ceiling_regresses",
        state("side_bridge"),
        [log(0, pain=CEILING + 1, usual=CEILING)],
        "regress",
        False,
        "regress_pain_above_ceiling",
    ),
    (
        "effort_at_regress_cutoff_regresses",
        state("side_bridge"),
        [log(0, effort=REGRESS_EFFORT)],
        "regress",
        False,
        "regress_too_hard",
    ),
    (
        "effort_one_below_regress_cutoff_holds",
        state("side_bridge"),
        [log(0, effort=REGRESS_EFFORT - 1)],
        "hold",
        False,
        "hold_too_few",
    ),
    # progress gate: N-1 vs N good sessions; effort at vs above the cut-off; pending morning.
    (
        "one_session_short_holds",
        state("side_bridge_knees"),
        good(NEEDED - 1),
        "hold",
        False,
        "hold_too_few",
    ),
    (
        "enough_good_sessions_progress",
        state("side_bridge_knees"),
        good(NEEDED),
        "progress",
        False,
        "progress_more_dose",
    ),
    (
        "pain_exactly_at_ceiling_still_counts",
        state("side_bridge_knees"),
        good(NEEDED, pain=CEILING, usual=CEILING),
        "progress",
        False,
        "progress_more_dose",
    ),
    (
        "effort_at_progress_cutoff_counts",
        state("side_bridge_knees"),
        good(NEEDED, effort=PROGRESS_EFFORT),
        "progress",
        False,
        "progress_more_dose",
    ),
    (
        "effort_one_above_progress_cutoff_holds",
        state("side_bridge_knees"),
        good(NEEDED, effort=PROGRESS_EFFORT + 1),
        "hold",
        False,
        "hold_not_yet",
    ),
    (
        "newest_morning_not_answered_holds",
        state("side_bridge_knees"),
        [*good(NEEDED - 1), log(2 * NEEDED, morning=None)],
        "hold",
        False,
        "hold_not_yet",
    ),
    (
        "better_mornings_count_as_good",
        state("side_bridge_knees"),
        good(NEEDED, morning="better"),
        "progress",
        False,
        "progress_more_dose",
    ),
    # missed sessions and gaps break the run; a miss before the run does not.
    (
        "missed_session_in_the_run_holds",
        state("side_bridge_knees"),
        [*good(NEEDED - 1), log(2 * NEEDED, completed=False)],
        "hold",
        False,
        "hold_missed",
    ),
    (
        "missed_session_before_the_run_is_forgotten",
        state("side_bridge_knees"),
        [log(0, completed=False), *good(NEEDED, first_day=2)],
        "progress",
        False,
        "progress_more_dose",
    ),
    (
        "gap_longer_than_allowed_holds",
        state("side_bridge_knees"),
        good(NEEDED, every=MAX_GAP + 1),
        "hold",
        False,
        "hold_missed",
    ),
    (
        "gap_exactly_allowed_counts",
        state("side_bridge_knees"),
        good(NEEDED, every=MAX_GAP),
        "progress",
        False,
        "progress_more_dose",
    ),
    # no logs at all.
    ("no_logs_holds", state("bridge"), [], "hold", False, "hold_too_few"),
]


@pytest.mark.parametrize(
    ("item", "logs", "action", "flare", "rule_id"),
    [case[1:] for case in GOLDEN],
    ids=[case[0] for case in GOLDEN],
)
def test_golden_case_gives_the_expected_decision(
    item: ItemState, logs: list[SessionLog], action: str, flare: bool, rule_id: str
) -> None:
    proposal = decide(item, logs, RULES, EXERCISES, OPEN)
    assert (proposal.action, proposal.flare_up, proposal.rule_id) == (action, flare, rule_id)
    assert proposal.reason and "{" not in proposal.reason
    assert proposal.sources
    assert proposal.decided_for == item


def test_every_rule_message_is_reached_by_a_golden_or_named_test() -> None:
    reached = {case[5] for case in GOLDEN} | {
        "stop_paused",
        "progress_harder_exercise",
        "progress_add_load",
        "hold_load_not_yet",
        "hold_missed",
        "hold_nothing_easier",
        "hold_top_reached",
        # Reached by the gate tests at the end of this file.
        "hold_harder_held_back",
        "regress_easier_held_back",
        "hold_exercise_held_back",
    }
    assert {m.id for m in RULES.messages()} <= reached


# --------------------------------------------------------------------------- priority


@pytest.mark.parametrize(
    ("logs", "action", "flare", "rule_id"),
    [
        # stop beats flare-up and regress, and still raises the flare-up for the routine.
        ([log(0, new=True, morning="much_worse", effort=10)], "stop", True, "stop_new_symptoms"),
        ([log(0, pain=STOP_AT, usual=0, effort=10)], "stop", True, "stop_high_pain"),
        # new symptoms are named before high pain when both are logged.
        ([log(0, new=True, pain=STOP_AT, usual=STOP_AT)], "stop", False, "stop_new_symptoms"),
        # flare-up beats regress.
        (
            [log(0, morning="much_worse", effort=10, pain=CEILING + 1, usual=CEILING)],
            "regress",
            True,
            "flare_up_much_worse_morning",
        ),
        # regress beats progress: a run of good sessions ending in a too-hard one.
        (
            [*good(NEEDED), log(2 * NEEDED, effort=REGRESS_EFFORT)],
            "regress",
            False,
            "regress_too_hard",
        ),
        # among regress rules, the worse morning is named first.
        ([log(0, morning="worse", effort=10)], "regress", False, "regress_worse_morning"),
    ],
    ids=[
        "stop_over_flare",
        "high_pain_stop_over_flare",
        "new_symptoms_named_first",
        "flare_over_regress",
        "regress_over_progress",
        "worse_morning_named_first",
    ],
)
def test_the_strongest_rule_wins(
    logs: list[SessionLog], action: str, flare: bool, rule_id: str
) -> None:
    proposal = decide(state("side_bridge"), logs, RULES, EXERCISES, OPEN)
    assert (proposal.action, proposal.flare_up, proposal.rule_id) == (action, flare, rule_id)


# --------------------------------------------------------------------------- dose steps


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        # held endurance adds a hold per set, never hold time (S51)
        (state("side_bridge_knees"), {"reps": 6, "hold_s": 10}),
        (state("side_bridge_knees", reps=7), {"reps": 8, "hold_s": 10}),
        # body-weight strength adds a repetition up to the top of 8-12
        (state("bridge"), {"reps": 9}),
        (state("bridge", reps=11), {"reps": 12}),
        # stretches lengthen the hold in 5 s steps, never past 30 s
        (state("hip_flexor_stretch"), {"hold_s": 25, "reps": 2}),
        (state("hip_flexor_stretch", hold_s=28), {"hold_s": 30}),
    ],
    ids=[
        "endurance_adds_reps",
        "endurance_to_cap",
        "strength_adds_rep",
        "strength_to_cap",
        "stretch_adds_hold",
        "stretch_hold_clipped_at_cap",
    ],
)
def test_progress_raises_the_dose_within_its_range_first(
    item: ItemState, expected: dict[str, Any]
) -> None:
    proposal = decide(item, good(NEEDED), RULES, EXERCISES, OPEN)
    assert proposal.action == "progress"
    assert proposal.rule_id == "progress_more_dose"
    assert proposal.new_state is not None
    assert proposal.new_state.exercise_id == item.exercise_id
    for name, value in expected.items():
        assert getattr(proposal.new_state, name) == value
    assert proposal.new_state.sets == item.sets


@pytest.mark.parametrize(
    ("item", "harder", "side", "level"),
    [
        (state("side_bridge_knees", reps=8), "side_bridge", "left", 2),
        # a two-sided exercise whose harder version is one-sided: both sides, each in turn
        (state("bridge", reps=12), "single_leg_bridge", "bilateral", 2),
        (state("hip_flexor_stretch", hold_s=30), "deep_lunge_stretch", "left", 2),
        # moving mobility has no dose range: straight to the harder version
        (state("cat_camel"), "cat_camel_flow", "bilateral", 2),
    ],
    ids=["endurance", "strength", "stretch", "mobility"],
)
def test_progress_moves_to_the_harder_exercise_when_the_range_is_used_up(
    item: ItemState, harder: str, side: str, level: int
) -> None:
    proposal = decide(item, good(NEEDED), RULES, EXERCISES, OPEN)
    assert (proposal.action, proposal.rule_id) == ("progress", "progress_harder_exercise")
    new = proposal.new_state
    assert new is not None
    target = EXERCISES[harder]
    assert (new.exercise_id, new.side, new.level) == (harder, side, level)
    assert (new.reps, new.hold_s) == (target.dose.reps, target.dose.hold_s)
    assert target.name in proposal.reason


def test_progress_holds_at_the_top_when_there_is_nothing_harder() -> None:
    proposal = decide(state("side_bridge", reps=8), good(NEEDED), RULES, EXERCISES, OPEN)
    assert (proposal.action, proposal.rule_id, proposal.new_state) == (
        "hold",
        "hold_top_reached",
        None,
    )


def test_switching_exercise_keeps_the_extra_sets_of_the_side_that_needs_them() -> None:
    # The routine gave the weak side one set more than the default.
    item = state("side_bridge_knees", reps=8, sets=3)
    proposal = decide(item, good(NEEDED), RULES, EXERCISES, OPEN)
    assert proposal.new_state is not None
    assert proposal.new_state.sets == EXERCISES["side_bridge"].dose.sets + 1


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        # undo a dose step first, never below the default
        (state("side_bridge_knees", reps=7), {"exercise_id": "side_bridge_knees", "reps": 6}),
        (state("hip_flexor_stretch", hold_s=22), {"hold_s": 20}),
        # at the default dose: the easier exercise at its default dose and level
        (state("side_bridge"), {"exercise_id": "side_bridge_knees", "reps": 5, "level": 1}),
        (
            state("single_leg_bridge", side="right"),
            {"exercise_id": "bridge", "side": "bilateral", "reps": 8},
        ),
        # nothing easier: fewer sets, then fewer reps
        (state("side_bridge_knees"), {"exercise_id": "side_bridge_knees", "sets": 1, "reps": 5}),
        (state("side_bridge_knees", sets=1), {"sets": 1, "reps": 4}),
    ],
    ids=[
        "undo_reps",
        "undo_hold",
        "easier_exercise",
        "easier_two_sided",
        "fewer_sets",
        "fewer_reps",
    ],
)
def test_regress_steps_back_one_notch(item: ItemState, expected: dict[str, Any]) -> None:
    proposal = decide(item, [log(0, effort=REGRESS_EFFORT)], RULES, EXERCISES, OPEN)
    assert proposal.action == "regress"
    assert proposal.new_state is not None
    for name, value in expected.items():
        assert getattr(proposal.new_state, name) == value


def test_regress_with_nothing_lower_holds_and_says_why() -> None:
    proposal = decide(state("breathing_hold"), [log(0, effort=10)], RULES, EXERCISES, OPEN)
    assert (proposal.action, proposal.rule_id, proposal.new_state) == (
        "hold",
        "hold_nothing_easier",
        None,
    )
    assert "easiest" in proposal.reason
    assert "10 out of 10" in proposal.reason


def test_flare_up_with_nothing_lower_still_flags_the_routine() -> None:
    proposal = decide(
        state("breathing_hold"), [log(0, morning="much_worse")], RULES, EXERCISES, OPEN
    )
    assert (proposal.action, proposal.flare_up, proposal.requires_acceptance) == (
        "hold",
        True,
        False,
    )
    assert proposal.rule_id == "flare_up_much_worse_morning"


# --------------------------------------------------------------------------- loaded strength


def loaded(load_kg: float = 20.0, reps: int = 10) -> ItemState:
    return state("single_leg_bridge", reps=reps, load_kg=load_kg)


@pytest.mark.parametrize(
    ("item", "reps_done", "action", "rule_id", "new_load"),
    [
        (loaded(20.0), [11, 11, 11], "progress", "progress_add_load", 21.0),
        (loaded(20.0), [12, 10, 11], "hold", "hold_load_not_yet", None),  # one of two short
        (loaded(20.0), [10, 10, 10], "hold", "hold_load_not_yet", None),  # on target only
        (loaded(20.0), [None, None, None], "hold", "hold_load_not_yet", None),
        # a small load still moves by at least the rounding step
        (loaded(1.0), [11, 11, 11], "progress", "progress_add_load", 1.1),
    ],
    ids=["beat_target_twice", "beat_target_once", "on_target", "not_logged", "small_load"],
)
def test_loaded_strength_adds_load_only_after_beating_the_target_in_a_row(
    item: ItemState,
    reps_done: list[int | None],
    action: str,
    rule_id: str,
    new_load: float | None,
) -> None:
    logs = [log(2 * i, reps_done=r) for i, r in enumerate(reps_done)]
    proposal = decide(item, logs, RULES, EXERCISES, OPEN)
    assert (proposal.action, proposal.rule_id) == (action, rule_id)
    if new_load is None:
        assert proposal.new_state is None
    else:
        assert proposal.new_state is not None
        assert proposal.new_state.load_kg == pytest.approx(new_load)
        assert proposal.new_state.reps == item.reps
        step = RULES.load.step_percent.value
        assert new_load <= item.load_kg * (1 + step / 100) + RULES.load.round_to_kg.value  # type: ignore[operator]


def test_loaded_strength_regresses_by_lightening_the_load() -> None:
    proposal = decide(loaded(20.0), [log(0, effort=10)], RULES, EXERCISES, OPEN)
    assert proposal.action == "regress"
    assert proposal.new_state is not None
    assert proposal.new_state.load_kg == pytest.approx(19.0)
    assert proposal.new_state.exercise_id == "single_leg_bridge"


# --------------------------------------------------------------------------- apply


def proposal_for(case: str) -> tuple[ItemState, Proposal]:
    item = state("side_bridge")
    logs = {
        "progress": good(NEEDED),
        "regress": [log(0, effort=REGRESS_EFFORT)],
        "flare_up": [log(0, morning="much_worse")],
        "stop": [log(0, new=True)],
        "hold": good(NEEDED - 1),
    }[case]
    item = state("side_bridge_knees") if case == "progress" else item
    return item, decide(item, logs, RULES, EXERCISES, OPEN)


@pytest.mark.parametrize(
    ("case", "requires_acceptance", "changes_without_yes"),
    [
        ("progress", True, False),
        ("regress", True, False),
        ("hold", True, False),
        # safety decisions: the person is told, not asked
        ("flare_up", False, True),
        ("stop", False, True),
    ],
)
def test_apply_changes_nothing_without_acceptance_except_safety_decisions(
    case: str, requires_acceptance: bool, changes_without_yes: bool
) -> None:
    item, proposal = proposal_for(case)
    assert proposal.requires_acceptance is requires_acceptance
    declined = apply(item, proposal, accepted=False)
    accepted = apply(item, proposal, accepted=True)
    if changes_without_yes:
        assert declined == proposal.new_state != item
    else:
        assert declined == item
    expected = proposal.new_state if proposal.new_state is not None else item
    assert accepted == expected


def test_a_stop_pauses_the_item_until_it_is_resumed() -> None:
    item = state("side_bridge")
    logs = [log(0, pain=STOP_AT)]
    stopped = apply(item, decide(item, logs, RULES, EXERCISES, OPEN), accepted=False)
    assert stopped.stopped
    again = decide(stopped, logs, RULES, EXERCISES, OPEN)
    assert (again.action, again.rule_id, again.new_state) == ("stop", "stop_paused", None)
    assert "2 March" in again.reason
    # After the safety questions clear the person, the stopping session is not read again.
    assert decide(resume(stopped), logs, RULES, EXERCISES, OPEN).action == "hold"


def test_apply_refuses_a_proposal_made_for_another_state() -> None:
    item, proposal = proposal_for("progress")
    moved_on = apply(item, proposal, accepted=True)
    with pytest.raises(ValueError, match="different state"):
        apply(moved_on, proposal, accepted=True)


# --------------------------------------------------------------------------- read marks


def test_the_sessions_behind_a_change_do_not_act_twice() -> None:
    item = state("side_bridge_knees", reps=7)
    logs = [log(0, pain=CEILING + 1, usual=CEILING, morning=None)]
    stepped_back = apply(item, decide(item, logs, RULES, EXERCISES, OPEN), accepted=True)
    assert stepped_back.reps == 6
    assert stepped_back.read == ReadMark(day=d(0), count_on_day=1, morning_pending=True)
    again = decide(stepped_back, logs, RULES, EXERCISES, OPEN)
    assert (again.action, again.rule_id) == ("hold", "hold_too_few")


@pytest.mark.parametrize(
    ("late_morning", "action", "flare"),
    [("much_worse", "regress", True), ("worse", "hold", False), ("same", "hold", False)],
)
def test_a_late_morning_answer_counts_for_a_flare_up_but_not_a_second_step_back(
    late_morning: Morning, action: str, flare: bool
) -> None:
    item = state("side_bridge_knees", reps=7)
    first = [log(0, pain=CEILING + 1, usual=CEILING, morning=None)]
    stepped_back = apply(item, decide(item, first, RULES, EXERCISES, OPEN), accepted=True)
    answered = [replace(first[0], pain_next_morning=late_morning)]
    proposal = decide(stepped_back, answered, RULES, EXERCISES, OPEN)
    assert (proposal.action, proposal.flare_up) == (action, flare)


def test_a_run_of_worse_mornings_reaches_back_past_a_step_back() -> None:
    item = state("side_bridge_knees", reps=7)
    logs = [log(0, morning="worse")]
    stepped_back = apply(item, decide(item, logs, RULES, EXERCISES, OPEN), accepted=True)
    logs.append(log(2, morning="worse"))
    proposal = decide(stepped_back, logs, RULES, EXERCISES, OPEN)
    assert (proposal.rule_id, proposal.flare_up) == ("flare_up_worse_mornings", True)
    assert proposal.based_on == (d(0), d(2))
    assert "2 March and 4 March" in proposal.reason


def test_a_flare_up_does_not_step_back_again_on_the_same_sessions() -> None:
    item = state("side_bridge_knees", reps=8)
    logs = [log(0, morning="worse"), log(2, morning="worse"), log(4, morning=None)]
    first = decide(item, logs, RULES, EXERCISES, OPEN)
    assert first.flare_up
    after = apply(item, first, accepted=False)
    again = decide(after, logs, RULES, EXERCISES, OPEN)
    assert (again.action, again.flare_up) == ("hold", False)


def test_a_new_session_on_the_day_of_a_change_is_still_read() -> None:
    item = state("side_bridge_knees", reps=7)
    logs = [log(0, effort=REGRESS_EFFORT)]
    stepped_back = apply(item, decide(item, logs, RULES, EXERCISES, OPEN), accepted=True)
    logs.append(log(0, new=True))
    assert decide(stepped_back, logs, RULES, EXERCISES, OPEN).action == "stop"


def test_progress_counts_only_sessions_at_the_current_dose() -> None:
    item = state("side_bridge_knees")
    logs = good(NEEDED)
    raised = apply(item, decide(item, logs, RULES, EXERCISES, OPEN), accepted=True)
    logs += good(NEEDED - 1, first_day=2 * NEEDED)
    assert decide(raised, logs, RULES, EXERCISES, OPEN).rule_id == "hold_too_few"
    logs.append(log(4 * NEEDED))
    assert decide(raised, logs, RULES, EXERCISES, OPEN).action == "progress"


# --------------------------------------------------------------------------- reasons


def test_reason_names_the_sessions_and_numbers_behind_the_decision() -> None:
    proposal = decide(
        state("side_bridge"), [log(5, pain=CEILING + 1, usual=CEILING)], RULES, EXERCISES, OPEN
    )
    assert "7 March" in proposal.reason
    assert f"{CEILING + 1} out of 10" in proposal.reason
    assert proposal.based_on == (d(5),)
    assert "silbernagel2007" in proposal.sources


def test_progress_reason_lists_every_good_session_and_the_new_dose() -> None:
    proposal = decide(state("side_bridge_knees"), good(NEEDED), RULES, EXERCISES, OPEN)
    assert proposal.based_on == tuple(d(2 * i) for i in range(NEEDED))
    assert "2 sets of 6 holds of 10 seconds" in proposal.reason
    assert "in place of 2 sets of 5 holds of 10 seconds" in proposal.reason
    assert "S51" in proposal.sources


# --------------------------------------------------------------------------- flare-up over


@pytest.mark.parametrize(
    ("logs", "over"),
    [
        ([], False),
        (good(CALM_DAYS - 1), False),
        (good(CALM_DAYS), True),
        # two sessions on one day count as one day
        ([*good(CALM_DAYS - 1), log(2 * (CALM_DAYS - 2))], False),
        # pain at usual + margin still counts as usual; one more does not
        (good(CALM_DAYS, pain=2 + CALM_MARGIN, usual=2), True),
        (good(CALM_DAYS, pain=3 + CALM_MARGIN, usual=2), False),
        ([*good(CALM_DAYS - 1), log(2 * CALM_DAYS, morning="worse")], False),
        ([*good(CALM_DAYS - 1), log(2 * CALM_DAYS, new=True)], False),
        # an unanswered morning does not hold the end back
        ([*good(CALM_DAYS - 1), log(2 * CALM_DAYS, morning=None)], True),
        # a bad day before the last calm days no longer matters
        ([log(0, pain=9, usual=2, morning="much_worse"), *good(CALM_DAYS, first_day=2)], True),
    ],
    ids=[
        "no_logs",
        "one_day_short",
        "enough_calm_days",
        "same_day_twice",
        "at_margin",
        "above_margin",
        "worse_morning",
        "new_symptoms",
        "pending_morning",
        "old_bad_day",
    ],
)
def test_flare_up_is_over_after_enough_days_back_to_usual(
    logs: list[SessionLog], over: bool
) -> None:
    assert flare_up_over(logs, RULES) is over


# --------------------------------------------------------------------------- input checks


GOOD_LOG: dict[str, Any] = {
    "day": START,
    "completed": True,
    "pain_during": 2,
    "pain_next_morning": "same",
    "difficulty": 5,
    "usual_pain": 2,
}


@pytest.mark.parametrize("bad", [{"pain_next_morning": "awful"}, {"reps_done": -1}])
def test_session_log_rejects_values_out_of_range(bad: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        SessionLog(**{**GOOD_LOG, **bad})


@pytest.mark.parametrize(
    ("field", "scale", "offset"),
    [
        ("pain_during", "pain", 1),
        ("pain_during", "pain", -1),
        ("usual_pain", "pain", 1),
        ("difficulty", "effort", -1),
        ("difficulty", "effort", 1),
    ],
)
def test_a_rating_off_its_content_scale_is_refused_naming_the_field(
    field: str, scale: str, offset: int
) -> None:
    """The pain and effort scales come from progression.yaml, not from the code."""
    bounds = getattr(RULES.scales, scale)
    edge = bounds.maximum if offset > 0 else bounds.minimum
    on_edge = SessionLog(**{**GOOD_LOG, field: edge})
    decide(state("bridge"), [on_edge], RULES, EXERCISES, OPEN)  # the edge itself is fine
    beyond = SessionLog(**{**GOOD_LOG, field: edge + offset})
    with pytest.raises(ValueError, match=field):
        decide(state("bridge"), [beyond], RULES, EXERCISES, OPEN)
    with pytest.raises(ValueError, match=field):
        flare_up_over([beyond], RULES)


def test_the_rating_scales_are_read_from_the_content() -> None:
    """A narrower pain scale in the content refuses what the usual one allows."""
    narrow = dataclasses.replace(RULES.scales.pain, maximum=6)
    rules = dataclasses.replace(RULES, scales=dataclasses.replace(RULES.scales, pain=narrow))
    seven = SessionLog(**{**GOOD_LOG, "usual_pain": 7})
    decide(state("bridge"), [seven], RULES, EXERCISES, OPEN)
    with pytest.raises(ValueError, match="usual_pain: must be 0-6, not 7"):
        decide(state("bridge"), [seven], rules, EXERCISES, OPEN)


def test_logs_out_of_date_order_are_refused() -> None:
    with pytest.raises(ValueError, match="date order"):
        decide(state("bridge"), [log(2), log(0)], RULES, EXERCISES, OPEN)


def test_an_unknown_exercise_is_refused_when_it_is_needed() -> None:
    with pytest.raises(ValueError, match="unknown exercise"):
        decide(replace(state("bridge"), exercise_id="nope"), good(NEEDED), RULES, EXERCISES, OPEN)


# --------------------------------------------------------------------------- content


@cache
def all_sources() -> dict[str, Source]:
    found: dict[str, Source] = {}
    for path in sorted((DATA / "sources").iterdir(), key=lambda p: p.name):
        if not path.name.endswith(".yaml"):
            continue
        for raw in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            source = validate(Source, raw)
            assert source.id not in found, f"{source.id} is defined twice"
            found[source.id] = source
    return found


def source_ids(value: Any) -> set[str]:
    """Every source id named anywhere inside the rules."""
    found: set[str] = set()
    if is_dataclass(value):
        for one in fields(value):
            child = getattr(value, one.name)
            if one.name == "sources" and isinstance(child, list):
                found.update(child)
            else:
                found |= source_ids(child)
    elif isinstance(value, list | tuple):
        for child in value:
            found |= source_ids(child)
    return found


def figures(value: Any) -> list[Figure]:
    if isinstance(value, Figure):
        return [value]
    if is_dataclass(value):
        return [f for one in fields(value) for f in figures(getattr(value, one.name))]
    if isinstance(value, list | tuple):
        return [f for child in value for f in figures(child)]
    return []


def test_every_source_the_rules_cite_exists() -> None:
    missing = source_ids(RULES) - set(all_sources())
    assert not missing


def test_the_pain_monitoring_source_is_marked_unverified_and_says_where_it_was_studied() -> None:
    source = all_sources()["silbernagel2007"]
    assert source.verified is False
    assert source.note is not None
    assert "Achilles" in source.note
    assert "reference notes" in source.note


def test_every_project_convention_says_so_in_its_note() -> None:
    conventions = [f for f in figures(RULES) if "backbalance_convention" in f.sources]
    assert conventions
    for figure in conventions:
        assert figure.note is not None
        assert "project" in figure.note.lower(), figure


def test_every_convention_also_cites_a_published_source_where_it_is_clinical() -> None:
    # Only display rounding and step sizes may stand on the convention alone.
    for figure in figures(RULES):
        if figure.sources == ["backbalance_convention"]:
            assert figure.unit in {"kg", "s", "reps", "passes"}, figure


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("stop", "pain_during_at_least", "value"), 5, "stop threshold"),
        (("progress", "difficulty_at_most", "value"), 9, "progress difficulty"),
        (("flare_up", "worse_mornings_in_a_row", "value"), 1, "at least 2"),
        (("regress", "too_hard", "says"), "Too hard on {when}.", "unknown placeholders"),
    ],
)
def test_rules_that_do_not_fit_together_are_refused(
    path: tuple[str, ...], value: Any, message: str
) -> None:
    raw = yaml.safe_load((DATA / "progression.yaml").read_text(encoding="utf-8"))
    target = raw
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(ValidationError, match=message):
        validate(ProgressionRules, raw)


def test_every_kind_and_dose_style_has_exactly_one_range() -> None:
    raw = yaml.safe_load((DATA / "progression.yaml").read_text(encoding="utf-8"))
    raw["dose_ranges"] = [r for r in raw["dose_ranges"] if r["id"] != "range_reps_strength"]
    with pytest.raises(ValidationError, match="strength/reps"):
        validate(ProgressionRules, raw)


def test_every_message_uses_only_known_placeholders() -> None:
    for message in RULES.messages():
        rendered = message.says.format_map(dict.fromkeys(MESSAGE_KEYS, "X"))
        assert "{" not in rendered


def test_the_packaged_exercises_step_up_and_down_without_error() -> None:
    library = load_content().exercises
    for ex in library.values():
        item = default_state(ex)
        up = decide(item, good(NEEDED), RULES, library, OPEN)
        down = decide(item, [log(0, effort=10)], RULES, library, OPEN)
        for proposal in (up, down):
            if proposal.new_state is not None:
                assert proposal.new_state.exercise_id in library
        if up.action == "progress" and up.new_state is not None and ex.harder is None:
            assert up.new_state.exercise_id == ex.id


# --------------------------------------------------------------------------- properties

MORNING_ANSWERS: list[Morning | None] = ["better", "same", "worse", "much_worse", None]
ITEMS = [
    state("side_bridge_knees"),
    state("side_bridge", reps=7),
    state("bridge", reps=12),
    state("hip_flexor_stretch", hold_s=25),
    state("breathing_hold"),
    loaded(12.5),
]


@st.composite
def session_logs(draw: st.DrawFn, max_size: int = 8) -> list[SessionLog]:
    count = draw(st.integers(0, max_size))
    day = 0
    logs: list[SessionLog] = []
    for _ in range(count):
        day += draw(st.integers(0, 9))
        logs.append(
            log(
                day,
                pain=draw(st.integers(0, 10)),
                morning=draw(st.sampled_from(MORNING_ANSWERS)),
                effort=draw(st.integers(1, 10)),
                usual=draw(st.integers(0, 10)),
                completed=draw(st.booleans()),
                new=draw(st.integers(0, 9)) == 0,
                reps_done=draw(st.one_of(st.none(), st.integers(0, 20))),
            )
        )
    return logs


@settings(max_examples=300)
@given(
    history=session_logs(),
    item=st.sampled_from(ITEMS),
    new=st.booleans(),
    pain=st.integers(0, 10),
    gap=st.integers(0, 5),
)
def test_new_symptoms_or_pain_at_the_stop_threshold_always_stop(
    history: list[SessionLog], item: ItemState, new: bool, pain: int, gap: int
) -> None:
    if not new and pain < STOP_AT:
        pain = STOP_AT
    last_day = (history[-1].day - START).days if history else 0
    alarming = log(last_day + gap, pain=pain, new=new, morning=None)
    proposal = decide(item, [*history, alarming], RULES, EXERCISES, OPEN)
    assert proposal.action == "stop"
    assert proposal.requires_acceptance is False
    assert apply(item, proposal, accepted=False).stopped


@settings(max_examples=300)
@given(
    history=session_logs(),
    item=st.sampled_from(ITEMS),
    morning=st.sampled_from(["worse", "much_worse"]),
)
def test_progress_never_follows_a_worse_morning(
    history: list[SessionLog], item: ItemState, morning: Morning
) -> None:
    if history:
        history[-1] = replace(history[-1], pain_next_morning=morning)
    else:
        history = [log(0, morning=morning)]
    assert decide(item, history, RULES, EXERCISES, OPEN).action != "progress"


@settings(max_examples=300)
@given(history=session_logs(), item=st.sampled_from(ITEMS), accepted=st.booleans())
def test_any_log_sequence_gives_a_consistent_proposal(
    history: list[SessionLog], item: ItemState, accepted: bool
) -> None:
    proposal = decide(item, history, RULES, EXERCISES, OPEN)
    safety = proposal.action == "stop" or proposal.flare_up
    assert proposal.requires_acceptance is not safety
    assert proposal.reason and "{" not in proposal.reason
    assert set(proposal.based_on) <= {entry.day for entry in history}
    after = apply(item, proposal, accepted=accepted)
    if not accepted and not safety:
        assert after == item
    if proposal.action == "progress":
        window = history[-NEEDED:]
        assert all(entry.pain_during <= CEILING for entry in window)
        assert all(entry.pain_next_morning in ("same", "better") for entry in window)
    if proposal.action in ("progress", "regress"):
        assert proposal.new_state is not None and proposal.new_state != item


@pytest.mark.parametrize("alarm", [{"new": True}, {"pain": STOP_AT}])
def test_an_alarming_session_is_not_hidden_by_a_calm_one_logged_after_it(
    alarm: dict[str, Any],
) -> None:
    item = ITEMS[0]
    logs = [log(0, morning=None, **alarm), log(1)]
    proposal = decide(item, logs, RULES, EXERCISES, OPEN)
    assert proposal.action == "stop"
    assert proposal.requires_acceptance is False


# --------------------------------------------------------------------------- the exercise gates
#
# Progression hands out nothing the routine would hold back for the same person: the same
# gates (core/gates.py) decide both. These use the packaged exercise library.

LIBRARY = CONTENT.exercises
PHASE: dict[str, Phase] = {p.id: p for p in CONTENT.program.phases}


def person(
    *,
    conditions: tuple[str, ...] = (),
    worsens: tuple[str, ...] = (),
    loose: tuple[str, ...] = (),
    triage: str = "none",
    phase: str = "strengthen",
) -> Gates:
    """The gates of one person; all the kit, so only the named answers hold anything back."""
    return gates_for(
        triage_level=triage,  # type: ignore[arg-type]
        conditions=conditions,
        worsens=worsens,
        loose=loose,
        phase=PHASE[phase],
        equipment=CONTENT.equipment,
        content=CONTENT,
    )


def library_state(exercise_id: str, **changes: Any) -> ItemState:
    return replace(default_state(LIBRARY[exercise_id]), **changes)


def top_of_range(exercise_id: str) -> ItemState:
    """The exercise at the top of its dose range, so the next move up is the harder one."""
    ex = LIBRARY[exercise_id]
    dose_range = RULES.dose_range(ex.kind, "hold" if ex.dose.hold_s is not None else "reps")
    item = library_state(exercise_id)
    if "reps" in dose_range.raise_order and dose_range.reps_max is not None:
        item = replace(item, reps=int(dose_range.reps_max.value))
    if "hold_s" in dose_range.raise_order and dose_range.hold_max_s is not None:
        item = replace(item, hold_s=dose_range.hold_max_s.value)
    return item


@pytest.mark.parametrize(
    ("exercise_id", "harder", "condition"),
    [
        # Pregnancy rules out lying face down; the side-lying stretch stays where it is.
        ("side_lying_quad_stretch", "prone_quad_stretch", "pregnancy"),
        # The split squat is not for the first months after a joint replacement.
        ("step_up", "split_squat", "joint_replacement_recent"),
    ],
)
def test_a_harder_version_the_persons_condition_rules_out_is_never_offered(
    exercise_id: str, harder: str, condition: str
) -> None:
    assert LIBRARY[exercise_id].harder == harder
    item = top_of_range(exercise_id)
    # Without the condition, these sessions move on to the harder version ...
    moved = decide(item, good(NEEDED), RULES, LIBRARY, person()).new_state
    assert moved is not None and moved.exercise_id == harder
    # ... with it, the person stays where they are and is told why.
    proposal = decide(item, good(NEEDED), RULES, LIBRARY, person(conditions=(condition,)))
    assert (proposal.action, proposal.new_state, proposal.rule_id) == (
        "hold",
        None,
        "hold_harder_held_back",
    )
    assert LIBRARY[harder].name in proposal.reason
    assert CONTENT.conditions[condition].name.lower() in proposal.reason
    assert [b.gate for b in proposal.held_back] == ["condition"]
    assert not proposal.leave_out


def test_a_flare_up_never_steps_back_to_a_stretch_that_bends_a_painful_way() -> None:
    """The lying figure-four steps back to the seated one, which rounds the back forward."""
    item = library_state("lying_figure_four")
    assert LIBRARY["lying_figure_four"].easier == "seated_figure_four"
    assert LIBRARY["seated_figure_four"].directions == ["flexion"]
    flare = [log(0, morning="much_worse")]
    proposal = decide(item, flare, RULES, LIBRARY, person(worsens=("bending_forward",)))
    assert proposal.flare_up
    assert proposal.new_state is None or proposal.new_state.exercise_id != "seated_figure_four"
    # Nothing easier is allowed and the stretch itself is not a gentle one: it is left out
    # until the flare-up settles, and the person is told so.
    assert (proposal.action, proposal.new_state) == ("hold", None)
    assert "only gentle exercises for now" in proposal.reason
    assert proposal.rule_id == "flare_up_much_worse_morning"
    assert proposal.leave_out
    assert [b.gate for b in proposal.held_back] == ["gentle_only"]


def test_stepping_back_skips_an_easier_version_that_loads_a_painful_direction() -> None:
    item = library_state("lying_figure_four")
    effort = [log(0, effort=REGRESS_EFFORT)]
    # Without the painful direction, the easier version is the seated stretch.
    open_step = decide(item, effort, RULES, LIBRARY, person())
    assert open_step.new_state is not None
    assert open_step.new_state.exercise_id == "seated_figure_four"
    # With it, the seated stretch is skipped: one set fewer of the lying one instead.
    proposal = decide(item, effort, RULES, LIBRARY, person(worsens=("bending_forward",)))
    assert proposal.action == "regress"
    assert proposal.new_state is not None
    assert proposal.new_state == replace(item, sets=item.sets - 1, read=proposal.new_state.read)
    assert LIBRARY["seated_figure_four"].name in proposal.reason
    assert "makes the pain worse" in proposal.reason
    assert [b.gate for b in proposal.held_back] == ["worse_direction"]
    assert not proposal.leave_out


def test_a_flare_up_steps_back_past_a_version_that_is_not_gentle_to_one_that_is() -> None:
    """Single-leg bridge → bridge (not gentle, skipped) → buttock squeeze (gentle)."""
    chain = ["single_leg_bridge", "bridge", "glute_squeeze"]
    assert [LIBRARY[c].easier for c in chain[:2]] == chain[1:]
    assert [LIBRARY[c].gentle for c in chain] == [False, False, True]
    proposal = decide(
        library_state("single_leg_bridge"), [log(0, morning="much_worse")], RULES, LIBRARY, person()
    )
    assert proposal.flare_up and proposal.action == "regress"
    assert proposal.new_state is not None and proposal.new_state.exercise_id == "glute_squeeze"
    assert LIBRARY["bridge"].name in proposal.reason
    # Both the single-leg bridge itself and the bridge are not gentle.
    assert [b.gate for b in proposal.held_back] == ["gentle_only", "gentle_only"]


def test_an_urgent_screen_keeps_progression_to_gentle_items() -> None:
    """Pelvic rocking moves on to the pelvic tilt drill, both gentle; the glute squeeze
    would move on to the bridge, which is not gentle."""
    urgent = person(triage="urgent")
    up = decide(top_of_range("glute_squeeze"), good(NEEDED), RULES, LIBRARY, urgent)
    assert (up.action, up.rule_id) == ("hold", "hold_harder_held_back")
    assert "until a doctor has seen you" in up.reason
    allowed = decide(top_of_range("pelvic_rocking"), good(NEEDED), RULES, LIBRARY, urgent)
    assert allowed.new_state is not None
    assert allowed.new_state.exercise_id == "posterior_pelvic_tilt_drill"


def test_an_emergency_gives_no_exercise_to_move_to_or_from() -> None:
    proposal = decide(
        library_state("bridge"), good(NEEDED), RULES, LIBRARY, person(triage="emergency")
    )
    assert (proposal.action, proposal.new_state, proposal.rule_id) == (
        "hold",
        None,
        "hold_exercise_held_back",
    )
    assert "clinician" in proposal.reason
    assert proposal.leave_out and proposal.held_back[0].gate == "emergency"


def test_lying_down_that_worsens_the_pain_holds_back_a_harder_version_done_lying() -> None:
    """The wall side bridge (standing) moves on to the side bridge on the knees (lying on
    the side) only when lying down does not make the pain worse."""
    item = top_of_range("wall_side_bridge")
    moved = decide(item, good(NEEDED), RULES, LIBRARY, person())
    assert moved.new_state is not None and moved.new_state.exercise_id == "side_bridge_knees"
    held = decide(item, good(NEEDED), RULES, LIBRARY, person(worsens=("lying_down",)))
    assert (held.action, held.rule_id) == ("hold", "hold_harder_held_back")
    assert "lying on your side" in held.reason


def test_an_item_that_no_longer_passes_the_gates_is_left_out_not_moved_on() -> None:
    """Someone newly pregnant with the face-down quad stretch in the plan: not more of it."""
    item = library_state("prone_quad_stretch", hold_s=20.0)
    proposal = decide(item, good(NEEDED), RULES, LIBRARY, person(conditions=("pregnancy",)))
    assert (proposal.action, proposal.new_state, proposal.rule_id) == (
        "hold",
        None,
        "hold_exercise_held_back",
    )
    assert not proposal.requires_acceptance
    assert proposal.leave_out
    # Stepping back from it lands on the side-lying version, which pregnancy allows.
    back = decide(
        item, [log(0, effort=REGRESS_EFFORT)], RULES, LIBRARY, person(conditions=("pregnancy",))
    )
    assert back.new_state is not None
    assert back.new_state.exercise_id == "side_lying_quad_stretch"


def test_a_harder_version_needing_kit_the_person_has_not_got_is_not_offered() -> None:
    item = top_of_range("hip_hitch")
    assert LIBRARY["hip_hitch"].harder == "banded_side_steps"
    with_band = decide(item, good(NEEDED), RULES, LIBRARY, person())
    assert with_band.new_state is not None
    assert with_band.new_state.exercise_id == "banded_side_steps"
    no_band = dataclasses.replace(person(), kit=person().kit - {"resistance_band"})
    held = decide(item, good(NEEDED), RULES, LIBRARY, no_band)
    assert (held.action, held.rule_id) == ("hold", "hold_harder_held_back")
    assert "resistance band" in held.reason


def test_a_harder_stretch_of_a_muscle_found_loose_is_not_offered() -> None:
    """No packaged chain leads into a hamstring stretch from anything else, so this uses a
    hand-built one: the deeper version of a hip flexor stretch also stretches the
    hamstrings, which a test found loose."""
    deeper = dataclasses.replace(
        EXERCISES["deep_lunge_stretch"], targets=[Target(muscle="hamstrings", action="lengthen")]
    )
    library = {**EXERCISES, deeper.id: deeper}
    item = state("hip_flexor_stretch", hold_s=30.0)
    moved = decide(item, good(NEEDED), RULES, library, OPEN)
    assert moved.new_state is not None and moved.new_state.exercise_id == deeper.id
    held = decide(item, good(NEEDED), RULES, library, person(loose=("hamstrings",)))
    assert (held.action, held.rule_id) == ("hold", "hold_harder_held_back")
    assert "tested loose" in held.reason


def test_gates_reject_unknown_ids_instead_of_ignoring_them() -> None:
    with pytest.raises(ValueError, match="unknown condition"):
        person(conditions=("pregnant",))
    with pytest.raises(ValueError, match="unknown movement"):
        person(worsens=("lying",))
