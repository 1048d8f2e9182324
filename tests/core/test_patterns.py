"""Golden tests for pattern matching and the choice of the one or two primary imbalances.

Findings and signs are built directly, so each test controls exactly which evidence the
pattern matcher sees and at what confidence. The policy in the header of patterns.yaml
(min_score = 0.625 x the summed weight of the required elements) is checked here too.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import hypothesis
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from msgspec.structs import replace

from backbalance.cli.text import render_text
from backbalance.content.schema import (
    Choice,
    Effect,
    MatchRule,
    Pattern,
    SelfTest,
    SideDifferenceRule,
    ThresholdRule,
)
from backbalance.content.schema import Evidence as EvidenceSpec
from backbalance.content.vocabulary import Sex
from backbalance.core.assessment import ASPECT_OF
from backbalance.core.case import mirror_case, parse_case
from backbalance.core.engine import evaluate, evaluate_raw
from backbalance.core.patterns import PatternOutcome, find_patterns
from backbalance.core.types import (
    Confidence,
    Finding,
    MatchedElement,
    PatternResult,
    PrimaryImbalance,
    Result,
    Side,
    SignFinding,
    Status,
    other_side,
)
from backbalance.core.types import (
    Evidence as FoundEvidence,
)
from tests.core.test_assessment import (
    QUIET,
    TESTS,
    build,
    confirmed,
    effect_side,
    failing_value,
    firing_value,
    quiet,
)
from tests.strategies import CONTENT, all_no, reading

PATTERNS = CONTENT.patterns
SIDED = [p.id for p in PATTERNS.values() if p.sided]
WEIGHT = CONTENT.engine.evidence_weight.weight
# The one pattern whose min_score deliberately breaks the 0.625 R rule (see patterns.yaml).
POLICY_EXCEPTIONS = {"lateral_endurance_asymmetry"}


# --------------------------------------------------------------------------- helpers


def muscle(name: str, status: Status, side: Side, confidence: Confidence) -> Finding:
    return Finding(name, side, ASPECT_OF[status], status, confidence, "built for a test", ())


def sign(name: str, side: Side, confidence: Confidence) -> SignFinding:
    return SignFinding(name, side, confidence, ())


Evidence = Finding | SignFinding


def evidence_for(spec: EvidenceSpec, side: Side, confidence: Confidence) -> Evidence:
    """A finding or sign that satisfies one evidence entry of a pattern element."""
    if spec.muscle is not None:
        assert spec.status is not None
        where: Side = side if CONTENT.muscles[spec.muscle].sided else "bilateral"
        return muscle(spec.muscle, spec.status[0], where, confidence)
    assert spec.sign is not None
    where = side if CONTENT.signs[spec.sign].sided else "bilateral"
    return sign(spec.sign, where, confidence)


def required_weight(pattern: Pattern) -> float:
    return sum(e.weight for e in pattern.elements if e.required)


def required_evidence(
    pattern: Pattern, confidence: Confidence, side: Side = "left"
) -> list[Evidence]:
    return [evidence_for(e.any_of[0], side, confidence) for e in pattern.elements if e.required]


def judge(evidence: Sequence[Evidence]) -> PatternOutcome:
    findings = tuple(e for e in evidence if isinstance(e, Finding))
    signs = tuple(e for e in evidence if isinstance(e, SignFinding))
    return find_patterns(findings, signs, CONTENT)


def present(outcome: PatternOutcome, pattern_id: str) -> PatternResult | None:
    found = [p for p in outcome.patterns if p.pattern == pattern_id]
    assert len(found) <= 1
    return found[0] if found else None


def primary(outcome: PatternOutcome) -> list[tuple[str, Side]]:
    return [(p.pattern, p.side) for p in outcome.primary]


# --------------------------------------------------------------------------- the policy


@pytest.mark.parametrize("pattern_id", sorted(set(PATTERNS) - POLICY_EXCEPTIONS))
def test_min_score_follows_the_policy_in_the_header_of_patterns_yaml(pattern_id: str) -> None:
    pattern = PATTERNS[pattern_id]
    assert pattern.min_score == pytest.approx(0.625 * required_weight(pattern))


def test_the_one_policy_exception_needs_the_side_plank_sign_at_moderate_confidence() -> None:
    pattern = PATTERNS["lateral_endurance_asymmetry"]
    assert pattern.min_score == 0.75
    assert required_weight(pattern) == 1.0


def test_the_evidence_weights_and_the_primary_limit_are_as_documented() -> None:
    assert WEIGHT == {"low": 0.5, "moderate": 0.75, "high": 1.0}
    assert CONTENT.engine.max_primary_imbalances == 2


# --------------------------------------------------------------------------- each pattern


@pytest.mark.parametrize("pattern_id", list(PATTERNS))
def test_a_pattern_is_present_when_its_required_elements_are_found_at_moderate_confidence(
    pattern_id: str,
) -> None:
    pattern = PATTERNS[pattern_id]
    outcome = judge(required_evidence(pattern, "moderate"))
    result = present(outcome, pattern_id)
    assert result is not None
    assert result.confidence == "moderate"
    assert result.score == pytest.approx(WEIGHT["moderate"] * required_weight(pattern))
    matched = {m.element for m in result.matched}
    assert matched >= {e.id for e in pattern.elements if e.required}
    assert result.sources == tuple(pattern.sources)


@pytest.mark.parametrize("pattern_id", list(PATTERNS))
def test_a_pattern_is_absent_when_its_required_elements_are_low_confidence_and_unsupported(
    pattern_id: str,
) -> None:
    outcome = judge(required_evidence(PATTERNS[pattern_id], "low"))
    assert present(outcome, pattern_id) is None


def _support_rows() -> list[Any]:
    rows = []
    for pattern in PATTERNS.values():
        if pattern.id in POLICY_EXCEPTIONS:
            continue
        for element in pattern.elements:
            if not element.required and element.weight >= 0.5:
                rows.append(pytest.param(pattern.id, element.id, id=f"{pattern.id}-{element.id}"))
    return rows


@pytest.mark.parametrize(("pattern_id", "element_id"), _support_rows())
def test_one_low_confidence_supporting_element_lifts_low_confidence_required_ones_over_the_bar(
    pattern_id: str, element_id: str
) -> None:
    pattern = PATTERNS[pattern_id]
    element = next(e for e in pattern.elements if e.id == element_id)
    evidence = [*required_evidence(pattern, "low"), evidence_for(element.any_of[0], "left", "low")]
    result = present(judge(evidence), pattern_id)
    assert result is not None
    assert result.confidence == "low"
    assert element_id in {m.element for m in result.matched}


def test_a_low_confidence_side_plank_gap_with_only_its_own_companion_findings_is_not_enough() -> (
    None
):
    evidence: list[Evidence] = [
        sign("side_bridge_asymmetry", "left", "low"),
        muscle("quadratus_lumborum", "weak", "left", "low"),
        muscle("obliques", "weak", "left", "low"),
    ]
    assert present(judge(evidence), "lateral_endurance_asymmetry") is None


def _required_rows() -> list[Any]:
    return [
        pytest.param(p.id, e.id, id=f"{p.id}-{e.id}")
        for p in PATTERNS.values()
        for e in p.elements
        if e.required
    ]


@pytest.mark.parametrize(("pattern_id", "missing_id"), _required_rows())
def test_a_missing_required_element_keeps_a_pattern_out_even_with_every_support_at_high(
    pattern_id: str, missing_id: str
) -> None:
    pattern = PATTERNS[pattern_id]
    evidence = [
        evidence_for(spec, "left", "high")
        for element in pattern.elements
        if element.id != missing_id
        for spec in element.any_of
    ]
    assert present(judge(evidence), pattern_id) is None


def test_pattern_confidence_is_that_of_the_weakest_required_element() -> None:
    evidence: list[Evidence] = [
        muscle("iliopsoas", "short", "left", "high"),
        muscle("gluteus_maximus", "weak", "left", "low"),
        sign("anterior_pelvic_tilt", "bilateral", "high"),
    ]
    result = present(judge(evidence), "lower_crossed")
    assert result is not None
    assert result.confidence == "low"
    # 1.0 x high + 1.0 x low + 0.5 x high
    assert result.score == pytest.approx(1.0 + 0.5 + 0.5)


def test_an_element_counts_once_at_its_best_matching_confidence() -> None:
    evidence = [
        muscle("iliopsoas", "short", "left", "low"),
        muscle("rectus_femoris", "short", "right", "high"),
        muscle("gluteus_maximus", "weak", "left", "moderate"),
    ]
    result = present(judge(evidence), "lower_crossed")
    assert result is not None
    hip = next(m for m in result.matched if m.element == "hip_flexors_short")
    assert hip.confidence == "high"
    assert result.score == pytest.approx(1.0 + 0.75)


def test_unmatched_supporting_elements_are_listed_as_missing() -> None:
    result = present(judge(required_evidence(PATTERNS["lower_crossed"], "high")), "lower_crossed")
    assert result is not None
    optional = [e.label for e in PATTERNS["lower_crossed"].elements if not e.required]
    assert list(result.missing) == optional


def test_a_normal_or_inconclusive_finding_never_matches_an_element() -> None:
    evidence = [
        Finding("iliopsoas", "left", "length", "normal", "high", "", ()),
        Finding("gluteus_maximus", "left", "strength", "inconclusive", "low", "", ()),
    ]
    assert judge(evidence).patterns == ()


# --------------------------------------------------------------------------- sides


@pytest.mark.parametrize("pattern_id", SIDED)
@pytest.mark.parametrize("side", ["left", "right"])
def test_a_sided_pattern_is_reported_on_the_side_its_evidence_is_on(
    pattern_id: str, side: Side
) -> None:
    outcome = judge(required_evidence(PATTERNS[pattern_id], "high", side))
    result = present(outcome, pattern_id)
    assert result is not None
    assert result.side == side
    assert (pattern_id, side) in primary(outcome)


@pytest.mark.parametrize("pattern_id", SIDED)
def test_a_sided_pattern_present_on_both_sides_is_reported_once_as_bilateral(
    pattern_id: str,
) -> None:
    pattern = PATTERNS[pattern_id]
    evidence = [
        *required_evidence(pattern, "high", "left"),
        *required_evidence(pattern, "moderate", "right"),
    ]
    outcome = judge(evidence)
    results = [p for p in outcome.patterns if p.pattern == pattern_id]
    assert len(results) == 1
    assert results[0].side == "bilateral"
    # As strong as the weaker side, so it never outranks a one-sided finding of the same kind.
    assert results[0].score == pytest.approx(WEIGHT["moderate"] * required_weight(pattern))
    assert results[0].confidence == "moderate"


@pytest.mark.parametrize("pattern_id", SIDED)
def test_sided_evidence_on_the_other_side_does_not_count_for_this_side(pattern_id: str) -> None:
    pattern = PATTERNS[pattern_id]
    evidence = required_evidence(pattern, "moderate", "right")
    # The supporting elements at high on the LEFT must not lift the right-sided pattern.
    evidence += [
        evidence_for(spec, "left", "high")
        for e in pattern.elements
        if not e.required
        for spec in e.any_of
        if spec.side == "pattern"
    ]
    result = present(judge(evidence), pattern_id)
    assert result is not None
    assert result.side == "right"
    assert result.score == pytest.approx(WEIGHT["moderate"] * required_weight(pattern))


def test_the_lateral_tilt_of_example_three_is_on_the_high_side_with_its_supports() -> None:
    evidence: list[Evidence] = [
        sign("pelvis_high_side", "right", "low"),
        muscle("gluteus_medius", "weak", "right", "low"),
        muscle("adductors", "tight", "right", "low"),
        sign("shoulder_low_side", "right", "low"),
        muscle("gluteus_medius", "weak", "left", "high"),
    ]
    result = present(judge(evidence), "lateral_pelvic_tilt")
    assert result is not None
    assert result.side == "right"
    assert result.score == pytest.approx(0.5 + 3 * 0.25)


# --------------------------------------------------------------------------- explanation


@pytest.mark.parametrize("pattern_id", SIDED)
@pytest.mark.parametrize(("side", "word"), [("left", "left"), ("right", "right")])
def test_the_explanation_names_the_side_of_a_sided_pattern(
    pattern_id: str, side: Side, word: str
) -> None:
    assert "{side}" in PATTERNS[pattern_id].explanation
    outcome = judge(required_evidence(PATTERNS[pattern_id], "high", side))
    chosen = next(p for p in outcome.primary if p.pattern == pattern_id)
    assert "{side}" not in chosen.explanation
    assert word in chosen.explanation
    other = "right" if word == "left" else "left"
    assert other not in chosen.explanation.replace(word, "")


@pytest.mark.parametrize("pattern_id", SIDED)
def test_the_explanation_of_a_bilateral_pattern_names_both_sides(pattern_id: str) -> None:
    pattern = PATTERNS[pattern_id]
    evidence = [
        *required_evidence(pattern, "high", "left"),
        *required_evidence(pattern, "high", "right"),
    ]
    chosen = next(p for p in judge(evidence).primary if p.pattern == pattern_id)
    assert chosen.side == "bilateral"
    assert "{side}" not in chosen.explanation
    assert "both" in chosen.explanation


@pytest.mark.parametrize("pattern_id", list(PATTERNS))
def test_every_primary_imbalance_carries_its_explanation_and_evidence(pattern_id: str) -> None:
    outcome = judge(required_evidence(PATTERNS[pattern_id], "high"))
    chosen = next(p for p in outcome.primary if p.pattern == pattern_id)
    assert "{side}" not in chosen.explanation
    assert chosen.name == PATTERNS[pattern_id].name
    assert len(chosen.evidence) == sum(e.required for e in PATTERNS[pattern_id].elements)


# --------------------------------------------------------------------------- exclusions


def test_excluding_patterns_name_each_other_in_the_content() -> None:
    for pattern in PATTERNS.values():
        for other in pattern.excludes:
            assert pattern.id in PATTERNS[other].excludes
    pairs = {frozenset((p.id, other)) for p in PATTERNS.values() for other in p.excludes}
    assert pairs == {
        frozenset(("lower_crossed", "posterior_pelvic_tilt")),
        frozenset(("hamstring_shortness", "general_laxity")),
    }


EXCLUSIONS = [
    pytest.param(
        [
            muscle("iliopsoas", "short", "left", "high"),
            muscle("gluteus_maximus", "weak", "left", "high"),
            muscle("hamstrings", "short", "left", "moderate"),
            sign("posterior_pelvic_tilt", "bilateral", "moderate"),
        ],
        "lower_crossed",
        "posterior_pelvic_tilt",
        id="lower-crossed-stronger",
    ),
    pytest.param(
        [
            muscle("iliopsoas", "short", "left", "low"),
            muscle("gluteus_maximus", "weak", "left", "low"),
            sign("anterior_pelvic_tilt", "bilateral", "low"),
            muscle("hamstrings", "short", "left", "high"),
            sign("posterior_pelvic_tilt", "bilateral", "high"),
        ],
        "posterior_pelvic_tilt",
        "lower_crossed",
        id="flat-back-stronger",
    ),
    pytest.param(
        [
            muscle("hamstrings", "short", "left", "high"),
            muscle("hamstrings", "lax", "right", "moderate"),
        ],
        "hamstring_shortness",
        "general_laxity",
        id="short-hamstrings-stronger",
    ),
    pytest.param(
        [
            muscle("hamstrings", "short", "left", "moderate"),
            muscle("hamstrings", "lax", "right", "high"),
            sign("aberrant_forward_bend", "bilateral", "moderate"),
        ],
        "general_laxity",
        "hamstring_shortness",
        id="laxity-stronger",
    ),
]


@pytest.mark.parametrize(("evidence", "winner", "loser"), EXCLUSIONS)
def test_of_two_excluding_patterns_only_the_stronger_becomes_primary_with_a_warning(
    evidence: list[Finding | SignFinding], winner: str, loser: str
) -> None:
    outcome = judge(evidence)
    won, lost = present(outcome, winner), present(outcome, loser)
    assert won is not None and lost is not None, "both must be present for the test to mean much"
    assert won.score > lost.score
    chosen = [p for p, _ in primary(outcome)]
    assert winner in chosen
    assert loser not in chosen
    warnings = [w for w in outcome.warnings if w.code == "conflicting_patterns"]
    assert [w.about for w in warnings] == [loser]
    assert PATTERNS[winner].name in warnings[0].message
    assert PATTERNS[loser].name in warnings[0].message


def test_a_pattern_excluded_by_a_primary_one_does_not_block_the_next_candidate() -> None:
    evidence: list[Evidence] = [
        muscle("iliopsoas", "short", "left", "high"),
        muscle("gluteus_maximus", "weak", "left", "high"),
        sign("posterior_pelvic_tilt", "bilateral", "moderate"),
        muscle("hamstrings", "short", "left", "moderate"),
    ]
    outcome = judge(evidence)
    # lower_crossed 2.0, posterior_pelvic_tilt 1.5 (excluded), hamstring_shortness 1.125
    assert [p for p, _ in primary(outcome)] == ["lower_crossed", "hamstring_shortness"]


# --------------------------------------------------------------------------- ranking


def test_at_most_two_primary_imbalances_ranked_by_score() -> None:
    evidence: list[Evidence] = [
        # lower_crossed at high: 2.0
        muscle("iliopsoas", "short", "left", "high"),
        muscle("gluteus_maximus", "weak", "left", "high"),
        # trunk_endurance_imbalance at moderate: 0.75 (priority 2)
        sign("trunk_extensor_endurance_low_relative", "bilateral", "moderate"),
        # hamstring_shortness at moderate: 0.75 (priority 8)
        muscle("hamstrings", "short", "right", "moderate"),
    ]
    outcome = judge(evidence)
    assert {p.pattern for p in outcome.patterns} >= {
        "lower_crossed",
        "trunk_endurance_imbalance",
        "hamstring_shortness",
    }
    assert len(outcome.primary) == CONTENT.engine.max_primary_imbalances == 2
    assert [(p.rank, p.pattern) for p in outcome.primary] == [
        (1, "lower_crossed"),
        (2, "trunk_endurance_imbalance"),
    ]
    assert outcome.warnings == ()


TIES = [
    ("trunk_endurance_imbalance", "hamstring_shortness"),
    ("hip_abductor_weakness", "one_sided_hip_flexor_tightness"),
    ("general_laxity", "lateral_pelvic_tilt"),
]


@pytest.mark.parametrize(("first", "second"), TIES)
def test_equal_scores_are_ranked_by_priority(first: str, second: str) -> None:
    assert PATTERNS[first].priority < PATTERNS[second].priority
    evidence = [
        *required_evidence(PATTERNS[second], "moderate"),
        *required_evidence(PATTERNS[first], "moderate"),
    ]
    outcome = judge(evidence)
    scores = {p.pattern: p.score for p in outcome.patterns}
    assert scores[first] == scores[second]
    assert [p for p, _ in primary(outcome)][:2] == [first, second]


def test_a_higher_score_beats_a_better_priority() -> None:
    evidence: list[Evidence] = [
        # one_sided_hip_flexor_tightness (priority 6): 1.0 + 0.5 + 0.5 = 2.0
        sign("hip_flexor_length_asymmetry", "left", "high"),
        muscle("iliopsoas", "short", "left", "high"),
        muscle("rectus_femoris", "short", "left", "high"),
        # lower_crossed (priority 1): hip flexors at high 1.0 + weak buttock at low 0.5 = 1.5
        muscle("gluteus_maximus", "weak", "left", "low"),
    ]
    outcome = judge(evidence)
    assert PATTERNS["lower_crossed"].priority < PATTERNS["one_sided_hip_flexor_tightness"].priority
    assert primary(outcome) == [
        ("one_sided_hip_flexor_tightness", "left"),
        ("lower_crossed", "bilateral"),
    ]
    assert [p.score for p in outcome.patterns] == [2.0, 1.5]


def test_no_evidence_gives_no_patterns_and_no_primary_imbalance() -> None:
    outcome = judge([])
    assert outcome.patterns == ()
    assert outcome.primary == ()
    assert outcome.warnings == ()


# --------------------------------------------------------------------------- ties and sides


def test_a_tie_between_a_left_and_a_right_finding_does_not_go_to_the_left_one() -> None:
    # Outer hip short on the left, tight on the right, equally sure: the element names the
    # same evidence whichever side the input lists first, so mirrored input mirrors it.
    evidence = [
        muscle("iliopsoas", "short", "bilateral", "high"),
        muscle("gluteus_maximus", "weak", "bilateral", "high"),
        muscle("tfl_itb", "short", "left", "low"),
        muscle("tfl_itb", "tight", "right", "low"),
    ]
    mirrored = [
        muscle("iliopsoas", "short", "bilateral", "high"),
        muscle("gluteus_maximus", "weak", "bilateral", "high"),
        muscle("tfl_itb", "tight", "left", "low"),
        muscle("tfl_itb", "short", "right", "low"),
    ]

    def outer_hip(outcome: PatternOutcome) -> tuple[str | None, Side]:
        result = present(outcome, "lower_crossed")
        assert result is not None
        hit = next(m for m in result.matched if m.element == "outer_hip_tight")
        return hit.status, hit.side

    assert outer_hip(judge(evidence)) == ("short", "left")
    assert outer_hip(judge(mirrored)) == ("short", "right")


def test_equal_findings_on_both_sides_are_named_for_both_sides() -> None:
    evidence = [
        muscle("iliopsoas", "short", "left", "high"),
        muscle("iliopsoas", "short", "right", "high"),
        muscle("gluteus_maximus", "weak", "bilateral", "high"),
    ]
    result = present(judge(evidence), "lower_crossed")
    assert result is not None
    hip = next(m for m in result.matched if m.element == "hip_flexors_short")
    assert hip.side == "bilateral"
    assert hip.matched_by.endswith("(both sides)")


def test_a_pattern_on_both_sides_with_equal_scores_takes_nothing_from_the_left_side_alone() -> None:
    # Left: the pelvis sign and a weak side buttock muscle; right: the pelvis sign and tight
    # inner thigh muscles. Equal scores, different supports: neither is "missing" for both.
    evidence: list[Evidence] = [
        sign("pelvis_high_side", "left", "moderate"),
        muscle("gluteus_medius", "weak", "left", "moderate"),
        sign("pelvis_high_side", "right", "moderate"),
        muscle("adductors", "tight", "right", "moderate"),
    ]
    result = present(judge(evidence), "lateral_pelvic_tilt")
    assert result is not None and result.side == "bilateral"
    labels = {e.id: e.label for e in PATTERNS["lateral_pelvic_tilt"].elements}
    assert labels["side_glute_weak_this_side"] not in result.missing
    assert labels["adductors_tight_this_side"] not in result.missing
    assert labels["shoulder_lower_this_side"] in result.missing
    order = {e.id: n for n, e in enumerate(PATTERNS["lateral_pelvic_tilt"].elements)}
    keys = [(order[m.element], m.side) for m in result.matched]
    assert keys == sorted(keys)


# --------------------------------------------------------------------------- single imbalances


def singles(outcome: PatternOutcome) -> list[tuple[str, Side, str]]:
    return [(p.pattern, p.side, p.confidence) for p in outcome.primary if p.kind == "single"]


def test_a_confident_shortness_of_one_group_on_both_sides_is_named_although_no_pattern_fits() -> (
    None
):
    outcome = judge(
        [
            muscle("rectus_femoris", "short", "left", "moderate"),
            muscle("rectus_femoris", "short", "right", "moderate"),
        ]
    )
    assert [p for p in outcome.patterns if p.kind == "pattern"] == []
    assert singles(outcome) == [("single_rectus_femoris_short", "bilateral", "moderate")]
    chosen = outcome.primary[0]
    name = CONTENT.muscles["rectus_femoris"].name
    assert chosen.name == f"{name} short"
    assert chosen.evidence == (f"{name}: short (both sides)",)
    assert "on both sides" in chosen.explanation
    assert CONTENT.muscles["rectus_femoris"].what_it_does.split()[0] in chosen.explanation
    assert "{" not in chosen.explanation
    assert chosen.confirm_with == ()


@pytest.mark.parametrize("side", ["left", "right"])
def test_a_one_sided_single_imbalance_names_its_side(side: Side) -> None:
    outcome = judge([muscle("tfl_itb", "tight", side, "moderate")])
    assert singles(outcome) == [("single_tfl_itb_tight", side, "moderate")]
    assert f"on your {side} side" in outcome.primary[0].explanation


def test_a_midline_group_is_named_without_a_side() -> None:
    # Nothing else: the obliques alone fit no named pattern (the trunk pattern wants the
    # back or front muscles).
    outcome = judge([muscle("obliques", "weak", "bilateral", "high")])
    assert singles(outcome) == [("single_obliques_weak", "bilateral", "high")]


def test_sides_seen_at_different_confidence_are_one_imbalance_as_sure_as_the_weaker_side() -> None:
    outcome = judge(
        [
            muscle("adductors", "tight", "left", "moderate"),
            muscle("adductors", "tight", "right", "low"),
        ]
    )
    assert singles(outcome) == [("single_adductors_tight", "bilateral", "low")]
    name = CONTENT.muscles["adductors"].name
    assert outcome.primary[0].evidence == (f"{name}: tight (left)", f"{name}: tight (right)")


def test_a_named_pattern_ranks_before_a_single_imbalance_even_a_more_confident_one() -> None:
    outcome = judge(
        [
            # hamstring_shortness at moderate (0.75)
            muscle("hamstrings", "short", "left", "moderate"),
            # a high-confidence weakness no pattern explains
            muscle("quadratus_lumborum", "weak", "right", "high"),
        ]
    )
    assert primary(outcome) == [
        ("hamstring_shortness", "bilateral"),
        ("single_quadratus_lumborum_weak", "right"),
    ]
    assert [p.kind for p in outcome.primary] == ["pattern", "single"]


def test_a_finding_a_present_pattern_explains_is_not_named_again_on_its_own() -> None:
    outcome = judge(
        [
            muscle("iliopsoas", "short", "left", "high"),
            muscle("gluteus_maximus", "weak", "left", "high"),
            # a support of the lower crossed pattern, not its chosen evidence
            muscle("deep_hip_rotators", "tight", "right", "low"),
            # the same group and status as the chosen evidence, on the other side
            muscle("iliopsoas", "short", "right", "low"),
        ]
    )
    assert primary(outcome) == [("lower_crossed", "bilateral")]


def test_two_named_patterns_leave_no_place_for_a_single_imbalance() -> None:
    outcome = judge(
        [
            muscle("iliopsoas", "short", "left", "high"),
            muscle("gluteus_maximus", "weak", "left", "high"),
            sign("trunk_extensor_endurance_low_relative", "bilateral", "high"),
            muscle("quadratus_lumborum", "weak", "left", "high"),
        ]
    )
    assert [p.kind for p in outcome.primary] == ["pattern", "pattern"]
    # It is still listed with the patterns, after the named ones.
    assert [p.pattern for p in outcome.patterns][-1] == "single_quadratus_lumborum_weak"


def test_more_confident_single_imbalances_come_first_and_at_most_two_are_primary() -> None:
    outcome = judge(
        [
            muscle("deep_hip_rotators", "tight", "left", "low"),
            muscle("quadratus_lumborum", "weak", "right", "moderate"),
            muscle("tfl_itb", "tight", "left", "high"),
        ]
    )
    assert singles(outcome) == [
        ("single_tfl_itb_tight", "left", "high"),
        ("single_quadratus_lumborum_weak", "right", "moderate"),
    ]


def test_a_sign_that_stands_alone_is_named_when_no_pattern_explains_it() -> None:
    outcome = judge([sign("posterior_chain_asymmetry", "left", "moderate")])
    assert singles(outcome) == [("single_posterior_chain_asymmetry", "left", "moderate")]
    assert CONTENT.signs["posterior_chain_asymmetry"].meaning.split()[0] in (
        outcome.primary[0].explanation
    )


@pytest.mark.parametrize(
    "sign_id", sorted(s.id for s in CONTENT.signs.values() if not s.stands_alone)
)
def test_a_sign_that_does_not_stand_alone_never_makes_a_headline_by_itself(sign_id: str) -> None:
    where: Side = "left" if CONTENT.signs[sign_id].sided else "bilateral"
    outcome = judge([sign(sign_id, where, "high")])
    assert singles(outcome) == []


def test_the_signs_that_stand_alone_are_the_clear_findings_of_moderate_or_better_tests() -> None:
    alone = {s.id for s in CONTENT.signs.values() if s.stands_alone}
    assert alone == {
        "posterior_chain_asymmetry",
        "pelvic_load_transfer_difficulty",
        "aberrant_forward_bend",
    }
    for test in CONTENT.tests.values():
        for rule in test.rules:
            if any(e.sign in alone for e in rule.effects):
                assert test.reliability.grade != "low", test.id


# --------------------------------------------------------------------------- to the headline
#
# For every test in the battery and every way it can show something abnormal (each rule
# and each value it fires on, each sex with a cut-off, each side, "too hard", each ratio),
# a case with only that abnormality is run through the whole engine, and the headline
# must name what it showed. The only exceptions are signs the content says do not stand
# alone (posture and height hints, and pain that points away from muscles); those must
# be shown among the signs instead, and never make a headline on their own.

# (worse side, other side) readings that make each side-difference rule fire.
SIDE_GAPS: dict[tuple[str, str], tuple[float, float]] = {
    ("side_bridge", "side_difference"): (45, 80),
    ("modified_thomas", "hip_angle_side_difference"): (15, 2),
    ("single_leg_bridge", "reps_side_difference"): (20, 25),
}

Expected = tuple[str | None, str | None, str | None, Side]


def _expected(
    effects: list[Effect], tested: Side, field_side: Side | None = None
) -> list[Expected]:
    expected: list[Expected] = []
    for effect in effects:
        where = effect_side(effect, tested, field_side)
        if effect.muscle is not None:
            sided = CONTENT.muscles[effect.muscle].sided
            expected.append((effect.muscle, effect.status, None, where if sided else "bilateral"))
        else:
            assert effect.sign is not None
            sided = CONTENT.signs[effect.sign].sided
            expected.append((None, None, effect.sign, where if sided else "bilateral"))
    return expected


def _place(
    test: SelfTest, reading: dict[str, Any], side: Side, other: dict[str, Any] | None
) -> dict[str, Any]:
    if not test.per_side:
        return {test.id: reading}
    twin: Side = "right" if side == "left" else "left"
    return {test.id: {side: reading, **({twin: other} if other is not None else {})}}


def _headline_rows() -> list[Any]:
    rows = []
    for test in TESTS.values():
        sides: list[Side] = ["left", "right"] if test.per_side else ["bilateral"]
        for rule in test.rules:
            if isinstance(rule, SideDifferenceRule):
                worse, better = SIDE_GAPS[(test.id, rule.id)]
                for side in sides:
                    reading = quiet(test.id, **{rule.field: worse})
                    tests = _place(test, reading, side, quiet(test.id, **{rule.field: better}))
                    rows.append(
                        pytest.param(
                            tests, "male", _expected(rule.effects, side), id=f"{rule.id}-{side}"
                        )
                    )
                continue
            sexes = ["male"]
            if isinstance(rule, ThresholdRule) and rule.by_sex is not None:
                sexes = [s for s in ("female", "male") if getattr(rule.by_sex, s) is not None]
            values = rule.values if isinstance(rule, MatchRule) else [None]
            for sex in sexes:
                for value in values:
                    fired = value if value is not None else firing_value(test, rule, sex)
                    choices: list[Choice | None] = [None]
                    if rule.side_field is not None:
                        choices = [c for c in test.field(rule.side_field).choices if c.names_side]
                    for choice in choices:
                        reading = confirmed(rule, quiet(test.id, **{rule.field: fired}))
                        field_side = None
                        if choice is not None:
                            if rule.side_field == rule.field and choice.id != fired:
                                continue
                            assert rule.side_field is not None
                            reading[rule.side_field] = choice.id
                            field_side = choice.names_side
                        for side in sides:
                            tests = _place(test, reading, side, QUIET[test.id])
                            expected = _expected(rule.effects, side, field_side)
                            where = choice.id if choice else side
                            rows.append(
                                pytest.param(
                                    tests, sex, expected, id=f"{rule.id}-{fired}-{sex}-{where}"
                                )
                            )
        if test.if_too_hard is not None:
            for side in sides:
                tests = _place(test, {"could_not_do": "too_hard"}, side, QUIET[test.id])
                expected = [
                    (m, test.if_too_hard, None, side if CONTENT.muscles[m].sided else "bilateral")
                    for m in test.targets
                ]
                rows.append(pytest.param(tests, "male", expected, id=f"{test.id}-too-hard-{side}"))
    for ratio_rule in (r for r in CONTENT.ratios if r.effects):
        assert ratio_rule.threshold is not None and ratio_rule.op == "gt"
        denominator = 200
        numerator = ratio_rule.threshold.value * denominator + 2
        tests = {ratio_rule.denominator.test: {ratio_rule.denominator.field: denominator}}
        top = ratio_rule.numerator
        if top.side is None:
            tests[top.test] = {top.field: numerator}
        else:
            tests[top.test] = {"left": {top.field: numerator}, "right": {top.field: numerator}}
        for sex in ("female", "male"):
            rows.append(
                pytest.param(
                    tests,
                    sex,
                    _expected(ratio_rule.effects, "bilateral"),
                    id=f"{ratio_rule.id}-{sex}",
                )
            )
    return rows


def test_every_side_difference_rule_has_readings_in_the_headline_table() -> None:
    in_content = {
        (t.id, r.id) for t in TESTS.values() for r in t.rules if isinstance(r, SideDifferenceRule)
    }
    assert set(SIDE_GAPS) == in_content


def _named(result: Result, expected: Expected) -> bool:
    muscle_id, status, sign_id, side = expected
    by_id = {p.pattern: p for p in result.patterns}
    for chosen in result.primary_imbalances:
        for matched in by_id[chosen.pattern].matched:
            same = (
                matched.muscle == muscle_id and matched.status == status
                if muscle_id is not None
                else matched.sign == sign_id
            )
            if same and matched.side == side:
                return True
    return False


@pytest.mark.parametrize(("tests", "sex", "expected"), _headline_rows())
def test_every_way_a_test_can_show_an_abnormality_reaches_the_headline(
    tests: dict[str, Any], sex: Sex, expected: list[Expected]
) -> None:
    result = evaluate(build(tests, sex=sex), CONTENT)
    abnormal = [f for f in result.findings if f.status not in ("normal", "inconclusive")]
    shown_signs = {(s.sign, s.side) for s in result.signs}
    weak_hints_only = not abnormal and all(
        sign_id is not None and not CONTENT.signs[sign_id].stands_alone
        for _, _, sign_id, _ in expected
    )
    if weak_hints_only:
        # A posture or height hint, or pain pointing away from muscles: shown, not headlined.
        assert result.primary_imbalances == ()
        for _, _, sign_id, side in expected:
            assert (sign_id, side) in shown_signs
            if CONTENT.signs[str(sign_id)].tell_clinician:
                assert ("tell_clinician", sign_id) in {(w.code, w.about) for w in result.warnings}
        return
    assert any(_named(result, e) for e in expected), (expected, result.primary_imbalances)
    assert "no_clear_imbalance" not in {w.code for w in result.warnings}
    for chosen in result.primary_imbalances:
        assert "{" not in chosen.explanation
        if chosen.kind == "single" and chosen.confidence == "low":
            # A first hint names the test that would confirm it.
            assert chosen.confirm_with
            for test_id in chosen.confirm_with:
                assert TESTS[test_id].name in chosen.explanation


def test_a_low_confidence_finding_names_a_more_reliable_test_that_would_confirm_it() -> None:
    reading = quiet("straight_leg_raise", angle=70)
    result = evaluate(build({"straight_leg_raise": {"left": reading}}), CONTENT)
    (chosen,) = result.primary_imbalances
    assert (chosen.pattern, chosen.side, chosen.confidence) == (
        "single_hamstrings_short",
        "left",
        "low",
    )
    assert chosen.confirm_with == ("active_knee_extension",)
    assert TESTS["active_knee_extension"].name in chosen.explanation


def test_a_low_confidence_finding_no_other_test_can_show_is_confirmed_by_repeating_its_test() -> (
    None
):
    reading = quiet("modified_thomas", hip_angle=10)
    tests = {"modified_thomas": {"left": reading, "right": reading}}
    (chosen,) = evaluate(build(tests), CONTENT).primary_imbalances
    # The example: both sides short, nothing else abnormal.
    assert (chosen.pattern, chosen.side, chosen.confidence) == (
        "single_iliopsoas_short",
        "bilateral",
        "low",
    )
    assert chosen.confirm_with == ("modified_thomas",)
    assert "repeat the same test" in chosen.explanation
    assert f"Found by: {TESTS['modified_thomas'].name}." in chosen.explanation


def test_a_test_already_done_is_not_offered_as_the_confirming_test() -> None:
    # A bridge count under the low mark is low confidence (the mark comes from fitter
    # people), so the finding asks for confirmation by the other buttock test.
    tests = {"single_leg_bridge": {"left": quiet("single_leg_bridge", reps=15)}}
    (chosen,) = evaluate(build(tests), CONTENT).primary_imbalances
    assert (chosen.pattern, chosen.confidence) == ("single_gluteus_maximus_weak", "low")
    assert chosen.confirm_with == ("prone_hip_extension",)
    # The leg lift was done on that side and showed nothing: it already had its say, so
    # the doubtful finding is to be confirmed by repeating the test that found it.
    tests["prone_hip_extension"] = {"left": QUIET["prone_hip_extension"]}
    (chosen,) = evaluate(build(tests), CONTENT).primary_imbalances
    assert chosen.confidence == "low"
    assert chosen.confirm_with == ("single_leg_bridge",)


def test_the_figure_4_test_neither_confirms_nor_clears_tight_deep_hip_rotators() -> None:
    """A limited figure-4 is held back by what resists opening the hip (adductors, front
    capsule, internal rotators), never by the external rotators it shortens."""
    feeling = {"buttock_feeling": "strong_tightness"}
    tests = {"piriformis_length": {"left": quiet("piriformis_length", **feeling)}}
    (chosen,) = evaluate(build(tests), CONTENT).primary_imbalances
    assert chosen.pattern == "single_deep_hip_rotators_tight"
    assert chosen.confirm_with == ("piriformis_length",)
    for faber in (QUIET["faber"], quiet("faber", knee_stays_up=True)):
        tests["faber"] = {"left": faber}
        result = evaluate(build(tests), CONTENT)
        rotators = [f for f in result.findings if f.muscle == "deep_hip_rotators"]
        assert [f.status for f in rotators] == ["tight"]
        assert all(e.test == "piriformis_length" for f in rotators for e in f.evidence)


def test_one_reading_that_shows_two_groups_gives_one_headline_not_two() -> None:
    tests = {"single_leg_bridge": {"left": {"reps": 12}, "right": {"reps": 12}}}
    result = evaluate(build(tests), CONTENT)
    weak = {f.muscle for f in result.findings if f.status == "weak"}
    assert weak == {"gluteus_maximus", "hamstrings"}
    # The bridge's main target first; the hamstrings rest on the same reading.
    assert [p.pattern for p in result.primary_imbalances] == ["single_gluteus_maximus_weak"]


# --------------------------------------------------------------------------- mirrored input


def _reading_pool(test_id: str) -> list[dict[str, Any]]:
    """A quiet reading, each way the test can fire, and the ways it can go undone."""
    test = TESTS[test_id]
    pool: list[dict[str, Any]] = [QUIET[test_id], {"could_not_do": "pain"}]
    for rule in test.rules:
        if isinstance(rule, SideDifferenceRule):
            pool += [quiet(test_id, **{rule.field: v}) for v in SIDE_GAPS[(test_id, rule.id)]]
        elif isinstance(rule, MatchRule):
            pool += [quiet(test_id, **{rule.field: v}) for v in rule.values]
        else:
            sexes = [
                s for s in ("female", "male") if rule.by_sex is None or getattr(rule.by_sex, s)
            ]
            fired = [
                confirmed(rule, quiet(test_id, **{rule.field: firing_value(test, rule, s)}))
                for s in sexes
            ]
            if rule.side_field is not None:
                # A reading past the threshold names the side it is on (never "level").
                sides = [c.id for c in test.field(rule.side_field).choices if c.names_side]
                fired = [{**r, rule.side_field: side} for r in fired for side in sides]
            pool += fired
    for check in test.validity:
        pool.append(quiet(test_id, **{check.field: failing_value(test, check)}))
    if test.if_too_hard is not None:
        pool.append({"could_not_do": "too_hard"})
    return pool


@st.composite
def sided_cases(draw: st.DrawFn) -> dict[str, Any]:
    """Cases rich in left-right ties and near-ties.

    Each side's reading comes mostly from the test's pool of meaningful readings (quiet,
    each way to fire, not done), sometimes from the general strategy, and a per-side test
    often gets the same reading on both sides.
    """
    tests: dict[str, Any] = {}

    def one(test_id: str) -> dict[str, Any]:
        if draw(st.integers(0, 4)) == 0:
            return draw(reading(TESTS[test_id]))
        return dict(draw(st.sampled_from(_reading_pool(test_id))))

    for test in TESTS.values():
        if not draw(st.booleans()):
            continue
        if not test.per_side:
            tests[test.id] = one(test.id)
            continue
        left = one(test.id)
        shape = draw(st.sampled_from(["same", "different", "different", "left only", "right only"]))
        if shape == "same":
            tests[test.id] = {"left": left, "right": dict(left)}
        elif shape == "different":
            tests[test.id] = {"left": left, "right": one(test.id)}
        else:
            tests[test.id] = {shape.split()[0]: left}
    return {
        "person": {
            "age": draw(st.integers(18, 90)),
            "sex": draw(st.sampled_from(["female", "male", "other", "not_stated"])),
        },
        "screening": all_no(),
        "tests": tests,
    }


def _swap_words(text: str) -> str:
    return re.sub(r"\b(left|right)\b", lambda m: "right" if m[0] == "left" else "left", text)


def _swap_prefix(name: str) -> str:
    return re.sub(r"^(left|right)(?=_|$)", lambda m: "right" if m[0] == "left" else "left", name)


# Ratios of one test's right side to its left: mirroring swaps their two readings.
LEFT_AGAINST_RIGHT_RATIOS = {
    r.id
    for r in CONTENT.ratios
    if r.numerator.test == r.denominator.test and r.numerator.side != r.denominator.side
}


def _mirror_view(result: Result, mirror: bool) -> dict[str, Any]:
    """Everything a person sees about their imbalances, with the sides swapped if asked."""

    def side(value: Side) -> Side:
        return other_side(value) if mirror else value

    def words(text: str) -> str:
        return _swap_words(text) if mirror else text

    def prefix(name: str) -> str:
        return _swap_prefix(name) if mirror else name

    def evidence(items: tuple[FoundEvidence, ...]) -> list[tuple[str, str, str | None, str]]:
        return sorted((e.test, prefix(e.rule), e.status, e.grade) for e in items)

    def reading_key(measure_id: str, key: str) -> str:
        if mirror and measure_id in LEFT_AGAINST_RIGHT_RATIOS:
            return {"numerator": "denominator", "denominator": "numerator"}[key]
        return prefix(key)

    def matched(m: MatchedElement) -> tuple[Any, ...]:
        return (
            m.element,
            m.label,
            words(m.matched_by),
            m.confidence,
            m.muscle,
            m.status,
            m.sign,
            side(m.side),
        )

    return {
        "findings": sorted(
            (f.muscle, side(f.side), f.aspect, f.status, f.confidence, f.why, evidence(f.evidence))
            for f in result.findings
        ),
        "signs": sorted(
            (s.sign, side(s.side), s.confidence, evidence(s.evidence)) for s in result.signs
        ),
        "patterns": sorted(
            (
                p.pattern,
                side(p.side),
                p.score,
                p.confidence,
                p.kind,
                sorted(matched(m) for m in p.matched),
                sorted(p.missing),
                p.summary,
            )
            for p in result.patterns
        ),
        "primary": [
            (
                p.rank,
                p.pattern,
                side(p.side),
                p.confidence,
                p.kind,
                sorted(words(e) for e in p.evidence),
                p.confirm_with,
                p.explanation if p.side == "bilateral" else words(p.explanation),
            )
            for p in result.primary_imbalances
        ],
        "measures": sorted(
            (
                m.id if m.id in LEFT_AGAINST_RIGHT_RATIOS else prefix(m.id),
                # A right-to-left ratio turns into its inverse: compare its readings.
                None if m.id in LEFT_AGAINST_RIGHT_RATIOS else m.value,
                m.flagged,
                sorted((reading_key(m.id, k), v) for k, v in m.readings.items()),
                # (and a zero on one side stops only one of the two directions)
                "" if m.id in LEFT_AGAINST_RIGHT_RATIOS else words(m.not_worked_out or ""),
            )
            for m in result.measures
        ),
    }


# The tie that once went to the left: outer hip short on the left (hip flexor test), tight
# on the right (Ober), equally doubtful, under a lower crossed pattern. Random cases
# reach so precise a tie only rarely, so it is always tried.
LEFT_RIGHT_TIE = {
    "person": {"age": 40, "sex": "male"},
    "screening": all_no(),
    "tests": {
        "modified_thomas": {
            "left": quiet("modified_thomas", hip_angle=10, thigh_drifts_out=True),
            "right": quiet("modified_thomas", hip_angle=10),
        },
        "ober": {"right": {"leg_rest": "above_level"}},
        "single_leg_bridge": {"left": {"reps": 12}, "right": {"reps": 12}},
    },
}


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sided_cases())
@example(LEFT_RIGHT_TIE)
def test_mirrored_input_mirrors_findings_patterns_primary_imbalances_and_their_evidence(
    raw: dict[str, Any],
) -> None:
    case = parse_case(raw, CONTENT)
    result = evaluate(case, CONTENT)
    mirrored = evaluate(mirror_case(case, CONTENT), CONTENT)
    ties = [
        t
        for t, r in raw["tests"].items()
        if isinstance(r, dict) and r.get("left") == r.get("right") and "left" in r
    ]
    if ties:
        hypothesis.event("a per-side test read the same on both sides")
    if any(p.kind == "single" for p in result.primary_imbalances):
        hypothesis.event("a single imbalance in the headline")
    if any(p.side in ("left", "right") for p in result.primary_imbalances):
        hypothesis.event("a one-sided primary imbalance")
    if any(
        m.side == "bilateral" and m.muscle and CONTENT.muscles[m.muscle].sided
        for p in result.patterns
        for m in p.matched
    ):
        hypothesis.event("evidence named for both sides")
    assert _mirror_view(mirrored, mirror=False) == _mirror_view(result, mirror=True)


def test_the_text_report_names_a_single_imbalance_with_its_explanation_and_evidence() -> None:
    reading = quiet("modified_thomas", hip_angle=10)
    result = evaluate(build({"modified_thomas": {"left": reading, "right": reading}}), CONTENT)
    text = render_text(result, CONTENT)
    flat = " ".join(text.split())
    (chosen,) = result.primary_imbalances
    assert f"1. {chosen.name}, both sides — possible" in flat
    assert chosen.explanation in flat
    assert "• Deep hip flexor (iliopsoas): short (both sides)" in flat
    assert "None could be named" not in flat


# --------------------------------------------------------------------------- honest wording

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cases"


def example_result(name: str) -> Result:
    return evaluate_raw(json.loads((EXAMPLES / name).read_text()), CONTENT)


def evidence_from(test_id: str, status: Status | None) -> FoundEvidence:
    grade = TESTS[test_id].reliability.grade
    return FoundEvidence(test_id, "built", status, {}, "built for a test", grade, ())


LOW_TESTS = sorted(t.id for t in TESTS.values() if t.reliability.grade == "low")
HIGH_TESTS = sorted(t.id for t in TESTS.values() if t.reliability.grade == "high")
CEILING = CONTENT.engine.confidence_ceiling.ceiling_by_test_grade


def test_the_confidence_ceiling_is_content_and_low_tests_never_sound_very_likely() -> None:
    assert CEILING["low"] != "high"
    assert CONTENT.engine.confidence_words["high"] == "very likely"


@hypothesis.settings(max_examples=120, deadline=None)
@given(
    pattern_id=st.sampled_from(sorted(PATTERNS)),
    test_id=st.sampled_from([*LOW_TESTS, *HIGH_TESTS]),
)
def test_a_pattern_is_never_surer_than_the_tests_behind_its_required_parts(
    pattern_id: str, test_id: str
) -> None:
    """Every required finding is 'high' but rests on one test: the test's grade decides."""
    pattern = PATTERNS[pattern_id]
    grade = TESTS[test_id].reliability.grade
    hypothesis.event(f"gate: required parts rest on a {grade}-reliability test")
    built: list[Evidence] = []
    for spec in (e.any_of[0] for e in pattern.elements if e.required):
        found = evidence_for(spec, "left", "high")
        status = found.status if isinstance(found, Finding) else None
        built.append(replace(found, evidence=(evidence_from(test_id, status),)))
    result = present(judge(built), pattern_id)
    assert result is not None
    assert result.confidence == CEILING[grade]
    headlines: list[PrimaryImbalance | None] = [
        p for p in judge(built).primary if p.pattern == pattern_id
    ]
    [headline] = headlines or [None]
    if headline is not None:
        assert headline.confidence == CEILING[grade]


@pytest.mark.parametrize("pattern_id", list(PATTERNS))
def test_every_pattern_shows_its_caveat_in_the_result_and_the_text(pattern_id: str) -> None:
    pattern = PATTERNS[pattern_id]
    assert pattern.caveat
    outcome = judge(required_evidence(pattern, "moderate"))
    result = present(outcome, pattern_id)
    assert result is not None and result.caveat == pattern.caveat
    [headline] = [p for p in outcome.primary if p.pattern == pattern_id]
    assert headline.caveat == pattern.caveat


def test_the_text_shows_the_caveat_under_each_named_pattern() -> None:
    for name in ("01_lower_crossed_office_worker.json", "03_lateral_tilt_right.json"):
        result = example_result(name)
        text = " ".join(render_text(result, CONTENT).split())
        named = [p for p in result.primary_imbalances if p.kind == "pattern"]
        assert named
        for primary in named:
            assert f"Keep in mind: {' '.join(str(primary.caveat).split())}" in text


# The mechanism once stated as fact; the reference finds no difference in lordosis or
# standing pelvic tilt between people with and without back pain (S41, S42).
CLAIMS_AS_FACT = (
    "the pelvis tips forward and the low back arches more",
    "which often aches",
    "the muscles at the front of your hips are short and tight",
    "are usually tight and hitch the hip up",
    "pulls harder on that side",
    "when it is weak the pelvis sways",
    "so it slips more easily into painful positions",
    "the spine loses some support",
)


@pytest.mark.parametrize("pattern_id", list(PATTERNS))
def test_no_explanation_states_the_imbalance_mechanism_as_fact(pattern_id: str) -> None:
    explanation = " ".join(PATTERNS[pattern_id].explanation.split())
    for claim in CLAIMS_AS_FACT:
        assert claim not in explanation
    # Each offers the mechanism as a view, and ends as a picture, not a diagnosis.
    assert "view" in explanation or "model" in explanation or "may" in explanation
    assert "not a diagnosis" in explanation


SINGLE_CLAIMS_AS_FACT = (
    "which can ache with it",
    "A short group pulls on the bones it joins and can hold",
    "A tight group resists being lengthened and can pull",
    "This is a likely",
)


def test_no_single_imbalance_text_states_the_mechanism_as_fact_or_its_own_confidence() -> None:
    texts = CONTENT.engine.single_imbalance
    for text in (*texts.explanations.values(), texts.sign_explanation):
        flat = " ".join(text.split())
        for claim in SINGLE_CLAIMS_AS_FACT:
            assert claim not in flat
        # The heading gives the confidence word; the text never contradicts it.
        assert "likely" not in flat and "possible" not in flat


def test_what_an_imbalance_and_a_routine_item_rest_on_is_named_in_the_content_s_words() -> None:
    said = CONTENT.engine.messages
    result_words = dataclasses.replace(
        said.result,
        finding_on_side="[{name}|{status}|{side}]",
        finding_on_both_sides="[{name}|{status}|both]",
        sign_on_side="[{name}|{side}]",
        sign_on_both_sides="[{name}]",
    )
    status_words = {status: f"<{status}>" for status in said.status_words}
    messages = dataclasses.replace(said, result=result_words, status_words=status_words)
    content = dataclasses.replace(
        CONTENT, engine=dataclasses.replace(CONTENT.engine, messages=messages)
    )
    case = json.loads((EXAMPLES / "01_lower_crossed_office_worker.json").read_text("utf-8"))
    result = evaluate_raw(case, content)
    matched = [m.matched_by for p in result.patterns for m in p.matched]
    assert matched and all(label.startswith("[") and label.endswith("]") for label in matched)
    assert any("|<short>|" in label for label in matched)
    assert result.routine is not None
    addresses = [a for item in result.routine.items for a in item.addresses]
    assert addresses and all(a.startswith("[") and a.endswith("]") for a in addresses)
    assert any("|<weak>|left]" in a for a in addresses)
