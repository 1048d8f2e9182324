"""The public core API: every function an adapter calls, with the owner-facing field paths.

The part validators are checked against the whole-case validation: a part checked on its
own gives exactly the messages, under exactly the dotted paths, that the same part gives
inside a whole case, so a form step and the finished case never disagree.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from backbalance.core import api
from backbalance.core.api import (
    CaseError,
    Content,
    FieldError,
    InputError,
    ItemState,
    ProgressionError,
    SessionLog,
    StaleProposalError,
)
from backbalance.core.types import Answer
from tests.strategies import CONTENT, cases, contexts

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cases"
OFFICE_WORKER = EXAMPLES / "01_lower_crossed_office_worker.json"


def _raw(path: Path = OFFICE_WORKER) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def _paths(exc: pytest.ExceptionInfo[CaseError]) -> list[str]:
    return [e.path for e in exc.value.errors]


def _whole_case_errors(case: dict[str, Any]) -> list[FieldError]:
    try:
        api.parse_case(case, CONTENT)
    except CaseError as exc:
        return exc.errors
    return []


def _part_errors(check: Any, *args: Any) -> list[FieldError]:
    try:
        check(*args)
    except CaseError as exc:
        return exc.errors
    return []


# --------------------------------------------------------------------------- the surface


def test_every_public_name_is_there_and_nothing_is_left_unlisted() -> None:
    listed = set(api.__all__)
    assert all(hasattr(api, name) for name in listed)
    public = {n for n in vars(api) if not n.startswith("_") and n != "annotations"}
    assert public == listed


def test_load_content_gives_the_packaged_content() -> None:
    content = api.load_content()
    assert isinstance(content, Content)
    assert content.version == CONTENT.version


# --------------------------------------------------------------------------- evaluate


def test_evaluate_raw_data_and_a_parsed_case_give_the_same_result() -> None:
    raw = _raw()
    from_raw = api.evaluate_raw(raw, CONTENT)
    from_case = api.evaluate(api.parse_case(raw, CONTENT), CONTENT)
    assert from_raw == from_case
    assert from_raw.case_id == "example-01"
    assert from_raw.routine is not None


def test_evaluate_raw_refuses_a_bad_case_naming_the_field() -> None:
    raw = _raw()
    raw["context"]["minutes_per_day"] = 0
    with pytest.raises(CaseError) as exc:
        api.evaluate_raw(raw, CONTENT)
    assert _paths(exc) == ["context.minutes_per_day"]


def test_parse_json_refuses_a_repeated_key_by_its_path() -> None:
    with pytest.raises(CaseError) as exc:
        api.parse_json('{"screening": {"fever": "yes", "fever": "no"}}')
    assert _paths(exc) == ["screening.fever"]


def test_to_jsonable_gives_plain_json_with_both_versions() -> None:
    result = api.evaluate_raw(_raw(), CONTENT)
    data = api.to_jsonable(result)
    assert json.loads(json.dumps(data)) == data
    assert data["engine_version"] == result.engine_version
    assert data["content_version"] == CONTENT.version
    assert data["triage"]["level"] == result.triage.level


def test_case_json_schema_lists_every_part() -> None:
    schema = api.case_json_schema(CONTENT)
    assert set(schema["properties"]) == {
        "case_id",
        "person",
        "screening",
        "questionnaires",
        "tests",
        "context",
    }


# --------------------------------------------------------------------------- one part at a time


def test_person_on_its_own_names_person_age() -> None:
    with pytest.raises(CaseError) as exc:
        api.parse_person({"age": 12, "sex": "female"}, CONTENT)
    assert _paths(exc) == ["person.age"]
    assert api.parse_person({"age": 40, "sex": "not_stated"}, CONTENT) == api.Person(
        40, "not_stated"
    )


def test_person_missing_names_person() -> None:
    with pytest.raises(CaseError) as exc:
        api.parse_person(None, CONTENT)
    assert _paths(exc) == ["person"]


def test_screening_on_its_own_names_each_unanswered_question() -> None:
    answers = {q.id: "no" for q in CONTENT.red_flags.questions}
    del answers["fever"]
    answers["cancer_history"] = "maybe"
    with pytest.raises(CaseError) as exc:
        api.parse_screening(answers, CONTENT)
    assert sorted(_paths(exc)) == ["screening.cancer_history", "screening.fever"]


def test_context_on_its_own_names_context_fields() -> None:
    with pytest.raises(CaseError) as exc:
        api.parse_context({"minutes_per_day": 0, "conditions": ["no_such_thing"]}, CONTENT)
    assert _paths(exc) == ["context.minutes_per_day", "context.conditions.1"]


def test_context_without_conditions_is_refused() -> None:
    with pytest.raises(CaseError) as exc:
        api.parse_context({"minutes_per_day": 20}, CONTENT)
    assert _paths(exc) == ["context.conditions"]


def test_one_self_test_on_its_own_names_the_side_and_reading() -> None:
    with pytest.raises(CaseError) as exc:
        api.parse_test("side_bridge", {"left": {"hold_s": -1}, "right": {"hold_s": 30}}, CONTENT)
    assert _paths(exc) == ["tests.side_bridge.left.hold_s"]
    result = api.parse_test("side_bridge", {"right": {"hold_s": 30}}, CONTENT)
    assert result.right is not None and result.right.values == {"hold_s": 30}
    assert result.left is None


def test_an_unknown_self_test_is_named() -> None:
    with pytest.raises(CaseError) as exc:
        api.parse_test("no_such_test", {}, CONTENT)
    assert _paths(exc) == ["tests.no_such_test"]


def test_questionnaires_on_their_own_name_the_item() -> None:
    with pytest.raises(CaseError) as exc:
        api.parse_questionnaires({"pain_nrs": {"now": 11, "average": 3}}, CONTENT)
    assert _paths(exc) == ["questionnaires.pain_nrs.now"]
    with pytest.raises(CaseError) as exc:
        api.parse_questionnaires({"no_such": []}, CONTENT)
    assert _paths(exc) == ["questionnaires.no_such"]


# Junk and near-valid values for one part: the property below compares a part checked on
# its own with the same part inside an otherwise valid case.
_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 700), st.text(max_size=6), st.just("left")
)
_VALUES = st.one_of(_SCALARS, st.lists(st.sampled_from(["mat", "x", "sitting", "glaucoma"])))


def _mangled(valid: dict[str, Any], keys: list[str]) -> st.SearchStrategy[Any]:
    """The valid part with some fields changed or added, or not an object at all."""
    changed = st.dictionaries(st.sampled_from([*keys, "unknown_key"]), _VALUES, max_size=3)
    return st.one_of(
        st.just(valid),
        changed.map(lambda extra: {**valid, **extra}),
        _SCALARS,
    )


PART_KEYS = {
    "person": ["age", "sex"],
    "screening": ["fever", "cancer_history"],
    "context": ["minutes_per_day", "conditions", "worsens", "weeks_done", "irritability"],
    "questionnaires": ["pain_nrs", "odi"],
}
CHECKED_TESTS = ["side_bridge", "straight_leg_raise", "mcgill_flexor", "ober"]


@st.composite
def _case_with_one_part_changed(draw: st.DrawFn, part: str) -> tuple[str, Any, dict[str, Any]]:
    case = draw(cases(with_context=True))
    if part != "test":
        value = draw(_mangled(case[part], PART_KEYS[part]))
        case[part] = value
        return (part, value, case)
    test_id = draw(st.sampled_from(CHECKED_TESTS))
    valid = case["tests"].get(test_id, {"left": {}})
    fields = [f.id for f in CONTENT.tests[test_id].record]
    if CONTENT.tests[test_id].per_side:
        side = draw(st.sampled_from(["left", "right"]))
        value = {**valid, side: draw(_mangled(valid.get(side) or {}, fields))}
    else:
        value = draw(_mangled(valid, fields))
    case["tests"] = {**case["tests"], test_id: value}
    return (f"tests.{test_id}", value, case)


def _check_alone(where: str, value: Any) -> list[FieldError]:
    if where.startswith("tests."):
        return _part_errors(api.parse_test, where.removeprefix("tests."), value, CONTENT)
    check = {
        "person": lambda v: api.parse_person(v, CONTENT),
        "screening": lambda v: api.parse_screening(v, CONTENT),
        "context": lambda v: api.parse_context(v, CONTENT),
        "questionnaires": lambda v: api.parse_questionnaires(v, CONTENT),
    }[where]
    return _part_errors(check, value)


@pytest.mark.parametrize("part", [*PART_KEYS, "test"])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_a_part_on_its_own_gives_the_same_paths_and_messages_as_in_the_whole_case(
    part: str, data: st.DataObject
) -> None:
    where, value, case = data.draw(_case_with_one_part_changed(part))
    alone = _check_alone(where, value)
    event(f"{part}: {'refused' if alone else 'accepted'}")
    # The rest of the case is valid, so every problem of the whole case is in this part.
    assert alone == _whole_case_errors(case)
    assert all(e.path == where or e.path.startswith(f"{where}.") for e in alone)


@settings(max_examples=30, deadline=None)
@given(cases(with_context=True))
def test_valid_parts_give_what_the_whole_case_holds(raw: dict[str, Any]) -> None:
    case = api.parse_case(raw, CONTENT)
    assert api.parse_person(raw["person"], CONTENT) == case.person
    assert api.parse_screening(raw["screening"], CONTENT) == case.screening
    assert api.parse_context(raw["context"], CONTENT) == case.context
    assert api.parse_questionnaires(raw["questionnaires"], CONTENT) == case.questionnaires
    for test_id, reading in raw["tests"].items():
        assert api.parse_test(test_id, reading, CONTENT) == case.tests[test_id]


@settings(max_examples=20, deadline=None)
@given(contexts())
def test_a_generated_context_is_accepted_on_its_own(raw: dict[str, Any]) -> None:
    context = api.parse_context(raw, CONTENT)
    assert context.minutes_per_day == raw["minutes_per_day"]
    assert context.conditions == frozenset(raw["conditions"])


# --------------------------------------------------------------------------- progression


def _first_item() -> tuple[api.Result, api.Context, api.RoutineItem]:
    raw = _raw()
    result = api.evaluate_raw(raw, CONTENT)
    context = api.parse_context(raw["context"], CONTENT)
    assert result.routine is not None
    return result, context, result.routine.items[0]


def _state(item: api.RoutineItem) -> ItemState:
    side = "left" if "left" in item.dose else next(iter(item.dose))
    dose = item.dose[side]
    return ItemState(
        exercise_id=item.exercise,
        side="bilateral" if side == "bilateral" else side,  # type: ignore[arg-type]
        sets=dose.sets,
        reps=dose.reps,
        hold_s=dose.hold_s,
        level=CONTENT.exercises[item.exercise].level,
    )


def _good_sessions(count: int) -> list[SessionLog]:
    start = date(2026, 11, 20)
    return [
        SessionLog(
            day=start + timedelta(days=n),
            completed=True,
            pain_during=1,
            pain_next_morning="same",
            difficulty=3,
            usual_pain=2,
        )
        for n in range(count)
    ]


def test_routine_gates_decide_and_apply_work_together() -> None:
    result, context, item = _first_item()
    gates = api.routine_gates(result, context, CONTENT)
    assert isinstance(gates, api.Gates)
    state = _state(item)
    proposal = api.decide(state, _good_sessions(10), CONTENT.progression, CONTENT.exercises, gates)
    assert proposal.decided_for == state
    assert api.apply(state, proposal, accepted=False) == state
    after = api.apply(state, proposal, accepted=True)
    assert after == (proposal.new_state or state)


def test_new_symptoms_stop_the_item_without_asking() -> None:
    result, context, item = _first_item()
    gates = api.routine_gates(result, context, CONTENT)
    state = _state(item)
    logs = [*_good_sessions(2)]
    logs[-1] = SessionLog(
        day=logs[-1].day,
        completed=True,
        pain_during=2,
        pain_next_morning=None,
        difficulty=3,
        usual_pain=2,
        new_symptoms=True,
    )
    proposal = api.decide(state, logs, CONTENT.progression, CONTENT.exercises, gates)
    assert proposal.action == "stop"
    stopped = api.apply(state, proposal, accepted=False)
    assert stopped.stopped
    assert not api.resume(stopped).stopped


def test_a_proposal_for_another_state_is_refused_with_its_own_error() -> None:
    result, context, item = _first_item()
    gates = api.routine_gates(result, context, CONTENT)
    state = _state(item)
    proposal = api.decide(state, _good_sessions(3), CONTENT.progression, CONTENT.exercises, gates)
    moved = ItemState(
        exercise_id=state.exercise_id,
        side=state.side,
        sets=state.sets + 1,
        reps=state.reps,
        hold_s=state.hold_s,
        level=state.level,
    )
    with pytest.raises(StaleProposalError):
        api.apply(moved, proposal, accepted=True)


def test_a_bad_session_log_is_an_input_error_naming_the_field() -> None:
    # The rating scales are content, so a log is checked against them where the content is:
    # when progression reads it.
    result, context, item = _first_item()
    gates = api.routine_gates(result, context, CONTENT)
    log = SessionLog(
        day=date(2026, 11, 20),
        completed=True,
        pain_during=11,
        pain_next_morning=None,
        difficulty=3,
        usual_pain=2,
    )
    with pytest.raises(ProgressionError) as exc:
        api.decide(_state(item), [log], CONTENT.progression, CONTENT.exercises, gates)
    assert [e.path for e in exc.value.errors] == ["pain_during"]
    assert isinstance(exc.value, InputError)


def test_flare_up_over_reads_calm_days() -> None:
    calm_days = int(CONTENT.progression.flare_up.calm_days.value)
    assert api.flare_up_over(_good_sessions(calm_days), CONTENT.progression)
    assert not api.flare_up_over(_good_sessions(calm_days - 1), CONTENT.progression)


# --------------------------------------------------------------------------- devices


def test_compare_lists_the_routine_first_then_the_devices() -> None:
    result = api.evaluate_raw(_raw(), CONTENT)
    rows = api.compare(result.adjuncts)
    assert [row.therapy for row in rows] == list(result.adjuncts)
    assert rows[0].therapy == "muscle_balance"
    assert all(isinstance(row, api.ComparisonRow) for row in rows)


def test_compare_refuses_an_unknown_therapy_as_input() -> None:
    result = api.evaluate_raw(_raw(), CONTENT)
    verdict = next(iter(result.adjuncts.values()))
    with pytest.raises(InputError) as exc:
        api.compare({"no_such_device": verdict})
    assert [e.path for e in exc.value.errors] == ["adjuncts.no_such_device"]


# --------------------------------------------------------------------------- check-ins, sessions,
# storing a case: the same functions the engine tests cover, reached through the API


def test_a_check_in_through_the_api_names_its_questions_and_raises_on_a_new_sign() -> None:
    raw = _raw()
    asked = api.check_in_questions(CONTENT.red_flags)
    assert asked and all(q.every_check_in for q in asked)
    answers: dict[str, Answer] = {q.id: "no" for q in asked}
    person = api.parse_person(raw["person"], CONTENT)
    calm = api.triage_check_in(
        answers, raw["screening"], person, CONTENT.red_flags, clinician_seen_since=False
    )
    assert calm.triage.level == api.triage(raw["screening"], person, CONTENT.red_flags).level
    answers["ces_saddle_numbness"] = "yes"
    alarm = api.triage_check_in(
        answers, raw["screening"], person, CONTENT.red_flags, clinician_seen_since=False
    )
    assert alarm.triage.level == "emergency"
    with pytest.raises(CaseError) as exc:
        api.triage_check_in(
            {}, raw["screening"], person, CONTENT.red_flags, clinician_seen_since=False
        )
    assert f"check_in.{asked[0].id}" in _paths(exc)


def test_a_routine_becomes_session_state_and_back_through_the_api() -> None:
    case = api.parse_case(_raw(), CONTENT)
    result = api.evaluate(case, CONTENT)
    assert result.routine is not None and case.context is not None
    states = api.session_state(result.routine, CONTENT)
    assert len(states) >= len(result.routine.items)
    again = api.routine_for_state(result.routine, states, result, case.context, CONTENT)
    assert again is not None
    assert [i.exercise for i in again.items] == [i.exercise for i in result.routine.items]


def test_a_case_stored_through_the_api_reads_back_equal() -> None:
    case = api.parse_case(_raw(), CONTENT)
    stored = api.case_to_json(case)
    assert api.parse_case(api.parse_json(stored), CONTENT) == case
    assert api.case_to_jsonable(case)["person"] == _raw()["person"]
    written = api.result_to_jsonable(api.evaluate(case, CONTENT))
    assert written["content_version"] == CONTENT.version


def test_unsure_answers_and_activity_changes_are_offered_to_adapters() -> None:
    raw = _raw()
    raw["screening"]["fever"] = "unsure"
    assert api.unsure_answers(raw["screening"]) == frozenset({"fever"})
    psfs = CONTENT.instruments["psfs"]
    before = api.evaluate_raw(_raw(), CONTENT).scores["psfs"]
    later = _raw()
    activities = later["questionnaires"]["psfs"]
    activities[0]["rating"] += 3  # one activity up by exactly the per-item change
    after = api.evaluate_raw(later, CONTENT).scores["psfs"]
    changes = api.item_changes(psfs, before, after)
    assert [(c.reached, c.worsened) for c in changes] == [
        (True, False),
        (False, False),
        (False, False),
    ]


def test_a_plain_evaluate_does_not_import_the_tracking_half_of_the_core() -> None:
    # The tracking modules are imported on first use, so a cold `backbalance evaluate`
    # does not pay for them; asked for by name, each comes back as the module's own.
    import subprocess
    import sys

    tracking = ("ledger", "progress", "retest", "what_helps")
    probe = (
        "import sys, backbalance.core.api as api; "
        f"print(sorted(m for m in {tracking!r} if 'backbalance.core.' + m in sys.modules)); "
        "api.judge_course; api.what_helps; api.compare_tests; api.pain_trend; "
        f"print(sorted(m for m in {tracking!r} if 'backbalance.core.' + m in sys.modules))"
    )
    lines = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert lines == ["[]", str(sorted(tracking))]
    from backbalance.core import ledger, what_helps

    assert api.judge_course is ledger.judge_course
    assert api.what_helps is what_helps.what_helps


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        api.no_such_name  # type: ignore[attr-defined]  # noqa: B018
