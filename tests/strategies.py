"""Hypothesis strategies that build valid raw cases straight from the content.

Because they read the content, new tests and fields are covered without touching this
file.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from backbalance.content.loader import load_content
from backbalance.content.schema import RecordField, SelfTest
from backbalance.core.case import side_contradictions

CONTENT = load_content()


def field_value(spec: RecordField) -> st.SearchStrategy[Any]:
    if spec.kind == "yes_no":
        return st.booleans()
    if spec.kind == "choice":
        return st.sampled_from([c.id for c in spec.choices])
    assert spec.minimum is not None and spec.maximum is not None
    if spec.integer:
        return st.integers(int(spec.minimum), int(spec.maximum))
    return st.one_of(
        st.integers(int(spec.minimum), int(spec.maximum)),
        st.floats(spec.minimum, spec.maximum, allow_nan=False).map(lambda v: round(v, 1)),
    )


@st.composite
def reading(draw: st.DrawFn, test: SelfTest) -> dict[str, Any]:
    if draw(st.integers(0, 9)) == 0:
        return {"could_not_do": draw(st.sampled_from(["pain", "too_hard", "other"]))}
    values: dict[str, Any] = {}
    for spec in test.record:
        if spec.required or draw(st.booleans()):
            values[spec.id] = draw(field_value(spec))
    # A side choice must agree with the measured difference ("level" with 5 cm is refused):
    # draw the side again from the choices that fit the difference drawn.
    for spec in test.record:
        if spec.kind == "choice" and spec.id in values and side_contradictions(test, values, ""):
            fitting = [
                c.id
                for c in spec.choices
                if not side_contradictions(test, {**values, spec.id: c.id}, "")
            ]
            if fitting:
                values[spec.id] = draw(st.sampled_from(fitting))
    return values


@st.composite
def self_test_results(draw: st.DrawFn) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for test in CONTENT.tests.values():
        if not draw(st.booleans()):
            continue
        if test.per_side:
            sides = draw(st.sampled_from([("left",), ("right",), ("left", "right")]))
            results[test.id] = {side: draw(reading(test)) for side in sides}
        else:
            results[test.id] = draw(reading(test))
    return results


@st.composite
def screening(draw: st.DrawFn, allow_flags: bool = True) -> dict[str, str]:
    answers = {}
    for question in CONTENT.red_flags.questions:
        # Mostly "no", so that many generated cases get past the screen.
        if allow_flags and draw(st.integers(0, 14)) == 0:
            answers[question.id] = draw(st.sampled_from(["yes", "unsure"]))
        else:
            answers[question.id] = "no"
    return answers


def all_no() -> dict[str, str]:
    return {q.id: "no" for q in CONTENT.red_flags.questions}


@st.composite
def contexts(draw: st.DrawFn) -> dict[str, Any]:
    settings = CONTENT.program
    movements = sorted(CONTENT.movements)
    return {
        "minutes_per_day": draw(
            st.integers(int(settings.min_minutes.value), int(settings.max_minutes.value))
        ),
        "equipment": draw(st.lists(st.sampled_from(sorted(CONTENT.equipment)), unique=True)),
        "irritability": draw(st.sampled_from(["low", "moderate", "high"])),
        "eases": draw(st.lists(st.sampled_from(movements), unique=True, max_size=3)),
        "worsens": draw(st.lists(st.sampled_from(movements), unique=True, max_size=3)),
        "conditions": draw(
            st.lists(st.sampled_from(sorted(CONTENT.conditions)), unique=True, max_size=5)
        ),
        "start_date": "2026-11-20",
        "weeks_done": draw(st.integers(0, 12)),
    }


@st.composite
def cases(draw: st.DrawFn, allow_flags: bool = True, with_context: bool = False) -> dict[str, Any]:
    case = draw(_case(allow_flags))
    if with_context:
        case["context"] = draw(contexts())
    return case


@st.composite
def _case(draw: st.DrawFn, allow_flags: bool = True) -> dict[str, Any]:
    return {
        "case_id": "generated",
        "person": {
            "age": draw(st.integers(18, 120)),
            "sex": draw(st.sampled_from(["female", "male", "other", "not_stated"])),
        },
        "screening": draw(screening(allow_flags)),
        "questionnaires": {
            "pain_nrs": {
                "now": draw(st.integers(0, 10)),
                "average": draw(st.integers(0, 10)),
                "worst": draw(st.integers(0, 10)),
            }
        },
        "tests": draw(self_test_results()),
    }
