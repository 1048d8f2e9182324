"""Properties that must hold for every valid case, whatever its readings."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from backbalance.core.case import mirror_case, parse_case
from backbalance.core.conditions import effective_conditions, implied_closure
from backbalance.core.engine import evaluate
from backbalance.core.types import Answer, Result, other_side, to_jsonable
from tests.strategies import CONTENT, calm_case, cases, device_cases, gate_events

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def run(raw: dict[str, Any]) -> Result:
    return evaluate(parse_case(raw, CONTENT), CONTENT)


@SETTINGS
@given(cases())
def test_any_valid_case_yields_a_json_serialisable_result(raw: dict[str, Any]) -> None:
    result = run(raw)
    data = to_jsonable(result)
    assert json.loads(json.dumps(data)) == data
    for key in (
        "engine_version",
        "content_version",
        "triage",
        "scores",
        "findings",
        "patterns",
        "primary_imbalances",
        "warnings",
    ):
        assert key in data
    assert result.triage.level in ("emergency", "urgent", "routine", "none")


@SETTINGS
@given(cases())
def test_the_same_case_always_gives_the_same_result(raw: dict[str, Any]) -> None:
    assert run(raw) == run(raw)


@SETTINGS
@given(cases())
def test_an_emergency_gives_no_findings_patterns_or_imbalances(raw: dict[str, Any]) -> None:
    result = run(raw)
    if result.triage.level == "emergency":
        assert result.findings == ()
        assert result.signs == ()
        assert result.patterns == ()
        assert result.primary_imbalances == ()
        assert not result.triage.continue_self_care


@SETTINGS
@given(cases(allow_flags=False))
def test_every_finding_and_sign_carries_sourced_evidence(raw: dict[str, Any]) -> None:
    result = run(raw)
    for finding in result.findings:
        assert finding.evidence, finding
        assert finding.why
        for evidence in finding.evidence:
            assert evidence.sources, evidence
            assert all(s in CONTENT.sources for s in evidence.sources)
    for sign in result.signs:
        assert sign.evidence and all(e.sources for e in sign.evidence)


@SETTINGS
@given(cases(allow_flags=False))
def test_at_most_two_primary_imbalances_and_never_two_that_exclude_each_other(
    raw: dict[str, Any],
) -> None:
    result = run(raw)
    primary = [p.pattern for p in result.primary_imbalances]
    assert len(primary) <= CONTENT.engine.max_primary_imbalances
    named = [p.pattern for p in result.primary_imbalances if p.kind == "pattern"]
    for pattern_id in named:
        assert not set(CONTENT.patterns[pattern_id].excludes) & set(primary)


@SETTINGS
@given(cases(allow_flags=False))
def test_an_invalid_thomas_test_never_gives_a_verdict(raw: dict[str, Any]) -> None:
    result = run(raw)
    thomas = raw["tests"].get("modified_thomas", {})
    invalid_sides = {s for s, r in thomas.items() if r.get("low_back_flat") is False}
    for finding in result.findings:
        for evidence in finding.evidence:
            if evidence.test == "modified_thomas" and finding.side in invalid_sides:
                assert evidence.status == "inconclusive"


def _mirror_view(result: Result) -> dict[str, object]:
    return {
        "findings": sorted(
            (f.muscle, other_side(f.side), f.aspect, f.status, f.confidence)
            for f in result.findings
        ),
        "signs": sorted((s.sign, other_side(s.side), s.confidence) for s in result.signs),
        "patterns": sorted((p.pattern, other_side(p.side), p.score) for p in result.patterns),
        "primary": [(p.pattern, other_side(p.side)) for p in result.primary_imbalances],
    }


def _view(result: Result) -> dict[str, object]:
    return {
        "findings": sorted(
            (f.muscle, f.side, f.aspect, f.status, f.confidence) for f in result.findings
        ),
        "signs": sorted((s.sign, s.side, s.confidence) for s in result.signs),
        "patterns": sorted((p.pattern, p.side, p.score) for p in result.patterns),
        "primary": [(p.pattern, p.side) for p in result.primary_imbalances],
    }


@SETTINGS
@given(cases(allow_flags=False))
def test_mirrored_input_gives_mirrored_output(raw: dict[str, Any]) -> None:
    case = parse_case(raw, CONTENT)
    result = evaluate(case, CONTENT)
    mirrored = evaluate(mirror_case(case, CONTENT), CONTENT)
    assert _view(mirrored) == _mirror_view(result)


# --------------------------------------------------------------------------- devices and
# conditions: one fact, one answer; device gates (issue 6, §1.1, §1.4, §1.6-§1.8)

DEVICES = ("inversion", "vibration")
BLOCKING = ("urgent", "emergency")


def _curl_up_case(**screen: Answer) -> dict[str, Any]:
    """A case whose routine gives curl-ups (weak front trunk muscles, nothing else)."""
    return calm_case(
        "curl-up",
        screen=screen,
        tests={"mcgill_flexor": {"could_not_do": "too_hard"}},
        minutes_per_day=5,
    )


def _items(result: Result) -> list[str]:
    assert result.routine is not None
    return [i.exercise for i in result.routine.items]


def test_the_curl_up_case_gives_curl_ups_and_open_devices_when_nothing_is_known() -> None:
    result = run(_curl_up_case())
    assert "curl_up" in _items(result)
    assert {result.adjuncts[d].verdict for d in DEVICES} == {"suitable"}


def test_osteoporosis_known_on_the_screen_counts_as_osteoporosis_everywhere() -> None:
    result = run(_curl_up_case(osteoporosis_known="yes"))
    assert result.triage.level == "none"
    assert "curl_up" not in _items(result)
    for device in DEVICES:
        verdict = result.adjuncts[device]
        assert verdict.verdict == "clinician_approval"
        assert "osteoporosis" in [c.id for c in verdict.causes if c.kind == "condition"]


def test_an_unsure_osteoporosis_answer_gates_like_yes_and_names_the_question() -> None:
    result = run(_curl_up_case(osteoporosis_known="unsure"))
    assert "curl_up" not in _items(result)
    question = next(q for q in CONTENT.red_flags.questions if q.id == "osteoporosis_known")
    for device in DEVICES:
        verdict = result.adjuncts[device]
        assert verdict.verdict != "suitable"
        unsure = [c for c in verdict.causes if c.kind == "unsure"]
        assert [c.id for c in unsure] == ["osteoporosis_known"]
        assert question.question in unsure[0].reason


def test_a_severe_condition_brings_the_gates_of_the_milder_one() -> None:
    raw = _curl_up_case()
    raw["context"]["conditions"] = ["osteoporosis_severe"]
    result = run(raw)
    assert "curl_up" not in _items(result)  # curl-ups name osteoporosis, not the severe form
    assert result.adjuncts["vibration"].verdict == "not_suitable"
    assert result.adjuncts["inversion"].verdict == "not_suitable"


def test_uncontrolled_blood_pressure_also_counts_as_high_blood_pressure_of_any_kind() -> None:
    raw = _curl_up_case()
    raw["context"]["conditions"] = ["high_blood_pressure"]
    causes = [c.id for c in run(raw).adjuncts["inversion"].causes]
    assert causes == ["high_blood_pressure", "high_blood_pressure_any"]


def test_age_over_50_alone_leaves_both_devices_open() -> None:
    raw = _curl_up_case()
    raw["person"]["age"] = 60
    result = run(raw)
    assert [r.rule_id for r in result.triage.reasons] == ["age_over_50"]
    assert {result.adjuncts[d].verdict for d in DEVICES} == {"suitable"}


def test_a_routine_flag_that_bears_on_the_devices_asks_for_a_clinician_and_says_which() -> None:
    result = run(_curl_up_case(leg_numbness_new="yes"))
    assert result.triage.level == "routine"
    for device in DEVICES:
        verdict = result.adjuncts[device]
        assert verdict.verdict == "clinician_approval"
        assert [(c.kind, c.id) for c in verdict.causes] == [("routine_flag", "leg_numbness")]
        assert verdict.protocol is not None and verdict.protocol.only_after_approval


def test_a_flare_up_pauses_both_devices_with_a_plain_reason() -> None:
    raw = _curl_up_case()
    raw["questionnaires"]["pain_nrs"] = {"now": 9, "average": 9, "worst": 10}
    result = run(raw)
    assert result.routine is not None and result.routine.phase == "calm"
    for device in DEVICES:
        verdict = result.adjuncts[device]
        assert verdict.verdict == "not_suitable" and verdict.protocol is None
        assert verdict.reasons == (CONTENT.adjuncts.therapy(device).flare_gate.text,)
    assert result.adjuncts["muscle_balance"].gentle_only


@pytest.mark.parametrize(
    ("screen", "level"),
    [({"ces_saddle_numbness": "yes"}, "emergency"), ({"cancer_history": "yes"}, "urgent")],
)
def test_device_verdicts_exist_without_a_context_and_never_open(
    screen: dict[str, Answer], level: str
) -> None:
    raw = _curl_up_case(**screen)
    del raw["context"]
    result = run(raw)
    assert result.triage.level == level
    assert set(result.adjuncts) == {"muscle_balance", *DEVICES}
    for device in DEVICES:
        verdict = result.adjuncts[device]
        assert verdict.verdict == "not_suitable" and verdict.protocol is None
        assert verdict.causes[0].kind == "triage" and verdict.causes[0].id == level


def test_without_a_context_a_clear_screen_asks_for_the_health_questions_first() -> None:
    raw = _curl_up_case()
    del raw["context"]
    result = run(raw)
    for device in DEVICES:
        verdict = result.adjuncts[device]
        assert verdict.verdict == "not_suitable"
        assert verdict.reasons == (CONTENT.adjuncts.health_questions_first.text,)


def _bearing_unsure(result: Result, device: str) -> bool:
    return any(c.kind == "unsure" for c in result.adjuncts[device].causes)


@SETTINGS
@given(device_cases())
def test_no_device_is_suitable_under_urgent_emergency_flare_or_a_bearing_unsure_answer(
    raw: dict[str, Any],
) -> None:
    result = run(raw)
    gate_events(result)
    flare = result.routine is not None and result.routine.phase == "calm"
    for device in DEVICES:
        verdict = result.adjuncts[device]
        if result.triage.level in BLOCKING or flare or "context" not in raw:
            assert verdict.verdict == "not_suitable"
            assert verdict.protocol is None
        # Every screen question a rule for this device rests on, answered unsure.
        rules = {r.condition for r in CONTENT.adjuncts.therapy(device).rules}
        # A condition the person ticked as well (or one it implies) is held for sure, not
        # on the unsure answer alone.
        ticked = set(raw.get("context", {}).get("conditions", []))
        ticked |= {i for c in ticked for i in CONTENT.conditions[c].implies}
        held = {
            c.id
            for c in CONTENT.conditions.values()
            if c.id in rules
            and c.id not in ticked
            and any(raw["screening"][q] == "unsure" for q in c.established_by)
        }
        if held:
            assert verdict.verdict != "suitable"
            assert _bearing_unsure(result, device) or verdict.verdict == "not_suitable"


@SETTINGS
@given(device_cases())
def test_effective_conditions_always_include_the_ones_the_screen_established(
    raw: dict[str, Any],
) -> None:
    result = run(raw)
    gate_events(result)
    ticked = raw.get("context", {}).get("conditions", [])
    effective = effective_conditions(ticked, raw["screening"], CONTENT.conditions)
    for condition in CONTENT.conditions.values():
        if any(raw["screening"][q] in ("yes", "unsure") for q in condition.established_by):
            assert condition.id in effective.ids
            assert implied_closure({condition.id}, CONTENT.conditions) <= effective.ids
    assert set(ticked) <= effective.ids
    if result.routine is not None:
        for item in result.routine.items:
            exercise = CONTENT.exercises[item.exercise]
            assert not set(exercise.contraindications) & effective.ids, item.exercise
    # A device rule for a screen-established condition always shows in its verdict.
    for device in DEVICES:
        causes = {c.id for c in result.adjuncts[device].causes}
        if result.triage.level in BLOCKING or "context" not in raw:
            continue
        for rule in CONTENT.adjuncts.therapy(device).rules:
            if rule.condition in effective.ids and rule.condition not in effective.held_on_unsure:
                assert rule.condition in causes, (device, rule.condition)
