"""Hypothesis strategies that build valid raw cases straight from the content.

Because they read the content, new tests and fields are covered without touching this
file.
"""

from __future__ import annotations

import math
from typing import Any

from hypothesis import event
from hypothesis import strategies as st

from backbalance.content.loader import load_content
from backbalance.content.schema import MatchRule, RecordField, SelfTest, ThresholdRule
from backbalance.content.vocabulary import OneSide
from backbalance.core.case import side_contradictions
from backbalance.core.screening import triage
from backbalance.core.types import Answer, Person, Result, other_side

CONTENT = load_content()
ONE_SIDES: tuple[OneSide, ...] = ("left", "right")
NOT_NO: tuple[Answer, ...] = ("yes", "unsure")
# The ages a case may give (program.yaml min_age, max_age).
ADULT_AGES = int(CONTENT.program.min_age.value), int(CONTENT.program.max_age.value)

# Share of generated cases that get a reading chosen to find a muscle loose (lax), one in
# LOOSE_ONE_IN. Loose readings are rare when values are drawn evenly (about 2 % of cases),
# which left the "never stretch a loose muscle" gate almost untried.
LOOSE_ONE_IN = 3


def _loose_rules(test: SelfTest) -> list[ThresholdRule | MatchRule]:
    """The rules of a test that find a muscle loose and that a reading can be aimed at."""
    return [
        rule
        for rule in test.rules
        if isinstance(rule, ThresholdRule | MatchRule)
        and any(effect.status == "lax" for effect in rule.effects)
        and (not isinstance(rule, ThresholdRule) or rule.threshold is not None)
    ]


LOOSE_TESTS: dict[str, list[ThresholdRule | MatchRule]] = {
    test.id: rules for test in CONTENT.tests.values() if (rules := _loose_rules(test))
}


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
    return draw(recorded_values(test))


@st.composite
def recorded_values(draw: st.DrawFn, test: SelfTest) -> dict[str, Any]:
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
def loose_reading(draw: st.DrawFn, test: SelfTest) -> dict[str, Any]:
    """A valid reading of ``test`` that one of its "loose" rules fires on."""
    rule = draw(st.sampled_from(LOOSE_TESTS[test.id]))
    values = draw(recorded_values(test))
    for check in test.validity:
        if check.must_be is not None:
            values[check.field] = check.must_be
        elif values.get(check.field) == check.must_not_be:
            allowed = test.field(check.field).choices
            checks = [c for c in test.validity if c.field == check.field]
            values[check.field] = next(c.id for c in allowed if all(v.passes(c.id) for v in checks))
    spec = next(f for f in test.record if f.id == rule.field)
    if isinstance(rule, MatchRule):
        values[rule.field] = draw(st.sampled_from(rule.values))
        return values
    assert rule.threshold is not None and spec.minimum is not None and spec.maximum is not None
    line = rule.threshold.value
    if rule.op in ("gt", "ge"):
        low, high = math.floor(line) + 1, int(spec.maximum)
    else:
        low, high = int(spec.minimum), math.ceil(line) - 1
    values[rule.field] = draw(st.integers(low, high))
    return values


@st.composite
def self_test_results(draw: st.DrawFn) -> dict[str, Any]:
    results: dict[str, Any] = {}
    aim_loose = draw(st.integers(0, LOOSE_ONE_IN - 1)) == 0
    loose_test = draw(st.sampled_from(sorted(LOOSE_TESTS))) if aim_loose else None
    for test in CONTENT.tests.values():
        if test.id != loose_test and not draw(st.booleans()):
            continue
        if test.id == loose_test:
            event("case: a self-test reading aimed at a loose muscle")
            if not test.per_side:
                results[test.id] = draw(loose_reading(test))
                continue
            # One side loose, the other (if tested) anything: loose on one side is the
            # case where a stretch chosen for the other side must still be held back.
            loose_side = draw(st.sampled_from(ONE_SIDES))
            results[test.id] = {loose_side: draw(loose_reading(test))}
            if draw(st.booleans()):
                results[test.id][other_side(loose_side)] = draw(reading(test))
        elif test.per_side:
            sides = draw(st.sampled_from([("left",), ("right",), ("left", "right")]))
            results[test.id] = {side: draw(reading(test)) for side in sides}
        else:
            results[test.id] = draw(reading(test))
    return results


@st.composite
def screening(draw: st.DrawFn, allow_flags: bool = True) -> dict[str, Answer]:
    answers = all_no()
    if not allow_flags:
        return answers
    # A few flagged answers at most, drawn as a count rather than per question, so the
    # share of cases that get past the screen does not shrink as the screen grows.
    count = draw(st.sampled_from([0, 0, 0, 0, 1, 1, 1, 2, 3]))
    flagged = draw(
        st.lists(st.sampled_from(sorted(answers)), min_size=count, max_size=count, unique=True)
    )
    for question in flagged:
        answers[question] = draw(st.sampled_from(NOT_NO))
    event(f"screen: {count} answers not 'no'")
    return answers


def all_no() -> dict[str, Answer]:
    return {q.id: "no" for q in CONTENT.red_flags.questions}


def calm_case(
    case_id: str,
    *,
    age: int = 30,
    screen: dict[str, Answer] | None = None,
    tests: dict[str, Any] | None = None,
    minutes_per_day: int = 10,
) -> dict[str, Any]:
    """A raw case with mild pain, a clear screen but for ``screen``, and plain routine answers."""
    return {
        "case_id": case_id,
        "person": {"age": age, "sex": "female"},
        "screening": all_no() | (screen or {}),
        "questionnaires": {"pain_nrs": {"now": 2, "average": 2, "worst": 3}},
        "tests": tests or {},
        "context": {
            "minutes_per_day": minutes_per_day,
            "equipment": [],
            "irritability": "low",
            "eases": [],
            "worsens": [],
            "conditions": [],
            "start_date": "2026-11-20",
            "weeks_done": 0,
        },
    }


@st.composite
def contexts(draw: st.DrawFn) -> dict[str, Any]:
    settings = CONTENT.program
    easing = sorted(m.id for m in CONTENT.movements.values() if m.can_ease)
    return {
        "minutes_per_day": draw(
            st.integers(int(settings.min_minutes.value), int(settings.max_minutes.value))
        ),
        "equipment": draw(st.lists(st.sampled_from(sorted(CONTENT.equipment)), unique=True)),
        "irritability": draw(st.sampled_from(["low", "moderate", "high"])),
        "eases": draw(st.lists(st.sampled_from(easing), unique=True, max_size=3)),
        "worsens": draw(_worsens()),
        "conditions": draw(_conditions()),
        "start_date": "2026-11-20",
        "weeks_done": draw(st.integers(0, 12)),
    }


# Movements that are also positions (lying down, sitting), and conditions some exercise is
# contraindicated with: drawn evenly they are in too few cases to try their gates well.
POSITIONAL_MOVEMENTS = sorted(m.id for m in CONTENT.movements.values() if m.positions)
GATING_CONDITIONS = sorted({c for e in CONTENT.exercises.values() for c in e.contraindications})


@st.composite
def _worsens(draw: st.DrawFn) -> list[str]:
    chosen = draw(st.lists(st.sampled_from(sorted(CONTENT.movements)), unique=True, max_size=3))
    if draw(st.integers(0, 2)) == 0:
        extra = draw(st.sampled_from(POSITIONAL_MOVEMENTS))
        event("case: a position that worsens the pain")
        chosen = [*chosen, extra] if extra not in chosen else chosen
    return chosen


@st.composite
def _conditions(draw: st.DrawFn) -> list[str]:
    chosen = draw(st.lists(st.sampled_from(sorted(CONTENT.conditions)), unique=True, max_size=5))
    if draw(st.booleans()):
        extra = draw(st.sampled_from(GATING_CONDITIONS))
        event("case: a condition some exercise is not safe with")
        chosen = [*chosen, extra] if extra not in chosen else chosen
    return chosen


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
            "age": draw(st.integers(ADULT_AGES[0], ADULT_AGES[1])),
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


# --------------------------------------------------------------------------- device gates
# Cases aimed at the device gates: each gate (urgent or emergency screen, routine-level flag,
# flare-up, a condition stated on the screen, an unsure answer that bears on a device, no
# context) is set up on a sizeable share of cases, and `gate_events` reports which gates
# actually fired, so `--hypothesis-show-statistics` shows how often each is exercised.

# Screen questions that state a condition (conditions.yaml `established_by`).
CONDITION_QUESTIONS = sorted({q for c in CONTENT.conditions.values() for q in c.established_by})


# Screen questions that raise only routine-level rules when answered yes on their own;
# those whose flag bears on the devices are listed three times, so most of these cases
# reach the routine-flag gate and the rest check that a flag without bearing stays quiet.
def _questions_whose_yes_alone_gives(level: str) -> tuple[str, ...]:
    """Screen questions whose "yes", with every other answer "no", gives exactly ``level``.

    Read from the content through the real triage, so a question added to the screen is
    generated here without touching this file.
    """
    person = Person(age=40, sex="female")
    return tuple(
        q.id
        for q in CONTENT.red_flags.questions
        if triage({**all_no(), q.id: "yes"}, person, CONTENT.red_flags).level == level
    )


ROUTINE_FLAG_QUESTIONS = _questions_whose_yes_alone_gives("routine")


# Screen questions whose "yes" raises an urgent or emergency rule on its own.
BLOCKING_QUESTIONS = ("ces_saddle_numbness", "leg_weakness_rapid", "cancer_history", "fever")
# The gate each generated case is built to reach; extras may add a second gate on top.
# The routine flag is listed twice because other gates often mask it.
DEVICE_SCENARIOS = (
    "clear",
    "blocking_flag",
    "routine_flag",
    "routine_flag",
    "flare",
    "condition_on_screen",
    "unsure_on_screen",
    "no_context",
)


@st.composite
def device_cases(draw: st.DrawFn) -> dict[str, Any]:
    scenarios = {draw(st.sampled_from(DEVICE_SCENARIOS))}
    # About a third of the cases get a second gate, to test how gates combine.
    if draw(st.sampled_from((True, False, False))):
        scenarios.add(draw(st.sampled_from(DEVICE_SCENARIOS)))
    for scenario in sorted(scenarios):
        event(f"setup: {scenario}")
    answers = all_no()
    if "blocking_flag" in scenarios:
        answers[draw(st.sampled_from(BLOCKING_QUESTIONS))] = draw(
            st.sampled_from(["yes", "unsure"])
        )
    if "routine_flag" in scenarios:
        answers[draw(st.sampled_from(ROUTINE_FLAG_QUESTIONS))] = "yes"
    if "condition_on_screen" in scenarios:
        answers[draw(st.sampled_from(CONDITION_QUESTIONS))] = "yes"
    if "unsure_on_screen" in scenarios:
        answers[draw(st.sampled_from(CONDITION_QUESTIONS))] = "unsure"
    if "flare" in scenarios:
        pain = draw(st.integers(7, 10))
        irritability = draw(st.sampled_from(["low", "moderate", "high"]))
    else:
        pain = draw(st.integers(0, 6))
        irritability = draw(st.sampled_from(["low", "moderate"]))
    case: dict[str, Any] = {
        "case_id": "generated",
        "person": {
            "age": draw(st.integers(18, 90)),
            "sex": draw(st.sampled_from(["female", "male", "other", "not_stated"])),
        },
        "screening": answers,
        "questionnaires": {"pain_nrs": {"now": pain, "average": pain, "worst": pain}},
        "tests": draw(self_test_results()),
    }
    if "no_context" in scenarios:
        return case
    context = draw(contexts())
    context["irritability"] = irritability
    context["conditions"] = draw(
        st.lists(st.sampled_from(sorted(CONTENT.conditions)), unique=True, max_size=3)
    )
    case["context"] = context
    return case


def gate_events(result: Result) -> None:
    """Name every device gate that fired for this result (hypothesis statistics)."""
    kinds: set[str] = set()
    for verdict in result.adjuncts.values():
        for cause in verdict.causes:
            if verdict.therapy != "muscle_balance":
                kinds.add(f"{cause.kind}:{cause.id}" if cause.kind == "triage" else cause.kind)
    for kind in sorted(kinds):
        event(f"gate fired: {kind}")
    if result.triage.level == "routine" and not kinds & {"routine_flag", "triage:routine"}:
        event("routine level without bearing: the screen leaves the devices open")
    if not kinds:
        event("gate fired: none (devices judged on conditions alone or suitable)")
