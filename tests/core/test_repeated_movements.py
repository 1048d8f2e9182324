"""The repeated-movement check: which way moving the back sends the pain, and what follows.

A direction whose repeats drew the pain in towards the spine (centralised) or eased it
joins the movements that ease the pain; one that sent it further out (peripheralised) or
made it worse joins those that worsen it, and the routine's gates hold back every exercise
loading the back that way. The person's own answers still count, the careful one winning.
Pain spreading into a leg, or a new numb or weak leg, asks the person to stop, mention it
to a clinician and answer the leg questions of the safety screen again.
"""

from __future__ import annotations

import copy
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from backbalance.cli.text import render_plan, render_text
from backbalance.content.loader import check_references
from backbalance.content.schema import SelfTest
from backbalance.content.validation import validate
from backbalance.core.case import parse_case
from backbalance.core.engine import evaluate_raw
from backbalance.core.program import routine_gates
from backbalance.core.types import Result
from tests.strategies import CONTENT, cases

CHECK_ID = "repeated_movements"
CHECK = CONTENT.tests[CHECK_ID]
assert CHECK.direction_check is not None
RULES = CHECK.direction_check
MOVEMENT_OF = {d.field: d.movement for d in RULES.directions}
ANSWERS = [r.choice for r in RULES.responses]
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "cases"


def office_worker(eases: list[str] | None = None, worsens: list[str] | None = None) -> Any:
    """Example 01 without its repeated-movement check and with the given stated answers."""
    raw = json.loads((EXAMPLE / "01_lower_crossed_office_worker.json").read_text("utf-8"))
    raw["tests"].pop(CHECK_ID, None)
    raw["context"]["eases"] = eases or []
    raw["context"]["worsens"] = worsens or []
    return raw


def with_check(raw: Any, **answers: Any) -> Any:
    raw = copy.deepcopy(raw)
    raw["tests"][CHECK_ID] = {"new_numbness_or_weakness": False, **answers}
    return raw


def directions_loaded(result: Result) -> set[str]:
    assert result.routine is not None
    return {d for item in result.routine.items for d in CONTENT.exercises[item.exercise].directions}


def easing_items(result: Result) -> set[str]:
    """The routine items added because they move the back the way that eases the pain."""
    assert result.routine is not None
    return {i.exercise for i in result.routine.items if "eases your pain" in i.reason}


def codes(result: Result) -> list[str]:
    return [w.code for w in result.warnings]


def direction_of(movement: str) -> str:
    return CONTENT.movements[movement].direction


# --------------------------------------------------------------------------- the content


def test_every_direction_answer_has_one_meaning_and_the_spread_ones_worsen() -> None:
    meanings = {r.choice: r.means for r in RULES.responses}
    assert meanings["centralised"] == "eases"
    assert meanings["peripheralised"] == "worsens"
    assert meanings["into_leg"] == "worsens"
    for direction in RULES.directions:
        assert {c.id for c in CHECK.field(direction.field).choices} == set(meanings)
    # Only the answer that the pain spread into a leg asks the person to stop.
    assert {r.choice for r in RULES.responses if r.stop} == {"into_leg"}


def test_the_stop_rule_comes_first_and_the_steps_say_the_sourced_number_of_repeats() -> None:
    assert CHECK.steps[0].startswith("First, the stop rule.")
    assert "down a leg" in CHECK.steps[0]
    words = {10: "ten"}
    count = words[int(RULES.repetitions.value)]
    repeated = [s for s in CHECK.steps if "times" in s]
    assert repeated and all(f"about {count} times" in s for s in repeated)
    assert RULES.repetitions.sources


def test_the_check_names_no_muscle_and_cannot_be_read_as_a_muscle_test() -> None:
    assert CHECK.kind == "direction" and CHECK.targets == [] and CHECK.rules == []


def _check_data(**changes: Any) -> dict[str, Any]:
    data = asdict(CHECK)
    data.update(changes)
    return data


def test_a_direction_test_without_its_direction_rules_is_refused() -> None:
    with pytest.raises(ValidationError, match="needs a direction_check"):
        validate(SelfTest, _check_data(direction_check=None))


def test_a_muscle_test_without_target_muscles_is_refused() -> None:
    muscle_test = asdict(CONTENT.tests["modified_thomas"])
    muscle_test["targets"] = []
    with pytest.raises(ValidationError, match="needs target muscles"):
        validate(SelfTest, muscle_test)


def test_an_answer_with_no_meaning_is_refused() -> None:
    rules = asdict(CHECK)["direction_check"]
    rules["responses"] = [r for r in rules["responses"] if r["choice"] != "into_leg"]
    with pytest.raises(ValidationError, match="must be exactly the response choices"):
        validate(SelfTest, _check_data(direction_check=rules))


def test_a_direction_naming_an_unknown_movement_fails_the_content_check() -> None:
    rules = asdict(CHECK)["direction_check"]
    rules["directions"][0]["movement"] = "cartwheels"
    broken = validate(SelfTest, _check_data(direction_check=rules))
    content = copy.copy(CONTENT)
    object.__setattr__(content, "tests", {**CONTENT.tests, CHECK_ID: broken})
    assert any("unknown movement 'cartwheels'" in p for p in check_references(content))


# --------------------------------------------------------------------------- the mapping


def test_centralising_with_back_bends_eases_and_adds_a_gentle_backward_movement() -> None:
    # Time enough for every item, so the easing movement is not left out for time.
    roomy = office_worker()
    roomy["context"]["minutes_per_day"] = int(CONTENT.program.max_minutes.value)
    before = evaluate_raw(roomy, CONTENT)
    after = evaluate_raw(with_check(roomy, back_bend="centralised"), CONTENT)
    assert "bending_backward" not in before.eases
    assert after.eases == {"bending_backward"}
    assert after.worsens == set()
    assert easing_items(before) == set()
    added = easing_items(after)
    assert added
    assert {d for e in added for d in CONTENT.exercises[e].directions} == {"extension"}


@pytest.mark.parametrize("answer", ["peripheralised", "into_leg", "worse"])
def test_spreading_or_worse_with_forward_bends_worsens_and_drops_every_flexion_item(
    answer: str,
) -> None:
    before = evaluate_raw(office_worker(), CONTENT)
    after = evaluate_raw(with_check(office_worker(), forward_bend=answer), CONTENT)
    assert "flexion" in directions_loaded(before)
    assert after.worsens == {"bending_forward"}
    assert "flexion" not in directions_loaded(after)
    assert after.routine is not None
    held = {o.exercise for o in after.routine.left_out if o.why == "safety"}
    assert "posterior_pelvic_tilt_drill" in held


@pytest.mark.parametrize("answer", ["no_change"])
def test_no_change_changes_nothing(answer: str) -> None:
    before = evaluate_raw(office_worker(), CONTENT)
    after = evaluate_raw(with_check(office_worker(), forward_bend=answer), CONTENT)
    assert after.eases == before.eases and after.worsens == before.worsens
    assert after.routine == before.routine


def test_one_side_glide_spreading_worsens_side_bending_even_when_the_other_eases() -> None:
    raw = with_check(office_worker(), side_glide_left="centralised", side_glide_right="into_leg")
    result = evaluate_raw(raw, CONTENT)
    assert "side_bending" in result.worsens
    assert "side_bending" not in result.eases
    assert "side_bend" not in directions_loaded(result)


def test_a_direction_the_person_says_worsens_stays_worsening_whatever_the_check_says() -> None:
    raw = with_check(office_worker(worsens=["bending_backward"]), back_bend="centralised")
    result = evaluate_raw(raw, CONTENT)
    assert "bending_backward" in result.worsens
    assert "bending_backward" not in result.eases
    assert "extension" not in directions_loaded(result)


def test_a_stated_easing_movement_loading_a_direction_the_check_worsens_no_longer_eases() -> None:
    # Walking loads the back towards extension; the back bends spread the pain.
    raw = with_check(office_worker(eases=["walking"]), back_bend="peripheralised")
    result = evaluate_raw(raw, CONTENT)
    assert "walking" not in result.eases
    assert result.worsens == {"bending_backward"}
    assert "extension" not in directions_loaded(result)


def test_stated_answers_still_count_beside_the_check() -> None:
    raw = with_check(
        office_worker(eases=["lying_down"], worsens=["sitting"]), back_bend="centralised"
    )
    result = evaluate_raw(raw, CONTENT)
    assert result.eases == {"lying_down", "bending_backward"}
    assert result.worsens == {"sitting"}


def test_a_caller_holding_only_the_stated_answers_still_gets_the_checks_gates() -> None:
    # Progression builds its gates from the case's own context and the result; the
    # direction the check found worsening must be shut there too.
    raw = with_check(office_worker(), forward_bend="peripheralised")
    result = evaluate_raw(raw, CONTENT)
    stated = parse_case(raw, CONTENT).context
    assert stated is not None and stated.worsens == set()
    gates = routine_gates(result, stated, CONTENT)
    flexion = [e for e in CONTENT.exercises.values() if "flexion" in e.directions]
    assert flexion
    for exercise in flexion:
        assert "worse_direction" in {b.gate for b in gates.blocks(exercise)}


def test_the_check_alone_counts_as_no_muscle_test_and_names_no_imbalance() -> None:
    raw = office_worker()
    raw["tests"] = {}
    result = evaluate_raw(with_check(raw, back_bend="eased"), CONTENT)
    assert "no_tests" in codes(result)
    assert "no_clear_imbalance" not in codes(result)
    assert result.eases == {"bending_backward"}


def test_each_direction_tried_is_recorded_with_its_meaning_and_sources() -> None:
    raw = with_check(office_worker(), back_bend="centralised", forward_bend="peripheralised")
    result = evaluate_raw(raw, CONTENT)
    recorded = {(r.field, r.movement, r.answer, r.means) for r in result.movement_responses}
    assert recorded == {
        ("back_bend", "bending_backward", "centralised", "eases"),
        ("forward_bend", "bending_forward", "peripheralised", "worsens"),
    }
    assert all(r.sources for r in result.movement_responses)


# --------------------------------------------------------------------------- stopping


def test_pain_spreading_into_a_leg_stops_the_check_and_points_to_the_screen() -> None:
    result = evaluate_raw(with_check(office_worker(), forward_bend="into_leg"), CONTENT)
    assert codes(result)[:2] == ["movement_check_stop", "movement_check_screen"]
    stop, screen = result.warnings[:2]
    assert "clinician" in stop.message and stop.message.startswith("Stop")
    questions = {q.id: " ".join(q.question.split()) for q in CONTENT.red_flags.questions}
    for question in RULES.screen_questions:
        assert questions[question] in screen.message
    # The text report shows both, before anything else is read.
    text = render_text(result, CONTENT)
    assert stop.message.split(".")[0] in " ".join(text.split())


def test_new_numbness_or_weakness_stops_even_when_every_direction_eased() -> None:
    raw = with_check(office_worker(), back_bend="centralised")
    raw["tests"][CHECK_ID]["new_numbness_or_weakness"] = True
    result = evaluate_raw(raw, CONTENT)
    assert codes(result)[:2] == ["movement_check_stop", "movement_check_screen"]
    assert "Stop the repeated movement check" in " ".join(render_plan(result, CONTENT).split())


@pytest.mark.parametrize("answer", ["peripheralised", "worse", "centralised", "no_change"])
def test_no_stop_without_a_leg_spread_or_a_new_numb_or_weak_leg(answer: str) -> None:
    result = evaluate_raw(with_check(office_worker(), back_bend=answer), CONTENT)
    assert not {"movement_check_stop", "movement_check_screen"} & set(codes(result))


def test_the_stop_shows_without_a_routine_context_too() -> None:
    raw = with_check(office_worker(), side_glide_right="into_leg")
    del raw["context"]
    result = evaluate_raw(raw, CONTENT)
    assert "movement_check_stop" in codes(result)
    assert result.worsens == {"side_bending"}


# --------------------------------------------------------------------------- the property


@st.composite
def checked_cases(draw: st.DrawFn) -> dict[str, Any]:
    """Any valid case with a context, and a repeated-movement check aimed at the gates.

    Each direction is tried on most cases, and the spreading answers are drawn as often as
    the others, so the "peripheralised direction is held back" gate fires on most cases.
    """
    # Safety-screen flags on a quarter of the cases only: most flagged screens are
    # emergencies, which stop the chain before any routine the property is about.
    flags = draw(st.sampled_from([False, False, False, True]))
    raw = draw(cases(allow_flags=flags, with_context=True))
    answers: dict[str, Any] = {"new_numbness_or_weakness": draw(st.booleans())}
    for direction in RULES.directions:
        if draw(st.sampled_from([True, True, True, False])):
            answers[direction.field] = draw(st.sampled_from(ANSWERS))
    raw["tests"][CHECK_ID] = answers
    return raw


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(checked_cases())
def test_a_direction_that_spread_or_worsened_is_never_loaded_by_any_routine_item(
    raw: dict[str, Any],
) -> None:
    result = evaluate_raw(raw, CONTENT)
    worsened = {r.movement for r in result.movement_responses if r.means == "worsens"}
    stated = set(raw["context"]["worsens"])
    # Stated answers are never lost; the check's worsening ones are added.
    assert stated | worsened <= result.worsens
    assert not result.eases & result.worsens
    shut = {direction_of(m) for m in result.worsens} - {"none"}
    if result.triage.level == "emergency":
        # The emergency page shows only where to go now: no routine, no other message.
        event("no routine (emergency)")
        assert result.routine is None
        # Only the emergency itself and the answers behind it, to tell the staff.
        assert set(codes(result)) <= {"emergency", "emergency_answer"}
        assert "emergency" in codes(result)
        return
    assert result.routine is not None
    if worsened:
        event("gate: a direction the check found worsening is held back")
    stop = any(r.answer == "into_leg" for r in result.movement_responses)
    if stop:
        event("stop: pain spread into a leg")
    if raw["tests"][CHECK_ID]["new_numbness_or_weakness"]:
        event("stop: new numbness or weakness")
        stop = True
    assert ("movement_check_stop" in codes(result)) == stop
    assert (codes(result)[:2] == ["movement_check_stop", "movement_check_screen"]) == stop
    if {r.movement for r in result.movement_responses if r.means == "eases"} - result.eases:
        event("combine: an easing answer overruled by a worsening one")
    for item in result.routine.items:
        assert not set(CONTENT.exercises[item.exercise].directions) & shut, item.exercise
    # And the gates a later caller builds from the stated answers alone agree.
    case = parse_case(raw, CONTENT)
    assert case.context is not None
    gates = routine_gates(result, case.context, CONTENT)
    for exercise in CONTENT.exercises.values():
        if set(exercise.directions) & ({direction_of(m) for m in worsened} - {"none"}):
            assert not gates.allows(exercise)


# --------------------------------------------------------------------------- the example


def test_the_office_worker_example_shows_an_extension_preference() -> None:
    raw = json.loads((EXAMPLE / "01_lower_crossed_office_worker.json").read_text("utf-8"))
    result = evaluate_raw(raw, CONTENT)
    # Sitting (her own answer) and the forward bends that spread her pain both worsen it;
    # walking (her own answer) and the back bends that centralised it both ease it.
    assert result.worsens == {"sitting", "bending_forward"}
    assert result.eases == {"walking", "bending_backward"}
    assert "flexion" not in directions_loaded(result)
    assert not {"movement_check_stop", "movement_check_screen"} & set(codes(result))
