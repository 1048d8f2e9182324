"""Properties that must hold for every valid case, whatever its readings."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings

from backbalance.core.case import mirror_case, parse_case
from backbalance.core.engine import evaluate
from backbalance.core.types import Result, other_side, to_jsonable
from tests.strategies import CONTENT, cases

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def run(raw) -> Result:
    return evaluate(parse_case(raw, CONTENT), CONTENT)


@SETTINGS
@given(cases())
def test_any_valid_case_yields_a_json_serialisable_result(raw):
    result = run(raw)
    data = to_jsonable(result)
    assert json.loads(json.dumps(data)) == data
    for key in (
        "engine_version",
        "content_version",
        "triage",
        "scores",
        "findings",
        "patterns",
        "primary_imbalances",
        "warnings",
    ):
        assert key in data
    assert result.triage.level in ("emergency", "urgent", "routine", "none")


@SETTINGS
@given(cases())
def test_the_same_case_always_gives_the_same_result(raw):
    assert run(raw) == run(raw)


@SETTINGS
@given(cases())
def test_an_emergency_gives_no_findings_patterns_or_imbalances(raw):
    result = run(raw)
    if result.triage.level == "emergency":
        assert result.findings == ()
        assert result.signs == ()
        assert result.patterns == ()
        assert result.primary_imbalances == ()
        assert not result.triage.continue_self_care


@SETTINGS
@given(cases(allow_flags=False))
def test_every_finding_and_sign_carries_sourced_evidence(raw):
    result = run(raw)
    for finding in result.findings:
        assert finding.evidence, finding
        assert finding.why
        for evidence in finding.evidence:
            assert evidence.sources, evidence
            assert all(s in CONTENT.sources for s in evidence.sources)
    for sign in result.signs:
        assert sign.evidence and all(e.sources for e in sign.evidence)


@SETTINGS
@given(cases(allow_flags=False))
def test_at_most_two_primary_imbalances_and_never_two_that_exclude_each_other(raw):
    result = run(raw)
    primary = [p.pattern for p in result.primary_imbalances]
    assert len(primary) <= CONTENT.engine.max_primary_imbalances
    named = [p.pattern for p in result.primary_imbalances if p.kind == "pattern"]
    for pattern_id in named:
        assert not set(CONTENT.patterns[pattern_id].excludes) & set(primary)


@SETTINGS
@given(cases(allow_flags=False))
def test_an_invalid_thomas_test_never_gives_a_verdict(raw):
    result = run(raw)
    thomas = raw["tests"].get("modified_thomas", {})
    invalid_sides = {s for s, r in thomas.items() if r.get("low_back_flat") is False}
    for finding in result.findings:
        for evidence in finding.evidence:
            if evidence.test == "modified_thomas" and finding.side in invalid_sides:
                assert evidence.status == "inconclusive"


def _mirror_view(result: Result) -> dict[str, object]:
    return {
        "findings": sorted(
            (f.muscle, other_side(f.side), f.aspect, f.status, f.confidence)
            for f in result.findings
        ),
        "signs": sorted((s.sign, other_side(s.side), s.confidence) for s in result.signs),
        "patterns": sorted((p.pattern, other_side(p.side), p.score) for p in result.patterns),
        "primary": [(p.pattern, other_side(p.side)) for p in result.primary_imbalances],
    }


def _view(result: Result) -> dict[str, object]:
    return {
        "findings": sorted(
            (f.muscle, f.side, f.aspect, f.status, f.confidence) for f in result.findings
        ),
        "signs": sorted((s.sign, s.side, s.confidence) for s in result.signs),
        "patterns": sorted((p.pattern, p.side, p.score) for p in result.patterns),
        "primary": [(p.pattern, p.side) for p in result.primary_imbalances],
    }


@SETTINGS
@given(cases(allow_flags=False))
def test_mirrored_input_gives_mirrored_output(raw):
    case = parse_case(raw, CONTENT)
    result = evaluate(case, CONTENT)
    mirrored = evaluate(mirror_case(case, CONTENT), CONTENT)
    assert _view(mirrored) == _mirror_view(result)
