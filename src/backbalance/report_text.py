"""A plain-text rendering of a result, for the terminal: calm, short, left beside right."""

from __future__ import annotations

import textwrap

from backbalance.content.loader import Content
from backbalance.core.types import Finding, Result, Score

WIDTH = 78
LEVEL_TITLES = {
    "emergency": "EMERGENCY — get help now",
    "urgent": "See a doctor within days",
    "routine": "Mention this to a clinician",
    "none": "No warning signs found",
}
CONFIDENCE_WORDS = {"low": "possible", "moderate": "likely", "high": "very likely"}


def _wrap(text: str, indent: str = "  ") -> str:
    return textwrap.fill(
        " ".join(text.split()), WIDTH, initial_indent=indent, subsequent_indent=indent
    )


def _bullet(text: str, indent: str = "  ") -> str:
    return textwrap.fill(
        " ".join(text.split()),
        WIDTH,
        initial_indent=f"{indent}• ",
        subsequent_indent=f"{indent}  ",
    )


def _heading(title: str) -> list[str]:
    return ["", title.upper(), "─" * len(title)]


def render_text(result: Result, content: Content) -> str:
    lines: list[str] = ["backbalance — your results"]
    if result.case_id:
        lines.append(f"case: {result.case_id}")
    lines.append(_wrap(result.disclaimer, ""))

    triage = result.triage
    lines += _heading(f"Safety screen: {LEVEL_TITLES[triage.level]}")
    lines.append(_wrap(triage.headline))
    lines += [_bullet(step) for step in triage.what_to_do]
    if triage.reasons:
        lines.append("  Why:")
        lines += [_bullet(reason.reason, "    ") for reason in triage.reasons]

    if result.scores:
        lines += _heading("Questionnaires")
        lines += [_score_line(score) for score in result.scores.values()]

    if triage.level != "emergency":
        lines += _primary_section(result)
        lines += _findings_section(result.findings, content)
        if result.signs:
            lines += _heading("Other things the tests showed")
            for sign in result.signs:
                name = content.signs[sign.sign].name
                side = "" if sign.side == "bilateral" else f" — {sign.side}"
                lines.append(f"  {name}{side} ({CONFIDENCE_WORDS[sign.confidence]})")

    if result.warnings:
        lines += _heading("Notes")
        lines += [_bullet(w.message) for w in result.warnings]
    lines += ["", f"engine {result.engine_version} · content {result.content_version}"]
    return "\n".join(lines) + "\n"


def _score_line(score: Score) -> str:
    if score.value is None:
        return f"  {score.name}: not scored ({score.note or 'not enough answers'})"
    low, high = score.score_range
    value = f"{score.value:g}"
    band = f" — {score.band_label}" if score.band_label else ""
    items = ""
    if score.items and len(score.items) > 1:
        items = " (" + ", ".join(f"{k} {v:g}" for k, v in score.items.items()) + ")"
    return f"  {score.name}: {value} on {low:g}–{high:g}{band}{items}"


def _primary_section(result: Result) -> list[str]:
    lines = _heading("Your main imbalances")
    if not result.primary_imbalances:
        lines.append(_wrap("None could be named from these results."))
        return lines
    for primary in result.primary_imbalances:
        side = "" if primary.side == "bilateral" else f", {primary.side} side"
        lines.append(
            f"  {primary.rank}. {primary.name}{side} — {CONFIDENCE_WORDS[primary.confidence]}"
        )
        lines.append(_wrap(primary.explanation, "     "))
        lines.append("     Based on:")
        lines += [_bullet(item, "       ") for item in primary.evidence]
        lines.append("")
    return lines


def _cell(finding: Finding | None) -> str:
    if finding is None:
        return "—"
    if finding.status in ("normal", "inconclusive"):
        return finding.status
    return f"{finding.status} ({finding.confidence})"


def _findings_section(findings: tuple[Finding, ...], content: Content) -> list[str]:
    if not findings:
        return []
    lines = _heading("Muscle groups, left and right")
    lines.append(f"  {'':32} {'left':<20} {'right':<20}")
    rows: dict[tuple[str, str], dict[str, Finding]] = {}
    for finding in findings:
        rows.setdefault((finding.muscle, finding.aspect), {})[finding.side] = finding
    for (muscle, aspect), by_side in rows.items():
        label = f"{content.muscles[muscle].name} ({aspect})"
        if "bilateral" in by_side:
            lines.append(f"  {label:32} {'both: ' + _cell(by_side['bilateral']):<41}")
        else:
            lines.append(
                f"  {label:32} {_cell(by_side.get('left')):<20} {_cell(by_side.get('right')):<20}"
            )
    return lines
