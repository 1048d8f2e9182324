"""A re-test against the check-up before it: readings judged against each test's
measurement error, findings by their status."""

from __future__ import annotations

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from backbalance.core.retest import (
    better_direction,
    compare_findings,
    compare_reading,
    compare_tests,
    error_for,
)
from backbalance.core.types import Finding, SideResult
from backbalance.core.types import TestResult as Readings
from tests.strategies import CONTENT

THOMAS = CONTENT.tests["modified_thomas"]
BRIDGE = CONTENT.tests["single_leg_bridge"]
SIDE_BRIDGE = CONTENT.tests["side_bridge"]


def test_the_figures_these_tests_rely_on_are_in_the_content() -> None:
    # If the content changes, the expectations below must be read again.
    assert THOMAS.measurement_error is not None and THOMAS.measurement_error.value == 4
    assert BRIDGE.measurement_error is not None and BRIDGE.measurement_error.unit == "%"
    assert SIDE_BRIDGE.measurement_error is not None and SIDE_BRIDGE.measurement_error.unit == "s"


def test_which_way_is_better_comes_from_the_rules() -> None:
    # hip_angle: "thigh above the table" fires above 0, so lower is better.
    assert better_direction(THOMAS, "hip_angle") == "lower"
    # knee_angle: fires below its cut-off, so higher is better.
    assert better_direction(THOMAS, "knee_angle") == "higher"
    assert better_direction(SIDE_BRIDGE, "hold_s") == "higher"
    assert better_direction(THOMAS, "thigh_drifts_out") is None


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (12, 9, "unchanged"),  # 3 degrees: inside the 4-degree error
        (12, 8, "unchanged"),  # exactly the error: still what a repeat can do
        (12, 7, "better"),  # 5 degrees lower: beyond the error, and lower is better
        (12, 17, "worse"),
        (12, 12, "unchanged"),
    ],
)
def test_a_hip_angle_is_judged_against_four_degrees(
    before: float, after: float, expected: str
) -> None:
    change = compare_reading(THOMAS, "left", "hip_angle", before, after)
    assert change.change == expected
    assert change.error == 4
    assert change.difference == after - before


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (20, 23, "unchanged"),  # 15 %: inside the 19.2 % error
        (20, 24, "better"),  # 20 %: beyond it, and more repetitions are better
        (20, 16, "worse"),
    ],
)
def test_a_percent_error_is_taken_of_the_earlier_reading(
    before: float, after: float, expected: str
) -> None:
    change = compare_reading(BRIDGE, "right", "reps", before, after)
    assert change.change == expected
    assert change.error == pytest.approx(3.8)


def test_a_reading_without_a_measurement_error_moved_but_is_not_called_better() -> None:
    test = CONTENT.tests["straight_leg_raise"]
    assert test.measurement_error is None
    change = compare_reading(test, "left", "angle", 60, 85)
    assert change.change == "moved_error_unknown"
    assert change.difference == 25
    assert change.error is None
    assert compare_reading(test, "left", "angle", 60, 60).change == "unchanged"


def test_a_percent_error_of_a_zero_reading_is_no_error() -> None:
    # 19.2 % of nothing is 0: with it, one lift more would read as beyond the error.
    assert error_for(BRIDGE, "reps", 0) is None
    change = compare_reading(BRIDGE, "left", "reps", 0, 1)
    assert change.change == "moved_error_unknown"
    assert change.error is None


# --------------------------------------------------------------------------- from the content


def _judged_fields() -> list[tuple[str, str]]:
    """Every number a test records that its measurement error applies to."""
    return [
        (test.id, spec.id)
        for test in CONTENT.tests.values()
        for spec in test.record
        if spec.kind == "number"
        and test.measurement_error is not None
        and test.measurement_error.unit in ("%", spec.unit)
    ]


def _unjudged_fields() -> list[tuple[str, str]]:
    """Every number a test records with no measurement error that applies to it."""
    judged = set(_judged_fields())
    return [
        (test.id, spec.id)
        for test in CONTENT.tests.values()
        for spec in test.record
        if spec.kind == "number" and (test.id, spec.id) not in judged
    ]


JUDGED = _judged_fields()
UNJUDGED = _unjudged_fields()


def test_every_measurement_error_in_the_content_judges_some_reading() -> None:
    with_error = {t.id for t in CONTENT.tests.values() if t.measurement_error is not None}
    assert with_error == {test_id for test_id, _ in JUDGED}
    # Both kinds occur, so the tests below are never empty.
    assert JUDGED and UNJUDGED


def _middle(test_id: str, field: str) -> float:
    spec = CONTENT.tests[test_id].field(field)
    assert spec.minimum is not None and spec.maximum is not None
    # A reading in the field's range and above zero, so a % error is never of nothing.
    return max((spec.minimum + spec.maximum) / 2, 1.0)


@pytest.mark.parametrize("direction", [1, -1], ids=["up", "down"])
@pytest.mark.parametrize(("test_id", "field"), JUDGED, ids=[f"{t}.{f}" for t, f in JUDGED])
def test_just_inside_the_error_is_unchanged_and_just_beyond_it_is_judged(
    test_id: str, field: str, direction: int
) -> None:
    test = CONTENT.tests[test_id]
    before = _middle(test_id, field)
    error = error_for(test, field, before)
    assert error is not None and error > 0
    inside = compare_reading(test, "left", field, before, before + direction * error * 0.99)
    beyond = compare_reading(test, "left", field, before, before + direction * error * 1.01)
    assert inside.change == "unchanged"
    way = better_direction(test, field)
    if way is None:
        assert beyond.change == "changed"
    else:
        went_the_better_way = (direction > 0) == (way == "higher")
        assert beyond.change == ("better" if went_the_better_way else "worse")
    assert inside.error == beyond.error == round(error, 1)


@pytest.mark.parametrize(("test_id", "field"), UNJUDGED, ids=[f"{t}.{f}" for t, f in UNJUDGED])
@given(
    before=st.floats(min_value=0, max_value=600, allow_nan=False),
    after=st.floats(min_value=0, max_value=600, allow_nan=False),
)
def test_a_reading_without_a_measurement_error_never_reads_beyond_one(
    test_id: str, field: str, before: float, after: float
) -> None:
    test = CONTENT.tests[test_id]
    change = compare_reading(test, "right", field, before, after)
    event("same reading" if before == after else "moved")
    assert change.error is None
    if before == after:
        assert change.change == "unchanged"
    else:
        # Never better, worse or "changed beyond the error": only that it moved.
        assert change.change == "moved_error_unknown"


def test_a_choice_is_the_same_or_changed() -> None:
    assert compare_reading(THOMAS, "left", "thigh_drifts_out", False, False).change == "unchanged"
    assert compare_reading(THOMAS, "left", "thigh_drifts_out", False, True).change == "changed"
    assert compare_reading(THOMAS, "left", "hip_angle", None, 3).change == "not_judged"


def _thomas(left_hip: float, right_hip: float) -> Readings:
    def side(hip: float) -> SideResult:
        return SideResult(
            {"low_back_flat": True, "hip_angle": hip, "knee_angle": 60, "thigh_drifts_out": False}
        )

    return Readings("modified_thomas", left=side(left_hip), right=side(right_hip))


def test_only_tests_done_both_times_are_compared_side_by_side() -> None:
    previous = {
        "modified_thomas": _thomas(12, 10),
        "mcgill_flexor": Readings("mcgill_flexor", single=SideResult({"hold_s": 40})),
    }
    current = {"modified_thomas": _thomas(5, 12)}
    changes = compare_tests(previous, current, CONTENT)
    assert {c.test for c in changes} == {"modified_thomas"}
    hips = {c.side: c.change for c in changes if c.field == "hip_angle"}
    assert hips == {"left": "better", "right": "unchanged"}


def test_a_side_not_done_is_not_judged() -> None:
    previous = {"modified_thomas": _thomas(12, 10)}
    current = {
        "modified_thomas": Readings(
            "modified_thomas",
            left=SideResult({}, could_not_do="pain"),
            right=_thomas(0, 10).right,
        )
    }
    changes = compare_tests(previous, current, CONTENT)
    left = [c for c in changes if c.side == "left"]
    assert left and all(c.change == "not_judged" for c in left)


def _finding(muscle: str, status: str, side: str = "left", aspect: str = "length") -> Finding:
    return Finding(muscle, side, aspect, status, "moderate", "", ())  # type: ignore[arg-type]


def test_findings_better_worse_unchanged_and_not_judged() -> None:
    previous = [
        _finding("iliopsoas", "short"),
        _finding("hamstrings", "normal"),
        _finding("gluteus_maximus", "weak", aspect="strength"),
        _finding("piriformis", "inconclusive"),
        _finding("tfl", "short"),
    ]
    current = [
        _finding("iliopsoas", "normal"),
        _finding("hamstrings", "short"),
        _finding("gluteus_maximus", "weak", aspect="strength"),
        _finding("piriformis", "short"),
        _finding("rectus_femoris", "short"),
    ]
    verdicts = {c.muscle: c.change for c in compare_findings(previous, current, (), CONTENT)}
    assert verdicts == {
        "iliopsoas": "better",
        "hamstrings": "worse",
        "gluteus_maximus": "unchanged",
        "piriformis": "not_judged",
        "tfl": "not_judged",
        "rectus_femoris": "not_judged",
    }


@given(
    before=st.floats(min_value=0, max_value=60, allow_nan=False),
    shift=st.floats(min_value=-12, max_value=12, allow_nan=False),
)
def test_inside_the_error_is_never_better_or_worse(before: float, shift: float) -> None:
    change = compare_reading(THOMAS, "left", "hip_angle", before, before + shift)
    inside = abs((before + shift) - before) <= 4
    event("inside the measurement error" if inside else "beyond the measurement error")
    if inside:
        assert change.change == "unchanged"
    else:
        assert change.change == ("better" if shift < 0 else "worse")
