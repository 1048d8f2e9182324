"""A plain-text rendering of a result, for the terminal: calm, short, left beside right."""

from __future__ import annotations

import textwrap

from backbalance.content.schema_messages import PageMessages
from backbalance.content.schema_program import Exercise
from backbalance.content.wording import fill
from backbalance.core.api import (
    AdjunctVerdict,
    Content,
    Finding,
    Measure,
    Reference,
    Result,
    Routine,
    RoutineItem,
    Score,
    SelfTestOffer,
    SideDose,
    compare,
)

WIDTH = 78
# How to do a thing in this adapter, added after the core's words (core names no command).
HOW_TO_HERE = {
    "no_tests": "Run `backbalance tests` to see the tests you can do at home.",
}


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
    triage = result.triage
    said = content.engine.messages.pages
    if triage.level == "emergency":
        # Only where to go, and the answers to tell the staff: nothing else on the page.
        page = [said.titles["emergency"], *_safety_lines(result, content)]
        return "\n".join(page) + "\n"
    lines: list[str] = [said.titles["results"]]
    if result.case_id:
        lines.append(fill(said.case_line, case=result.case_id))
    lines.append(_wrap(result.disclaimer, ""))
    lines += _safety_lines(result, content)

    if result.scores:
        lines += _heading(said.headings["questionnaires"])
        lines += [_score_line(score, content) for score in result.scores.values()]

    words = content.engine.confidence_words
    lines += self_test_lines(result, content)
    lines += _primary_section(result, content)
    lines += _findings_section(result.findings, content)
    lines += _measures_section(result.measures, content)
    if result.signs:
        lines += _heading(said.headings["other_signs"])
        for sign in result.signs:
            name = content.signs[sign.sign].name
            side = "" if sign.side == "bilateral" else f" — {said.labels[sign.side]}"
            lines.append(f"  {name}{side} ({words[sign.confidence]})")

    if result.routine is not None:
        lines += routine_lines(result.routine, content)
    if result.adjuncts:
        lines += adjunct_lines(result.adjuncts, content)

    if result.warnings:
        lines += _heading(said.headings["notes"])
        lines += [_bullet(_with_how_to(w.code, w.message)) for w in result.warnings]
    versions = fill(said.versions, engine=result.engine_version, content=result.content_version)
    lines += ["", versions]
    return "\n".join(lines) + "\n"


def _with_how_to(code: str, message: str) -> str:
    how = HOW_TO_HERE.get(code)
    return f"{message} {how}" if how else message


def _safety_lines(result: Result, content: Content) -> list[str]:
    """The safety screen: what to do, why, and on an emergency the answers behind it."""
    triage = result.triage
    said = content.engine.messages.pages
    title = said.level_titles[triage.level]
    lines = _heading(f"Safety screen: {title}")
    lines.append(_wrap(triage.headline))
    lines += [_bullet(step) for step in triage.what_to_do]
    if triage.level == "emergency":
        answers = [w for w in result.warnings if w.code == "emergency_answer"]
        switched_off = [w for w in result.warnings if w.code == "emergency"]
        if answers:
            lines.append(_wrap(content.engine.emergency_page.answers_heading))
            lines += [_bullet(w.message, "    ") for w in answers]
        lines += [_wrap(w.message) for w in switched_off]
    if triage.reasons:
        lines.append(f"  {said.labels['why']}")
        lines += [_bullet(reason.reason, "    ") for reason in triage.reasons]
    # Prompts that already stand as a reason above are not repeated.
    shown = {reason.reason for reason in triage.reasons}
    prompts = [item.prompt for item in triage.find_out if item.prompt not in shown]
    if prompts:
        lines.append(f"  {said.unsure_find_out}")
        lines += [_bullet(prompt, "    ") for prompt in prompts]
    return lines


def not_offered_lines(offer: SelfTestOffer, content: Content) -> list[str]:
    """Why a self-test is not offered, and what the results can do without it."""
    said = content.engine.messages.pages
    lines = [fill(said.not_offered_now, why="; ".join(offer.why_not))]
    if offer.cannot_judge:
        lines.append(fill(said.cannot_judge_without, what="; ".join(offer.cannot_judge)))
    if offer.covered_by:
        lines.append(fill(said.checked_instead_by, tests="; ".join(offer.covered_by)))
    return lines


def self_test_lines(result: Result, content: Content) -> list[str]:
    """Which self-tests are offered, their cautions (read before the steps), and the rest."""
    if not result.self_tests:
        return []
    offered = [o for o in result.self_tests if o.offered]
    held = [o for o in result.self_tests if not o.offered]
    said = content.engine.messages.pages
    lines = _heading(said.headings["self_tests"])
    lines.append(
        "  " + fill(said.offered_count, offered=len(offered), total=len(result.self_tests))
    )
    careful = [o for o in offered if o.cautions]
    if careful:
        lines.append(f"  {said.labels['read_before']}")
        for offer in careful:
            lines += [_bullet(f"{offer.name}: {caution}", "    ") for caution in offer.cautions]
    if held and not offered:
        # All held back for the same reason (the safety screen): say it once.
        lines.append(_wrap(fill(said.none_offered, why="; ".join(held[0].why_not))))
    elif held:
        lines.append(f"  {said.labels['not_offered_list']}")
        for offer in held:
            lines.append(_bullet(offer.name, "    "))
            lines += [_wrap(line, "      ") for line in not_offered_lines(offer, content)]
    return lines


def _score_line(score: Score, content: Content) -> str:
    said = content.engine.messages.pages
    if score.value is None:
        note = score.note or said.not_scored
        return "  " + fill(said.score_not_scored, name=score.name, note=note)
    low, high = score.score_range
    value = f"{score.value:g}"
    band = f" — {score.band_label}" if score.band_label else ""
    items = ""
    # Item-by-item detail helps for short sets (pain now/average/worst, own activities);
    # for long questionnaires it would only be noise.
    if score.items and 1 < len(score.items) <= 5:
        items = " (" + ", ".join(f"{k} {v:g}" for k, v in score.items.items()) + ")"
    line = fill(
        said.score_line,
        name=score.name,
        value=value,
        low=f"{low:g}",
        high=f"{high:g}",
        band=band,
        items=items,
    )
    return "  " + line


def _primary_section(result: Result, content: Content) -> list[str]:
    said = content.engine.messages.pages
    lines = _heading(said.headings["main_imbalances"])
    if not result.primary_imbalances:
        lines.append(_wrap(said.none_named))
        return lines
    words = content.engine.confidence_words
    for primary in result.primary_imbalances:
        side = ""
        if primary.side != "bilateral":
            side = ", " + fill(said.on_side, side=said.labels[primary.side])
        if primary.kind == "single" and primary.side == "bilateral":
            # A named pattern on both sides is simply the pattern; one muscle group seen
            # on both sides says so, as its evidence does.
            side = f", {said.labels['both_sides']}"
        lines.append(f"  {primary.rank}. {primary.name}{side} — {words[primary.confidence]}")
        lines.append(_wrap(primary.explanation, "     "))
        if primary.caveat:
            keep_in_mind = fill(said.keep_in_mind, caveat=primary.caveat)
            lines.append(_wrap(keep_in_mind, "     "))
        lines.append(f"     {said.labels['based_on']}")
        lines += [_bullet(item, "       ") for item in primary.evidence]
        lines.append("")
    return lines


def _cell(finding: Finding | None, content: Content) -> str:
    if finding is None:
        return "—"
    status = content.engine.messages.status_words[finding.status]
    if finding.status in ("normal", "inconclusive"):
        return status  # nothing found, or nothing to be sure of: no confidence to give
    confidence = content.engine.confidence_words[finding.confidence]
    return fill(content.engine.messages.pages.finding_cell, status=status, confidence=confidence)


def _findings_section(findings: tuple[Finding, ...], content: Content) -> list[str]:
    if not findings:
        return []
    said = content.engine.messages.pages
    lines = _heading(said.headings["muscle_table"])
    lines.append(f"  {'':32} {said.labels['left']:<20} {said.labels['right']:<20}")
    rows: dict[tuple[str, str], dict[str, Finding]] = {}
    for finding in findings:
        rows.setdefault((finding.muscle, finding.aspect), {})[finding.side] = finding
    for (muscle, aspect), by_side in rows.items():
        label = f"{content.muscles[muscle].name}, {aspect}"
        if len(label) > 32:
            # Long names get a line of their own so the left and right columns stay aligned.
            lines.append(f"  {label}")
            label = ""
        if "bilateral" in by_side:
            both = _cell(by_side["bilateral"], content)
            lines.append(f"  {label:32} {fill(said.both_sides_cell, status=both)}")
        else:
            left = _cell(by_side.get("left"), content)
            right = _cell(by_side.get("right"), content)
            lines.append(f"  {label:32} {left:<20} {right}")
    return lines


def _number(value: float, unit: str) -> str:
    if unit == "ratio":
        return f"{value:.2f}"
    if unit == "%":
        return f"{value:g} %"
    return f"{value:g} {unit}"


def _reference_words(reference: Reference, said: PageMessages) -> str:
    shown = _number(reference.value, reference.unit)
    if reference.kind == "target":
        if reference.flagged_when is None:
            return fill(said.target_about, value=shown)
        comparison = said.comparison_words[reference.flagged_when]
        return fill(said.flagged_when, comparison=comparison, value=shown)
    if reference.kind == "healthy_average":
        if reference.sex in said.sex_words:
            whom = said.sex_words[reference.sex]
            return fill(said.healthy_average_for, whom=whom, value=shown)
        return fill(said.healthy_average, value=shown)
    if reference.kind == "counts_as_different":
        return fill(said.gap_counts, value=shown)
    return fill(said.beyond_variation, value=shown)


def _measure_readings(measure: Measure) -> str:
    unit = f" {measure.readings_unit}" if measure.readings_unit else ""
    shown = {k: f"{v:g}{unit}" for k, v in measure.readings.items()}
    if "numerator" in shown and "denominator" in shown:
        return f"{shown['numerator']} ÷ {shown['denominator']}"
    return ", ".join(f"{side} {value}" for side, value in shown.items())


def _measures_section(measures: tuple[Measure, ...], content: Content) -> list[str]:
    """Every ratio and left-right difference with its references, flagged or not."""
    if not measures:
        return []
    said = content.engine.messages.pages
    lines = _heading(said.headings["numbers"])
    for measure in measures:
        readings = _measure_readings(measure)
        if measure.value is None:
            head = f"{measure.name}: {said.not_worked_out}"
            verdict = measure.not_worked_out or ""
            if readings and measure.unit != "ratio":
                verdict += " " + fill(said.your_reading, readings=readings)
        else:
            shown = _number(measure.value, measure.unit)
            judged = any(r.flagged_when is not None for r in measure.references)
            flag = said.flagged if measure.flagged else said.not_flagged
            if not judged:
                flag = said.not_judged_alone
            head = f"{measure.name}: {shown} ({readings}) — {flag}"
            verdict = ""
        references = "; ".join(_reference_words(r, said) for r in measure.references)
        lines.append(_wrap(head))
        reference = fill(said.reference, references=references)
        lines.append(_wrap(f"{verdict} {reference}", "     "))
    return lines


def _dose_text(dose: SideDose, said: PageMessages, activity: str | None = None) -> str:
    if activity is not None and dose.reps is None and dose.hold_s is not None:
        # A walk is time spent walking, not a position held: say it in minutes.
        bouts = said.labels["once"] if dose.sets == 1 else fill(said.times, count=dose.sets)
        time = _minutes(dose.hold_s, said)
        return fill(said.dose_activity, time=time, activity=activity, bouts=bouts)
    hold = f"{dose.hold_s:g}" if dose.hold_s is not None else ""
    if dose.reps is not None and dose.hold_s is not None:
        return fill(said.dose_reps_hold, sets=dose.sets, reps=dose.reps, hold=hold)
    if dose.reps is not None:
        return fill(said.dose_reps, sets=dose.sets, reps=dose.reps)
    return fill(said.dose_hold, sets=dose.sets, hold=hold)


def _minutes(seconds: float, said: PageMessages) -> str:
    minutes = seconds / 60
    if minutes == 1:
        return said.minutes_one
    if minutes >= 1:
        return fill(said.minutes, count=f"{minutes:g}")
    return fill(said.seconds, count=f"{seconds:g}")


def _item_lines(number: int, item: RoutineItem, content: Content) -> list[str]:
    said = content.engine.messages.pages
    every_day = said.labels["every_day"]
    times = every_day if item.per_week == 7 else fill(said.days_a_week, count=item.per_week)
    minutes = f"{item.seconds / 60:.0f}"
    line = fill(
        said.item_line,
        number=number,
        name=item.name,
        kind=content.engine.messages.kind_words[item.kind],
        times=times,
        minutes=minutes,
    )
    lines = [f"  {line}"]
    activity = (
        content.exercises[item.exercise].activity if item.exercise in content.exercises else None
    )
    if set(item.dose) == {"left", "right"}:
        for side in ("left", "right"):
            dose = _dose_text(item.dose[side], said, activity)
            lines.append(f"       {said.labels[side]:<5}  {dose}")
    else:
        lines.append(f"       {_dose_text(item.dose['bilateral'], said, activity)}")
    lines.append(_wrap(item.reason, "       "))
    for caution in item.cautions:
        take_care = fill(said.take_care, caution=caution)
        lines.append(_wrap(take_care, "       "))
    return lines


def routine_lines(routine: Routine, content: Content) -> list[str]:
    """The routine as a person reads it: the phase, the list, the week, the re-test."""
    said = content.engine.messages.pages
    lines = _heading(fill(said.routine_heading, phase=routine.phase_name))
    lines.append(_wrap(routine.phase_reason))
    busiest = max(routine.minutes_by_day) if routine.minutes_by_day else 0
    planned = fill(said.planned_for, minutes=routine.minutes_budget, busiest=f"{busiest:.0f}")
    lines.append(_wrap(planned))
    lines.append("")
    for number, item in enumerate(routine.items, start=1):
        lines += _item_lines(number, item, content)
    lines.append("")
    lines.append(f"  {said.labels['your_week']}")
    names = {i.exercise: n for n, i in enumerate(routine.items, start=1)}
    for number, exercises in enumerate(routine.schedule, start=1):
        day = fill(said.day_name, number=number)
        numbers = " ".join(str(names[e]) for e in exercises) or said.labels["rest_day"]
        lines.append(f"    {day}: {numbers}")
    lines.append("")
    if routine.retest_date:
        retest = fill(said.retest_on, date=routine.retest_date, expect_change=routine.expect_change)
        lines.append(_wrap(retest))
    else:
        lines.append(_wrap(routine.expect_change))
    if routine.notes:
        lines += [_bullet(note) for note in routine.notes]
    # Every item left out is listed, with its reason: for safety, and for lack of time.
    for why, title in said.left_out_headings.items():
        left_out = [o for o in routine.left_out if o.why == why]
        if left_out:
            lines.append(f"  {title}")
        for out in left_out:
            name = content.exercises[out.exercise].name
            lines.append(_bullet(f"{name}: {out.reason}", "    "))
    return lines


def render_plan(result: Result, content: Content) -> str:
    """Just the routine (and the safety screen that allows it), for `backbalance plan`."""
    triage = result.triage
    said = content.engine.messages.pages
    if triage.level == "emergency":
        lines = [said.titles["emergency"], *_safety_lines(result, content)]
        return "\n".join(lines) + "\n"
    lines = [said.titles["plan"], *_safety_lines(result, content)]
    if result.routine is None:
        lines += ["", _wrap(said.no_routine_answers)]
    else:
        lines += routine_lines(result.routine, content)
    if result.adjuncts:
        lines += adjunct_lines(result.adjuncts, content)
    return "\n".join(lines) + "\n"


def render_exercise(exercise: Exercise, content: Content) -> str:
    said = content.engine.messages.pages
    label = said.labels
    dose = exercise.dose
    hold = f"{dose.hold_s:g}" if dose.hold_s is not None else ""
    amount = (
        fill(said.amount_reps, reps=dose.reps) if dose.reps else fill(said.amount_hold, hold=hold)
    )
    if dose.reps and dose.hold_s:
        amount = fill(said.amount_reps_hold, reps=dose.reps, hold=hold)
    targets = "; ".join(
        fill(
            said.works_line,
            muscle=content.muscles[t.muscle].name,
            action=said.action_words.get(t.action, t.action),
        )
        for t in exercise.targets
    )
    lines = [f"{exercise.name}  [{exercise.id}]", _wrap(exercise.purpose, "")]
    kind = fill(
        said.kind_and_level,
        kind=content.engine.messages.kind_words[exercise.kind],
        level=exercise.level,
        targets=targets,
    )
    lines.append(_wrap(kind))
    kit = [content.equipment[e].name.lower() for e in exercise.equipment]
    lines.append("  " + fill(said.equipment, kit=", ".join(kit) or label["no_kit"]))
    if exercise.activity is not None and dose.hold_s is not None and not dose.reps:
        time = _minutes(dose.hold_s, said)
        amount = fill(said.amount_activity, time=time, activity=exercise.activity)
    usual = fill(
        said.usual_dose,
        sets=dose.sets,
        amount=amount,
        rest=f"{dose.rest_s:g}",
        per_week=dose.per_week,
    )
    lines.append(_wrap(usual))
    lines.append(f"  {label['steps']}")
    lines += [_wrap(f"{n}. {step}", "    ") for n, step in enumerate(exercise.steps, start=1)]
    lines.append(f"  {label['common_mistakes']}")
    lines += [_bullet(m, "    ") for m in exercise.mistakes]
    lines.append(_wrap(fill(said.should_feel, feel=exercise.feel)))
    lines.append(f"  {label['stop_if']}")
    lines += [_bullet(s, "    ") for s in exercise.stop_if]
    if exercise.contraindications:
        names = [content.conditions[c].name.lower() for c in exercise.contraindications]
        lines.append(_wrap(fill(said.not_offered_with, conditions=", ".join(names))))
    for caution in exercise.cautions:
        condition = content.conditions[caution.condition].name.lower()
        lines.append(_wrap(fill(said.care_with, condition=condition, note=caution.note)))
    links = [
        fill(said.easier, exercise=_linked(exercise.easier, content)) if exercise.easier else "",
        fill(said.harder, exercise=_linked(exercise.harder, content)) if exercise.harder else "",
    ]
    if any(links):
        lines.append("  " + "; ".join(link for link in links if link))
    return "\n".join(lines) + "\n"


def _linked(exercise_id: str, content: Content) -> str:
    """Another exercise by name, with its id in brackets to type into the command."""
    found = content.exercises.get(exercise_id)
    return f"{found.name} [{exercise_id}]" if found else f"[{exercise_id}]"


VERDICT_MARKS = {"suitable": "✓", "clinician_approval": "?", "not_suitable": "✗"}
# A device nothing rules out is allowed, never recommended: no tick for it.
OPTIONAL_EXTRA_MARK = "○"
ROUTINE_THERAPY = "muscle_balance"


def _mark(therapy: str, verdict: str) -> str:
    if verdict == "suitable" and therapy != ROUTINE_THERAPY:
        return OPTIONAL_EXTRA_MARK
    return VERDICT_MARKS[verdict]


def adjunct_lines(verdicts: dict[str, AdjunctVerdict], content: Content) -> list[str]:
    """The routine and the two optional devices: a side-by-side table, then each verdict."""
    said = content.engine.messages.pages
    lines = _heading(said.headings["extras"])
    for row in compare(verdicts):
        mark = _mark(row.therapy, row.verdict)
        row_line = fill(said.device_row, name=row.name, verdict=row.verdict_label)
        lines.append(_bullet(row_line, "").replace("• ", f"  {mark} ", 1))
        lines.append(
            _wrap(fill(said.extra_time, purpose=row.purpose, time=row.time_words), "      ")
        )
        kit = fill(said.extra_kit, kit=row.cost_and_kit, evidence=row.evidence_words)
        lines.append(_wrap(kit, "      "))
    for verdict in verdicts.values():
        lines.append("")
        lines.append(
            "  " + fill(said.device_verdict, name=verdict.name, verdict=verdict.verdict_label)
        )
        lines += [_bullet(reason, "    ") for reason in verdict.reasons]
        evidence = fill(
            said.extra_evidence, words=verdict.evidence_words, evidence=verdict.evidence
        )
        lines.append(_wrap(evidence, "    "))
        protocol = verdict.protocol
        if protocol is None or verdict.therapy == "muscle_balance":
            continue
        if protocol.only_after_approval and protocol.approval_note:
            only_after = fill(said.only_after_approval, note=protocol.approval_note)
            lines.append(_wrap(only_after, "    "))
        lines.append(_wrap(protocol.summary, "    "))
        for stage in protocol.stages:
            stage_line = fill(said.device_stage, name=stage.name, when=stage.when, say=stage.say)
            lines.append(_bullet(stage_line, "    "))
            for x in stage.settings:
                setting = x.say or fill(
                    said.device_setting, label=x.label, value=f"{x.value:g}", unit=x.unit
                )
                lines.append(_wrap(f"- {setting}", "        "))
        lines.append(f"    {said.labels['limits']}")
        lines += [
            _bullet(
                fill(said.device_limit, label=lim.label, value=f"{lim.value:g}", unit=lim.unit),
                "      ",
            )
            for lim in protocol.limits
        ]
        lines.append(f"    {said.labels['stop_if']}")
        for rule in protocol.stop_rules:
            symptoms = "; ".join(rule.symptoms)
            stop_rule = fill(said.device_stop_rule, symptoms=symptoms, action=rule.action)
            lines.append(_bullet(stop_rule, "      "))
    return lines
