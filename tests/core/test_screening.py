"""The red-flag screen: golden cases for every rule, the safety invariants, and input checks.

The content is read straight from ``red_flags.yaml`` (not through the full content loader)
so these tests depend only on the screen's own data and sources.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from backbalance.content.schema import RedFlags, Source, TriageAdvice
from backbalance.core.screening import (
    VALID_ANSWERS,
    check_in_questions,
    missing_answers,
    triage,
)
from backbalance.core.types import LEVEL_ORDER, Answer, CaseError, Person, Sex, Triage

DATA = resources.files("backbalance.content") / "data"


@cache
def load_red_flags() -> RedFlags:
    return RedFlags.model_validate(yaml.safe_load((DATA / "red_flags.yaml").read_text()))


@cache
def load_safety_sources() -> dict[str, Source]:
    raw = yaml.safe_load((DATA / "sources" / "safety.yaml").read_text())
    return {s.id: s for s in (Source.model_validate(item) for item in raw)}


RED_FLAGS = load_red_flags()
QUESTION_IDS = [q.id for q in RED_FLAGS.questions]
RULE_IDS = [r.id for r in RED_FLAGS.rules]
CES_IDS = [q.id for q in RED_FLAGS.questions if q.group == "cauda_equina"]
UNSURE_IS_YES_IDS = [q.id for q in RED_FLAGS.questions if q.unsure_counts_as_yes]
ASAS_IDS = [
    "ibp_onset_before_40",
    "ibp_gradual_onset",
    "ibp_better_with_exercise",
    "ibp_not_better_with_rest",
    "ibp_night_pain_eases_on_rising",
]
SEXES: list[Sex] = ["female", "male", "other", "not_stated"]


def answers(yes: tuple[str, ...] = (), unsure: tuple[str, ...] = ()) -> dict[str, Answer]:
    """A complete answer set: "no" everywhere except the named questions."""
    result: dict[str, Answer] = dict.fromkeys(QUESTION_IDS, "no")
    for qid in (*yes, *unsure):
        assert qid in result, f"test names unknown question {qid!r}"
    result.update(dict.fromkeys(yes, "yes"))
    result.update(dict.fromkeys(unsure, "unsure"))
    return result


def run(
    yes: tuple[str, ...] = (),
    age: int = 35,
    sex: Sex = "female",
    unsure: tuple[str, ...] = (),
) -> Triage:
    return triage(answers(yes, unsure), Person(age=age, sex=sex), RED_FLAGS)


def fired(result: Triage) -> list[str]:
    return [r.rule_id for r in result.reasons]


def advice(level: str) -> TriageAdvice:
    return next(a for a in RED_FLAGS.advice if a.level == level)


# --------------------------------------------------------------------------- golden cases

# For every rule: the fewest answers that fire it, the person, and the level that must result.
GOLDEN = [
    ("cauda_equina_sign", ("ces_saddle_numbness",), 35, "female", "emergency"),
    ("aaa_rupture_pattern", ("aaa_rupture_signs",), 35, "female", "emergency"),
    (
        "major_trauma_with_nerve_signs",
        ("major_trauma", "leg_numbness_new"),
        35,
        "male",
        "emergency",
    ),
    ("cancer_with_nerve_signs", ("cancer_history", "leg_numbness_new"), 35, "female", "emergency"),
    ("infection_with_nerve_signs", ("fever", "leg_numbness_new"), 35, "female", "emergency"),
    ("rapid_weakness", ("leg_weakness_rapid",), 35, "female", "emergency"),
    ("progressive_weakness", ("leg_weakness_progressive",), 35, "female", "urgent"),
    ("past_cancer", ("cancer_history",), 35, "female", "urgent"),
    ("fever_with_back_pain", ("fever",), 35, "female", "urgent"),
    ("infection_risk_factor", ("infection_risk",), 35, "female", "urgent"),
    ("long_term_steroids", ("steroids_long_term",), 35, "female", "urgent"),
    ("older_age_minor_trauma", ("minor_trauma",), 71, "female", "urgent"),
    ("older_woman_minor_trauma", ("minor_trauma",), 66, "female", "urgent"),
    ("osteoporosis_minor_trauma", ("minor_trauma", "osteoporosis_known"), 35, "female", "urgent"),
    ("major_trauma_alone", ("major_trauma",), 35, "female", "urgent"),
    (
        "several_whole_body_signs",
        ("weight_loss_unexplained", "night_pain_severe"),
        35,
        "male",
        "urgent",
    ),
    ("whole_body_sign_with_age_or_cancer", ("weight_loss_unexplained",), 51, "female", "urgent"),
    ("aaa_risk_profile", ("smoker", "pain_not_eased_by_rest"), 61, "male", "urgent"),
    ("aaa_known", ("aneurysm_known",), 35, "female", "urgent"),
    ("age_over_50", (), 51, "female", "routine"),
    ("non_mechanical_pain", ("night_pain_severe",), 35, "female", "routine"),
    ("weight_loss", ("weight_loss_unexplained",), 35, "female", "routine"),
    ("first_ever_episode", ("first_episode",), 35, "female", "routine"),
    ("slow_to_improve", ("not_better_after_month",), 35, "female", "routine"),
    ("leg_numbness", ("leg_numbness_new",), 35, "female", "routine"),
    ("inflammatory_pattern", tuple(ASAS_IDS[:4]), 35, "male", "routine"),
]


def test_golden_table_covers_every_rule_in_the_content() -> None:
    assert sorted(rule for rule, *_ in GOLDEN) == sorted(RULE_IDS)


@pytest.mark.parametrize(
    ("rule_id", "yes", "age", "sex", "level"), GOLDEN, ids=[g[0] for g in GOLDEN]
)
def test_rule_fires_at_its_level_on_its_minimal_answers(
    rule_id: str, yes: tuple[str, ...], age: int, sex: Sex, level: str
) -> None:
    result = run(yes, age=age, sex=sex)

    assert result.level == level
    reason = next(r for r in result.reasons if r.rule_id == rule_id)
    assert reason.level == level
    # The evidence trail names exactly the raised answers the rule relied on.
    assert set(reason.answers) == set(yes)
    assert reason.sources


@pytest.mark.parametrize(
    ("infection_answer", "nerve_answer"),
    [
        ("fever", "leg_weakness_progressive"),
        ("infection_risk", "leg_numbness_new"),
        ("infection_risk", "ces_both_legs"),
    ],
)
def test_infection_with_any_nerve_sign_is_an_emergency(
    infection_answer: str, nerve_answer: str
) -> None:
    result = run((infection_answer, nerve_answer))

    assert result.level == "emergency"
    assert "infection_with_nerve_signs" in fired(result)


@pytest.mark.parametrize(
    ("rule_id", "yes", "age", "sex", "fires"),
    [
        ("older_age_minor_trauma", ("minor_trauma",), 70, "female", False),
        ("older_age_minor_trauma", ("minor_trauma",), 71, "female", True),
        ("older_woman_minor_trauma", ("minor_trauma",), 65, "female", False),
        ("older_woman_minor_trauma", ("minor_trauma",), 66, "female", True),
        ("older_woman_minor_trauma", ("minor_trauma",), 66, "male", False),
        ("age_over_50", (), 50, "female", False),
        ("age_over_50", (), 51, "female", True),
        ("whole_body_sign_with_age_or_cancer", ("night_pain_severe",), 50, "female", False),
        ("whole_body_sign_with_age_or_cancer", ("night_pain_severe",), 51, "female", True),
        ("aaa_risk_profile", ("smoker", "pain_not_eased_by_rest"), 60, "male", False),
        ("aaa_risk_profile", ("smoker", "pain_not_eased_by_rest"), 61, "male", True),
        ("aaa_risk_profile", ("aneurysm_family", "pain_not_eased_by_rest"), 61, "male", True),
        ("aaa_risk_profile", ("smoker", "pain_not_eased_by_rest"), 61, "female", False),
        # Sex not given: the rule still applies rather than miss someone at risk.
        ("aaa_risk_profile", ("smoker", "pain_not_eased_by_rest"), 61, "not_stated", True),
        ("aaa_risk_profile", ("smoker", "pain_not_eased_by_rest"), 61, "other", True),
        ("aaa_risk_profile", ("smoker",), 61, "male", False),
        ("inflammatory_pattern", tuple(ASAS_IDS[:3]), 35, "female", False),
        ("inflammatory_pattern", tuple(ASAS_IDS[1:]), 35, "female", True),
        ("inflammatory_pattern", tuple(ASAS_IDS), 35, "female", True),
        # Constant pain and night pain are one feature: together they are not "two signs".
        (
            "several_whole_body_signs",
            ("pain_not_eased_by_rest", "night_pain_severe"),
            35,
            "female",
            False,
        ),
        ("several_whole_body_signs", ("fever", "pain_not_eased_by_rest"), 35, "female", True),
    ],
)
def test_rule_boundaries(
    rule_id: str, yes: tuple[str, ...], age: int, sex: Sex, fires: bool
) -> None:
    assert (rule_id in fired(run(yes, age=age, sex=sex))) is fires


@pytest.mark.parametrize(
    ("yes", "age", "sex", "level"),
    [
        (("minor_trauma",), 70, "male", "routine"),  # only the age > 50 flag
        (("minor_trauma",), 65, "female", "routine"),  # only the age > 50 flag
        ((), 50, "female", "none"),
        (tuple(ASAS_IDS[:3]), 35, "female", "none"),
        (tuple(ASAS_IDS[:4]), 35, "female", "routine"),
    ],
)
def test_levels_just_below_a_boundary_stay_low(
    yes: tuple[str, ...], age: int, sex: Sex, level: str
) -> None:
    assert run(yes, age=age, sex=sex).level == level


# --------------------------------------------------------------------------- cauda equina


@pytest.mark.parametrize("question_id", CES_IDS)
@pytest.mark.parametrize("answer", ["yes", "unsure"])
def test_any_single_cauda_equina_sign_is_an_emergency(question_id: str, answer: str) -> None:
    result = run(unsure=(question_id,)) if answer == "unsure" else run(yes=(question_id,))

    assert result.level == "emergency"
    assert result.reasons[0].rule_id == "cauda_equina_sign"
    assert result.reasons[0].answers == (question_id,)
    assert result.continue_self_care is False


def test_cauda_equina_questions_are_all_strict_and_asked_at_every_check_in() -> None:
    assert len(CES_IDS) >= 6
    for question in RED_FLAGS.questions:
        if question.group == "cauda_equina":
            assert question.unsure_counts_as_yes, question.id
            assert question.every_check_in, question.id


@pytest.mark.parametrize("question_id", UNSURE_IS_YES_IDS)
def test_unsure_counts_as_yes_only_where_a_miss_is_serious(question_id: str) -> None:
    # Unsure is treated as yes only where a miss could do lasting harm (cauda equina, a
    # growing or rapid leg weakness, a rupture); the same answer must then lead at least
    # to a doctor within days.
    assert LEVEL_ORDER[run(unsure=(question_id,)).level] >= LEVEL_ORDER["urgent"]


def test_unsure_on_a_weak_flag_counts_as_no() -> None:
    assert run(unsure=("first_episode",)).level == "none"


# --------------------------------------------------------------------------- no over-triage


@pytest.mark.parametrize(
    ("yes", "age"),
    [
        ((), 51),
        (("night_pain_severe",), 35),
        (("pain_not_eased_by_rest",), 35),
        (("first_episode",), 35),
        (("not_better_after_month",), 35),
        (("weight_loss_unexplained",), 35),
        (("leg_numbness_new",), 35),
    ],
)
def test_single_weak_flag_alone_is_routine(yes: tuple[str, ...], age: int) -> None:
    result = run(yes, age=age)

    assert result.level == "routine"
    assert all(r.level == "routine" for r in result.reasons)
    assert result.continue_self_care is True


@pytest.mark.parametrize(
    "question_id",
    ["smoker", "aneurysm_family", "osteoporosis_known", "minor_trauma", *ASAS_IDS],
)
def test_risk_factor_alone_raises_no_flag(question_id: str) -> None:
    assert run((question_id,)).level == "none"


def test_all_no_answers_give_none_with_the_none_advice() -> None:
    result = run()

    assert result.level == "none"
    assert result.reasons == ()
    assert result.headline == advice("none").headline
    assert result.what_to_do == tuple(advice("none").what_to_do)
    assert result.continue_self_care is True


# --------------------------------------------------------------------------- result shape


def test_reasons_list_highest_level_first_then_content_order() -> None:
    result = run(("first_episode", "cancer_history", "ces_bowel_change", "fever"), age=51)

    levels = [r.level for r in result.reasons]
    assert levels == sorted(levels, key=lambda lv: -LEVEL_ORDER[lv])
    urgent = [r.rule_id for r in result.reasons if r.level == "urgent"]
    assert urgent == [rid for rid in RULE_IDS if rid in urgent]
    assert result.reasons[0].rule_id == "cauda_equina_sign"


@pytest.mark.parametrize("level", ["emergency", "urgent", "routine", "none"])
def test_advice_is_taken_from_the_content_for_the_level(level: str) -> None:
    example = {
        "emergency": ("ces_wiping_feels_different",),
        "urgent": ("steroids_long_term",),
        "routine": ("first_episode",),
        "none": (),
    }[level]
    result = run(example)

    assert result.level == level
    assert result.headline == advice(level).headline
    assert result.what_to_do == tuple(advice(level).what_to_do)
    assert result.continue_self_care is (level != "emergency")


def test_advice_has_two_to_four_steps_per_level() -> None:
    assert sorted(a.level for a in RED_FLAGS.advice) == ["emergency", "none", "routine", "urgent"]
    for entry in RED_FLAGS.advice:
        assert 2 <= len(entry.what_to_do) <= 4, entry.level


def test_count_rule_reports_only_the_items_that_counted() -> None:
    result = run((*ASAS_IDS[:4], "first_episode"))

    reason = next(r for r in result.reasons if r.rule_id == "inflammatory_pattern")
    assert reason.answers == tuple(ASAS_IDS[:4])


# --------------------------------------------------------------------------- input checks


def test_missing_answer_raises_a_case_error_naming_the_field() -> None:
    incomplete = answers()
    del incomplete["fever"]

    with pytest.raises(CaseError) as caught:
        triage(incomplete, Person(age=35, sex="female"), RED_FLAGS)

    assert [e.path for e in caught.value.errors] == ["screening.fever"]
    assert "yes, no or not sure" in caught.value.errors[0].message


def test_empty_screen_names_every_question() -> None:
    with pytest.raises(CaseError) as caught:
        triage({}, Person(age=35, sex="female"), RED_FLAGS)

    assert [e.path for e in caught.value.errors] == [f"screening.{q}" for q in QUESTION_IDS]


@pytest.mark.parametrize("bad", ["maybe", "Yes", "", True, 1, ["yes"], {"a": 1}])
def test_invalid_answer_raises_a_case_error_naming_the_field(bad: object) -> None:
    given_answers: dict[str, object] = dict(answers())
    given_answers["ces_bladder_change"] = bad

    with pytest.raises(CaseError) as caught:
        triage(given_answers, Person(age=35, sex="female"), RED_FLAGS)  # type: ignore[arg-type]

    assert [e.path for e in caught.value.errors] == ["screening.ces_bladder_change"]
    assert "yes, no or not sure" in caught.value.errors[0].message


def test_answer_to_an_unknown_question_is_rejected() -> None:
    extra = {**answers(), "made_up_question": "no"}

    with pytest.raises(CaseError) as caught:
        triage(extra, Person(age=35, sex="female"), RED_FLAGS)

    assert [e.path for e in caught.value.errors] == ["screening.made_up_question"]


def test_missing_answers_lists_unanswered_and_null_answers_in_screen_order() -> None:
    partial: dict[str, Answer | None] = dict(answers())
    del partial["first_episode"]
    partial["ces_saddle_numbness"] = None

    assert missing_answers(partial, RED_FLAGS) == ["ces_saddle_numbness", "first_episode"]
    assert missing_answers(dict(answers()), RED_FLAGS) == []


def test_check_in_questions_include_every_emergency_sign_and_no_weak_flag() -> None:
    ids = [q.id for q in check_in_questions(RED_FLAGS)]

    assert set(CES_IDS) <= set(ids)
    assert {"leg_weakness_rapid", "leg_weakness_progressive", "aaa_rupture_signs"} <= set(ids)
    assert "first_episode" not in ids
    assert ids == [q for q in QUESTION_IDS if q in ids]


# --------------------------------------------------------------------------- content integrity


def test_every_cited_source_exists_in_the_safety_sources() -> None:
    known = load_safety_sources()
    cited = {s for q in RED_FLAGS.questions for s in q.sources}
    cited |= {s for r in RED_FLAGS.rules for s in r.sources}

    assert cited - known.keys() == set()


def test_question_and_rule_ids_are_unique() -> None:
    assert len(set(QUESTION_IDS)) == len(QUESTION_IDS)
    assert len(set(RULE_IDS)) == len(RULE_IDS)


# --------------------------------------------------------------------------- properties

answer_sets = st.fixed_dictionaries({qid: st.sampled_from(VALID_ANSWERS) for qid in QUESTION_IDS})
people = st.builds(Person, age=st.integers(min_value=16, max_value=100), sex=st.sampled_from(SEXES))


@given(answer_sets, people)
def test_property_any_cauda_equina_yes_or_unsure_is_always_an_emergency(
    given_answers: dict[str, Answer], person: Person
) -> None:
    result = triage(given_answers, person, RED_FLAGS)

    if any(given_answers[q] in ("yes", "unsure") for q in CES_IDS):
        assert result.level == "emergency"
        assert result.continue_self_care is False


@given(answer_sets, people, st.data())
def test_property_one_more_yes_never_lowers_the_level(
    given_answers: dict[str, Answer], person: Person, data: st.DataObject
) -> None:
    not_yes = [q for q in QUESTION_IDS if given_answers[q] != "yes"]
    if not not_yes:
        return
    flipped_id = data.draw(st.sampled_from(not_yes))
    before = triage(given_answers, person, RED_FLAGS)

    after = triage({**given_answers, flipped_id: "yes"}, person, RED_FLAGS)

    assert LEVEL_ORDER[after.level] >= LEVEL_ORDER[before.level]


@given(answer_sets, people)
def test_property_reasons_exist_exactly_when_the_level_is_raised(
    given_answers: dict[str, Answer], person: Person
) -> None:
    result = triage(given_answers, person, RED_FLAGS)

    assert bool(result.reasons) == (result.level != "none")
    assert all(r.sources for r in result.reasons)
    if result.reasons:
        assert result.level == max((r.level for r in result.reasons), key=LEVEL_ORDER.__getitem__)
