"""The content loads, every reference resolves, every figure has a source, nothing is empty."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from backbalance.content.loader import (
    ContentError,
    all_figures,
    load_content,
)
from backbalance.content.schema import MatchRule, SideDifferenceRule, ThresholdRule
from backbalance.figures.poses import POSES
from tests.content_files import edit_yaml

CONTENT = load_content()


def producible() -> tuple[set[tuple[str, str]], set[str]]:
    """Every (muscle, status) and every sign some rule can produce."""
    statuses: set[tuple[str, str]] = set()
    signs: set[str] = set()
    effects = [e for t in CONTENT.tests.values() for r in t.rules for e in r.effects]
    effects += [e for r in CONTENT.ratios for e in r.effects]
    for effect in effects:
        if effect.muscle and effect.status:
            statuses.add((effect.muscle, effect.status))
        if effect.sign:
            signs.add(effect.sign)
    for test in CONTENT.tests.values():
        if test.if_too_hard:
            statuses |= {(m, test.if_too_hard) for m in test.targets}
    return statuses, signs


def test_content_loads_with_a_version_naming_release_and_hash() -> None:
    release, _, digest = CONTENT.version.partition("+")
    assert release == CONTENT.manifest.version
    assert len(digest) == 10


def test_every_figure_cites_at_least_one_known_source() -> None:
    figures = all_figures(CONTENT)
    assert len(figures) > 30
    for figure in figures:
        assert figure.sources, figure
        for source in figure.sources:
            assert source in CONTENT.sources, source


def test_every_threshold_rule_carries_a_sourced_figure() -> None:
    for test in CONTENT.tests.values():
        for rule in test.rules:
            if isinstance(rule, ThresholdRule):
                figures = [rule.threshold] if rule.threshold else []
                if rule.by_sex:
                    figures += [f for f in (rule.by_sex.female, rule.by_sex.male) if f]
                for band in rule.by_age_and_sex or []:
                    figures += [f for f in (band.female, band.male) if f]
                assert figures and all(f.sources for f in figures), (test.id, rule.id)
            elif isinstance(rule, MatchRule):
                assert rule.sources, (test.id, rule.id)
            elif isinstance(rule, SideDifferenceRule):
                assert rule.relative_threshold.sources, (test.id, rule.id)
                assert test.measurement_error is not None, test.id
                assert test.measurement_error.sources, test.id


def test_a_derived_figure_explains_its_derivation() -> None:
    for figure in all_figures(CONTENT):
        if "backbalance_derived" in figure.sources:
            assert figure.note and len(figure.note) > 20, figure


def test_self_test_instructions_are_complete() -> None:
    assert 15 <= len(CONTENT.tests) <= 20
    for test in CONTENT.tests.values():
        assert len(test.steps) >= 3, test.id
        assert all(len(step) >= 15 for step in test.steps), test.id
        assert len(test.interpretation) >= 40, test.id
        assert len(test.reliability.summary) >= 20, test.id
        assert test.record, test.id
        for field in test.record:
            assert field.label.strip(), (test.id, field.id)


def test_the_battery_covers_the_required_tests() -> None:
    required = {
        "modified_thomas",
        "straight_leg_raise",
        "active_knee_extension",
        "ober",
        "prone_knee_bend",
        "faber",
        "piriformis_length",
        "single_leg_stance",
        "single_leg_bridge",
        "mcgill_flexor",
        "biering_sorensen",
        "side_bridge",
        "standing_pelvis_height",
        "standing_shoulder_height",
        "pelvic_tilt_check",
    }
    assert required <= set(CONTENT.tests)


def test_thomas_test_is_only_valid_with_the_low_back_flat() -> None:
    thomas = CONTENT.tests["modified_thomas"]
    assert [(c.field, c.must_be) for c in thomas.validity] == [("low_back_flat", True)]


def test_every_muscle_group_is_tested_by_at_least_one_self_test() -> None:
    targeted = {m for t in CONTENT.tests.values() for m in t.targets}
    assert set(CONTENT.muscles) <= targeted


def test_every_sign_can_be_produced_by_some_rule() -> None:
    _, signs = producible()
    assert set(CONTENT.signs) == signs


def test_every_pattern_asks_only_for_findings_the_rules_can_produce() -> None:
    statuses, signs = producible()
    for pattern in CONTENT.patterns.values():
        for element in pattern.elements:
            for evidence in element.any_of:
                if evidence.muscle:
                    assert any((evidence.muscle, s) in statuses for s in evidence.status or []), (
                        pattern.id,
                        element.id,
                        evidence.muscle,
                    )
                else:
                    assert evidence.sign in signs, (pattern.id, element.id)


def test_pattern_explanations_are_full_paragraphs() -> None:
    for pattern in CONTENT.patterns.values():
        assert len(pattern.explanation) >= 200, pattern.id
        if pattern.sided:
            assert "{side}" in pattern.explanation, pattern.id


def test_choices_that_name_a_side_mirror_each_other() -> None:
    for test in CONTENT.tests.values():
        for field in test.record:
            by_id = {c.id: c for c in field.choices}
            for choice in field.choices:
                if choice.mirror:
                    partner = by_id[choice.mirror]
                    assert partner.mirror == choice.id
                    assert {partner.names_side, choice.names_side} == {"left", "right"}


def test_licensed_questionnaires_ship_no_wording() -> None:
    for instrument in CONTENT.instruments.values():
        if instrument.licensed:
            assert all(item.text is None for item in instrument.items), instrument.id


def test_red_flag_questions_are_plain_and_sourced() -> None:
    for question in CONTENT.red_flags.questions:
        assert "?" in question.question, question.id
        assert question.sources, question.id


# --------------------------------------------------------------------------- failing loudly


def test_an_unknown_key_fails_loading_and_names_the_file(data_copy: Path) -> None:
    edit_yaml(data_copy / "muscles.yaml", lambda data: data[0].update(colour="red"))
    with pytest.raises(ContentError) as error:
        load_content(data_copy)
    assert any("muscles.yaml" in p and "colour" in p for p in error.value.problems)


def test_an_unknown_key_and_a_non_mapping_item_are_worded_as_they_always_were(
    data_copy: Path,
) -> None:
    edit_yaml(data_copy / "muscles.yaml", lambda data: data[0].update(colour="red"))
    edit_yaml(data_copy / "tests.yaml", lambda data: data.append("not a test"))
    with pytest.raises(ContentError) as error:
        load_content(data_copy)
    muscle = CONTENT.muscles[next(iter(CONTENT.muscles))].id
    assert f"muscles.yaml[{muscle}]: colour: Extra inputs are not permitted" in error.value.problems
    position = len(CONTENT.tests)
    assert (
        f"tests.yaml[{position}]: : Input should be a valid dictionary or instance of SelfTest"
        in error.value.problems
    )


def test_a_missing_reference_fails_loading(data_copy: Path) -> None:
    edit_yaml(data_copy / "tests.yaml", lambda data: data[0]["targets"].append("biceps"))
    with pytest.raises(ContentError) as error:
        load_content(data_copy)
    assert any("biceps" in p for p in error.value.problems)


def test_an_unknown_source_fails_loading(data_copy: Path) -> None:
    edit_yaml(data_copy / "patterns.yaml", lambda data: data[0]["sources"].append("nobody2099"))
    with pytest.raises(ContentError) as error:
        load_content(data_copy)
    assert any("nobody2099" in p for p in error.value.problems)


def test_a_bad_value_fails_loading(data_copy: Path) -> None:
    edit_yaml(data_copy / "muscles.yaml", lambda data: data[0].update(tendency="sometimes"))
    with pytest.raises(ContentError) as error:
        load_content(data_copy)
    assert any("tendency" in p for p in error.value.problems)


def test_any_edit_changes_the_content_version(data_copy: Path) -> None:
    before = load_content(data_copy).version
    path = data_copy / "engine.yaml"
    path.write_text(path.read_text() + "\n# an edit\n")
    load_content.cache_clear()
    assert load_content(data_copy).version != before


# --------------------------------------------------------------------------- exercise wording


def _told(exercise_id: str) -> str:
    """Everything an exercise tells the person to do: steps, feel and caution notes.

    The mistakes are left out: they name what not to do, so a warning may use the words.
    """
    exercise = CONTENT.exercises[exercise_id]
    parts = [*exercise.steps, exercise.feel, *(c.note for c in exercise.cautions)]
    return " ".join(" ".join(parts).split()).lower()


def test_hamstring_stretches_keep_the_foot_relaxed_and_the_strap_off_the_forefoot() -> None:
    # A strap round the ball of the foot pulls the ankle up, which tenses the sciatic
    # nerve as well as the muscle: the stretch must hold the heel or the thigh instead.
    hamstring_stretches = [
        e.id
        for e in CONTENT.exercises.values()
        if any(t.muscle == "hamstrings" and t.action == "lengthen" for t in e.targets)
    ]
    assert hamstring_stretches
    for exercise_id in hamstring_stretches:
        told = _told(exercise_id)
        assert "ball of" not in told, exercise_id
        assert "toes pointing up" not in told, exercise_id
        assert "relax" in told, exercise_id
        mistakes = " ".join(CONTENT.exercises[exercise_id].mistakes).lower()
        assert "toes towards you" in mistakes, exercise_id
        assert "pointing the foot" not in mistakes, exercise_id
    assert "round the heel" in _told("hamstring_strap_stretch")
    assert "behind the thigh" in _told("hamstring_strap_stretch")


def test_the_strap_stretch_figure_loops_the_strap_round_the_heel() -> None:
    pose = POSES[CONTENT.exercises["hamstring_strap_stretch"].figure]
    straps = [p for p in pose.props if p.kind == "strap"]
    assert [p.at for p in straps] == [("near_hand", "near_heel")]
    assert pose.near_leg.ankle != "flat" and pose.near_leg.ankle >= 0  # not pulled up


def test_no_exercise_tells_people_to_flatten_the_low_back() -> None:
    # One cue for the low back everywhere: keep its natural curve. Pressing it flat into
    # the floor in one item and "do not flatten" in the next would leave people unsure.
    flattening = (
        "flatten your",
        "flattens onto",
        "flat onto",
        "pressing lightly into",
        "in contact with the floor",
    )
    for exercise_id in CONTENT.exercises:
        told = _told(exercise_id)
        for words in flattening:
            assert words not in told, (exercise_id, words)


@pytest.mark.parametrize("exercise_id", ["abdominal_bracing", "heel_slides", "dead_bug", "curl_up"])
def test_the_lying_brace_items_give_the_one_neutral_cue(exercise_id: str) -> None:
    assert "natural curve, neither pressed flat nor arched" in _told(exercise_id)


def test_side_lying_leg_raise_says_how_high_without_hip_height() -> None:
    told = _told("side_lying_leg_raise")
    assert "hip height" not in told
    assert "pelvis rolling back" in told


def test_single_leg_stance_uses_what_the_person_can_see() -> None:
    steps = " ".join(" ".join(CONTENT.tests["single_leg_stance"].steps).split()).lower()
    # Stickers on the back show only to a camera behind; thumbs on the hips leave no hand
    # for the wall, so each way says what to do for balance.
    assert "with the camera behind you, put a sticker" in steps
    assert "with a mirror, rest your thumbs" in steps
    assert "do not show in a mirror" in steps


# Trunk muscles are pressed beside the spine, far from the leg veins a clot forms in.
_TRUNK_MUSCLES = {"quadratus_lumborum", "lumbar_erectors"}


def test_every_pressure_release_carries_the_same_safety_set() -> None:
    pressure = [
        e
        for e in CONTENT.exercises.values()
        if e.kind == "release" and {"foam_roller", "massage_ball"} & set(e.equipment)
    ]
    assert len(pressure) >= 4
    for exercise in pressure:
        cautions = {c.condition for c in exercise.cautions}
        ruled_out = set(exercise.contraindications)
        assert "bone_metastases" in ruled_out, exercise.id
        assert "blood_thinners" in cautions, exercise.id
        assert "recent_fracture" in ruled_out | cautions, exercise.id
        if not {t.muscle for t in exercise.targets} & _TRUNK_MUSCLES:
            assert "blood_clot" in ruled_out, exercise.id
            assert "diabetes_nerve_or_vessel" in cautions, exercise.id
            stop = " ".join(exercise.stop_if).lower()
            assert "swelling, redness or warmth" in stop, exercise.id


def _test_entry(data: list[dict[str, object]], test_id: str) -> dict[str, object]:
    return next(entry for entry in data if entry["id"] == test_id)


def test_a_measurement_error_in_a_unit_no_reading_uses_fails_loading(data_copy: Path) -> None:
    # A re-test could not use it: the reading would silently show as having no known error.
    def to_degrees(data: list[dict[str, object]]) -> None:
        error = _test_entry(data, "biering_sorensen")["measurement_error"]
        assert isinstance(error, dict)
        error["unit"] = "deg"

    edit_yaml(data_copy / "tests.yaml", to_degrees)
    with pytest.raises(ContentError) as error:
        load_content(data_copy)
    assert any(
        "biering_sorensen" in p and "measurement_error is in 'deg'" in p
        for p in error.value.problems
    ), error.value.problems


def test_a_percent_measurement_error_needs_a_number_to_take_it_of(data_copy: Path) -> None:
    def percent_on_choices(data: list[dict[str, object]]) -> None:
        _test_entry(data, "ober")["measurement_error"] = {
            "value": 10,
            "unit": "%",
            "sources": ["S17"],
        }

    edit_yaml(data_copy / "tests.yaml", percent_on_choices)
    with pytest.raises(ContentError) as error:
        load_content(data_copy)
    assert any("'ober'" in p and "no number field" in p for p in error.value.problems)


def test_every_retest_verdict_has_its_words(data_copy: Path) -> None:
    def drop_moved(data: dict[str, Any]) -> None:
        del data["messages"]["retest"]["verdicts"]["moved_error_unknown"]

    edit_yaml(data_copy / "engine.yaml", drop_moved)
    with pytest.raises(ContentError) as error:
        load_content(data_copy)
    assert any("verdicts needs exactly" in p for p in error.value.problems)
