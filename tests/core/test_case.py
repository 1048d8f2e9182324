"""Case validation, mirroring and the generated JSON Schema.

Every rejection is checked for the exact dotted path of the bad field, because that path
is what a person (or a program) reads to know what to fix.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from backbalance.content.schema import SelfTest, ThresholdRule
from backbalance.core.case import (
    MAX_CASE_ID_CHARS,
    MAX_NOTE_CHARS,
    case_json_schema,
    mirror_case,
    parse_case,
)
from backbalance.core.engine import evaluate
from backbalance.core.strict_json import MAX_ECHO_CHARS
from backbalance.core.types import CaseError, SideResult
from tests.strategies import CONTENT, all_no

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples" / "cases").glob("*.json"))
FIRST_QUESTION = CONTENT.red_flags.questions[0].id


def valid_case(**changes: Any) -> dict[str, Any]:
    case: dict[str, Any] = {
        "case_id": "case-test",
        "person": {"age": 40, "sex": "female"},
        "screening": all_no(),
        "questionnaires": {"pain_nrs": {"now": 4, "average": 3, "worst": 6}},
        "tests": {
            "side_bridge": {"left": {"hold_s": 60}, "right": {"hold_s": 55}},
            "mcgill_flexor": {"hold_s": 90},
            "standing_pelvis_height": {"higher_side": "left_higher", "difference_cm": 1.5},
        },
    }
    case.update(changes)
    return case


def error_paths(raw: object) -> list[str]:
    with pytest.raises(CaseError) as caught:
        parse_case(raw, CONTENT)
    return [e.path for e in caught.value.errors]


def with_tests(**tests: Any) -> dict[str, Any]:
    return valid_case(tests=tests)


def without_screening(question: str) -> dict[str, Any]:
    screening = all_no()
    del screening[question]
    return valid_case(screening=screening)


def without_person() -> dict[str, Any]:
    case = valid_case()
    del case["person"]
    return case


# --------------------------------------------------------------------------- accepting


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_every_example_case_is_accepted(path: Path) -> None:
    case = parse_case(json.loads(path.read_text()), CONTENT)
    assert case.person.age >= 18
    assert set(case.screening) == {q.id for q in CONTENT.red_flags.questions}


def test_a_valid_case_keeps_its_readings_sides_and_notes() -> None:
    raw = valid_case()
    raw["tests"]["side_bridge"]["right"] = {"could_not_do": "pain", "note": "sharp"}
    case = parse_case(raw, CONTENT)
    assert case.case_id == "case-test"
    assert case.tests["side_bridge"].left == SideResult(values={"hold_s": 60})
    assert case.tests["side_bridge"].right == SideResult({}, could_not_do="pain", note="sharp")
    assert case.tests["mcgill_flexor"].single == SideResult(values={"hold_s": 90})
    assert case.tests["side_bridge"].single is None


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param({"person": {"age": 18, "sex": "male"}, "screening": all_no()}, id="bare"),
        pytest.param(valid_case(person={"age": 120, "sex": "other"}), id="age-120"),
        pytest.param(valid_case(person={"age": 30, "sex": "not_stated"}), id="not-stated"),
        pytest.param(
            with_tests(
                prone_knee_bend={"left": {"heel_reaches_buttock": True, "buttock_lifts": False}}
            ),
            id="optional-field-left-out",
        ),
        pytest.param(with_tests(side_bridge={"right": {"hold_s": 0}}), id="one-side-only"),
        pytest.param(with_tests(side_bridge={"left": {"hold_s": 600}}), id="at-maximum"),
        pytest.param(with_tests(single_leg_bridge={"left": {"reps": 12.0}}), id="whole-float"),
        pytest.param(valid_case(questionnaires={"odi": None}), id="null-questionnaire"),
    ],
)
def test_edge_values_inside_the_rules_are_accepted(raw: dict[str, Any]) -> None:
    assert parse_case(raw, CONTENT).person.sex in ("female", "male", "other", "not_stated")


# --------------------------------------------------------------------------- rejecting


REJECTIONS = [
    pytest.param(valid_case(colour="blue"), "colour", id="unknown-top-level-key"),
    pytest.param(without_person(), "person", id="missing-person"),
    pytest.param(valid_case(person="forty"), "person", id="person-not-an-object"),
    pytest.param(valid_case(person={"age": "forty", "sex": "male"}), "person.age", id="age-text"),
    pytest.param(valid_case(person={"age": 17, "sex": "male"}), "person.age", id="age-17"),
    pytest.param(valid_case(person={"age": 121, "sex": "male"}), "person.age", id="age-121"),
    pytest.param(valid_case(person={"age": 40.5, "sex": "male"}), "person.age", id="age-float"),
    pytest.param(valid_case(person={"age": True, "sex": "male"}), "person.age", id="age-bool"),
    pytest.param(valid_case(person={"age": 40, "sex": "robot"}), "person.sex", id="bad-sex"),
    pytest.param(valid_case(person={"age": 40}), "person.sex", id="missing-sex"),
    pytest.param(
        valid_case(person={"age": 40, "sex": "male", "height": 180}),
        "person.height",
        id="unknown-person-field",
    ),
    pytest.param(valid_case(case_id=7), "case_id", id="case-id-not-text"),
    pytest.param(with_tests(yoga={"hold_s": 3}), "tests.yoga", id="unknown-test"),
    pytest.param(valid_case(tests=["side_bridge"]), "tests", id="tests-not-an-object"),
    pytest.param(
        with_tests(side_bridge={"middle": {"hold_s": 30}}),
        "tests.side_bridge.middle",
        id="unknown-side",
    ),
    pytest.param(with_tests(side_bridge={}), "tests.side_bridge", id="per-side-test-empty"),
    pytest.param(
        with_tests(side_bridge={"hold_s": 30}),
        "tests.side_bridge.hold_s",
        id="per-side-test-given-as-single",
    ),
    pytest.param(
        with_tests(side_bridge={"left": {"hold_s": 30, "colour": "red"}}),
        "tests.side_bridge.left.colour",
        id="unknown-field",
    ),
    pytest.param(
        with_tests(side_bridge={"left": {"hold_s": -4}}),
        "tests.side_bridge.left.hold_s",
        id="below-minimum",
    ),
    pytest.param(
        with_tests(side_bridge={"left": {"hold_s": 600.5}}),
        "tests.side_bridge.left.hold_s",
        id="above-maximum",
    ),
    pytest.param(
        with_tests(mcgill_flexor={"hold_s": 601}),
        "tests.mcgill_flexor.hold_s",
        id="single-test-above-maximum",
    ),
    pytest.param(
        with_tests(mcgill_flexor={"hold_s": "90"}),
        "tests.mcgill_flexor.hold_s",
        id="number-as-text",
    ),
    pytest.param(
        with_tests(mcgill_flexor={"hold_s": True}),
        "tests.mcgill_flexor.hold_s",
        id="number-as-bool",
    ),
    pytest.param(
        with_tests(single_leg_bridge={"left": {"reps": 12.5}}),
        "tests.single_leg_bridge.left.reps",
        id="not-a-whole-number",
    ),
    pytest.param(
        with_tests(active_straight_leg_raise={"right": {"difficulty": 2.5}}),
        "tests.active_straight_leg_raise.right.difficulty",
        id="not-a-whole-rating",
    ),
    pytest.param(
        with_tests(ober={"left": {"leg_rest": "sideways"}}),
        "tests.ober.left.leg_rest",
        id="bad-choice",
    ),
    pytest.param(
        with_tests(standing_pelvis_height={"higher_side": "up", "difference_cm": 1}),
        "tests.standing_pelvis_height.higher_side",
        id="bad-choice-single-test",
    ),
    pytest.param(
        with_tests(
            modified_thomas={
                "left": {
                    "low_back_flat": "yes",
                    "hip_angle": 0,
                    "knee_angle": 80,
                    "thigh_drifts_out": False,
                }
            }
        ),
        "tests.modified_thomas.left.low_back_flat",
        id="yes-no-as-text",
    ),
    pytest.param(
        with_tests(
            modified_thomas={
                "right": {"low_back_flat": True, "hip_angle": 0, "thigh_drifts_out": False}
            }
        ),
        "tests.modified_thomas.right.knee_angle",
        id="missing-required-field",
    ),
    pytest.param(
        with_tests(side_bridge={"left": {"could_not_do": "pain", "hold_s": 30}}),
        "tests.side_bridge.left.hold_s",
        id="could-not-do-with-readings",
    ),
    pytest.param(
        with_tests(biering_sorensen={"could_not_do": "too_hard", "hold_s": 30}),
        "tests.biering_sorensen.hold_s",
        id="could-not-do-with-readings-single",
    ),
    pytest.param(
        with_tests(side_bridge={"left": {"could_not_do": "bored"}}),
        "tests.side_bridge.left.could_not_do",
        id="bad-could-not-do-reason",
    ),
    pytest.param(
        with_tests(side_bridge={"left": {"hold_s": 30, "note": 5}}),
        "tests.side_bridge.left.note",
        id="note-not-text",
    ),
    pytest.param(
        with_tests(side_bridge={"left": "sixty"}),
        "tests.side_bridge.left",
        id="reading-not-an-object",
    ),
    pytest.param(
        valid_case(questionnaires={"sf36": [1, 2, 3]}),
        "questionnaires.sf36",
        id="unknown-questionnaire",
    ),
    pytest.param(
        # Left unanswered, yet still a name the schema refuses: the parser must agree.
        valid_case(questionnaires={"sf36": None}),
        "questionnaires.sf36",
        id="unknown-questionnaire-left-unanswered",
    ),
    pytest.param(valid_case(questionnaires=[1]), "questionnaires", id="questionnaires-list"),
    pytest.param(
        valid_case(questionnaires={"pain_nrs": {"now": 11, "average": 3, "worst": 5}}),
        "questionnaires.pain_nrs.now",
        id="pain-rating-out-of-range",
    ),
    pytest.param(valid_case(questionnaires={"groc": 9}), "questionnaires.groc", id="groc-9"),
    pytest.param(
        valid_case(questionnaires={"odi": [0] * 9}), "questionnaires.odi", id="odi-too-short"
    ),
    pytest.param(
        without_screening(FIRST_QUESTION), f"screening.{FIRST_QUESTION}", id="missing-answer"
    ),
    pytest.param(
        valid_case(screening={**all_no(), "feeling_lucky": "no"}),
        "screening.feeling_lucky",
        id="unknown-screening-question",
    ),
    pytest.param(
        valid_case(screening={**all_no(), FIRST_QUESTION: "maybe"}),
        f"screening.{FIRST_QUESTION}",
        id="bad-screening-answer",
    ),
    pytest.param(
        valid_case(screening={**all_no(), FIRST_QUESTION: True}),
        f"screening.{FIRST_QUESTION}",
        id="screening-answer-bool",
    ),
]


@pytest.mark.parametrize(("raw", "path"), REJECTIONS)
def test_a_bad_case_is_rejected_naming_exactly_the_bad_field(raw: object, path: str) -> None:
    assert error_paths(raw) == [path]


def test_a_case_that_is_not_an_object_is_rejected_as_a_whole() -> None:
    assert error_paths(["person"]) == ["case"]


def test_a_missing_screening_is_refused_not_skipped() -> None:
    case = valid_case()
    del case["screening"]
    assert error_paths(case) == ["screening"]


def test_every_safety_question_left_out_is_named() -> None:
    paths = error_paths(valid_case(screening={}))
    assert paths == [f"screening.{q.id}" for q in CONTENT.red_flags.questions]


def test_several_errors_are_all_reported_at_once() -> None:
    raw = valid_case(
        colour="blue",
        person={"age": 12, "sex": "robot"},
        questionnaires={"groc": 9},
        tests={
            "yoga": {},
            "side_bridge": {"left": {"hold_s": -1}, "middle": {"hold_s": 3}},
            "ober": {"right": {"leg_rest": "sideways"}},
        },
    )
    assert sorted(error_paths(raw)) == sorted(
        [
            "colour",
            "person.age",
            "person.sex",
            "questionnaires.groc",
            "tests.yoga",
            "tests.side_bridge.left.hold_s",
            "tests.side_bridge.middle",
            "tests.ober.right.leg_rest",
        ]
    )


def test_each_error_says_what_is_wrong_in_words() -> None:
    with pytest.raises(CaseError) as caught:
        parse_case(with_tests(side_bridge={"left": {"hold_s": -4}}), CONTENT)
    (error,) = caught.value.errors
    assert "between 0 and 600" in error.message
    assert str(error) == f"tests.side_bridge.left.hold_s: {error.message}"
    assert "tests.side_bridge.left.hold_s" in str(caught.value)


# --------------------------------------------------------------------------- mirroring


def test_mirroring_swaps_the_sides_of_every_per_side_test() -> None:
    case = parse_case(
        with_tests(
            side_bridge={"left": {"hold_s": 60}, "right": {"could_not_do": "pain"}},
            ober={"left": {"leg_rest": "above_level"}},
        ),
        CONTENT,
    )
    mirrored = mirror_case(case, CONTENT)
    assert mirrored.tests["side_bridge"].right == SideResult(values={"hold_s": 60})
    assert mirrored.tests["side_bridge"].left == SideResult({}, could_not_do="pain")
    assert mirrored.tests["ober"].right == SideResult(values={"leg_rest": "above_level"})
    assert mirrored.tests["ober"].left is None
    assert mirrored.person == case.person and mirrored.screening == case.screening


def _side_choices() -> list[Any]:
    return [
        pytest.param(test.id, spec.id, choice.id, choice.mirror, id=f"{test.id}-{choice.id}")
        for test in CONTENT.tests.values()
        for spec in test.record
        for choice in spec.choices
        if choice.mirror is not None
    ]


def test_the_content_has_side_naming_choices_to_mirror() -> None:
    pairs = {(row.values[2], row.values[3]) for row in _side_choices()}
    assert ("left_higher", "right_higher") in pairs
    assert ("right_higher", "left_higher") in pairs
    assert ("left_lower", "right_lower") in pairs


@pytest.mark.parametrize(("test_id", "field", "choice", "mirror"), _side_choices())
def test_mirroring_turns_a_choice_that_names_a_side_into_its_mirror(
    test_id: str, field: str, choice: str, mirror: str
) -> None:
    test = CONTENT.tests[test_id]
    reading = {f.id: _any_value(f) for f in test.record if f.required}
    reading[field] = choice
    case = parse_case(with_tests(**{test_id: reading}), CONTENT)
    mirrored = mirror_case(case, CONTENT).tests[test_id].single
    assert mirrored is not None
    assert mirrored.values[field] == mirror
    assert mirror_case(mirror_case(case, CONTENT), CONTENT) == case


def test_mirroring_leaves_a_choice_that_names_no_side_alone() -> None:
    case = parse_case(
        with_tests(standing_pelvis_height={"higher_side": "level", "difference_cm": 0.4}),
        CONTENT,
    )
    mirrored = mirror_case(case, CONTENT).tests["standing_pelvis_height"].single
    assert mirrored == SideResult(values={"higher_side": "level", "difference_cm": 0.4})


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_mirroring_twice_gives_back_the_same_case(path: Path) -> None:
    case = parse_case(json.loads(path.read_text()), CONTENT)
    assert mirror_case(mirror_case(case, CONTENT), CONTENT) == case


def test_mirroring_an_asymmetric_example_really_changes_it() -> None:
    case = parse_case(json.loads((EXAMPLES[2]).read_text()), CONTENT)
    assert EXAMPLES[2].name.startswith("03_")
    assert mirror_case(case, CONTENT) != case


def _any_value(spec: Any) -> Any:
    if spec.kind == "yes_no":
        return True
    if spec.kind == "choice":
        return spec.choices[0].id
    return spec.maximum  # not 0: a side named with no difference is refused


# --------------------------------------------------------------------------- JSON Schema


@cache
def schema() -> dict[str, Any]:
    return case_json_schema(CONTENT)


def matches_case_schema(instance: Any, schema: dict[str, Any]) -> bool:
    """A small JSON Schema checker for the keywords case_json_schema uses.

    jsonschema is not a dependency; this covers exactly what the generator emits, and
    fails loudly on any keyword it does not know, so it cannot silently pass.
    """
    known = {
        "$schema",
        "title",
        "description",
        "type",
        "required",
        "additionalProperties",
        "properties",
        "enum",
        "minimum",
        "maximum",
        "oneOf",
        "minProperties",
        "items",
        "uniqueItems",
        "format",
        "maxLength",
    }
    unknown = set(schema) - known
    assert not unknown, f"the test validator does not know {unknown}"
    if "oneOf" in schema:
        return sum(matches_case_schema(instance, s) for s in schema["oneOf"]) == 1
    kind = schema.get("type")
    types = {
        "object": lambda v: isinstance(v, dict),
        "boolean": lambda v: isinstance(v, bool),
        "string": lambda v: isinstance(v, str),
        "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
        "array": lambda v: isinstance(v, list),
        "integer": lambda v: isinstance(v, int | float) and not isinstance(v, bool) and v == int(v),
    }
    if kind is not None and not types[kind](instance):
        return False
    if "enum" in schema and instance not in schema["enum"]:
        return False
    if "minimum" in schema and instance < schema["minimum"]:
        return False
    if "maximum" in schema and instance > schema["maximum"]:
        return False
    if "maxLength" in schema and len(instance) > schema["maxLength"]:
        return False
    if kind == "array":
        if schema.get("uniqueItems") and len({json.dumps(v) for v in instance}) < len(instance):
            return False
        return all(matches_case_schema(v, schema.get("items", {})) for v in instance)
    if kind == "object":
        properties = schema.get("properties", {})
        if any(key not in instance for key in schema.get("required", [])):
            return False
        if schema.get("additionalProperties") is False and set(instance) - set(properties):
            return False
        if len(instance) < schema.get("minProperties", 0):
            return False
        return all(
            matches_case_schema(v, properties[k]) for k, v in instance.items() if k in properties
        )
    return True


def test_the_schema_covers_every_test_and_every_recorded_field() -> None:
    tests = schema()["properties"]["tests"]["properties"]
    assert set(tests) == set(CONTENT.tests)
    for test in CONTENT.tests.values():
        reading = tests[test.id]["properties"]["left"] if test.per_side else tests[test.id]
        if test.per_side:
            assert set(tests[test.id]["properties"]) == {"left", "right"}
        done, not_done = reading["oneOf"]
        assert set(done["properties"]) == {f.id for f in test.record} | {"note"}
        assert set(done["required"]) == {f.id for f in test.record if f.required}
        assert not_done["properties"]["could_not_do"]["enum"] == ["pain", "too_hard", "other"]
        for spec in test.record:
            prop = done["properties"][spec.id]
            if spec.kind == "choice":
                assert prop["enum"] == [c.id for c in spec.choices]
            elif spec.kind == "yes_no":
                assert prop["type"] == "boolean"
            else:
                assert prop["type"] == ("integer" if spec.integer else "number")
                assert (prop["minimum"], prop["maximum"]) == (spec.minimum, spec.maximum)


def test_the_schema_requires_every_safety_question_and_knows_every_questionnaire() -> None:
    screening = schema()["properties"]["screening"]
    assert screening["required"] == [q.id for q in CONTENT.red_flags.questions]
    assert set(schema()["properties"]["questionnaires"]["properties"]) == set(CONTENT.instruments)
    assert schema()["required"] == ["person", "screening"]
    assert schema()["properties"]["person"]["properties"]["age"]["minimum"] == 18


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_every_example_validates_against_the_schema(path: Path) -> None:
    assert matches_case_schema(json.loads(path.read_text()), schema())


# Questionnaire answers are checked by the instruments, not described in the schema.
SCHEMA_AGREES = [
    row for row in REJECTIONS if not str(row.id).startswith(("pain-", "groc-", "odi-"))
]


@pytest.mark.parametrize(("raw", "path"), SCHEMA_AGREES)
def test_the_schema_rejects_what_the_parser_rejects(raw: object, path: str) -> None:
    assert not matches_case_schema(copy.deepcopy(raw), schema()), path


# --------------------------------------------------------------------------- hostile values


def test_a_whole_number_hundreds_of_digits_long_is_refused_not_crashed() -> None:
    # Compared with the range as it is: converting it to a float would overflow.
    paths = error_paths(with_tests(side_bridge={"left": {"hold_s": 10**310}}))
    assert paths == ["tests.side_bridge.left.hold_s"]


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        ({"case_id": "x" * (MAX_CASE_ID_CHARS + 1)}, "case_id"),
        ({"case_id": "case-\ud800"}, "case_id"),
        (
            {"tests": {"mcgill_flexor": {"hold_s": 90, "note": "n" * (MAX_NOTE_CHARS + 1)}}},
            "tests.mcgill_flexor.note",
        ),
        (
            {"tests": {"mcgill_flexor": {"hold_s": 90, "note": "\udfff"}}},
            "tests.mcgill_flexor.note",
        ),
    ],
)
def test_free_text_that_is_too_long_or_cannot_be_written_is_refused(
    changes: dict[str, Any], path: str
) -> None:
    assert error_paths(valid_case(**changes)) == [path]


def test_the_schema_states_the_length_limits_of_free_text() -> None:
    assert schema()["properties"]["case_id"]["maxLength"] == MAX_CASE_ID_CHARS
    too_long = valid_case(case_id="x" * (MAX_CASE_ID_CHARS + 1))
    assert not matches_case_schema(too_long, schema())
    long_note = with_tests(mcgill_flexor={"hold_s": 90, "note": "n" * (MAX_NOTE_CHARS + 1)})
    assert not matches_case_schema(long_note, schema())
    assert matches_case_schema(valid_case(case_id="x" * MAX_CASE_ID_CHARS), schema())


def test_free_text_at_its_length_limit_is_kept() -> None:
    case = parse_case(valid_case(case_id="x" * MAX_CASE_ID_CHARS), CONTENT)
    assert case.case_id == "x" * MAX_CASE_ID_CHARS


def test_an_unknown_name_or_id_is_shown_back_short() -> None:
    long = "q" * 5_000_000
    raw = valid_case(**{long: 1})
    raw["tests"] = {long: {}}
    raw["context"] = {"minutes_per_day": 15, "conditions": [long], long: 1}
    with pytest.raises(CaseError) as caught:
        parse_case(raw, CONTENT)
    assert len(caught.value.errors) == 4
    for error in caught.value.errors:
        assert "more characters" in str(error)
        # The echoed part is short; what else a message says comes from the content.
        assert str(error).count("q") <= 2 * MAX_ECHO_CHARS


# --------------------------------------------------------------------------- contradictions


def _side_difference_pairs() -> list[Any]:
    """Every reading in the content that gives a side and a measured difference."""
    return [
        pytest.param(test, rule, id=f"{test.id}-{rule.id}")
        for test in CONTENT.tests.values()
        for rule in test.rules
        if isinstance(rule, ThresholdRule) and rule.side_field is not None
    ]


def test_the_content_pairs_the_pelvis_side_with_its_measured_difference() -> None:
    found = {
        (p.values[0].id, p.values[1].side_field, p.values[1].field)
        for p in _side_difference_pairs()
    }
    assert ("standing_pelvis_height", "higher_side", "difference_cm") in found


def test_every_choice_that_names_a_side_is_either_alone_or_paired_with_a_difference() -> None:
    # A side choice with a number beside it, but no rule pairing them, could contradict
    # unseen; a side choice alone (the shoulder check) cannot.
    paired = {(p.values[0].id, p.values[1].side_field) for p in _side_difference_pairs()}
    for test in CONTENT.tests.values():
        numbers = [f for f in test.record if f.kind == "number"]
        for spec in test.record:
            if any(c.names_side for c in spec.choices) and numbers:
                assert (test.id, spec.id) in paired, f"{test.id}.{spec.id}"


@pytest.mark.parametrize(("test", "rule"), _side_difference_pairs())
def test_a_side_with_no_difference_or_no_side_with_a_clear_difference_is_refused(
    test: SelfTest, rule: ThresholdRule
) -> None:
    assert rule.side_field is not None and rule.threshold is not None
    side_choices = test.field(rule.side_field).choices
    limit = rule.threshold.value
    for choice in side_choices:
        if choice.names_side:
            too_small = {rule.side_field: choice.id, rule.field: 0}
            path = f"tests.{test.id}.{rule.side_field}"
            assert error_paths(with_tests(**{test.id: too_small})) == [path]
            small = {rule.side_field: choice.id, rule.field: 0.1}
            parse_case(with_tests(**{test.id: small}), CONTENT)
        else:
            clear = {rule.side_field: choice.id, rule.field: limit + 0.1}
            path = f"tests.{test.id}.{rule.side_field}"
            assert error_paths(with_tests(**{test.id: clear})) == [path]
            at_limit = {rule.side_field: choice.id, rule.field: limit}
            parse_case(with_tests(**{test.id: at_limit}), CONTENT)


@pytest.mark.parametrize(
    "reading",
    [
        {"higher_side": "level", "difference_cm": 5},
        {"higher_side": "left_higher", "difference_cm": 0},
        {"higher_side": "right_higher", "difference_cm": 0.0},
    ],
)
def test_the_contradictions_from_the_issue_are_refused_with_words(reading: dict[str, Any]) -> None:
    with pytest.raises(CaseError) as caught:
        parse_case(with_tests(standing_pelvis_height=reading), CONTENT)
    (error,) = caught.value.errors
    assert error.path == "tests.standing_pelvis_height.higher_side"
    assert "difference_cm" in error.message and reading["higher_side"] in error.message


_PELVIS = CONTENT.tests["standing_pelvis_height"]
_PELVIS_RULE = next(r for r in _PELVIS.rules if isinstance(r, ThresholdRule) and r.side_field)


@given(
    choice=st.sampled_from([c.id for c in _PELVIS.field("higher_side").choices]),
    difference=st.one_of(
        st.just(0),
        st.floats(0, 10, allow_nan=False).map(lambda v: round(v, 1)),
    ),
    block_check=st.sampled_from(["levelled", "levelled", "not_done", None]),
)
def test_an_accepted_pelvis_reading_never_loses_or_invents_a_side(
    choice: str, difference: float, block_check: str | None
) -> None:
    """Whatever is accepted, a difference past the threshold that a block confirmed ends up
    on a named side; one the block did not check is never placed."""
    reading = {"higher_side": choice, "difference_cm": difference}
    if block_check is not None:
        reading["block_check"] = block_check
    raw = with_tests(standing_pelvis_height=reading)
    names_side = choice != "level"
    assert _PELVIS_RULE.threshold is not None
    past = difference > _PELVIS_RULE.threshold.value
    try:
        case = parse_case(raw, CONTENT)
    except CaseError as exc:
        assert [e.path for e in exc.errors] == ["tests.standing_pelvis_height.higher_side"]
        if names_side:
            event("refused: a side named with no difference")
            assert difference == 0
        else:
            event("refused: level, yet past the threshold")
            assert past
        return
    assert not (names_side and difference == 0) and not (not names_side and past)
    signs = {s.side for s in evaluate(case, CONTENT).signs if s.sign == "pelvis_high_side"}
    event("accepted: sign placed on a side" if signs else "accepted: no sign")
    confirmed = block_check == "levelled"
    assert signs == ({choice.removesuffix("_higher")} if past and confirmed else set())
