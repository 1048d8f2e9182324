"""Numbers that used to be written in core Python now come from the content.

Each test changes the figure in a copy of the content and checks that the engine follows
it: the confidence step when tests agree or disagree, the adult ages and the weeks a case
may give.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from backbalance.content.loader import Content
from backbalance.core.case import case_json_schema, parse_case
from backbalance.core.engine import evaluate_raw
from backbalance.core.types import CONFIDENCE_ORDER, CaseError, Finding
from tests.strategies import CONTENT

EXAMPLE_DIR = Path(__file__).resolve().parents[2] / "examples" / "cases"
EXAMPLES = sorted(EXAMPLE_DIR.glob("*.json"))


def with_steps(agree: int, disagree: int) -> Content:
    steps = replace(CONTENT.engine.confidence_steps, tests_agree=agree, test_disagrees=disagree)
    return replace(CONTENT, engine=replace(CONTENT.engine, confidence_steps=steps))


def with_program(**figures: float) -> Content:
    program = CONTENT.program
    update = {name: replace(getattr(program, name), value=value) for name, value in figures.items()}
    return replace(CONTENT, program=replace(program, **update))


def findings(content: Content) -> dict[tuple[str, str, str, str], Finding]:
    found: dict[tuple[str, str, str, str], Finding] = {}
    for path in EXAMPLES:
        result = evaluate_raw(json.loads(path.read_text("utf-8")), content)
        for f in result.findings:
            found[(path.name, f.muscle, f.side, f.aspect)] = f
    return found


def best_grade(finding: Finding) -> int:
    """The grade of the most reliable test that found the problem, before any step."""
    found = [e for e in finding.evidence if e.status not in ("normal", "inconclusive")]
    return max(CONFIDENCE_ORDER[e.grade] for e in found)


def test_agreeing_tests_raise_confidence_by_the_content_step() -> None:
    said = CONTENT.engine.messages.assessment
    flat, stepped = findings(with_steps(0, 0)), findings(with_steps(1, 0))
    agreed = [
        key
        for key, f in stepped.items()
        if said.tests_agree in f.why and f.status not in ("normal", "inconclusive")
    ]
    assert agreed, "the examples should hold findings that several tests agree on"
    for key in agreed:
        assert CONFIDENCE_ORDER[flat[key].confidence] == best_grade(flat[key]), key
        expected = min(2, best_grade(stepped[key]) + 1)
        assert CONFIDENCE_ORDER[stepped[key].confidence] == expected, key


def test_a_disagreeing_test_lowers_confidence_by_the_content_step() -> None:
    flat, stepped = findings(with_steps(0, 0)), findings(with_steps(0, 1))
    lowered = [key for key, f in stepped.items() if "did not agree" in f.why]
    assert lowered, "the examples should hold a finding one test disagrees with"
    for key in lowered:
        assert CONFIDENCE_ORDER[flat[key].confidence] == best_grade(flat[key]), key
        expected = max(0, best_grade(stepped[key]) - 1)
        assert CONFIDENCE_ORDER[stepped[key].confidence] == expected, key


def adult(age: int, weeks: int = 0) -> dict[str, Any]:
    raw: dict[str, Any] = json.loads(
        (EXAMPLE_DIR / "02_flat_back_short_hamstrings.json").read_text("utf-8")
    )
    raw["person"]["age"] = age
    if "context" in raw:
        raw["context"]["weeks_done"] = weeks
    return raw


def test_the_adult_ages_come_from_the_content() -> None:
    content = with_program(min_age=30, max_age=90)
    parse_case(adult(30), content)
    parse_case(adult(90), content)
    for age in (29, 91):
        with pytest.raises(CaseError) as caught:
            parse_case(adult(age), content)
        assert [e.path for e in caught.value.errors] == ["person.age"]
        assert "between 30 and 90" in caught.value.errors[0].message
    age = case_json_schema(content)["properties"]["person"]["properties"]["age"]
    assert (age["minimum"], age["maximum"]) == (30, 90)


def test_the_weeks_done_bound_comes_from_the_content() -> None:
    content = with_program(max_weeks_done=12)
    assert "context" in adult(40), "the example needs routine answers"
    parse_case(adult(40, weeks=12), content)
    with pytest.raises(CaseError) as caught:
        parse_case(adult(40, weeks=13), content)
    assert [e.path for e in caught.value.errors] == ["context.weeks_done"]
    assert "0 to 12" in caught.value.errors[0].message
