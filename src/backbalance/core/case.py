"""Turn raw case data (parsed JSON) into a validated :class:`Case`, and back.

The shape of the self-test part depends on the content: which tests exist and what
each records. So validation is driven by the loaded content, and every problem is
reported with a dotted path to the field (``tests.side_bridge.left.hold_s``) so the
person, or the program that sent the case, knows exactly what to fix.
"""

from __future__ import annotations

import copy
import json
import math
import operator
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, TypeVar, get_args

from msgspec.structs import replace

from backbalance.content.loader import Content
from backbalance.content.schema import RecordField, SelfTest, ThresholdRule
from backbalance.core import instruments
from backbalance.core.strict_json import BROKEN_TEXT, echo, has_lone_surrogate
from backbalance.core.types import (
    Answer,
    Case,
    CaseError,
    Context,
    FieldError,
    Irritability,
    Person,
    Reading,
    Sex,
    SideResult,
    TestResult,
)

_T = TypeVar("_T")

TOP_LEVEL_KEYS = ("case_id", "person", "screening", "questionnaires", "tests", "context")
CONTEXT_KEYS = (
    "minutes_per_day",
    "equipment",
    "irritability",
    "eases",
    "worsens",
    "conditions",
    "start_date",
    "weeks_done",
)
IRRITABILITY_LEVELS: dict[str, Irritability] = {
    "low": "low",
    "moderate": "moderate",
    "high": "high",
}
IRRITABILITY = tuple(IRRITABILITY_LEVELS)
SIDES = ("left", "right")
COULD_NOT_DO_REASONS = ("pain", "too_hard", "other")
COMPARISONS: dict[str, Callable[[float, float], bool]] = {
    "gt": operator.gt,
    "ge": operator.ge,
    "lt": operator.lt,
    "le": operator.le,
}
# A routine's start date, within sensible bounds (dates far out would overflow later).
EARLIEST_START, LATEST_START = date(2000, 1, 1), date(2100, 12, 31)
# Free text is shown back in the result, so its length is capped: an id is a short label,
# and a note on a self-test is a sentence or two ("left knee clicked"), not a document.
MAX_CASE_ID_CHARS = 100
MAX_NOTE_CHARS = 500


def parse_case(raw: object, content: Content) -> Case:
    """Validate ``raw`` against the content; raise :class:`CaseError` naming every bad field."""
    errors: list[FieldError] = []
    if not isinstance(raw, Mapping):
        raise CaseError([FieldError("case", "must be a JSON object")])
    for key in raw:
        if key not in TOP_LEVEL_KEYS:
            errors.append(
                FieldError(echo(key), f"unknown field; expected one of {_list(TOP_LEVEL_KEYS)}")
            )

    case_id = _parse_text(raw.get("case_id"), "case_id", MAX_CASE_ID_CHARS, errors)

    person = _parse_person(raw.get("person"), content, errors)
    screening = _parse_screening(raw.get("screening"), content, errors)

    questionnaires = _parse_questionnaires(raw.get("questionnaires", {}), content, errors)
    tests = _parse_tests(raw.get("tests", {}), content, errors)
    context = _parse_context(raw["context"], content, errors) if "context" in raw else None

    if errors or person is None:
        raise CaseError(errors)
    return Case(
        case_id=case_id,
        person=person,
        screening=screening,
        questionnaires=questionnaires,
        tests=tests,
        context=context,
    )


# --------------------------------------------------------------------------- one part at a time
#
# A form that asks for a case one step at a time checks each step before the whole case
# exists. Each function below runs the same parser the whole case uses, so a step gives
# the same messages under the same dotted paths (``context.minutes_per_day``) as the
# whole case would, and raises :class:`CaseError` naming every bad field.


def parse_person(raw: object, content: Content) -> Person:
    """The person part (age and sex); paths ``person.age``, ``person.sex``."""
    errors: list[FieldError] = []
    person = _parse_person(raw, content, errors)
    return _checked(person, errors, "person")


def parse_screening(raw: object, content: Content) -> dict[str, Answer]:
    """Every safety question answered; paths ``screening.<question id>``."""
    errors: list[FieldError] = []
    answers = _parse_screening(raw, content, errors)
    return _checked(answers, errors, "screening")


def parse_context(raw: object, content: Content) -> Context:
    """The routine questions; paths ``context.minutes_per_day``, ``context.conditions.2``..."""
    errors: list[FieldError] = []
    context = _parse_context(raw, content, errors)
    return _checked(context, errors, "context")


def parse_test(test_id: str, raw: object, content: Content) -> TestResult:
    """One self-test's readings (both sides of a two-sided one), as they would sit under
    ``tests.<test_id>`` in a case; paths ``tests.side_bridge.left.hold_s``."""
    errors: list[FieldError] = []
    results = _parse_tests({test_id: raw}, content, errors)
    return _checked(results.get(test_id), errors, f"tests.{echo(test_id)}")


def parse_questionnaires(raw: object, content: Content) -> dict[str, Any]:
    """The questionnaire answers, checked item by item; paths ``questionnaires.odi.3``."""
    errors: list[FieldError] = []
    answers = _parse_questionnaires(raw, content, errors)
    return _checked(answers, errors, "questionnaires")


def _checked(value: _T | None, errors: list[FieldError], path: str) -> _T:
    if errors:
        raise CaseError(errors)
    if value is None:  # every parser names a field when it gives nothing back
        raise CaseError([FieldError(path, "could not be read")])
    return value


def _parse_questionnaires(
    raw: object, content: Content, errors: list[FieldError]
) -> dict[str, Any]:
    """The answers to each questionnaire given, checked by its instrument.

    A questionnaire given as ``null`` counts as not filled in and is left out of the case,
    so a case reads the same whether an unanswered questionnaire was written or omitted.
    Its name must still be known: the JSON Schema refuses an unknown one either way.
    """
    if not isinstance(raw, Mapping):
        errors.append(FieldError("questionnaires", "must be an object"))
        return {}
    given: dict[str, Any] = {}
    for name, answers in raw.items():
        instrument = content.instruments.get(name)
        if instrument is None:
            errors.append(
                FieldError(
                    f"questionnaires.{echo(name)}",
                    f"unknown questionnaire; known: {_list(content.instruments)}",
                )
            )
        elif answers is not None:
            errors.extend(instruments.check_answers(instrument, answers, f"questionnaires.{name}"))
            # A copy: the case is frozen, so its answers must not change with the caller's.
            given[name] = copy.deepcopy(answers)
    return given


def _parse_text(value: object, path: str, limit: int, errors: list[FieldError]) -> str | None:
    """Optional free text: must be text, short enough to show back, and writable."""
    if value is None:
        return None
    if not isinstance(value, str):
        errors.append(FieldError(path, "must be text"))
    elif len(value) > limit:
        errors.append(FieldError(path, f"at most {limit} characters (this is {len(value)})"))
    elif has_lone_surrogate(value):
        errors.append(FieldError(path, BROKEN_TEXT))
    else:
        return value
    return None


def _list(names: Any) -> str:
    return ", ".join(str(n) for n in names)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _age_bounds(content: Content) -> tuple[int, int]:
    """The ages the app is for (program.yaml min_age, max_age)."""
    return int(content.program.min_age.value), int(content.program.max_age.value)


def _parse_person(raw: object, content: Content, errors: list[FieldError]) -> Person | None:
    if not isinstance(raw, Mapping):
        errors.append(FieldError("person", "required: an object with age and sex"))
        return None
    for key in raw:
        if key not in ("age", "sex"):
            errors.append(FieldError(f"person.{echo(key)}", "unknown field; expected age and sex"))
    age, sex = raw.get("age"), raw.get("sex")
    youngest, oldest = _age_bounds(content)
    ok = True
    if not isinstance(age, int) or isinstance(age, bool):
        errors.append(FieldError("person.age", "required: age in whole years"))
        ok = False
    elif not youngest <= age <= oldest:
        errors.append(
            FieldError(
                "person.age", f"must be between {youngest} and {oldest}; this app is for adults"
            )
        )
        ok = False
    sexes = get_args(Sex)
    if sex not in sexes:
        errors.append(FieldError("person.sex", f"required: one of {_list(sexes)}"))
        ok = False
    if not ok:
        return None
    assert isinstance(age, int) and isinstance(sex, str)
    return Person(age=age, sex=sex)  # type: ignore[arg-type]  # checked against Sex above


def _parse_screening(raw: object, content: Content, errors: list[FieldError]) -> dict[str, Answer]:
    """Every red-flag question must be answered: the safety screen cannot be skipped."""
    if not isinstance(raw, Mapping):
        errors.append(
            FieldError("screening", "required: answer every safety question with yes, no or unsure")
        )
        return {}
    known = {q.id for q in content.red_flags.questions}
    answers: dict[str, Answer] = {}
    for key, value in raw.items():
        if key not in known:
            errors.append(FieldError(f"screening.{echo(key)}", "unknown safety question"))
        elif value not in get_args(Answer):
            errors.append(FieldError(f"screening.{key}", "answer yes, no or unsure"))
        else:
            answers[key] = value
    for question in content.red_flags.questions:
        if question.id not in raw:
            errors.append(
                FieldError(f"screening.{question.id}", "required: answer yes, no or unsure")
            )
    return answers


def _parse_tests(raw: object, content: Content, errors: list[FieldError]) -> dict[str, TestResult]:
    if not isinstance(raw, Mapping):
        errors.append(FieldError("tests", "must be an object keyed by test id"))
        return {}
    results: dict[str, TestResult] = {}
    for test_id, value in raw.items():
        path = f"tests.{echo(test_id)}"
        test = content.tests.get(test_id)
        if test is None:
            errors.append(
                FieldError(path, "unknown self-test; run `backbalance tests` for the list")
            )
            continue
        if not test.per_side:
            single = _parse_reading(value, test, path, errors)
            if single is not None:
                results[test_id] = TestResult(test_id=test_id, single=single)
            continue
        if not isinstance(value, Mapping) or not value:
            errors.append(FieldError(path, "must be an object with left and/or right readings"))
            continue
        sides: dict[str, SideResult | None] = {}
        for side_key, reading in value.items():
            if side_key not in SIDES:
                errors.append(
                    FieldError(f"{path}.{echo(side_key)}", "unknown side; use left or right")
                )
                continue
            sides[side_key] = _parse_reading(reading, test, f"{path}.{side_key}", errors)
        results[test_id] = TestResult(
            test_id=test_id, left=sides.get("left"), right=sides.get("right")
        )
    return results


def _parse_reading(
    raw: object, test: SelfTest, path: str, errors: list[FieldError]
) -> SideResult | None:
    if not isinstance(raw, Mapping):
        errors.append(FieldError(path, "must be an object of readings"))
        return None
    note = _parse_text(raw.get("note"), f"{path}.note", MAX_NOTE_CHARS, errors)
    if "could_not_do" in raw:
        reason = raw["could_not_do"]
        if reason not in COULD_NOT_DO_REASONS:
            errors.append(
                FieldError(f"{path}.could_not_do", f"must be one of {_list(COULD_NOT_DO_REASONS)}")
            )
            return None
        extra = [k for k in raw if k not in ("could_not_do", "note")]
        for key in extra:
            errors.append(
                FieldError(f"{path}.{echo(key)}", "leave readings out when the test was not done")
            )
        return SideResult(values={}, could_not_do=str(reason), note=note)

    values: Reading = {}
    fields = {f.id: f for f in test.record}
    before = len(errors)
    for key, value in raw.items():
        if key == "note":
            continue
        spec = fields.get(key)
        if spec is None:
            errors.append(
                FieldError(
                    f"{path}.{echo(key)}", f"unknown reading; this test records {_list(fields)}"
                )
            )
            continue
        problem = _field_problem(spec, value)
        if problem:
            errors.append(FieldError(f"{path}.{key}", problem))
        else:
            values[key] = value
    for spec in test.record:
        if spec.required and spec.id not in raw:
            errors.append(FieldError(f"{path}.{spec.id}", f"required: {spec.label}"))
    if len(errors) > before:
        return None
    contradictions = side_contradictions(test, values, path)
    if contradictions:
        errors.extend(contradictions)
        return None
    return SideResult(values=values, note=note)


def side_contradictions(test: SelfTest, values: Reading, path: str) -> list[FieldError]:
    """Where a reading gives a side and a measured difference, the two must agree.

    The content pairs them: a threshold rule with a ``side_field`` reads how large a
    difference is (``difference_cm``) and takes the side from a choice (``higher_side``).
    If they disagree, the rule would either fire with no side to put the finding on
    ("level", yet 5 cm apart) or name a side measured as level ("left higher", 0 cm).
    Guessing which of the two is wrong could hide or invent a finding, so the reading is
    refused and the person asked to check it.
    """
    problems: list[FieldError] = []
    for rule in test.rules:
        if not isinstance(rule, ThresholdRule) or rule.side_field is None:
            continue
        side_spec, difference = test.field(rule.side_field), values.get(rule.field)
        chosen = next((c for c in side_spec.choices if c.id == values.get(rule.side_field)), None)
        if chosen is None or not _is_number(difference):
            continue
        assert isinstance(difference, int | float)
        unit = test.field(rule.field).unit or ""
        where = f"{path}.{rule.side_field}"
        if chosen.names_side is not None and difference == 0:
            problems.append(
                FieldError(
                    where,
                    f"says {chosen.id}, but {rule.field} is 0 {unit}: give the difference "
                    "you measured, or choose the answer for no difference",
                )
            )
        elif chosen.names_side is None and _counts_as_one_side(rule, difference):
            problems.append(
                FieldError(
                    where,
                    f"says {chosen.id}, but {rule.field} is {difference:g} {unit}, enough to "
                    "count as one side: say which side it was, or check the measurement",
                )
            )
    return problems


def _counts_as_one_side(rule: ThresholdRule, difference: float) -> bool:
    """True if the difference passes the rule's threshold, for every sex it has one for."""
    figures = [rule.threshold] if rule.threshold else []
    if rule.by_sex is not None:
        figures += [f for f in (rule.by_sex.female, rule.by_sex.male) if f is not None]
    passes = COMPARISONS[rule.op]
    return bool(figures) and all(passes(difference, f.value) for f in figures)


def _field_problem(spec: RecordField, value: object) -> str | None:
    if spec.kind == "yes_no":
        return None if isinstance(value, bool) else "must be true or false"
    if spec.kind == "choice":
        ids = [c.id for c in spec.choices]
        return None if value in ids else f"must be one of {_list(ids)}"
    # Checked without converting to float: a whole number hundreds of digits long
    # would overflow the conversion; the range check below refuses it instead.
    if not _is_number(value) or (isinstance(value, float) and not math.isfinite(value)):
        return f"must be a number ({spec.unit})"
    assert isinstance(value, int | float) and spec.minimum is not None and spec.maximum is not None
    if spec.integer and value != int(value):
        return f"must be a whole number ({spec.unit})"
    if not spec.minimum <= value <= spec.maximum:
        return f"must be between {spec.minimum:g} and {spec.maximum:g} {spec.unit}"
    return None


def _parse_context(raw: object, content: Content, errors: list[FieldError]) -> Context | None:
    """Time, kit, pain behaviour and health conditions, each checked against the content."""
    if not isinstance(raw, Mapping):
        errors.append(FieldError("context", "must be an object"))
        return None
    before = len(errors)
    for key in raw:
        if key not in CONTEXT_KEYS:
            errors.append(
                FieldError(f"context.{echo(key)}", f"unknown field; expected {_list(CONTEXT_KEYS)}")
            )
    settings = content.program
    low, high = int(settings.min_minutes.value), int(settings.max_minutes.value)
    minutes = raw.get("minutes_per_day")
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not low <= minutes <= high:
        errors.append(
            FieldError("context.minutes_per_day", f"required: whole minutes from {low} to {high}")
        )
    irritability = raw.get("irritability", "moderate")
    if irritability not in IRRITABILITY:
        errors.append(FieldError("context.irritability", f"must be one of {_list(IRRITABILITY)}"))
    if "conditions" not in raw:
        # Without the health questions no exercise can be checked against them.
        errors.append(
            FieldError(
                "context.conditions",
                "required: the list of health conditions that apply (may be empty)",
            )
        )
    lists = {
        "equipment": set(content.equipment),
        "eases": {m.id for m in content.movements.values() if m.can_ease},
        "worsens": set(content.movements),
        "conditions": set(content.conditions),
    }
    chosen: dict[str, frozenset[str]] = {}
    for key, known in lists.items():
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            errors.append(FieldError(f"context.{key}", "must be a list of ids"))
            continue
        for position, item in enumerate(value, start=1):
            if item not in known:
                errors.append(
                    FieldError(
                        f"context.{key}.{position}",
                        f"unknown id '{echo(item)}'; known: {_list(sorted(known))}",
                    )
                )
        chosen[key] = frozenset(value)
    start: date | None = None
    if raw.get("start_date") is not None:
        start = _parse_start_date(raw["start_date"], errors)
    weeks = raw.get("weeks_done", 0)
    most_weeks = int(settings.max_weeks_done.value)
    if not isinstance(weeks, int) or isinstance(weeks, bool) or not 0 <= weeks <= most_weeks:
        errors.append(
            FieldError("context.weeks_done", f"must be whole weeks from 0 to {most_weeks}")
        )
    if len(errors) > before:
        return None
    assert isinstance(minutes, int) and isinstance(weeks, int)
    return Context(
        minutes_per_day=minutes,
        equipment=chosen["equipment"],
        irritability=IRRITABILITY_LEVELS[irritability],
        eases=chosen["eases"],
        worsens=chosen["worsens"],
        conditions=chosen["conditions"],
        start_date=start,
        weeks_done=weeks,
    )


def _parse_start_date(value: object, errors: list[FieldError]) -> date | None:
    problem = "must be a date like 2026-11-20, between 2000 and 2100"
    if not isinstance(value, str):
        errors.append(FieldError("context.start_date", problem))
        return None
    try:
        start = date.fromisoformat(value)
    except ValueError:
        errors.append(FieldError("context.start_date", problem))
        return None
    if not EARLIEST_START <= start <= LATEST_START:
        errors.append(FieldError("context.start_date", problem))
        return None
    return start


# --------------------------------------------------------------------------- writing


def case_to_jsonable(case: Case) -> dict[str, Any]:
    """The case as plain JSON data in the input format: ``parse_case`` reads it back equal.

    What was not given (no case id, no start date, no note) is left out rather than
    written as ``null``, so the written case also passes the case JSON Schema. Lists of ids
    are written sorted, so the same case is always written the same way.
    """
    written: dict[str, Any] = {}
    if case.case_id is not None:
        written["case_id"] = case.case_id
    written["person"] = {"age": case.person.age, "sex": case.person.sex}
    written["screening"] = dict(case.screening)
    written["questionnaires"] = copy.deepcopy(case.questionnaires)
    written["tests"] = {
        test_id: _test_to_jsonable(result) for test_id, result in case.tests.items()
    }
    if case.context is not None:
        written["context"] = _context_to_jsonable(case.context)
    return written


def case_to_json(case: Case) -> str:
    """The case as JSON text, ready to store; :func:`parse_json` then :func:`parse_case`
    read it back equal."""
    return json.dumps(case_to_jsonable(case), ensure_ascii=False, allow_nan=False, indent=2)


def _test_to_jsonable(result: TestResult) -> dict[str, Any]:
    if result.single is not None:
        return _reading_to_jsonable(result.single)
    sides = {"left": result.left, "right": result.right}
    return {
        side: _reading_to_jsonable(reading)
        for side, reading in sides.items()
        if reading is not None
    }


def _reading_to_jsonable(reading: SideResult) -> dict[str, Any]:
    if reading.could_not_do is not None:
        written: dict[str, Any] = {"could_not_do": reading.could_not_do}
    else:
        written = dict(reading.values)
    if reading.note is not None:
        written["note"] = reading.note
    return written


def _context_to_jsonable(context: Context) -> dict[str, Any]:
    written: dict[str, Any] = {
        "minutes_per_day": context.minutes_per_day,
        "equipment": sorted(context.equipment),
        "irritability": context.irritability,
        "eases": sorted(context.eases),
        "worsens": sorted(context.worsens),
        "conditions": sorted(context.conditions),
        "weeks_done": context.weeks_done,
    }
    if context.start_date is not None:
        written["start_date"] = context.start_date.isoformat()
    return written


# --------------------------------------------------------------------------- mirroring


def mirror_case(case: Case, content: Content) -> Case:
    """The same case with left and right swapped, including choices that name a side.

    Used to check that the engine treats both sides alike: a mirrored case must give a
    mirrored result.
    """
    tests: dict[str, TestResult] = {}
    for test_id, result in case.tests.items():
        test = content.tests[test_id]
        tests[test_id] = TestResult(
            test_id=test_id,
            left=_mirror_side(result.right, test),
            right=_mirror_side(result.left, test),
            single=_mirror_side(result.single, test),
        )
    return replace(case, tests=tests)


def _mirror_side(side: SideResult | None, test: SelfTest) -> SideResult | None:
    if side is None:
        return None
    values: Reading = {}
    for key, value in side.values.items():
        spec = test.field(key)
        mirrored = {c.id: c.mirror for c in spec.choices if c.mirror}
        values[key] = mirrored.get(value, value) if isinstance(value, str) else value
    return replace(side, values=values)


# --------------------------------------------------------------------------- JSON Schema


def case_json_schema(content: Content) -> dict[str, Any]:
    """A JSON Schema (2020-12) of the case format, generated from the content."""
    youngest, oldest = _age_bounds(content)
    screening = {
        q.id: {"enum": list(get_args(Answer)), "description": q.question}
        for q in content.red_flags.questions
    }
    tests: dict[str, Any] = {}
    for test in content.tests.values():
        reading = _reading_schema(test)
        if test.per_side:
            tests[test.id] = {
                "type": "object",
                "description": f"{test.name}. {test.side_meaning}",
                "properties": {"left": reading, "right": reading},
                "additionalProperties": False,
                "minProperties": 1,
            }
        else:
            tests[test.id] = {**reading, "description": test.name}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "backbalance case",
        "description": "One person at one point in time: safety answers, questionnaires, "
        "self-tests.",
        "type": "object",
        "required": ["person", "screening"],
        "additionalProperties": False,
        "properties": {
            "case_id": {"type": "string", "maxLength": MAX_CASE_ID_CHARS},
            "person": {
                "type": "object",
                "required": ["age", "sex"],
                "additionalProperties": False,
                "properties": {
                    "age": {"type": "integer", "minimum": youngest, "maximum": oldest},
                    "sex": {"enum": list(get_args(Sex))},
                },
            },
            "screening": {
                "type": "object",
                "required": list(screening),
                "additionalProperties": False,
                "properties": screening,
            },
            "questionnaires": {
                "type": "object",
                "additionalProperties": False,
                "properties": {i.id: {"description": i.name} for i in content.instruments.values()},
            },
            "tests": {"type": "object", "additionalProperties": False, "properties": tests},
            "context": _context_schema(content),
        },
    }


def _context_schema(content: Content) -> dict[str, Any]:
    def ids(values: Any) -> dict[str, Any]:
        return {"type": "array", "items": {"enum": sorted(values)}, "uniqueItems": True}

    settings = content.program
    return {
        "type": "object",
        "description": "What the routine must fit. Needed for a routine; conditions are required.",
        "required": ["minutes_per_day", "conditions"],
        "additionalProperties": False,
        "properties": {
            "minutes_per_day": {
                "type": "integer",
                "minimum": int(settings.min_minutes.value),
                "maximum": int(settings.max_minutes.value),
            },
            "equipment": ids(content.equipment),
            "irritability": {"enum": list(IRRITABILITY)},
            "eases": ids({m.id for m in content.movements.values() if m.can_ease}),
            "worsens": ids(content.movements),
            "conditions": ids(content.conditions),
            "start_date": {"type": "string", "format": "date"},
            "weeks_done": {
                "type": "integer",
                "minimum": 0,
                "maximum": int(settings.max_weeks_done.value),
            },
        },
    }


def _reading_schema(test: SelfTest) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for spec in test.record:
        if spec.kind == "yes_no":
            prop: dict[str, Any] = {"type": "boolean"}
        elif spec.kind == "choice":
            prop = {"enum": [c.id for c in spec.choices]}
        else:
            prop = {
                "type": "integer" if spec.integer else "number",
                "minimum": spec.minimum,
                "maximum": spec.maximum,
            }
        prop["description"] = spec.label + (f" ({spec.unit})" if spec.unit else "")
        properties[spec.id] = prop
    properties["note"] = {"type": "string", "maxLength": MAX_NOTE_CHARS}
    not_done = {
        "type": "object",
        "required": ["could_not_do"],
        "additionalProperties": False,
        "properties": {
            "could_not_do": {"enum": list(COULD_NOT_DO_REASONS)},
            "note": {"type": "string", "maxLength": MAX_NOTE_CHARS},
        },
    }
    done = {
        "type": "object",
        "required": [f.id for f in test.record if f.required],
        "additionalProperties": False,
        "properties": properties,
    }
    return {"oneOf": [done, not_done]}
