"""The self-tests pass the same gates as the exercises: conditions, the screen, a flare-up.

Each example of issue 7 §1 is tried here: a test that is not safe for the person is not
offered, the person is told why and what the result can do without it, and a reading
given for it anyway never reaches a finding, a sign or a measure.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from backbalance.content.loader import check_references
from backbalance.content.schema import SelfTestSafety
from backbalance.content.validation import validate
from backbalance.core.assessment import assess
from backbalance.core.case import parse_case
from backbalance.core.engine import evaluate_raw
from backbalance.core.gates import Gates, self_test_gates
from backbalance.core.program import choose_phase
from backbalance.core.types import Finding, Result, SelfTestOffer, SignFinding
from tests.strategies import CONTENT, all_no, contexts, self_test_results

ROOT = Path(__file__).resolve().parents[2]
HIP_CROSSING = ("modified_thomas", "ober", "faber", "piriformis_length")
FACE_DOWN = ("prone_knee_bend", "prone_hip_extension", "biering_sorensen")
HELD_TO_FAILURE = ("biering_sorensen", "mcgill_flexor", "side_bridge")

# One valid reading per test, so every test can be given "anyway" in a case.
READING: dict[str, dict[str, Any]] = {
    "modified_thomas": {
        "low_back_flat": True,
        "hip_angle": 15,
        "knee_angle": 50,
        "thigh_drifts_out": True,
    },
    "prone_knee_bend": {"heel_reaches_buttock": False, "buttock_lifts": True},
    "ober": {"leg_rest": "above_level"},
    "faber": {"could_not_do": "too_hard"},
    "piriformis_length": {"buttock_feeling": "strong_tightness"},
    "single_leg_bridge": {"reps": 5},
    "prone_hip_extension": {"could_not_do": "too_hard"},
    "biering_sorensen": {"hold_s": 20},
    "mcgill_flexor": {"hold_s": 200},
    "side_bridge": {"hold_s": 10},
}


def case(
    *,
    tests: tuple[str, ...] = (),
    conditions: tuple[str, ...] = (),
    screen: dict[str, str] | None = None,
    pain: int = 3,
    irritability: str | None = "low",
    age: int = 45,
) -> dict[str, Any]:
    """A raw case with a reading for each named test; no context when irritability is None."""
    readings: dict[str, Any] = {}
    for test_id in tests:
        test = CONTENT.tests[test_id]
        value = READING[test_id]
        readings[test_id] = {"left": value, "right": value} if test.per_side else value
    raw: dict[str, Any] = {
        "person": {"age": age, "sex": "female"},
        "screening": {**all_no(), **(screen or {})},
        "questionnaires": {"pain_nrs": {"now": pain, "average": pain, "worst": pain}},
        "tests": readings,
    }
    if irritability is not None:
        raw["context"] = {
            "minutes_per_day": 20,
            "equipment": ["mat"],
            "irritability": irritability,
            "conditions": list(conditions),
        }
    return raw


def offers(result: Result) -> dict[str, SelfTestOffer]:
    return {offer.test: offer for offer in result.self_tests}


def used_tests(result: Result) -> set[str]:
    """Every test any finding, sign or worked-out measure rests on."""
    used: set[str] = set()
    items: list[Finding | SignFinding] = [*result.findings, *result.signs]
    for item in items:
        for evidence in item.evidence:
            used.update(evidence.tests())
    for measure in result.measures:
        if measure.value is None:
            continue
        ratio = next((r for r in CONTENT.ratios if r.id == measure.id), None)
        if ratio is not None:
            used.update((ratio.numerator.test, ratio.denominator.test))
        else:
            used.add(measure.id.split(".")[0])
    return used


# --------------------------------------------------------------------------- the examples


def test_after_a_hip_replacement_the_hip_crossing_tests_are_not_offered_or_used() -> None:
    result = evaluate_raw(case(tests=HIP_CROSSING, conditions=("hip_replacement",)), CONTENT)
    offered = offers(result)
    for test_id in HIP_CROSSING:
        assert not offered[test_id].offered, test_id
        assert "not safe with hip replacement" in offered[test_id].why_not
    assert not used_tests(result) & set(HIP_CROSSING)
    named = {w.about for w in result.warnings if w.code == "test_not_offered"}
    assert named == set(HIP_CROSSING)
    # The same readings without the hip replacement do give findings.
    assert used_tests(evaluate_raw(case(tests=HIP_CROSSING), CONTENT)) >= set(HIP_CROSSING)


def test_in_pregnancy_the_face_down_tests_are_not_offered_or_used() -> None:
    result = evaluate_raw(case(tests=FACE_DOWN, conditions=("pregnancy",)), CONTENT)
    for test_id in FACE_DOWN:
        assert not offers(result)[test_id].offered, test_id
    assert not used_tests(result) & set(FACE_DOWN)
    assert used_tests(evaluate_raw(case(tests=FACE_DOWN), CONTENT)) & set(FACE_DOWN)


@pytest.mark.parametrize("condition", ["high_blood_pressure", "high_blood_pressure_any"])
@pytest.mark.parametrize("test_id", HELD_TO_FAILURE)
def test_holds_to_failure_warn_to_keep_breathing_with_high_blood_pressure(
    condition: str, test_id: str
) -> None:
    offer = offers(evaluate_raw(case(conditions=(condition,)), CONTENT))[test_id]
    assert offer.offered
    assert any("never hold your breath" in c for c in offer.cautions)
    clear = offers(evaluate_raw(case(), CONTENT))[test_id]
    assert not any("breath" in c for c in clear.cautions)


@pytest.mark.parametrize("test_id", HELD_TO_FAILURE)
def test_holds_to_failure_warn_to_keep_breathing_with_a_heart_condition(test_id: str) -> None:
    offer = offers(evaluate_raw(case(conditions=("heart_condition",)), CONTENT))[test_id]
    assert any("never hold your breath" in c for c in offer.cautions)


@pytest.mark.parametrize("test_id", HELD_TO_FAILURE)
def test_holds_to_failure_carry_a_weak_bones_caution_known_from_the_screen_alone(
    test_id: str,
) -> None:
    # Osteoporosis answered on the safety screen, not ticked: it still counts.
    result = evaluate_raw(case(screen={"osteoporosis_known": "yes"}), CONTENT)
    assert "osteoporosis" in result.conditions
    assert any(c.startswith("Osteoporosis") for c in offers(result)[test_id].cautions)


def test_weak_bones_from_the_screen_switch_off_the_forward_rounding_tests() -> None:
    result = evaluate_raw(case(screen={"osteoporosis_known": "yes"}), CONTENT)
    for test_id in ("sit_and_reach", "forward_bend_check"):
        assert not offers(result)[test_id].offered


def test_severe_osteoporosis_brings_the_gates_of_osteoporosis() -> None:
    result = evaluate_raw(case(conditions=("osteoporosis_severe",)), CONTENT)
    assert not offers(result)["forward_bend_check"].offered


def test_after_an_urgent_screen_no_test_is_offered_and_no_reading_is_used() -> None:
    path = ROOT / "examples" / "cases" / "05_urgent_past_cancer.json"
    result = evaluate_raw(json.loads(path.read_text()), CONTENT)
    assert result.triage.level == "urgent"
    assert result.self_tests and not any(o.offered for o in result.self_tests)
    assert all("doctor has seen you" in o.why_not[0] for o in result.self_tests)
    assert not result.findings and not result.signs and not result.primary_imbalances
    assert {"single_leg_stance", "single_leg_bridge"} == {
        w.about for w in result.warnings if w.code == "test_not_offered"
    }


def test_an_urgent_screen_switches_off_even_the_gentle_tests() -> None:
    result = evaluate_raw(case(screen={"steroids_long_term": "yes"}, age=45), CONTENT)
    assert result.triage.level == "urgent"
    assert not offers(result)["standing_pelvis_height"].offered


def test_an_emergency_lists_every_test_as_not_offered() -> None:
    result = evaluate_raw(case(screen={"ces_saddle_numbness": "yes"}), CONTENT)
    assert result.triage.level == "emergency"
    assert len(result.self_tests) == len(CONTENT.tests)
    assert not any(o.offered for o in result.self_tests)


def test_in_a_severe_flare_the_single_leg_bridge_is_not_offered_or_used() -> None:
    path = ROOT / "examples" / "cases" / "11_flare_up_calm_phase.json"
    result = evaluate_raw(json.loads(path.read_text()), CONTENT)
    bridge = offers(result)["single_leg_bridge"]
    assert not bridge.offered
    assert "only gentle tests for now, until the flare-up has settled" in bridge.why_not
    assert "single_leg_bridge" not in used_tests(result)
    # A gentle test is still offered and still used.
    assert offers(result)["modified_thomas"].offered
    assert "modified_thomas" in used_tests(result)


def test_without_the_routine_answers_severe_pain_alone_counts_as_a_flare() -> None:
    result = evaluate_raw(case(tests=("side_bridge",), pain=8, irritability=None), CONTENT)
    assert not offers(result)["side_bridge"].offered
    calm = evaluate_raw(case(tests=("side_bridge",), pain=3, irritability=None), CONTENT)
    assert offers(calm)["side_bridge"].offered


def test_a_test_not_offered_says_what_cannot_be_judged_and_what_checks_it_instead() -> None:
    offer = offers(evaluate_raw(case(conditions=("hip_replacement",)), CONTENT))
    thomas = offer["modified_thomas"]
    assert any(item.startswith("Deep hip flexor") for item in thomas.cannot_judge)
    assert CONTENT.tests["prone_knee_bend"].name in thomas.covered_by
    sit_and_reach = offer["sit_and_reach"]
    assert CONTENT.tests["straight_leg_raise"].name in sit_and_reach.covered_by
    flare = offers(evaluate_raw(case(pain=8, irritability="high"), CONTENT))
    assert any("Front hold to back hold" in i for i in flare["mcgill_flexor"].cannot_judge)


def test_a_gated_test_gives_no_ratio_or_side_difference() -> None:
    result = evaluate_raw(
        case(tests=("biering_sorensen", "mcgill_flexor", "modified_thomas")), CONTENT
    )
    worked_out = {m.id for m in result.measures if m.value is not None}
    assert {"flexion_extension_ratio", "modified_thomas.hip_angle_side_difference"} <= worked_out
    # Pregnancy closes the back hold (face down); the ratio it feeds is not worked out and
    # does not carry its reading.
    pregnant = evaluate_raw(
        case(tests=("biering_sorensen", "mcgill_flexor"), conditions=("pregnancy",)), CONTENT
    )
    for ratio in (m for m in pregnant.measures if m.id == "flexion_extension_ratio"):
        assert ratio.value is None
        assert "denominator" not in ratio.readings
    # Hip replacement closes the Thomas test: no left-right difference from it at all.
    hip = evaluate_raw(case(tests=("modified_thomas",), conditions=("hip_replacement",)), CONTENT)
    assert not any(m.id.startswith("modified_thomas") for m in hip.measures)


def test_assess_sets_aside_the_readings_of_a_test_not_offered() -> None:
    parsed = parse_case(case(tests=("ober",)), CONTENT)
    assert any(f.muscle == "tfl_itb" for f in assess(parsed, CONTENT).findings)
    held = assess(parsed, CONTENT, {"ober": "not safe with hip replacement"})
    assert not held.findings
    assert [w.code for w in held.warnings] == ["test_not_offered"]
    assert "not safe with hip replacement" in held.warnings[0].message


# --------------------------------------------------------------------------- one gate code


def _gates(**changes: Any) -> Gates:
    base: dict[str, Any] = {
        "triage_level": "none",
        "conditions": (),
        "flare_up": False,
        "content": CONTENT,
    }
    return self_test_gates(**{**base, **changes})


@pytest.mark.parametrize(
    ("test_id", "condition"),
    [(t.id, c) for t in CONTENT.tests.values() for c in t.safety.contraindications],
)
def test_every_contraindication_of_a_test_closes_its_gate(test_id: str, condition: str) -> None:
    test = CONTENT.tests[test_id]
    blocks = _gates(conditions=(condition,)).blocks(test)
    assert [b.gate for b in blocks] == ["condition"]
    assert _gates().allows(test)


def test_a_test_and_an_exercise_in_the_same_position_are_closed_by_the_same_condition() -> None:
    # Each test, and the exercise done in its position; the test must be closed for every
    # condition that closes the exercise.
    same_position = {
        "ober": "side_lying_outer_hip_stretch",
        "faber": "lying_figure_four",
        "piriformis_length": "seated_figure_four",
        "prone_knee_bend": "prone_quad_stretch",
        "prone_hip_extension": "prone_leg_lift",
        "biering_sorensen": "prone_leg_lift",
        "sit_and_reach": "curl_up",
    }
    for test_id, exercise_id in same_position.items():
        exercise = CONTENT.exercises[exercise_id]
        for condition in exercise.contraindications:
            gates = _gates(conditions=(condition,))
            assert not gates.allows(exercise), (exercise_id, condition)
            assert not gates.allows(CONTENT.tests[test_id]), (test_id, condition)


def test_the_urgent_gate_closes_every_test_but_only_the_hard_exercises() -> None:
    gates = _gates(triage_level="urgent")
    assert all(gates.blocks(t)[0].gate == "urgent" for t in CONTENT.tests.values())
    assert not any(b.gate == "urgent" for e in CONTENT.exercises.values() for b in gates.blocks(e))


def test_a_flare_closes_only_the_tests_that_are_not_gentle() -> None:
    gates = _gates(flare_up=True)
    closed = {t.id for t in CONTENT.tests.values() if not gates.allows(t)}
    assert closed == {t.id for t in CONTENT.tests.values() if not t.safety.gentle}
    assert closed >= {"single_leg_bridge", *HELD_TO_FAILURE}


def test_the_content_check_refuses_a_test_naming_an_unknown_condition() -> None:
    ober = CONTENT.tests["ober"]
    safety = replace(ober.safety, contraindications=["hip_replacment"])
    broken = replace(CONTENT, tests={**CONTENT.tests, "ober": replace(ober, safety=safety)})
    assert "tests.yaml[ober]: unknown condition 'hip_replacment'" in check_references(broken)
    assert not [p for p in check_references(CONTENT) if p.startswith("tests.yaml")]


def test_a_caution_and_a_contraindication_for_one_condition_are_refused() -> None:
    with pytest.raises(ValueError, match="both a contraindication and a caution"):
        validate(
            SelfTestSafety,
            dict(
                gentle=True,
                contraindications=["pregnancy"],
                cautions=[{"condition": "pregnancy", "note": "Keep it short."}],
                note="A test written wrongly on purpose.",
                sources=["backbalance_convention"],
            ),
        )


def test_unknown_conditions_never_quietly_open_a_test_gate() -> None:
    with pytest.raises(ValueError, match="unknown condition"):
        _gates(conditions=("hip_replacment",))


# --------------------------------------------------------------------------- property

# Conditions that close some test, and conditions with a test caution, drawn on purpose:
# drawn evenly among all conditions they would be in too few cases to try the gates.
CLOSING = sorted({c for t in CONTENT.tests.values() for c in t.safety.contraindications})
CAUTIONED = sorted({c.condition for t in CONTENT.tests.values() for c in t.safety.cautions})
SCREEN_CONDITION_QUESTIONS = sorted(
    {q for c in CONTENT.conditions.values() for q in c.established_by}
)
SCENARIOS = (
    "clear",
    "closing_condition",
    "cautioned_condition",
    "condition_on_screen",
    "urgent",
    "emergency",
    "flare",
    "flare_without_context",
)


@st.composite
def gate_cases(draw: st.DrawFn) -> dict[str, Any]:
    scenarios = {draw(st.sampled_from(SCENARIOS))}
    if draw(st.booleans()):
        scenarios.add(draw(st.sampled_from(SCENARIOS)))
    answers = all_no()
    if "urgent" in scenarios:
        answers[draw(st.sampled_from(["steroids_long_term", "cancer_history"]))] = "yes"
    if "emergency" in scenarios:
        answers[draw(st.sampled_from(["ces_saddle_numbness", "ces_bladder_change"]))] = "yes"
    if "condition_on_screen" in scenarios:
        answers[draw(st.sampled_from(SCREEN_CONDITION_QUESTIONS))] = draw(
            st.sampled_from(["yes", "unsure"])
        )
    flare = scenarios & {"flare", "flare_without_context"}
    pain = draw(st.integers(7, 10)) if flare else draw(st.integers(0, 6))
    raw: dict[str, Any] = {
        "person": {"age": draw(st.integers(18, 90)), "sex": "female"},
        "screening": answers,
        "questionnaires": {"pain_nrs": {"now": pain, "average": pain, "worst": pain}},
        "tests": draw(self_test_results()),
    }
    if "flare_without_context" in scenarios:
        return raw
    context = draw(contexts())
    if "flare" not in scenarios and context["irritability"] == "high":
        context["irritability"] = "low"
    chosen = set(draw(st.lists(st.sampled_from(sorted(CONTENT.conditions)), max_size=2)))
    if "closing_condition" in scenarios:
        chosen.add(draw(st.sampled_from(CLOSING)))
    if "cautioned_condition" in scenarios:
        chosen.add(draw(st.sampled_from(CAUTIONED)))
    context["conditions"] = sorted(chosen)
    raw["context"] = context
    return raw


def _flare_now(result: Result, raw: dict[str, Any]) -> bool:
    """A flare-up, worked out here from the content, not from the gate code."""
    parsed = parse_case(raw, CONTENT)
    if parsed.context is not None:
        return choose_phase(result, parsed.context, CONTENT.program)[0].gentle_only
    pain = result.scores["pain_nrs"].value
    return pain is not None and pain >= 7


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(gate_cases())
def test_no_unsafe_test_or_exercise_is_offered_and_no_gated_reading_is_used(
    raw: dict[str, Any],
) -> None:
    result = evaluate_raw(raw, CONTENT)
    offered = offers(result)
    assert list(offered) == list(CONTENT.tests)
    flare = _flare_now(result, raw)
    gated: set[str] = set()
    for test in CONTENT.tests.values():
        offer = offered[test.id]
        closed_by = set(test.safety.contraindications) & result.conditions
        unsafe = (
            result.triage.level in ("urgent", "emergency")
            or bool(closed_by)
            or (flare and not test.safety.gentle)
        )
        assert offer.offered is not unsafe, (test.id, offer.why_not)
        if not offer.offered:
            gated.add(test.id)
            assert offer.why_not
        for caution in test.safety.cautions:
            if caution.condition in result.conditions:
                assert any(caution.note in c for c in offer.cautions)
    assert not used_tests(result) & gated
    # The exercises, through the same gates: none contraindicated is ever in the routine.
    for item in result.routine.items if result.routine else ():
        assert not set(CONTENT.exercises[item.exercise].contraindications) & result.conditions
    given_anyway = gated & set(raw["tests"])
    named = {w.about for w in result.warnings if w.code == "test_not_offered"}
    if result.triage.level != "emergency":
        assert named == given_anyway
    _events(result, flare, given_anyway)


def _events(result: Result, flare: bool, given_anyway: set[str]) -> None:
    gates = self_test_gates(
        triage_level=result.triage.level,
        conditions=result.conditions,
        flare_up=flare,
        content=CONTENT,
    )
    fired = {b.gate for t in CONTENT.tests.values() for b in gates.blocks(t)}
    for gate in sorted(fired):
        event(f"test gate fired: {gate}")
    if not fired:
        event("test gate fired: none (every test offered)")
    if any(o.cautions for o in result.self_tests if o.offered):
        event("an offered test shows a caution")
    if given_anyway:
        event("a reading given for a test not offered was set aside")


def test_an_exercise_held_back_by_the_phase_names_its_kind_in_the_content_s_words() -> None:
    words = {kind: f"kind-{kind}" for kind in CONTENT.engine.messages.kind_words}
    messages = replace(CONTENT.engine.messages, kind_words=words)
    content = replace(CONTENT, engine=replace(CONTENT.engine, messages=messages))
    # The self-test gates take no exercise kind, so each exercise is held back by the phase.
    gates = self_test_gates(triage_level="none", conditions=(), flare_up=False, content=content)
    exercise = content.exercises["bridge"]
    reasons = [block.why for block in gates.blocks(exercise) if block.gate == "phase_kind"]
    assert len(reasons) == 1
    assert f"kind-{exercise.kind}" in reasons[0]
