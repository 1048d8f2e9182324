"""Effective conditions: what the screen already knows counts as a condition everywhere."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from backbalance.content.loader import ContentError, load_content
from backbalance.content.vocabulary import Answer
from backbalance.core.conditions import effective_conditions, implied_closure
from tests.content_files import edit_yaml
from tests.strategies import CONTENT, all_no

CONDITIONS = CONTENT.conditions
SCREEN_QUESTIONS = sorted({q for c in CONDITIONS.values() for q in c.established_by})


def test_the_screen_establishes_the_conditions_it_states() -> None:
    # Written out by hand: which screen answer states which condition.
    established = {c.id: c.established_by for c in CONDITIONS.values() if c.established_by}
    assert established == {
        "osteoporosis": ["osteoporosis_known"],
        "acute_inflammation": ["fever"],
        "high_blood_pressure_any": ["blood_pressure_high"],
    }


def test_severity_variants_imply_the_milder_condition() -> None:
    implies = {c.id: c.implies for c in CONDITIONS.values() if c.implies}
    assert implies == {
        "high_blood_pressure": ["high_blood_pressure_any"],
        "osteoporosis_severe": ["osteoporosis"],
        "fracture_still_healing": ["recent_fracture"],
        "spondylolisthesis_unstable": ["spondylolisthesis"],
    }


def test_a_yes_on_the_screen_counts_with_an_empty_conditions_list() -> None:
    screen = all_no() | {"osteoporosis_known": "yes"}
    effective = effective_conditions((), screen, CONDITIONS)
    assert effective.ids == {"osteoporosis"}
    assert dict(effective.from_screen) == {"osteoporosis": "osteoporosis_known"}
    assert effective.held_on_unsure == {}


def test_an_unsure_answer_counts_and_is_remembered_until_something_sure_says_the_same() -> None:
    screen = all_no() | {"osteoporosis_known": "unsure"}
    effective = effective_conditions((), screen, CONDITIONS)
    assert effective.ids == {"osteoporosis"}
    assert dict(effective.held_on_unsure) == {"osteoporosis": "osteoporosis_known"}
    ticked = effective_conditions(("osteoporosis_severe",), screen, CONDITIONS)
    assert ticked.ids == {"osteoporosis", "osteoporosis_severe"}
    assert ticked.held_on_unsure == {}


def test_implied_conditions_are_added_transitively() -> None:
    assert implied_closure({"high_blood_pressure"}, CONDITIONS) == {
        "high_blood_pressure",
        "high_blood_pressure_any",
    }
    assert implied_closure({"shoulder_problem"}, CONDITIONS) == {"shoulder_problem"}


@given(
    ticked=st.sets(st.sampled_from(sorted(CONDITIONS)), max_size=4),
    answers=st.dictionaries(
        st.sampled_from(SCREEN_QUESTIONS), st.sampled_from(["yes", "no", "unsure"])
    ),
)
def test_effective_conditions_contain_ticked_screen_and_implied_ones(
    ticked: set[str], answers: dict[str, Answer]
) -> None:
    screen = all_no() | answers
    effective = effective_conditions(ticked, screen, CONDITIONS)
    stated = {
        c.id
        for c in CONDITIONS.values()
        if any(screen[q] in ("yes", "unsure") for q in c.established_by)
    }
    if stated:
        event("screen states a condition")
    if effective.held_on_unsure:
        event("a condition held on an unsure answer")
    assert implied_closure(ticked | stated, CONDITIONS) == effective.ids
    assert set(effective.held_on_unsure) <= effective.ids
    sure = implied_closure(
        ticked
        | {c.id for c in CONDITIONS.values() if any(screen[q] == "yes" for q in c.established_by)},
        CONDITIONS,
    )
    assert not set(effective.held_on_unsure) & sure


# --------------------------------------------------------------------------- content checks


def _problems(data_copy: Path) -> list[str]:
    with pytest.raises(ContentError) as error:
        load_content(data_copy)
    return error.value.problems


def test_a_condition_established_by_an_unknown_screen_question_is_refused(data_copy: Path) -> None:
    edit_yaml(data_copy / "conditions.yaml", lambda d: d[0].update(established_by=["no_such_q"]))
    assert any("no_such_q" in p for p in _problems(data_copy))


def test_a_condition_implying_an_unknown_condition_is_refused(data_copy: Path) -> None:
    edit_yaml(data_copy / "conditions.yaml", lambda d: d[0].update(implies=["no_such_condition"]))
    assert any("no_such_condition" in p for p in _problems(data_copy))


def test_a_device_routine_flag_must_be_a_routine_rule_of_the_screen(data_copy: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["routine_flags_without_bearing"].append(
            {"flag": "cauda_equina_sign", "why": "not a routine rule at all", "sources": ["x"]}
        )

    edit_yaml(data_copy / "adjuncts.yaml", change)
    assert any("cauda_equina_sign" in p for p in _problems(data_copy))
