"""The content loads, every reference resolves, every figure has a source, nothing is empty."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from backbalance.content.loader import (
    ContentError,
    all_figures,
    default_data_dir,
    load_content,
)
from backbalance.content.schema import MatchRule, SideDifferenceRule, ThresholdRule

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


def test_content_loads_with_a_version_naming_release_and_hash():
    release, _, digest = CONTENT.version.partition("+")
    assert release == CONTENT.manifest.version
    assert len(digest) == 10


def test_every_figure_cites_at_least_one_known_source():
    figures = all_figures(CONTENT)
    assert len(figures) > 30
    for figure in figures:
        assert figure.sources, figure
        for source in figure.sources:
            assert source in CONTENT.sources, source


def test_every_threshold_rule_carries_a_sourced_figure():
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


def test_a_derived_figure_explains_its_derivation():
    for figure in all_figures(CONTENT):
        if "backbalance_derived" in figure.sources:
            assert figure.note and len(figure.note) > 20, figure


def test_self_test_instructions_are_complete():
    assert 15 <= len(CONTENT.tests) <= 20
    for test in CONTENT.tests.values():
        assert len(test.steps) >= 3, test.id
        assert all(len(step) >= 15 for step in test.steps), test.id
        assert len(test.interpretation) >= 40, test.id
        assert len(test.reliability.summary) >= 20, test.id
        assert test.record, test.id
        for field in test.record:
            assert field.label.strip(), (test.id, field.id)


def test_the_battery_covers_the_required_tests():
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


def test_thomas_test_is_only_valid_with_the_low_back_flat():
    thomas = CONTENT.tests["modified_thomas"]
    assert [(c.field, c.must_be) for c in thomas.validity] == [("low_back_flat", True)]


def test_every_muscle_group_is_tested_by_at_least_one_self_test():
    targeted = {m for t in CONTENT.tests.values() for m in t.targets}
    assert set(CONTENT.muscles) <= targeted


def test_every_sign_can_be_produced_by_some_rule():
    _, signs = producible()
    assert set(CONTENT.signs) == signs


def test_every_pattern_asks_only_for_findings_the_rules_can_produce():
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


def test_pattern_explanations_are_full_paragraphs():
    for pattern in CONTENT.patterns.values():
        assert len(pattern.explanation) >= 200, pattern.id
        if pattern.sided:
            assert "{side}" in pattern.explanation, pattern.id


def test_choices_that_name_a_side_mirror_each_other():
    for test in CONTENT.tests.values():
        for field in test.record:
            by_id = {c.id: c for c in field.choices}
            for choice in field.choices:
                if choice.mirror:
                    partner = by_id[choice.mirror]
                    assert partner.mirror == choice.id
                    assert {partner.names_side, choice.names_side} == {"left", "right"}


def test_licensed_questionnaires_ship_no_wording():
    for instrument in CONTENT.instruments.values():
        if instrument.licensed:
            assert all(item.text is None for item in instrument.items), instrument.id


def test_red_flag_questions_are_plain_and_sourced():
    for question in CONTENT.red_flags.questions:
        assert "?" in question.question, question.id
        assert question.sources, question.id


# --------------------------------------------------------------------------- failing loudly


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(default_data_dir(), target)
    return target


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def test_an_unknown_key_fails_loading_and_names_the_file(data_copy: Path):
    _edit(data_copy / "muscles.yaml", lambda data: data[0].update(colour="red"))
    with pytest.raises(ContentError) as error:
        load_content(data_copy)
    assert any("muscles.yaml" in p and "colour" in p for p in error.value.problems)


def test_a_missing_reference_fails_loading(data_copy: Path):
    _edit(data_copy / "tests.yaml", lambda data: data[0]["targets"].append("biceps"))
    with pytest.raises(ContentError) as error:
        load_content(data_copy)
    assert any("biceps" in p for p in error.value.problems)


def test_an_unknown_source_fails_loading(data_copy: Path):
    _edit(data_copy / "patterns.yaml", lambda data: data[0]["sources"].append("nobody2099"))
    with pytest.raises(ContentError) as error:
        load_content(data_copy)
    assert any("nobody2099" in p for p in error.value.problems)


def test_a_bad_value_fails_loading(data_copy: Path):
    _edit(data_copy / "muscles.yaml", lambda data: data[0].update(tendency="sometimes"))
    with pytest.raises(ContentError) as error:
        load_content(data_copy)
    assert any("tendency" in p for p in error.value.problems)


def test_any_edit_changes_the_content_version(data_copy: Path):
    before = load_content(data_copy).version
    path = data_copy / "engine.yaml"
    path.write_text(path.read_text() + "\n# an edit\n")
    load_content.cache_clear()
    assert load_content(data_copy).version != before
