"""Findings → named imbalance patterns → the one or two primary imbalances.

A pattern (content/patterns.yaml) is a list of elements; an element matches when any
of its evidence entries matches a finding. Its score adds up each matched element's
weight times the evidence weight of the finding's confidence. A pattern is present when
all its required elements matched and the score reaches its minimum.

Sided patterns (a lateral pelvic tilt, one weak hip abductor) are judged once for the
left and once for the right; present on both sides, the pattern is reported for both.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from backbalance.content.loader import Content
from backbalance.content.schema import Evidence as EvidenceSpec
from backbalance.content.schema import Pattern, PatternElement
from backbalance.core.types import (
    CONFIDENCE_ORDER,
    Confidence,
    Finding,
    MatchedElement,
    PatternResult,
    PrimaryImbalance,
    Side,
    SignFinding,
    Warning,
    finding_label,
)

# The content writes its sided explanations so that "both" reads well in them.
SIDE_WORDS: dict[Side, str] = {"left": "left", "right": "right", "bilateral": "both"}


@dataclass(frozen=True)
class PatternOutcome:
    patterns: tuple[PatternResult, ...]
    primary: tuple[PrimaryImbalance, ...]
    warnings: tuple[Warning, ...]


def find_patterns(
    findings: tuple[Finding, ...], signs: tuple[SignFinding, ...], content: Content
) -> PatternOutcome:
    """Every present pattern, ranked, and the primary imbalances chosen from them."""
    present: list[PatternResult] = []
    for pattern in content.patterns.values():
        result = _judge(pattern, findings, signs, content)
        if result is not None:
            present.append(result)
    present.sort(key=lambda r: (-r.score, content.patterns[r.pattern].priority, r.pattern))
    primary, warnings = _choose_primary(present, content)
    return PatternOutcome(tuple(present), primary, warnings)


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
        weaker = left if left.score <= right.score else right
        return PatternResult(
            pattern=weaker.pattern,
            name=weaker.name,
            side="bilateral",
            score=weaker.score,
            confidence=weaker.confidence,
            matched=tuple(sorted({*left.matched, *right.matched}, key=lambda m: m.element)),
            missing=weaker.missing,
            summary=weaker.summary,
            sources=weaker.sources,
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
    )


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
    best: MatchedElement | None = None
    for spec in element.any_of:
        candidates: list[MatchedElement] = []
        if spec.muscle is not None and spec.status is not None:
            name = content.muscles[spec.muscle].name
            candidates = [
                MatchedElement(
                    element.id,
                    element.label,
                    finding_label(name, f.status, f.side),
                    f.confidence,
                    muscle=f.muscle,
                    status=f.status,
                    side=f.side,
                )
                for f in findings
                if f.muscle == spec.muscle
                and f.status in spec.status
                and _side_fits(spec, side, f.side)
            ]
        elif spec.sign is not None:
            name = content.signs[spec.sign].name
            candidates = [
                MatchedElement(
                    element.id,
                    element.label,
                    finding_label(name, None, s.side),
                    s.confidence,
                    sign=s.sign,
                    side=s.side,
                )
                for s in signs
                if s.sign == spec.sign and _side_fits(spec, side, s.side)
            ]
        for candidate in candidates:
            if (
                best is None
                or CONFIDENCE_ORDER[candidate.confidence] > CONFIDENCE_ORDER[best.confidence]
            ):
                best = candidate
    if best is not None and best.side in ("left", "right"):
        best = _both_sides_if_equal(best, findings, signs, side, content)
    return best


def _both_sides_if_equal(
    best: MatchedElement,
    findings: tuple[Finding, ...],
    signs: tuple[SignFinding, ...],
    side: Side | None,
    content: Content,
) -> MatchedElement:
    """The same finding, equally sure, on the other side too: name both sides, not one.

    Otherwise the evidence of a pattern judged for both sides together would name
    whichever side happens to be listed first.
    """
    if side is not None:
        return best
    other = "right" if best.side == "left" else "left"
    if best.muscle is not None:
        twin = any(
            f.muscle == best.muscle
            and f.status == best.status
            and f.side == other
            and f.confidence == best.confidence
            for f in findings
        )
        label = finding_label(content.muscles[best.muscle].name, best.status, "bilateral")
    else:
        twin = any(
            s.sign == best.sign and s.side == other and s.confidence == best.confidence
            for s in signs
        )
        label = f"{content.signs[str(best.sign)].name} (both sides)"
    return replace(best, matched_by=label, side="bilateral") if twin else best


def _choose_primary(
    present: list[PatternResult], content: Content
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
                    message=f"Your results point two ways: {clash.name} and {result.name}. "
                    f"The stronger one, {clash.name}, is shown as primary; a re-test, or a "
                    "clinician, can settle it.",
                    about=result.pattern,
                )
            )
            continue
        if len(chosen) < limit:
            chosen.append(result)
    primary = tuple(
        PrimaryImbalance(
            rank=rank,
            pattern=result.pattern,
            name=result.name,
            side=result.side,
            confidence=result.confidence,
            explanation=content.patterns[result.pattern].explanation.replace(
                "{side}", SIDE_WORDS[result.side]
            ),
            evidence=tuple(m.matched_by for m in result.matched),
        )
        for rank, result in enumerate(chosen, start=1)
    )
    return primary, tuple(warnings)
