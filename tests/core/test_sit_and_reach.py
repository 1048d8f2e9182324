"""Golden tests for the sit-and-reach test: the YMCA norms by age band and sex, at every edge.

The cut-offs below are typed in from the clinical reference (S24: poor is at or below
the figure), not read from the YAML, so a silent change of a norm in the content fails here.
"""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from backbalance.content.schema import ThresholdRule
from backbalance.content.validation import validate
from backbalance.content.vocabulary import Sex
from backbalance.core.assessment import Assessment, assess
from backbalance.core.case import parse_case
from backbalance.core.engine import evaluate
from backbalance.core.types import Finding, Side
from tests.strategies import CONTENT, all_no

TEST_ID = "sit_and_reach"
RULE_ID = "reach_short"
HAMSTRING_SIDES: tuple[Side, Side] = ("left", "right")

# Poor (at or below, inches) per sex and age band, from the reference table (S24).
POOR_AT_OR_BELOW = {
    ("male", 18, 25): 13,
    ("male", 26, 35): 12,
    ("male", 36, 45): 11,
    ("female", 18, 25): 16,
    ("female", 26, 35): 14,
    ("female", 36, 45): 13,
}

GOOD_FORM = {"knees_straight": True, "reached_slowly": True, "hands_level": True}


def run(reading: dict[str, Any], *, age: int, sex: str) -> Assessment:
    raw = {
        "person": {"age": age, "sex": sex},
        "screening": all_no(),
        "tests": {TEST_ID: reading},
    }
    return assess(parse_case(raw, CONTENT), CONTENT)


def reach(inches: float) -> dict[str, Any]:
    return {"reach_in": inches, **GOOD_FORM}


def hamstrings(result: Assessment) -> dict[Side, Finding]:
    found = {f.side: f for f in result.findings if f.muscle == "hamstrings"}
    assert set(found) == set(HAMSTRING_SIDES), found
    return found


def statuses(result: Assessment) -> set[str]:
    return {f.status for f in hamstrings(result).values()}


def boundary_rows() -> list[Any]:
    rows = []
    for (sex, youngest, oldest), cut in POOR_AT_OR_BELOW.items():
        for age in (youngest, oldest):
            for value, expected in (
                (cut, "short"),  # poor includes the figure itself
                (cut - 0.5, "short"),
                (cut + 0.5, "normal"),
                (cut + 1, "normal"),
            ):
                rows.append(
                    pytest.param(sex, age, value, expected, id=f"{sex}-{age}y-{value}in-{expected}")
                )
    return rows


@pytest.mark.parametrize(("sex", "age", "value", "expected"), boundary_rows())
def test_the_poor_band_is_short_on_both_sides_at_each_edge_of_each_age_band(
    sex: Sex, age: int, value: float, expected: str
) -> None:
    result = run(reach(value), age=age, sex=sex)
    found = hamstrings(result)
    for side in HAMSTRING_SIDES:
        assert found[side].status == expected
        assert found[side].aspect == "length"
    fired = [e for f in found.values() for e in f.evidence if e.rule == RULE_ID]
    if expected == "short":
        assert len(fired) == 2  # one per side: a bilateral finding
        assert all(e.test == TEST_ID and e.sources == ("S24",) for e in fired)
        assert all(e.readings == {"reach_in": value} for e in fired)
        # A single low-reliability test: the finding says so.
        assert {f.confidence for f in found.values()} == {"low"}
    else:
        assert fired == []


@pytest.mark.parametrize(
    ("sex", "value", "younger", "older"),
    [
        # The same reach is poor in the younger band and not in the older one.
        ("male", 13, 25, 26),
        ("male", 12, 35, 36),
        ("female", 16, 25, 26),
        ("female", 14, 35, 36),
    ],
)
def test_the_age_band_changes_at_its_edge(sex: Sex, value: float, younger: int, older: int) -> None:
    assert statuses(run(reach(value), age=younger, sex=sex)) == {"short"}
    assert statuses(run(reach(value), age=older, sex=sex)) == {"normal"}


@pytest.mark.parametrize("age", [25, 30, 45])
def test_women_and_men_are_judged_against_their_own_norms(age: int) -> None:
    # 13 in is poor for women in every band, but for men only at 18 to 25.
    expected_male = {"short"} if age <= 25 else {"normal"}
    assert statuses(run(reach(13), age=age, sex="female")) == {"short"}
    assert statuses(run(reach(13), age=age, sex="male")) == expected_male


@pytest.mark.parametrize("age", [46, 60, 90])
@pytest.mark.parametrize("sex", ["female", "male"])
def test_outside_the_age_bands_the_reach_is_not_judged_and_says_why(age: int, sex: Sex) -> None:
    result = run(reach(5), age=age, sex=sex)
    assert statuses(result) == {"inconclusive"}
    notes = [w for w in result.warnings if w.code == "no_norm" and w.about == RULE_ID]
    assert len(notes) == 1
    assert f"cover ages 18 to 45 only, not {age}" in notes[0].message
    assert "not judged" in notes[0].message


@pytest.mark.parametrize("sex", ["other", "not_stated"])
def test_without_a_sex_the_reach_is_not_judged_and_says_why(sex: Sex) -> None:
    result = run(reach(5), age=30, sex=sex)
    assert statuses(result) == {"inconclusive"}
    (note,) = [w for w in result.warnings if w.code == "no_norm" and w.about == RULE_ID]
    assert "sex was not given" in note.message


@pytest.mark.parametrize("field", sorted(GOOD_FORM))
def test_a_failed_form_check_makes_the_reading_not_count(field: str) -> None:
    # A reach that would be poor, spoiled by bad form: not judged, and no rule fires.
    result = run({**reach(5), field: False}, age=30, sex="male")
    assert statuses(result) == {"inconclusive"}
    assert ("invalid_test", TEST_ID) in [(w.code, w.about) for w in result.warnings]
    assert not any(e.rule == RULE_ID for f in result.findings for e in f.evidence)


def test_the_content_checks_knees_bouncing_and_hands() -> None:
    test = CONTENT.tests[TEST_ID]
    assert {(c.field, c.must_be) for c in test.validity} == {
        ("knees_straight", True),
        ("reached_slowly", True),
        ("hands_level", True),
    }
    assert not test.per_side
    assert test.reliability.grade == "low"
    assert test.field("reach_in").unit == "in"


@pytest.mark.parametrize("reason", ["too_hard", "other"])
def test_not_being_able_to_do_it_is_not_read_as_short(reason: str) -> None:
    result = run({"could_not_do": reason}, age=30, sex="female")
    assert statuses(result) == {"inconclusive"}


def test_a_painful_reach_is_not_judged_and_is_worth_mentioning() -> None:
    result = run({"could_not_do": "pain"}, age=30, sex="female")
    assert statuses(result) == {"inconclusive"}
    assert ("painful_test", TEST_ID) in [(w.code, w.about) for w in result.warnings]


def test_a_poor_reach_agreeing_with_a_short_straight_leg_raise_raises_confidence() -> None:
    raw = {
        "person": {"age": 30, "sex": "male"},
        "screening": all_no(),
        "tests": {
            TEST_ID: reach(10),
            "straight_leg_raise": {
                side: {
                    "angle": 70,
                    "knee_straight": True,
                    "other_leg_flat": True,
                    "end_point": "stretch_behind_thigh",
                }
                for side in HAMSTRING_SIDES
            },
        },
    }
    found = hamstrings(assess(parse_case(raw, CONTENT), CONTENT))
    for side in HAMSTRING_SIDES:
        assert found[side].status == "short"
        # Straight-leg raise alone is low; a second test agreeing lifts it a step.
        assert found[side].confidence == "moderate"
        assert {e.test for e in found[side].evidence} == {TEST_ID, "straight_leg_raise"}


def test_the_finding_reaches_the_engine_result() -> None:
    raw = {
        "person": {"age": 40, "sex": "female"},
        "screening": all_no(),
        "tests": {TEST_ID: reach(12)},
    }
    result = evaluate(parse_case(raw, CONTENT), CONTENT)
    short = {(f.muscle, f.side) for f in result.findings if f.status == "short"}
    assert short == {("hamstrings", "left"), ("hamstrings", "right")}


# --------------------------------------------------------------------------- the norm table


def _rule_with(**norms: Any) -> dict[str, Any]:
    return {
        "id": "reach_short",
        "kind": "threshold",
        "field": "reach_in",
        "op": "le",
        "explain": "A reach in the lowest band.",
        "effects": [{"muscle": "hamstrings", "status": "short", "side": "bilateral"}],
        **norms,
    }


def _band(low: int, high: int, value: float = 10) -> dict[str, Any]:
    return {
        "min_age": low,
        "max_age": high,
        "male": {"value": value, "unit": "in", "sources": ["S24"]},
    }


@pytest.mark.parametrize(
    ("norms", "problem"),
    [
        ({"by_age_and_sex": [_band(18, 30), _band(30, 40)]}, "overlap at 30"),
        ({"by_age_and_sex": []}, "at least one age band"),
        ({"by_age_and_sex": [{"min_age": 30, "max_age": 20}]}, "min_age is above max_age"),
        ({"by_age_and_sex": [{"min_age": 18, "max_age": 25}]}, "gives no figure"),
        (
            {
                "by_age_and_sex": [_band(18, 25)],
                "threshold": {"value": 10, "unit": "in", "sources": ["S24"]},
            },
            "exactly one of",
        ),
    ],
)
def test_a_malformed_norm_table_fails_loading(norms: Any, problem: str) -> None:
    with pytest.raises(ValidationError, match=problem):
        validate(ThresholdRule, _rule_with(**norms))
