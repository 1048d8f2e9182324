"""A plain-text rendering of a result, for the terminal: calm, short, left beside right."""

from __future__ import annotations

import textwrap

from backbalance.content.loader import Content
from backbalance.content.schema_program import Exercise
from backbalance.core.adjuncts import AdjunctVerdict, compare
from backbalance.core.types import (
    Finding,
    Measure,
    Reference,
    Result,
    Routine,
    RoutineItem,
    Score,
    SelfTestOffer,
    SideDose,
)

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
    # Prompts that already stand as a reason above are not repeated.
    shown = {reason.reason for reason in triage.reasons}
    prompts = [item.prompt for item in triage.find_out if item.prompt not in shown]
    if prompts:
        lines.append("  You answered 'not sure'; to find out:")
        lines += [_bullet(prompt, "    ") for prompt in prompts]

    if result.scores:
        lines += _heading("Questionnaires")
        lines += [_score_line(score) for score in result.scores.values()]

    if triage.level != "emergency":
        lines += self_test_lines(result)
        lines += _primary_section(result)
        lines += _findings_section(result.findings, content)
        lines += _measures_section(result.measures)
        if result.signs:
            lines += _heading("Other things the tests showed")
            for sign in result.signs:
                name = content.signs[sign.sign].name
                side = "" if sign.side == "bilateral" else f" — {sign.side}"
                lines.append(f"  {name}{side} ({CONFIDENCE_WORDS[sign.confidence]})")

    if triage.level != "emergency" and result.routine is not None:
        lines += routine_lines(result.routine, content)
    # After an emergency only where to go matters; the device verdicts stay in the JSON.
    if result.adjuncts and triage.level != "emergency":
        lines += adjunct_lines(result.adjuncts)

    if result.warnings:
        lines += _heading("Notes")
        lines += [_bullet(w.message) for w in result.warnings]
    lines += ["", f"engine {result.engine_version} · content {result.content_version}"]
    return "\n".join(lines) + "\n"


def not_offered_lines(offer: SelfTestOffer) -> list[str]:
    """Why a self-test is not offered, and what the results can do without it."""
    lines = [f"Not offered to you now: {'; '.join(offer.why_not)}."]
    if offer.cannot_judge:
        lines.append(f"Without it, these cannot be judged: {'; '.join(offer.cannot_judge)}.")
    if offer.covered_by:
        lines.append(f"Checked instead by: {'; '.join(offer.covered_by)}.")
    return lines


def self_test_lines(result: Result) -> list[str]:
    """Which self-tests are offered, their cautions (read before the steps), and the rest."""
    if not result.self_tests:
        return []
    offered = [o for o in result.self_tests if o.offered]
    held = [o for o in result.self_tests if not o.offered]
    lines = _heading("Your self-tests")
    lines.append(f"  Offered to you now: {len(offered)} of {len(result.self_tests)}.")
    careful = [o for o in offered if o.cautions]
    if careful:
        lines.append("  Read before you start:")
        for offer in careful:
            lines += [_bullet(f"{offer.name}: {caution}", "    ") for caution in offer.cautions]
    if held and not offered:
        # All held back for the same reason (the safety screen): say it once.
        lines.append(_wrap(f"None are offered now: {'; '.join(held[0].why_not)}."))
    elif held:
        lines.append("  Not offered to you now:")
        for offer in held:
            lines.append(_bullet(offer.name, "    "))
            lines += [_wrap(line, "      ") for line in not_offered_lines(offer)]
    return lines


def _score_line(score: Score) -> str:
    if score.value is None:
        return f"  {score.name}: not scored ({score.note or 'not enough answers'})"
    low, high = score.score_range
    value = f"{score.value:g}"
    band = f" — {score.band_label}" if score.band_label else ""
    items = ""
    # Item-by-item detail helps for short sets (pain now/average/worst, own activities);
    # for long questionnaires it would only be noise.
    if score.items and 1 < len(score.items) <= 5:
        items = " (" + ", ".join(f"{k} {v:g}" for k, v in score.items.items()) + ")"
    return f"  {score.name}: {value} on {low:g}–{high:g}{band}{items}"


def _primary_section(result: Result) -> list[str]:
    lines = _heading("Your main imbalances")
    if not result.primary_imbalances:
        lines.append(_wrap("None could be named from these results."))
        return lines
    for primary in result.primary_imbalances:
        side = "" if primary.side == "bilateral" else f", {primary.side} side"
        if primary.kind == "single" and primary.side == "bilateral":
            # A named pattern on both sides is simply the pattern; one muscle group seen
            # on both sides says so, as its evidence does.
            side = ", both sides"
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
        if len(label) > 32:
            # Long names get a line of their own so the left and right columns stay aligned.
            lines.append(f"  {label}")
            label = ""
        if "bilateral" in by_side:
            lines.append(f"  {label:32} {'both sides: ' + _cell(by_side['bilateral'])}")
        else:
            left, right = _cell(by_side.get("left")), _cell(by_side.get("right"))
            lines.append(f"  {label:32} {left:<20} {right}")
    return lines


COMPARISON_WORDS = {"gt": "above", "ge": "at or above", "lt": "below", "le": "at or below"}
SEX_WORDS = {"female": "women", "male": "men"}


def _number(value: float, unit: str) -> str:
    if unit == "ratio":
        return f"{value:.2f}"
    if unit == "%":
        return f"{value:g} %"
    return f"{value:g} {unit}"


def _reference_words(reference: Reference) -> str:
    shown = _number(reference.value, reference.unit)
    if reference.kind == "target":
        if reference.flagged_when is None:
            return f"target about {shown}"
        return f"flagged when {COMPARISON_WORDS[reference.flagged_when]} {shown}"
    if reference.kind == "healthy_average":
        whom = f" for {SEX_WORDS[reference.sex]}" if reference.sex in SEX_WORDS else ""
        return f"healthy average{whom} {shown}"
    if reference.kind == "counts_as_different":
        return f"a gap counts when over {shown}"
    return f"and over {shown} (the usual test-to-test variation)"


def _measure_readings(measure: Measure) -> str:
    unit = f" {measure.readings_unit}" if measure.readings_unit else ""
    shown = {k: f"{v:g}{unit}" for k, v in measure.readings.items()}
    if "numerator" in shown and "denominator" in shown:
        return f"{shown['numerator']} ÷ {shown['denominator']}"
    return ", ".join(f"{side} {value}" for side, value in shown.items())


def _measures_section(measures: tuple[Measure, ...]) -> list[str]:
    """Every ratio and left-right difference with its references, flagged or not."""
    if not measures:
        return []
    lines = _heading("Your numbers")
    for measure in measures:
        readings = _measure_readings(measure)
        if measure.value is None:
            head = f"{measure.name}: not worked out"
            verdict = measure.not_worked_out or ""
            if readings and measure.unit != "ratio":
                verdict += f" Your reading: {readings}."
        else:
            shown = _number(measure.value, measure.unit)
            judged = any(r.flagged_when is not None for r in measure.references)
            flag = "flagged" if measure.flagged else "not flagged"
            if not judged:
                flag = "for comparison, not judged on its own"
            head = f"{measure.name}: {shown} ({readings}) — {flag}"
            verdict = ""
        references = "; ".join(_reference_words(r) for r in measure.references)
        lines.append(_wrap(head))
        lines.append(_wrap(f"{verdict} Reference: {references}.", "     "))
    return lines


DAY_NAMES = ("day 1", "day 2", "day 3", "day 4", "day 5", "day 6", "day 7")


def _dose_text(dose: SideDose) -> str:
    if dose.reps is not None and dose.hold_s is not None:
        return f"{dose.sets} × {dose.reps} reps, hold {dose.hold_s:g} s each"
    if dose.reps is not None:
        return f"{dose.sets} × {dose.reps} reps"
    return f"{dose.sets} × {dose.hold_s:g} s hold"


def _item_lines(number: int, item: RoutineItem) -> list[str]:
    times = "every day" if item.per_week == 7 else f"{item.per_week} days a week"
    lines = [f"  {number}. {item.name} — {item.kind}, {times}, about {item.seconds / 60:.0f} min"]
    if set(item.dose) == {"left", "right"}:
        for side in ("left", "right"):
            lines.append(f"       {side:<5}  {_dose_text(item.dose[side])}")
    else:
        lines.append(f"       {_dose_text(item.dose['bilateral'])}")
    lines.append(_wrap(item.reason, "       "))
    for caution in item.cautions:
        lines.append(_wrap(f"Take care — {caution}", "       "))
    return lines


def routine_lines(routine: Routine, content: Content) -> list[str]:
    """The routine as a person reads it: the phase, the list, the week, the re-test."""
    lines = _heading(f"Your daily routine: {routine.phase_name}")
    lines.append(_wrap(routine.phase_reason))
    busiest = max(routine.minutes_by_day) if routine.minutes_by_day else 0
    lines.append(
        _wrap(
            f"Fits your {routine.minutes_budget} minutes a day (the busiest day takes about "
            f"{busiest:.0f} minutes). Do the items in this order."
        )
    )
    lines.append("")
    for number, item in enumerate(routine.items, start=1):
        lines += _item_lines(number, item)
    lines.append("")
    lines.append("  Your week:")
    names = {i.exercise: n for n, i in enumerate(routine.items, start=1)}
    for day, exercises in zip(DAY_NAMES, routine.schedule, strict=True):
        numbers = " ".join(str(names[e]) for e in exercises) or "rest"
        lines.append(f"    {day}: {numbers}")
    lines.append("")
    if routine.retest_date:
        lines.append(_wrap(f"Re-test on {routine.retest_date}. {routine.expect_change}"))
    else:
        lines.append(_wrap(routine.expect_change))
    if routine.notes:
        lines += [_bullet(note) for note in routine.notes]
    safety = [o for o in routine.left_out if o.why == "safety"]
    if safety:
        lines.append("  Left out on purpose:")
        for out in safety:
            name = content.exercises[out.exercise].name
            lines.append(_bullet(f"{name}: {out.reason}", "    "))
    return lines


def render_plan(result: Result, content: Content) -> str:
    """Just the routine (and the safety screen that allows it), for `backbalance plan`."""
    lines = ["backbalance — your plan"]
    triage = result.triage
    lines += _heading(f"Safety screen: {LEVEL_TITLES[triage.level]}")
    lines.append(_wrap(triage.headline))
    if triage.level == "emergency":
        lines += [_bullet(step) for step in triage.what_to_do]
        lines.append(_wrap("No routine is offered until a clinician has seen you."))
        return "\n".join(lines) + "\n"
    if result.routine is None:
        lines += ["", _wrap("No routine yet: the case has no routine answers (context).")]
    else:
        lines += routine_lines(result.routine, content)
    if result.adjuncts:
        lines += adjunct_lines(result.adjuncts)
    return "\n".join(lines) + "\n"


def render_exercise(exercise: Exercise, content: Content) -> str:
    dose = exercise.dose
    amount = f"{dose.reps} reps" if dose.reps else f"hold {dose.hold_s:g} s"
    if dose.reps and dose.hold_s:
        amount = f"{dose.reps} reps, hold {dose.hold_s:g} s each"
    targets = ", ".join(f"{content.muscles[t.muscle].name} ({t.action})" for t in exercise.targets)
    lines = [f"{exercise.name}  [{exercise.id}]", _wrap(exercise.purpose, "")]
    lines.append(f"  Kind: {exercise.kind}, level {exercise.level}. Works: {targets}.")
    kit = [content.equipment[e].name.lower() for e in exercise.equipment]
    lines.append(f"  Equipment: {', '.join(kit) or 'none'}.")
    lines.append(
        f"  Usual dose: {dose.sets} sets of {amount}, rest {dose.rest_s:g} s, "
        f"{dose.per_week} days a week."
    )
    lines.append("  Steps:")
    lines += [_wrap(f"{n}. {step}", "    ") for n, step in enumerate(exercise.steps, start=1)]
    lines.append("  Common mistakes:")
    lines += [_bullet(m, "    ") for m in exercise.mistakes]
    lines.append(_wrap(f"What you should feel: {exercise.feel}"))
    lines.append("  Stop if:")
    lines += [_bullet(s, "    ") for s in exercise.stop_if]
    if exercise.contraindications:
        names = [content.conditions[c].name.lower() for c in exercise.contraindications]
        lines.append(_wrap(f"Not offered with: {', '.join(names)}."))
    for caution in exercise.cautions:
        lines.append(
            _wrap(f"Care with {content.conditions[caution.condition].name.lower()}: {caution.note}")
        )
    links = [
        f"easier: {exercise.easier}" if exercise.easier else "",
        f"harder: {exercise.harder}" if exercise.harder else "",
    ]
    if any(links):
        lines.append("  " + "; ".join(link for link in links if link))
    return "\n".join(lines) + "\n"


VERDICT_MARKS = {"suitable": "✓", "clinician_approval": "?", "not_suitable": "✗"}


def adjunct_lines(verdicts: dict[str, AdjunctVerdict]) -> list[str]:
    """Which of the three suits you: a side-by-side table, then each verdict and its plan."""
    lines = _heading("Which of the three suits you")
    for row in compare(verdicts):
        lines.append(f"  {VERDICT_MARKS[row.verdict]} {row.name} — {row.verdict_label}")
        lines.append(_wrap(f"{row.purpose} Time: {row.time_words}", "      "))
        lines.append(_wrap(f"Kit: {row.cost_and_kit} Evidence: {row.evidence_words}.", "      "))
    for verdict in verdicts.values():
        lines.append("")
        lines.append(f"  {verdict.name}: {verdict.verdict_label}")
        lines += [_bullet(reason, "    ") for reason in verdict.reasons]
        lines.append(_wrap(f"Evidence ({verdict.evidence_words}): {verdict.evidence}", "    "))
        protocol = verdict.protocol
        if protocol is None or verdict.therapy == "muscle_balance":
            continue
        if protocol.only_after_approval and protocol.approval_note:
            lines.append(
                _wrap(f"Only after a clinician says yes. {protocol.approval_note}", "    ")
            )
        lines.append(_wrap(protocol.summary, "    "))
        for stage in protocol.stages:
            lines.append(_bullet(f"{stage.name}. {stage.when} {stage.say}", "    "))
            for x in stage.settings:
                said = x.say or f"{x.label}: {x.value:g} {x.unit}."
                lines.append(_wrap(f"- {said}", "        "))
        lines.append("    Limits:")
        lines += [
            _bullet(f"{lim.label}: {lim.value:g} {lim.unit}", "      ") for lim in protocol.limits
        ]
        lines.append("    Stop if:")
        for rule in protocol.stop_rules:
            lines.append(_bullet(f"{'; '.join(rule.symptoms)} — {rule.action}", "      "))
    return lines
