"""The red-flag screen: golden cases for every rule, the safety invariants, and input checks.

The content is read straight from ``red_flags.yaml`` (not through the full content loader)
so these tests depend only on the screen's own data and sources.
"""

from __future__ import annotations

from dataclasses import asdict
from functools import cache
from importlib import resources

import pytest
import yaml
from hypothesis import event, given
from hypothesis import strategies as st
from pydantic import ValidationError

from backbalance.content.loader import red_flag_problems
from backbalance.content.schema import RedFlagQuestion, RedFlags, Source, TriageAdvice
from backbalance.content.validation import validate
from backbalance.core.screening import (
    check_in_questions,
    missing_answers,
    triage,
    unsure_answers,
    unsure_reason_id,
)
from backbalance.core.types import (
    LEVEL_ORDER,
    Answer,
    CaseError,
    FindOut,
    Level,
    Person,
    Sex,
    Triage,
)

DATA = resources.files("backbalance.content") / "data"


@cache
def load_red_flags() -> RedFlags:
    return validate(RedFlags, yaml.safe_load((DATA / "red_flags.yaml").read_text()))


@cache
def load_safety_sources() -> dict[str, Source]:
    raw = yaml.safe_load((DATA / "sources" / "safety.yaml").read_text())
    return {s.id: s for s in (validate(Source, item) for item in raw)}


RED_FLAGS = load_red_flags()
QUESTION_IDS = [q.id for q in RED_FLAGS.questions]
RULE_IDS = [r.id for r in RED_FLAGS.rules]
CES_IDS = [q.id for q in RED_FLAGS.questions if q.group == "cauda_equina"]
QUESTIONS = {q.id: q for q in RED_FLAGS.questions}
UNSURE_IS_YES_IDS = [q.id for q in RED_FLAGS.questions if q.unsure.counts_as == "yes"]
UNSURE_NAMED_LEVEL_IDS = [q.id for q in RED_FLAGS.questions if q.unsure.counts_as != "yes"]
ASAS_IDS = [
    "ibp_onset_before_40",
    "ibp_gradual_onset",
    "ibp_better_with_exercise",
    "ibp_not_better_with_rest",
    "ibp_night_pain_eases_on_rising",
]
# NICE NG65: the gate (began before 45, lasted over three months) and the nine features.
NG65_GATE = ("ibp_onset_before_45", "back_pain_over_3_months")
NG65_FEATURES = [
    "ibp_onset_before_35",
    "ibp_wakes_second_half_of_night",
    "ibp_buttock_pain",
    "ibp_better_with_exercise",
    "ibp_eased_by_anti_inflammatory",
    "spa_family_history",
    "spa_arthritis",
    "spa_enthesitis",
    "spa_psoriasis",
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
    (
        "major_trauma_severe",
        ("major_trauma", "trauma_severe_pain_or_deformity"),
        35,
        "male",
        "emergency",
    ),
    ("very_unwell_with_fever", ("fever", "very_unwell"), 35, "female", "emergency"),
    ("very_unwell_alone", ("very_unwell",), 35, "female", "urgent"),
    ("spine_bruise_after_injury", ("spine_bruise_after_trauma",), 35, "female", "urgent"),
    ("age_under_20", (), 19, "male", "routine"),
    ("feeling_unwell", ("generally_unwell",), 35, "female", "routine"),
    ("tummy_lump", ("tummy_lump_throbbing",), 35, "female", "routine"),
    ("saddle_numbness_known", ("saddle_numbness_known",), 35, "female", "routine"),
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
    ("inflammatory_pattern", ("back_pain_over_3_months", *ASAS_IDS[:4]), 35, "male", "routine"),
    ("radicular_leg_pain", ("leg_pain_below_knee",), 35, "female", "routine"),
    (
        "spondyloarthritis_referral_features",
        (*NG65_GATE, *NG65_FEATURES[1:5]),
        30,
        "female",
        "routine",
    ),
    (
        "spondyloarthritis_three_features",
        (*NG65_GATE, *NG65_FEATURES[1:4]),
        30,
        "male",
        "routine",
    ),
    (
        "spondyloarthritis_linked_condition",
        (*NG65_GATE, "spa_bowel_or_eye_inflammation"),
        30,
        "female",
        "routine",
    ),
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
        # ASAS: four of five features, in back pain that has lasted over three months.
        ("inflammatory_pattern", ("back_pain_over_3_months", *ASAS_IDS[:3]), 35, "female", False),
        ("inflammatory_pattern", ("back_pain_over_3_months", *ASAS_IDS[1:]), 35, "female", True),
        ("inflammatory_pattern", ("back_pain_over_3_months", *ASAS_IDS), 35, "female", True),
        ("inflammatory_pattern", tuple(ASAS_IDS), 35, "female", False),
        ("inflammatory_pattern", tuple(ASAS_IDS[1:]), 35, "female", False),
        # Age under 20 (AHCPR): the app takes adults from 18.
        ("age_under_20", (), 18, "female", True),
        ("age_under_20", (), 19, "female", True),
        ("age_under_20", (), 20, "female", False),
        # AAA risk: high blood pressure is a risk like smoking; a throbbing lump in the tummy
        # is a symptom like pain that rest does not ease.
        ("aaa_risk_profile", ("blood_pressure_high", "pain_not_eased_by_rest"), 61, "male", True),
        ("aaa_risk_profile", ("smoker", "tummy_lump_throbbing"), 61, "male", True),
        ("aaa_risk_profile", ("blood_pressure_high", "tummy_lump_throbbing"), 61, "male", True),
        ("aaa_risk_profile", ("blood_pressure_high", "tummy_lump_throbbing"), 60, "male", False),
        ("aaa_risk_profile", ("blood_pressure_high", "tummy_lump_throbbing"), 61, "female", False),
        ("aaa_risk_profile", ("blood_pressure_high",), 61, "male", False),
        ("aaa_risk_profile", ("tummy_lump_throbbing",), 61, "male", False),
        # Major trauma, or a bruise or graze over the spine, with severe pain or deformity.
        ("major_trauma_severe", ("major_trauma",), 35, "female", False),
        ("major_trauma_severe", ("trauma_severe_pain_or_deformity",), 35, "female", False),
        (
            "major_trauma_severe",
            ("minor_trauma", "trauma_severe_pain_or_deformity"),
            35,
            "female",
            False,
        ),
        (
            "major_trauma_severe",
            ("spine_bruise_after_trauma", "trauma_severe_pain_or_deformity"),
            35,
            "female",
            True,
        ),
        (
            "major_trauma_with_nerve_signs",
            ("spine_bruise_after_trauma", "leg_numbness_new"),
            35,
            "male",
            True,
        ),
        ("spine_bruise_after_injury", ("minor_trauma",), 35, "female", False),
        # Very unwell: an emergency with a fever, a same-day doctor without one.
        ("very_unwell_with_fever", ("fever",), 35, "female", False),
        ("very_unwell_with_fever", ("very_unwell",), 35, "female", False),
        ("very_unwell_with_fever", ("generally_unwell", "fever"), 35, "female", False),
        ("very_unwell_alone", ("generally_unwell",), 35, "female", False),
        # Diabetes is an infection risk, on its own and with nerve signs.
        ("infection_risk_factor", ("diabetes",), 35, "female", True),
        ("infection_with_nerve_signs", ("diabetes", "leg_numbness_new"), 35, "female", True),
        ("infection_with_nerve_signs", ("diabetes",), 35, "female", False),
        # Feeling generally unwell is a whole-body sign: weak alone, urgent in combination.
        ("several_whole_body_signs", ("generally_unwell",), 35, "female", False),
        (
            "several_whole_body_signs",
            ("generally_unwell", "weight_loss_unexplained"),
            35,
            "female",
            True,
        ),
        ("whole_body_sign_with_age_or_cancer", ("generally_unwell",), 50, "female", False),
        ("whole_body_sign_with_age_or_cancer", ("generally_unwell",), 51, "female", True),
        (
            "whole_body_sign_with_age_or_cancer",
            ("generally_unwell", "cancer_history"),
            35,
            "female",
            True,
        ),
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


# --------------------------------------------------------------------------- leg pain, NG65


@pytest.mark.parametrize(
    ("yes", "level", "top_rule"),
    [
        # Stable pain down one leg: mention it.
        (("leg_pain_below_knee",), "routine", "radicular_leg_pain"),
        # Spreading to both legs: emergency (the cauda equina question about both legs).
        (("leg_pain_below_knee", "ces_both_legs"), "emergency", "cauda_equina_sign"),
        # With a leg getting weaker: a doctor the same day.
        (("leg_pain_below_knee", "leg_weakness_progressive"), "urgent", "progressive_weakness"),
        # Weakness getting worse fast or spreading: emergency.
        (("leg_pain_below_knee", "leg_weakness_rapid"), "emergency", "rapid_weakness"),
    ],
)
def test_leg_pain_below_the_knee_levels(yes: tuple[str, ...], level: str, top_rule: str) -> None:
    result = run(yes)

    assert result.level == level
    assert result.reasons[0].rule_id == top_rule
    assert "radicular_leg_pain" in fired(result)


def ng65(features: int, gate: tuple[str, ...] = NG65_GATE, extra: tuple[str, ...] = ()) -> Triage:
    """The gate answers plus the first ``features`` NG65 features other than the onset age."""
    later_features = NG65_FEATURES[1:]
    return run((*gate, *later_features[:features], *extra), age=30)


@pytest.mark.parametrize(
    ("features", "gate", "shown"),
    [
        (2, NG65_GATE, []),
        (3, NG65_GATE, ["spondyloarthritis_three_features"]),
        # Four or more: the referral; the three-feature reason would only repeat it.
        (4, NG65_GATE, ["spondyloarthritis_referral_features"]),
        (8, NG65_GATE, ["spondyloarthritis_referral_features"]),
        # The gate: back pain that began before 45 and has lasted over three months.
        (8, ("ibp_onset_before_45",), []),
        (8, ("back_pain_over_3_months",), []),
        # Onset before 35 also means "before 45", and is itself a feature: 3 + 1 = 4.
        (
            3,
            ("back_pain_over_3_months", "ibp_onset_before_35"),
            ["spondyloarthritis_referral_features"],
        ),
        (
            2,
            ("back_pain_over_3_months", "ibp_onset_before_35"),
            ["spondyloarthritis_three_features"],
        ),
        # The ASAS age question (before 40) also means "before 45".
        (
            3,
            ("back_pain_over_3_months", "ibp_onset_before_40"),
            ["spondyloarthritis_three_features"],
        ),
    ],
)
def test_ng65_rule_boundaries(features: int, gate: tuple[str, ...], shown: list[str]) -> None:
    result = ng65(features, gate)

    spa = [rid for rid in fired(result) if rid.startswith("spondyloarthritis_")]
    assert spa == shown
    assert result.level == ("routine" if shown else "none")


def test_ng65_counts_arthritis_enthesitis_and_psoriasis_as_separate_features() -> None:
    result = run(
        (*NG65_GATE, "spa_arthritis", "spa_enthesitis", "spa_psoriasis", "ibp_buttock_pain")
    )

    assert "spondyloarthritis_referral_features" in fired(result)


def test_bowel_or_eye_inflammation_is_not_one_of_the_nine_features() -> None:
    result = ng65(2, extra=("spa_bowel_or_eye_inflammation",))

    assert fired(result) == ["spondyloarthritis_linked_condition"]


@pytest.mark.parametrize("linked", ["spa_bowel_or_eye_inflammation", "spa_psoriasis"])
def test_linked_condition_needs_the_long_lasting_early_back_pain(linked: str) -> None:
    assert "spondyloarthritis_linked_condition" in fired(run((*NG65_GATE, linked)))
    assert run((linked,)).level == "none"
    assert run(("ibp_onset_before_45", linked)).level == "none"


def test_linked_condition_gives_way_to_the_referral() -> None:
    result = ng65(4, extra=("spa_bowel_or_eye_inflammation",))

    assert fired(result) == ["spondyloarthritis_referral_features"]


def test_asas_count_rule_needs_back_pain_over_three_months() -> None:
    # It used to fire on four features alone, even for a bout of a few weeks.
    assert run(tuple(ASAS_IDS)).level == "none"
    assert fired(run(("back_pain_over_3_months", *ASAS_IDS))) == ["inflammatory_pattern"]
    # A doubt about how long it has lasted is read as yes, as for the NICE route.
    assert fired(run(tuple(ASAS_IDS), unsure=("back_pain_over_3_months",))) == [
        "inflammatory_pattern"
    ]


def test_asas_count_rule_still_works_beside_ng65() -> None:
    result = run((*ASAS_IDS[:4], *NG65_GATE), age=30)

    # better_with_exercise is an ASAS item and an NG65 feature; one feature is not three.
    assert fired(result) == ["inflammatory_pattern"]


@pytest.mark.parametrize(
    ("yes", "age", "sex", "level"),
    [
        (("minor_trauma",), 70, "male", "routine"),  # only the age > 50 flag
        (("minor_trauma",), 65, "female", "routine"),  # only the age > 50 flag
        ((), 50, "female", "none"),
        (tuple(ASAS_IDS[:3]), 35, "female", "none"),
        (("back_pain_over_3_months", *ASAS_IDS[:4]), 35, "female", "routine"),
        # The ASAS count applies only to back pain over three months.
        (tuple(ASAS_IDS), 35, "female", "none"),
        ((), 20, "female", "none"),
        (("generally_unwell",), 50, "female", "routine"),
        (("tummy_lump_throbbing", "smoker", "blood_pressure_high"), 60, "male", "routine"),
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
            assert question.unsure.counts_as == "yes", question.id
            assert question.every_check_in, question.id


# Saddle numbness: only new or changed numbness is an emergency; numbness a clinician has
# checked and that has not changed is mentioned, never dropped.


def test_the_saddle_numbness_emergency_question_asks_about_new_or_changed_numbness() -> None:
    text = QUESTIONS["ces_saddle_numbness"].question

    assert "new" in text and "changed" in text
    # The question was reworded, so its version moved on.
    assert QUESTIONS["ces_saddle_numbness"].version >= 2


def test_numbness_already_checked_and_unchanged_is_mentioned_not_an_emergency() -> None:
    result = run(("saddle_numbness_known",))

    assert result.level == "routine"
    assert fired(result) == ["saddle_numbness_known"]
    assert result.reasons[0].answers == ("saddle_numbness_known",)
    assert "emergency" in result.reasons[0].reason  # says when it becomes one


@pytest.mark.parametrize("new_or_changed", ["yes", "unsure"])
def test_known_numbness_that_is_new_or_changed_or_may_be_is_still_an_emergency(
    new_or_changed: Answer,
) -> None:
    given_answers = {
        **answers(yes=("saddle_numbness_known",)),
        "ces_saddle_numbness": new_or_changed,
    }

    result = triage(given_answers, Person(age=35, sex="female"), RED_FLAGS)

    assert result.level == "emergency"
    assert result.reasons[0].rule_id == "cauda_equina_sign"
    # The known numbness is listed too, so nothing the person said is lost.
    assert "saddle_numbness_known" in fired(result)


def test_known_numbness_is_not_a_cauda_equina_emergency_question() -> None:
    assert "saddle_numbness_known" not in CES_IDS
    assert QUESTIONS["saddle_numbness_known"].unsure.counts_as == "yes"


# --------------------------------------------------------------------------- "not sure"


def lone_level(question_id: str, answer: Answer, age: int = 35, sex: Sex = "female") -> Level:
    """The level when only this question is answered (with this answer), the rest "no"."""
    if answer == "yes":
        return run(yes=(question_id,), age=age, sex=sex).level
    return run(unsure=(question_id,), age=age, sex=sex).level


def test_every_question_states_what_unsure_counts_as_with_a_reason_and_sources() -> None:
    for question in RED_FLAGS.questions:
        assert question.unsure.counts_as in ("yes", "urgent", "routine"), question.id
        assert question.unsure.why.strip(), question.id
        assert question.unsure.sources, question.id
        if question.unsure.counts_as != "yes":
            assert question.unsure.find_out, question.id


@pytest.mark.parametrize("question_id", UNSURE_IS_YES_IDS)
def test_unsure_counted_as_yes_gives_exactly_the_level_of_a_yes(question_id: str) -> None:
    people: tuple[tuple[int, Sex], ...] = ((35, "female"), (61, "male"), (72, "female"))
    for age, sex in people:
        assert lone_level(question_id, "unsure", age, sex) == lone_level(
            question_id, "yes", age, sex
        )


@pytest.mark.parametrize("question_id", UNSURE_NAMED_LEVEL_IDS)
def test_unsure_with_a_named_level_reaches_it_with_its_prompt(question_id: str) -> None:
    question = QUESTIONS[question_id]

    result = run(unsure=(question_id,))

    assert result.level == question.unsure.counts_as
    reason = next(r for r in result.reasons if r.rule_id == unsure_reason_id(question_id))
    assert reason.answers == (question_id,)
    assert reason.sources == tuple(question.unsure.sources)
    assert result.find_out == (
        FindOut(question_id, question.unsure.counts_as, str(question.unsure.find_out)),
    )
    # Never more than a yes to the same question would give, so "yes" cannot lower it.
    assert LEVEL_ORDER[lone_level(question_id, "yes")] >= LEVEL_ORDER[result.level]


def test_unsure_about_a_known_aneurysm_is_urgent_like_a_yes() -> None:
    # It used to count as no and give "none".
    result = run(unsure=("aneurysm_known",))

    assert result.level == "urgent"
    assert [r.rule_id for r in result.reasons] == ["aaa_known"]
    assert [item.question_id for item in result.find_out] == ["aneurysm_known"]


def test_unsure_to_every_question_that_used_to_count_as_no_is_never_none() -> None:
    # Every question except the nine whose "not sure" always counted as yes: the 21 older
    # ones used to be read as no (giving "none" all together), and the newer ones join them.
    once_read_as_no = [
        q.id
        for q in RED_FLAGS.questions
        if q.group != "cauda_equina"
        and q.id not in ("leg_weakness_progressive", "leg_weakness_rapid", "aaa_rupture_signs")
    ]
    assert len(once_read_as_no) >= 21
    result = run(unsure=tuple(once_read_as_no))

    assert LEVEL_ORDER[result.level] >= LEVEL_ORDER["urgent"]
    assert result.headline == advice(result.level).headline


def test_unsure_about_long_term_steroids_is_flagged_with_a_prompt_to_check() -> None:
    result = run(unsure=("steroids_long_term",))

    assert result.level == "routine"
    assert result.find_out[0].question_id == "steroids_long_term"
    assert result.find_out[0].counted_as == "routine"
    assert "pharmacist" in result.find_out[0].prompt


def test_unsure_counted_as_yes_can_still_carry_a_prompt() -> None:
    result = run(unsure=("osteoporosis_known",))

    assert result.level == "none"  # thin bones count only together with a small fall
    assert [f.question_id for f in result.find_out] == ["osteoporosis_known"]
    assert run(unsure=("osteoporosis_known", "minor_trauma")).level == "urgent"


def test_no_prompts_without_unsure_answers() -> None:
    assert run(yes=("steroids_long_term", "aneurysm_known")).find_out == ()


def test_unsure_answers_names_exactly_the_questions_answered_not_sure() -> None:
    given_answers = answers(yes=("fever",), unsure=("smoker", "ces_bowel_change"))

    assert unsure_answers(given_answers) == frozenset({"smoker", "ces_bowel_change"})
    assert unsure_answers(answers()) == frozenset()


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
        ((), 19),
        (("generally_unwell",), 35),
        (("tummy_lump_throbbing",), 35),
        (("saddle_numbness_known",), 35),
    ],
)
def test_single_weak_flag_alone_is_routine(yes: tuple[str, ...], age: int) -> None:
    result = run(yes, age=age)

    assert result.level == "routine"
    assert all(r.level == "routine" for r in result.reasons)
    assert result.continue_self_care is True


@pytest.mark.parametrize(
    "question_id",
    [
        "smoker",
        "aneurysm_family",
        "osteoporosis_known",
        "minor_trauma",
        "blood_pressure_high",
        "trauma_severe_pain_or_deformity",
        *ASAS_IDS,
        *NG65_GATE,
        *NG65_FEATURES,
        "spa_bowel_or_eye_inflammation",
    ],
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
    result = run(("back_pain_over_3_months", *ASAS_IDS[:4], "first_episode"))

    reason = next(r for r in result.reasons if r.rule_id == "inflammatory_pattern")
    assert reason.answers == ("back_pain_over_3_months", *ASAS_IDS[:4])


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
    cited |= {s for q in RED_FLAGS.questions for s in q.unsure.sources}
    cited |= {s for r in RED_FLAGS.rules for s in r.sources}

    assert cited - known.keys() == set()


def test_question_and_rule_ids_are_unique() -> None:
    assert len(set(QUESTION_IDS)) == len(QUESTION_IDS)
    assert len(set(RULE_IDS)) == len(RULE_IDS)


# --------------------------------------------------------------------------- content checks


def with_question(question_id: str, **changes: object) -> RedFlags:
    """The screen content with one question's fields replaced (as the YAML would give them)."""
    raw = asdict(RED_FLAGS)
    for question in raw["questions"]:
        if question["id"] == question_id:
            for dotted, value in changes.items():
                target = question
                *parents, last = dotted.split("__")
                for parent in parents:
                    target = target[parent]
                target[last] = value
    return validate(RedFlags, raw)


def test_the_shipped_screen_passes_its_own_content_checks() -> None:
    assert red_flag_problems(RED_FLAGS) == []


def test_a_named_level_above_what_a_yes_gives_is_rejected() -> None:
    # A yes about weight loss alone is routine, so "unsure = urgent" would let a later "yes"
    # lower the level.
    broken = with_question("weight_loss_unexplained", unsure__counts_as="urgent")

    problems = red_flag_problems(broken)

    assert len(problems) == 1
    assert "weight_loss_unexplained].unsure.counts_as" in problems[0]


def test_a_named_level_on_a_fact_that_only_counts_in_combination_is_rejected() -> None:
    broken = with_question("smoker", unsure__counts_as="routine", unsure__find_out="Ask someone.")

    assert any("[smoker].unsure.counts_as" in p for p in red_flag_problems(broken))


def test_a_named_level_without_a_prompt_is_rejected_by_the_schema() -> None:
    with pytest.raises(ValidationError, match="find_out"):
        with_question("steroids_long_term", unsure__find_out=None)


def test_a_question_without_an_unsure_statement_is_rejected() -> None:
    raw = asdict(QUESTIONS["fever"])
    del raw["unsure"]

    with pytest.raises(ValidationError, match="unsure"):
        validate(RedFlagQuestion, raw)


def test_a_bare_yaml_yes_is_rejected_rather_than_misread() -> None:
    raw = yaml.safe_load("counts_as: yes")  # YAML reads a bare yes as true
    question = {
        **asdict(QUESTIONS["fever"]),
        "unsure": {**raw, "why": "why", "sources": ["x"]},
    }

    with pytest.raises(ValidationError, match="counts_as"):
        validate(RedFlagQuestion, question)


def test_superseded_by_must_name_an_existing_rule_of_at_least_its_level() -> None:
    raw = asdict(RED_FLAGS)
    rule = next(r for r in raw["rules"] if r["id"] == "spondyloarthritis_three_features")
    rule["superseded_by"] = "no_such_rule"
    assert any("unknown rule" in p for p in red_flag_problems(validate(RedFlags, raw)))

    rule["superseded_by"] = "age_over_50"
    rule["level"] = "urgent"
    assert any("at least" in p for p in red_flag_problems(validate(RedFlags, raw)))


# --------------------------------------------------------------------------- properties


@st.composite
def screen_answers(draw: st.DrawFn) -> dict[str, Answer]:
    """A complete screen with a few raised answers, so generated levels spread from "none"
    to "emergency" instead of nearly all being emergencies (as uniform answers would be).
    """
    raised = draw(st.lists(st.sampled_from(QUESTION_IDS), unique=True, max_size=4))
    result: dict[str, Answer] = dict.fromkeys(QUESTION_IDS, "no")
    for question_id in raised:
        result[question_id] = draw(st.sampled_from(("yes", "unsure")))
    return result


# Half the draws pick a question whose "not sure" has a named level, so that branch is
# exercised as often as the common "counts as yes" one.
def question_of_each_kind() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(UNSURE_NAMED_LEVEL_IDS), st.sampled_from(UNSURE_IS_YES_IDS))


people = st.builds(Person, age=st.integers(min_value=16, max_value=100), sex=st.sampled_from(SEXES))


def level_of(given_answers: dict[str, Answer], person: Person) -> int:
    result = triage(given_answers, person, RED_FLAGS)
    event(f"screen level: {result.level}")
    return LEVEL_ORDER[result.level]


@given(screen_answers(), people, question_of_each_kind())
def test_property_unsure_never_gives_less_than_the_content_states(
    given_answers: dict[str, Answer], person: Person, question_id: str
) -> None:
    stated = QUESTIONS[question_id].unsure.counts_as
    unsure = {**given_answers, question_id: "unsure"}

    result = triage(unsure, person, RED_FLAGS)

    event(f"gate: unsure counts as {stated}")
    event(f"screen level: {result.level}")
    if stated == "yes":
        assert result.level == triage({**unsure, question_id: "yes"}, person, RED_FLAGS).level
    else:
        assert LEVEL_ORDER[result.level] >= LEVEL_ORDER[stated]
        assert question_id in {item.question_id for item in result.find_out}


@given(screen_answers(), people, question_of_each_kind())
def test_property_unsure_never_gives_less_than_no(
    given_answers: dict[str, Answer], person: Person, question_id: str
) -> None:
    as_no = level_of({**given_answers, question_id: "no"}, person)
    as_unsure = level_of({**given_answers, question_id: "unsure"}, person)

    event("gate: unsure raised the level" if as_unsure > as_no else "gate: same level")
    assert as_unsure >= as_no


@given(screen_answers(), people, question_of_each_kind(), st.sampled_from(("no", "unsure")))
def test_property_one_more_yes_never_lowers_the_level(
    given_answers: dict[str, Answer], person: Person, flipped_id: str, old_answer: Answer
) -> None:
    # From "unsure" is where a named level could be lost if the content were inconsistent.
    event(f"gate: {old_answer} to yes, unsure counts as {QUESTIONS[flipped_id].unsure.counts_as}")
    before = level_of({**given_answers, flipped_id: old_answer}, person)

    after = level_of({**given_answers, flipped_id: "yes"}, person)

    assert after >= before


@given(screen_answers(), people)
def test_property_any_cauda_equina_yes_or_unsure_is_always_an_emergency(
    given_answers: dict[str, Answer], person: Person
) -> None:
    result = triage(given_answers, person, RED_FLAGS)

    raised = any(given_answers[q] in ("yes", "unsure") for q in CES_IDS)
    event("gate: cauda equina sign" if raised else "gate: no cauda equina sign")
    if raised:
        assert result.level == "emergency"
        assert result.continue_self_care is False


@given(screen_answers(), people)
def test_property_reasons_and_prompts_match_the_answers(
    given_answers: dict[str, Answer], person: Person
) -> None:
    result = triage(given_answers, person, RED_FLAGS)
    event(f"screen level: {result.level}")

    assert bool(result.reasons) == (result.level != "none")
    assert all(r.sources for r in result.reasons)
    if result.reasons:
        assert result.level == max((r.level for r in result.reasons), key=LEVEL_ORDER.__getitem__)
    # Every prompt belongs to a question answered "not sure", in screen order.
    prompted = [item.question_id for item in result.find_out]
    assert set(prompted) <= unsure_answers(given_answers)
    assert prompted == [q for q in QUESTION_IDS if q in prompted]
    # Every unsure answer with a named level leaves its own reason.
    for question_id in unsure_answers(given_answers):
        if QUESTIONS[question_id].unsure.counts_as != "yes":
            assert unsure_reason_id(question_id) in fired(result)


# The emergencies added from the reference (§1.3): each pair of answers, whatever else is
# answered, is an emergency. A nerve sign is any of the answers the rules count as one.
NERVE_SIGNS = (
    "leg_weakness_progressive",
    "leg_weakness_rapid",
    "leg_numbness_new",
    "ces_both_legs",
)
EMERGENCY_PAIRS: dict[str, tuple[str, ...]] = {
    "major trauma with severe pain or deformity": (
        "major_trauma",
        "trauma_severe_pain_or_deformity",
    ),
    "bruise over the spine with severe pain or deformity": (
        "spine_bruise_after_trauma",
        "trauma_severe_pain_or_deformity",
    ),
    "bruise over the spine with a nerve sign": ("spine_bruise_after_trauma", "NERVE"),
    "fever while very unwell": ("fever", "very_unwell"),
    "diabetes with a nerve sign": ("diabetes", "NERVE"),
}


@st.composite
def screens_with_an_emergency_pair(draw: st.DrawFn) -> tuple[str, dict[str, Answer]]:
    name = draw(st.sampled_from(sorted(EMERGENCY_PAIRS)))
    given_answers = draw(screen_answers())
    for question_id in EMERGENCY_PAIRS[name]:
        if question_id == "NERVE":
            question_id = draw(st.sampled_from(NERVE_SIGNS))
        # Every answer in these pairs counts "not sure" as yes (checked in the test).
        given_answers[question_id] = draw(st.sampled_from(("yes", "unsure")))
    return name, given_answers


@given(screens_with_an_emergency_pair(), people)
def test_property_the_added_emergency_pairs_are_always_an_emergency(
    pair: tuple[str, dict[str, Answer]], person: Person
) -> None:
    name, given_answers = pair
    event(f"gate: {name}")
    for question_id in (*EMERGENCY_PAIRS[name], *NERVE_SIGNS):
        if question_id != "NERVE":
            assert QUESTIONS[question_id].unsure.counts_as == "yes", question_id

    result = triage(given_answers, person, RED_FLAGS)

    assert result.level == "emergency"
    assert result.continue_self_care is False


@given(screen_answers(), people, st.sampled_from(("no", "yes", "unsure")))
def test_property_known_saddle_numbness_is_never_dropped_and_a_change_is_an_emergency(
    given_answers: dict[str, Answer], person: Person, new_or_changed: Answer
) -> None:
    screen = {
        **given_answers,
        "saddle_numbness_known": "yes",
        "ces_saddle_numbness": new_or_changed,
    }
    event(f"gate: known numbness, new or changed = {new_or_changed}")

    result = triage(screen, person, RED_FLAGS)

    assert "saddle_numbness_known" in fired(result)
    if new_or_changed != "no":
        assert result.level == "emergency"
    else:
        assert LEVEL_ORDER[result.level] >= LEVEL_ORDER["routine"]
