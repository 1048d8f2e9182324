"""Findings → named imbalance patterns → the one or two primary imbalances.

A pattern (content/patterns.yaml) is a list of elements; an element matches when any
of its evidence entries matches a finding. Its score adds up each matched element's
weight times the evidence weight of the finding's confidence. A pattern is present when
all its required elements matched and the score reaches its minimum.

Sided patterns (a lateral pelvic tilt, one weak hip abductor) are judged once for the
left and once for the right; present on both sides, the pattern is reported for both.

A clear finding that no present pattern explains (both hip flexors short and nothing
else, say) is still named: as an imbalance of that one muscle group, or of that one
sign where the content says the sign stands alone. Named patterns take the headline
places first; these single imbalances fill the places that are left, worded from the
templates in engine.yaml.

Nothing here depends on which side is listed first: a tie between a left and a right
finding names both sides, so mirrored input gives mirrored evidence.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TypeGuard

from msgspec.structs import replace

from backbalance.content.loader import Content
from backbalance.content.schema import Evidence as EvidenceSpec
from backbalance.content.schema import Pattern, PatternElement
from backbalance.content.vocabulary import AbnormalStatus
from backbalance.content.wording import fill
from backbalance.core.types import (
    CONFIDENCE_ORDER,
    Confidence,
    Evidence,
    Finding,
    MatchedElement,
    PatternResult,
    PrimaryImbalance,
    Side,
    SignFinding,
    Status,
    Warning,
    finding_label,
)
from backbalance.core.value import Value

# The content writes its sided explanations so that "both" reads well in them.
SIDE_WORDS: dict[Side, str] = {"left": "left", "right": "right", "bilateral": "both"}
NOT_ABNORMAL = ("normal", "inconclusive")
SIDE_ORDER: dict[Side, int] = {"left": 0, "right": 1, "bilateral": 2}


class PatternOutcome(Value, frozen=True):
    patterns: tuple[PatternResult, ...]
    primary: tuple[PrimaryImbalance, ...]
    warnings: tuple[Warning, ...]


class _Single(Value, frozen=True):
    """A single imbalance before the headline is chosen."""

    result: PatternResult
    explanation: str
    confirm_with: tuple[str, ...]


def find_patterns(
    findings: tuple[Finding, ...], signs: tuple[SignFinding, ...], content: Content
) -> PatternOutcome:
    """Every present pattern, ranked, then the single imbalances; and the primary ones."""
    present: list[PatternResult] = []
    for pattern in content.patterns.values():
        result = _judge(pattern, findings, signs, content)
        if result is not None:
            present.append(_within_ceiling(result, pattern, findings, signs, content))
    present.sort(key=lambda r: (-r.score, content.patterns[r.pattern].priority, r.pattern))
    singles = _single_imbalances(present, findings, signs, content)
    primary, warnings = _choose_primary(present, singles, findings, signs, content)
    return PatternOutcome((*present, *(s.result for s in singles)), primary, warnings)


# --------------------------------------------------------------------------- named patterns


def _judge(
    pattern: Pattern,
    findings: tuple[Finding, ...],
    signs: tuple[SignFinding, ...],
    content: Content,
) -> PatternResult | None:
    if not pattern.sided:
        return _judge_side(pattern, None, findings, signs, content)
    left = _judge_side(pattern, "left", findings, signs, content)
    right = _judge_side(pattern, "right", findings, signs, content)
    if left and right:
        # Present on both sides: one pattern for both, as strong as the weaker side, so a
        # one-sided imbalance is never outranked by the same thing seen on both sides.
        # Every part is taken from both sides alike, never from whichever side comes first.
        element_order = {e.id: n for n, e in enumerate(pattern.elements)}
        matched = sorted(
            {*left.matched, *right.matched},
            key=lambda m: (element_order[m.element], m.side, m.matched_by),
        )
        return PatternResult(
            pattern=pattern.id,
            name=pattern.name,
            side="bilateral",
            score=min(left.score, right.score),
            confidence=min(left.confidence, right.confidence, key=CONFIDENCE_ORDER.__getitem__),
            matched=tuple(matched),
            # Missing only if missing on both sides.
            missing=tuple(label for label in left.missing if label in right.missing),
            summary=pattern.summary,
            sources=tuple(pattern.sources),
            caveat=pattern.caveat,
        )
    return left or right


def _judge_side(
    pattern: Pattern,
    side: Side | None,
    findings: tuple[Finding, ...],
    signs: tuple[SignFinding, ...],
    content: Content,
) -> PatternResult | None:
    weight = content.engine.evidence_weight.weight
    matched: list[MatchedElement] = []
    missing: list[str] = []
    score = 0.0
    required_confidence: list[Confidence] = []
    for element in pattern.elements:
        hit = _best_match(element, side, findings, signs, content)
        if hit is None:
            if element.required:
                return None
            missing.append(element.label)
            continue
        matched.append(hit)
        score += element.weight * weight[hit.confidence]
        if element.required:
            required_confidence.append(hit.confidence)
    if score < pattern.min_score:
        return None
    return PatternResult(
        pattern=pattern.id,
        name=pattern.name,
        side=side or "bilateral",
        score=round(score, 3),
        confidence=min(required_confidence, key=CONFIDENCE_ORDER.__getitem__),
        matched=tuple(matched),
        missing=tuple(missing),
        summary=pattern.summary,
        sources=tuple(pattern.sources),
        caveat=pattern.caveat,
    )


def _ceiling(tests: set[str], content: Content) -> Confidence:
    """The surest an imbalance resting on these tests may sound (content/engine.yaml)."""
    grades = [content.tests[t].reliability.grade for t in tests if t in content.tests]
    if not grades:
        # Nothing named to judge by (every real finding names its tests): no ceiling,
        # the finding's own confidence stands.
        return "high"
    best = max(grades, key=CONFIDENCE_ORDER.__getitem__)
    return content.engine.confidence_ceiling.ceiling_by_test_grade[best]


def _within_ceiling(
    result: PatternResult,
    pattern: Pattern,
    findings: tuple[Finding, ...],
    signs: tuple[SignFinding, ...],
    content: Content,
) -> PatternResult:
    """The pattern no surer than the tests behind each of its required parts allow."""
    required = {e.id for e in pattern.elements if e.required}
    ceilings = [
        _ceiling({test for test, _ in _rules_of(m, findings, signs)}, content)
        for m in result.matched
        if m.element in required
    ]
    confidence = min([result.confidence, *ceilings], key=CONFIDENCE_ORDER.__getitem__)
    return replace(result, confidence=confidence)


def _side_fits(spec: EvidenceSpec, wanted: Side | None, found: Side) -> bool:
    if spec.side == "any" or wanted is None:
        return True
    return found in (wanted, "bilateral")


def _best_match(
    element: PatternElement,
    side: Side | None,
    findings: tuple[Finding, ...],
    signs: tuple[SignFinding, ...],
    content: Content,
) -> MatchedElement | None:
    """The most confident finding or sign that fits the element.

    Ties go to the earlier evidence entry, then the muscle or sign and status by name;
    never to a side. Equal candidates on the left and the right are named as both sides.
    """
    ranked: list[tuple[tuple[int, int, str, str], MatchedElement]] = []
    key: tuple[int, int, str, str]
    for index, spec in enumerate(element.any_of):
        if spec.muscle is not None and spec.status is not None:
            name = content.muscles[spec.muscle].name
            for f in findings:
                if (
                    f.muscle == spec.muscle
                    and f.status in spec.status
                    and _side_fits(spec, side, f.side)
                ):
                    key = (-CONFIDENCE_ORDER[f.confidence], index, f.muscle, f.status)
                    ranked.append(
                        (
                            key,
                            MatchedElement(
                                element.id,
                                element.label,
                                finding_label(name, f.status, f.side, content.engine.messages),
                                f.confidence,
                                muscle=f.muscle,
                                status=f.status,
                                side=f.side,
                            ),
                        )
                    )
        elif spec.sign is not None:
            name = content.signs[spec.sign].name
            for s in signs:
                if s.sign == spec.sign and _side_fits(spec, side, s.side):
                    key = (-CONFIDENCE_ORDER[s.confidence], index, s.sign, "")
                    ranked.append(
                        (
                            key,
                            MatchedElement(
                                element.id,
                                element.label,
                                finding_label(name, None, s.side, content.engine.messages),
                                s.confidence,
                                sign=s.sign,
                                side=s.side,
                            ),
                        )
                    )
    if not ranked:
        return None
    best_key = min(key for key, _ in ranked)
    tied = [matched for key, matched in ranked if key == best_key]
    if {"left", "right"} <= {m.side for m in tied}:
        return _both_sides(tied[0], content)
    return tied[0]


def _both_sides(matched: MatchedElement, content: Content) -> MatchedElement:
    """The same finding, equally sure, on both sides: name both sides, not one."""
    if matched.muscle is not None:
        label = finding_label(
            content.muscles[matched.muscle].name,
            matched.status,
            "bilateral",
            content.engine.messages,
        )
    else:
        label = finding_label(
            content.signs[str(matched.sign)].name, None, "bilateral", content.engine.messages
        )
    return replace(matched, matched_by=label, side="bilateral")


# --------------------------------------------------------------------------- single imbalances


def _is_abnormal(status: Status) -> TypeGuard[AbnormalStatus]:
    return status not in NOT_ABNORMAL


def _abnormal_evidence(finding: Finding) -> list[Evidence]:
    return [e for e in finding.evidence if e.status not in NOT_ABNORMAL]


def _tests_of(evidence: list[Evidence], content: Content) -> list[str]:
    """The tests a piece of evidence rests on (a ratio rests on two), in battery order.

    Battery order, not the order found, so the left side never decides the wording.
    """
    order = {test_id: n for n, test_id in enumerate(content.tests)}
    tests = {test for e in evidence for test in e.tests()}
    return sorted(tests, key=lambda t: (order.get(t, len(order)), t))


def _explained(present: list[PatternResult], content: Content) -> set[tuple[str, str | None]]:
    """(muscle, status) or (sign, None) pairs that fit an element of a present pattern.

    Every such finding is part of that pattern's picture, whether or not it was the one
    named as the element's evidence, and on either side (a weak side buttock muscle on
    the right is not named again beside a weak-hip pattern on the left; the table of
    findings shows both). A pattern that lost a clash still explains its findings, so
    they cannot come back as single imbalances.
    """
    explained: set[tuple[str, str | None]] = set()
    for result in present:
        for element in content.patterns[result.pattern].elements:
            for spec in element.any_of:
                if spec.muscle is not None and spec.status is not None:
                    explained |= {(spec.muscle, status) for status in spec.status}
                elif spec.sign is not None:
                    explained.add((spec.sign, None))
    return explained


def _single_imbalances(
    present: list[PatternResult],
    findings: tuple[Finding, ...],
    signs: tuple[SignFinding, ...],
    content: Content,
) -> list[_Single]:
    """One single imbalance per muscle group and status (or sign) no pattern explains."""
    explained = _explained(present, content)
    by_muscle: dict[tuple[str, AbnormalStatus], list[Finding]] = defaultdict(list)
    for finding in findings:
        status = finding.status
        if not _is_abnormal(status) or (finding.muscle, status) in explained:
            continue
        by_muscle[(finding.muscle, status)].append(finding)
    by_sign: dict[str, list[SignFinding]] = defaultdict(list)
    for sign in signs:
        if content.signs[sign.sign].stands_alone and (sign.sign, None) not in explained:
            by_sign[sign.sign].append(sign)

    ranked: list[tuple[tuple[float, int, int, int, str], _Single]] = []
    muscle_order = {muscle_id: n for n, muscle_id in enumerate(content.muscles)}
    sign_order = {sign_id: n for n, sign_id in enumerate(content.signs)}
    for (muscle, status), group in by_muscle.items():
        single = _muscle_single(muscle, status, group, content)
        tests = _tests_of([e for f in group for e in _abnormal_evidence(f)], content)
        key = (
            -single.result.score,
            0,
            _target_place(muscle, tests, content),
            muscle_order[muscle],
            status,
        )
        ranked.append((key, single))
    for sign_id, sign_group in by_sign.items():
        single = _sign_single(sign_id, sign_group, content)
        ranked.append(((-single.result.score, 1, 0, sign_order[sign_id], ""), single))
    ranked.sort(key=lambda pair: pair[0])
    return [single for _, single in ranked]


def _target_place(muscle: str, tests: list[str], content: Content) -> int:
    """How near the front of its tests' target lists a muscle stands.

    A test that finds two groups at once (the one-leg bridge: buttock and hamstrings)
    lists its main target first, so that one is named first.
    """
    places = [
        content.tests[t].targets.index(muscle)
        for t in tests
        if t in content.tests and muscle in content.tests[t].targets
    ]
    return min(places, default=len(content.muscles))


def _weakest(confidences: list[Confidence]) -> Confidence:
    return min(confidences, key=CONFIDENCE_ORDER.__getitem__)


def _sided_matches(
    found: list[MatchedElement], both_label: str
) -> tuple[Side, Confidence, tuple[MatchedElement, ...]]:
    """The side, confidence and evidence of a single imbalance from its findings.

    Seen on both sides, it is one imbalance for both, as sure as the weaker side; equally
    sure on both sides, its evidence is named once, for both sides.
    """
    confidence = _weakest([m.confidence for m in found])
    ordered = tuple(sorted(found, key=lambda m: SIDE_ORDER[m.side]))
    if {m.side for m in found} != {"left", "right"}:
        return ordered[0].side, confidence, ordered
    if len({m.confidence for m in found}) == 1:
        return (
            "bilateral",
            confidence,
            (replace(ordered[0], matched_by=both_label, side="bilateral"),),
        )
    return "bilateral", confidence, ordered


def _joined(*sentences: str) -> str:
    """Sentences after one another, leaving out any that are empty."""
    return " ".join(s for s in sentences if s)


def retest_weeks(content: Content) -> str:
    """The routine's one re-test interval, in weeks, as the messages say it."""
    return f"{content.program.retest_after_days.value / 7:g}"


def _in_sentence(name: str) -> str:
    return name[:1].lower() + name[1:]


def _test_names(test_ids: list[str] | tuple[str, ...], content: Content, word: str) -> str:
    names = [content.tests[t].name for t in test_ids if t in content.tests]
    return content.engine.messages.joiners.join(word, names)


def _confirm_sentence(
    confidence: Confidence,
    can_show: list[str],
    done: list[str],
    behind: list[str],
    content: Content,
) -> tuple[str, tuple[str, ...]]:
    """For a first hint: the tests not yet done that could confirm it, best first."""
    if confidence != "low":
        return "", ()
    texts = content.engine.single_imbalance
    grade = {t.id: CONFIDENCE_ORDER[t.reliability.grade] for t in content.tests.values()}
    order = {test_id: n for n, test_id in enumerate(content.tests)}
    others = sorted((t for t in can_show if t not in done), key=lambda t: (-grade[t], order[t]))
    # Only the most reliable of them: a test no better than the hint adds little.
    others = [t for t in others if grade[t] == grade[others[0]]]
    if others:
        confirm = _test_names(others, content, content.engine.messages.joiners.or_word)
        return fill(texts.confirm_with_other_test, confirm=confirm), tuple(others)
    repeat = _test_names(behind, content, content.engine.messages.joiners.and_word)
    return fill(texts.confirm_by_repeating, tests=repeat), tuple(behind)


def _tests_that_can_show(
    muscle: str | None, status: Status | None, sign: str | None, content: Content
) -> list[str]:
    """Every test in the battery with a rule (or a 'too hard' meaning) that shows this."""
    found: list[str] = []
    for test in content.tests.values():
        shows = any(
            (muscle is not None and effect.muscle == muscle and effect.status == status)
            or (sign is not None and effect.sign == sign)
            for rule in test.rules
            for effect in rule.effects
        )
        too_hard = muscle is not None and test.if_too_hard == status and muscle in test.targets
        if shows or too_hard:
            found.append(test.id)
    return found


def _muscle_single(
    muscle: str, status: AbnormalStatus, group: list[Finding], content: Content
) -> _Single:
    texts = content.engine.single_imbalance
    weight = content.engine.evidence_weight.weight
    spec = content.muscles[muscle]
    element = f"{muscle}_{status}"
    name = fill(texts.names[status], muscle=spec.name)
    side, confidence, matched = _sided_matches(
        [
            MatchedElement(
                element,
                name,
                finding_label(spec.name, status, f.side, content.engine.messages),
                f.confidence,
                muscle=muscle,
                status=status,
                side=f.side,
            )
            for f in group
        ],
        finding_label(spec.name, status, "bilateral", content.engine.messages),
    )
    abnormal = [e for f in group for e in _abnormal_evidence(f)]
    behind = _tests_of(abnormal, content)
    confidence = min(confidence, _ceiling(set(behind), content), key=CONFIDENCE_ORDER.__getitem__)
    judged = _tests_of(
        [e for f in group for e in f.evidence if e.status != "inconclusive"], content
    )
    where = "midline" if not spec.sided else side
    confirm, confirm_with = _confirm_sentence(
        confidence, _tests_that_can_show(muscle, status, None, content), judged, behind, content
    )
    explanation = fill(
        texts.explanations[status],
        muscle=spec.name,
        the_muscle=_in_sentence(spec.name),
        where=texts.where[where],
        what_it_does=spec.what_it_does,
        tests=_test_names(behind, content, content.engine.messages.joiners.and_word),
        retest_weeks=retest_weeks(content),
    )
    result = PatternResult(
        pattern=f"single_{element}",
        name=name,
        side=side,
        score=weight[confidence],
        confidence=confidence,
        matched=matched,
        missing=(),
        summary=fill(texts.names[status], muscle=spec.name),
        sources=_sources(abnormal, texts.sources),
        kind="single",
    )
    return _Single(result, _joined(explanation, confirm), confirm_with)


def _sign_single(sign_id: str, group: list[SignFinding], content: Content) -> _Single:
    texts = content.engine.single_imbalance
    weight = content.engine.evidence_weight.weight
    spec = content.signs[sign_id]
    side, confidence, matched = _sided_matches(
        [
            MatchedElement(
                sign_id,
                spec.name,
                finding_label(spec.name, None, s.side, content.engine.messages),
                s.confidence,
                sign=sign_id,
                side=s.side,
            )
            for s in group
        ],
        finding_label(spec.name, None, "bilateral", content.engine.messages),
    )
    evidence = [e for s in group for e in s.evidence]
    behind = _tests_of(evidence, content)
    confidence = min(confidence, _ceiling(set(behind), content), key=CONFIDENCE_ORDER.__getitem__)
    confirm, confirm_with = _confirm_sentence(
        confidence, _tests_that_can_show(None, None, sign_id, content), behind, behind, content
    )
    explanation = fill(
        texts.sign_explanation,
        sign=spec.name,
        meaning=spec.meaning,
        tests=_test_names(behind, content, content.engine.messages.joiners.and_word),
        retest_weeks=retest_weeks(content),
    )
    result = PatternResult(
        pattern=f"single_{sign_id}",
        name=spec.name,
        side=side,
        score=weight[confidence],
        confidence=confidence,
        matched=matched,
        missing=(),
        summary=spec.name,
        sources=_sources(evidence, texts.sources),
        kind="single",
    )
    return _Single(result, _joined(explanation, confirm), confirm_with)


def _sources(evidence: list[Evidence], extra: list[str]) -> tuple[str, ...]:
    sources: list[str] = []
    for source in [*(s for e in evidence for s in e.sources), *extra]:
        if source not in sources:
            sources.append(source)
    return tuple(sources)


# --------------------------------------------------------------------------- the headline


def _rules_of(
    matched: MatchedElement, findings: tuple[Finding, ...], signs: tuple[SignFinding, ...]
) -> set[tuple[str, str]]:
    """The (test, rule) firings one matched part rests on; a ratio names each of its tests."""
    evidence: list[Evidence] = []
    sides = ("left", "right", "bilateral") if matched.side == "bilateral" else (matched.side,)
    if matched.muscle is not None:
        for f in findings:
            if f.muscle == matched.muscle and f.status == matched.status and f.side in sides:
                evidence += _abnormal_evidence(f)
    else:
        for s in signs:
            if s.sign == matched.sign and s.side in sides:
                evidence += s.evidence
    return {(test, e.rule) for e in evidence for test in e.tests()}


def _rules_behind(
    result: PatternResult, findings: tuple[Finding, ...], signs: tuple[SignFinding, ...]
) -> set[tuple[str, str]]:
    """The (test, rule) firings an imbalance rests on."""
    rules: set[tuple[str, str]] = set()
    for matched in result.matched:
        rules |= _rules_of(matched, findings, signs)
    return rules


def _choose_primary(
    present: list[PatternResult],
    singles: list[_Single],
    findings: tuple[Finding, ...],
    signs: tuple[SignFinding, ...],
    content: Content,
) -> tuple[tuple[PrimaryImbalance, ...], tuple[Warning, ...]]:
    chosen: list[PatternResult] = []
    warnings: list[Warning] = []
    limit = content.engine.max_primary_imbalances
    for result in present:
        pattern = content.patterns[result.pattern]
        clash = next(
            (
                c
                for c in chosen
                if result.pattern in content.patterns[c.pattern].excludes
                or c.pattern in pattern.excludes
            ),
            None,
        )
        if clash is not None:
            warnings.append(
                Warning(
                    code="conflicting_patterns",
                    message=fill(
                        content.engine.messages.result.two_ways,
                        first=clash.name,
                        second=result.name,
                        stronger=clash.name,
                    ),
                    about=result.pattern,
                )
            )
            continue
        if len(chosen) < limit:
            chosen.append(result)
    primary = [
        PrimaryImbalance(
            rank=0,
            pattern=result.pattern,
            name=result.name,
            side=result.side,
            confidence=result.confidence,
            explanation=content.patterns[result.pattern].explanation.replace(
                "{side}", SIDE_WORDS[result.side]
            ),
            evidence=tuple(m.matched_by for m in result.matched),
            caveat=result.caveat,
        )
        for result in chosen
    ]
    # Single imbalances fill the places left. One reading that showed two groups at once
    # (a short bridge: buttock and hamstrings) gives one headline, not two.
    shown: set[tuple[str, str]] = set()
    for result in chosen:
        shown |= _rules_behind(result, findings, signs)
    for single in singles:
        if len(primary) >= limit:
            break
        rules = _rules_behind(single.result, findings, signs)
        if rules and rules <= shown:
            continue
        shown |= rules
        primary.append(
            PrimaryImbalance(
                rank=0,
                pattern=single.result.pattern,
                name=single.result.name,
                side=single.result.side,
                confidence=single.result.confidence,
                explanation=single.explanation,
                evidence=tuple(m.matched_by for m in single.result.matched),
                kind="single",
                confirm_with=single.confirm_with,
            )
        )
    ranked = tuple(replace(p, rank=rank) for rank, p in enumerate(primary, start=1))
    return ranked, tuple(warnings)
