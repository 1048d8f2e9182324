"""Storing a case and a result: a case written to JSON reads back equal, and passes the schema.

A case is kept between visits (the web app stores it, a check-in is compared with it), so
writing it out must lose nothing the engine reads and must produce exactly the input
format, which the parser and the JSON Schema both accept again.
"""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from backbalance import ENGINE_VERSION
from backbalance.core.case import case_json_schema, case_to_json, case_to_jsonable, parse_case
from backbalance.core.engine import evaluate
from backbalance.core.strict_json import parse_json
from backbalance.core.types import Case, CaseError, result_to_jsonable, to_jsonable
from tests.core.test_case import matches_case_schema, valid_case
from tests.strategies import CONTENT, cases

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples" / "cases").glob("*.json"))
SCHEMA = case_json_schema(CONTENT)


def read_back(case: Case) -> Case:
    """Write the case as JSON text and read it the way every stored case is read."""
    return parse_case(parse_json(case_to_json(case)), CONTENT)


def assert_stores_faithfully(case: Case) -> None:
    written = case_to_jsonable(case)
    assert matches_case_schema(copy.deepcopy(written), SCHEMA), written
    back = read_back(case)
    assert back == case
    # Written the same way again: a stored case does not drift each time it is saved.
    assert case_to_jsonable(back) == written


# --------------------------------------------------------------------------- generated cases


@st.composite
def varied_cases(draw: st.DrawFn) -> dict[str, Any]:
    """Generated cases, varied in the parts the shared strategy always fills the same way:
    a missing case id or start date, notes on readings, a questionnaire left as null."""
    raw = draw(cases(with_context=draw(st.booleans())))
    if "context" in raw:
        event("round trip: with the routine questions answered")
        if draw(st.booleans()):
            del raw["context"]["start_date"]
            event("round trip: no start date")
    if draw(st.booleans()):
        del raw["case_id"]
        event("round trip: no case id")
    if draw(st.booleans()):
        raw["questionnaires"]["odi"] = None
        event("round trip: a questionnaire left as null")
    with_notes = draw(st.booleans())
    for test_id, reading in raw["tests"].items():
        readings = reading.values() if CONTENT.tests[test_id].per_side else [reading]
        for one in readings:
            if "could_not_do" in one:
                event("round trip: a self-test that could not be done")
            if with_notes and draw(st.booleans()):
                one["note"] = draw(st.sampled_from(["left knee clicked", "", "ça tirait un peu"]))
                event("round trip: a note on a reading")
    return raw


@settings(max_examples=150)
@given(varied_cases())
def test_a_generated_case_written_to_json_reads_back_equal(raw: dict[str, Any]) -> None:
    case = parse_case(raw, CONTENT)
    assert_stores_faithfully(case)


@settings(max_examples=40, deadline=None)
@given(cases(with_context=True))
def test_a_case_read_back_gives_the_same_result(raw: dict[str, Any]) -> None:
    # Equal cases should give equal results; this checks it end to end, in case the
    # engine read anything that equality of cases does not compare.
    case = parse_case(raw, CONTENT)
    assert evaluate(read_back(case), CONTENT) == evaluate(case, CONTENT)


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_every_example_case_written_to_json_reads_back_equal(path: Path) -> None:
    assert_stores_faithfully(parse_case(json.loads(path.read_text()), CONTENT))


def test_the_plain_data_is_the_input_format_not_the_inner_objects() -> None:
    raw = valid_case()
    raw["tests"]["side_bridge"]["right"] = {"could_not_do": "pain", "note": "sharp"}
    written = case_to_jsonable(parse_case(raw, CONTENT))
    assert written["tests"]["side_bridge"] == {
        "left": {"hold_s": 60},
        "right": {"could_not_do": "pain", "note": "sharp"},
    }
    assert written["tests"]["mcgill_flexor"] == {"hold_s": 90}
    assert written == raw


def test_what_was_not_given_is_left_out_not_written_as_null() -> None:
    raw = {"person": {"age": 50, "sex": "male"}, "screening": valid_case()["screening"]}
    raw["context"] = {"minutes_per_day": 20, "conditions": []}
    written = case_to_jsonable(parse_case(raw, CONTENT))
    assert "case_id" not in written
    assert "start_date" not in written["context"]
    assert "null" not in json.dumps(written)
    assert matches_case_schema(written, SCHEMA)


def test_a_questionnaire_left_as_null_reads_the_same_as_one_left_out() -> None:
    left_as_null = parse_case(valid_case(questionnaires={"odi": None}), CONTENT)
    left_out = parse_case(valid_case(questionnaires={}), CONTENT)
    assert left_as_null == left_out
    assert left_as_null.questionnaires == {}


def test_the_case_keeps_its_own_copy_of_the_answers() -> None:
    raw = valid_case()
    case = parse_case(raw, CONTENT)
    raw["questionnaires"]["pain_nrs"]["now"] = 9
    assert case.questionnaires["pain_nrs"]["now"] == 4
    written = case_to_jsonable(case)
    written["questionnaires"]["pain_nrs"]["now"] = 8
    assert case.questionnaires["pain_nrs"]["now"] == 4


def test_generic_to_jsonable_of_a_case_is_not_the_input_format() -> None:
    # The reason case_to_jsonable exists: the generic writer shows the inner objects
    # (test_id, values, could_not_do: null), which the parser rightly refuses.
    case = parse_case(valid_case(), CONTENT)
    with pytest.raises(CaseError) as caught:
        parse_case(to_jsonable(case), CONTENT)
    assert "tests.side_bridge.test_id" in [e.path for e in caught.value.errors]


# --------------------------------------------------------------------------- results


@settings(max_examples=40, deadline=None)
@given(cases(with_context=True))
def test_a_stored_result_names_the_engine_and_content_versions(raw: dict[str, Any]) -> None:
    result = evaluate(parse_case(raw, CONTENT), CONTENT)
    written = result_to_jsonable(result)
    assert written["engine_version"] == ENGINE_VERSION
    assert written["content_version"] == CONTENT.version
    assert written == to_jsonable(result)
    # Plain JSON data only: no tuple, set or date survives a trip through JSON text unchanged.
    text = json.dumps(written, ensure_ascii=False, allow_nan=False)
    assert json.loads(text) == written


def test_the_content_version_written_is_the_one_that_made_the_result() -> None:
    other = replace(CONTENT, version=CONTENT.version + "-corrected")
    result = evaluate(parse_case(valid_case(), CONTENT), other)
    assert result_to_jsonable(result)["content_version"] == other.version
