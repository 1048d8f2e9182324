"""The whole chain: safety screen → scores → findings → patterns → primary imbalances.

``evaluate`` is a pure function: the same case and the same content always give the
same result, and the result names the engine and content versions that made it.

The health conditions are settled once, before anything is gated: the ones ticked in the
context together with the ones the safety screen already established (one fact, one
answer), with what they imply. The routine and the device verdicts both use that one set.
"""

from __future__ import annotations

from dataclasses import replace

from backbalance import ENGINE_VERSION
from backbalance.content.loader import Content, load_content
from backbalance.core.adjuncts import AdjunctVerdict, UnsureBasis, assess_adjuncts
from backbalance.core.assessment import assess
from backbalance.core.case import parse_case
from backbalance.core.conditions import EffectiveConditions, effective_conditions
from backbalance.core.instruments import score_all
from backbalance.core.patterns import find_patterns
from backbalance.core.program import build_routine, choose_phase
from backbalance.core.repeated_movements import combine_directions, read_movement_checks
from backbalance.core.screening import triage
from backbalance.core.types import Case, Context, Result, Triage, Warning


def evaluate(case: Case, content: Content | None = None) -> Result:
    """Evaluate one case. An emergency stops the chain: only where to go, nothing else."""
    content = content or load_content()
    level = triage(case.screening, case.person, content.red_flags)
    scores = score_all(case.questionnaires, content.instruments)
    base = Result(
        engine_version=ENGINE_VERSION,
        content_version=content.version,
        case_id=case.case_id,
        triage=level,
        scores=scores,
        findings=(),
        signs=(),
        patterns=(),
        primary_imbalances=(),
        warnings=(),
        disclaimer=content.engine.disclaimer,
    )
    ticked = case.context.conditions if case.context is not None else frozenset[str]()
    effective = effective_conditions(ticked, case.screening, content.conditions)
    # What eases and worsens the pain: the person's answers joined to a repeated-movement
    # check's, where a direction anyone says worsens the pain stays worsening.
    movement_check = read_movement_checks(case, content)
    stated = case.context
    eases, worsens = combine_directions(
        stated.eases if stated else (), stated.worsens if stated else (), movement_check, content
    )
    base = replace(
        base,
        conditions=effective.ids,
        eases=eases,
        worsens=worsens,
        movement_responses=movement_check.responses,
    )
    # The routine gates on every condition that counts, not only the ticked ones, and on
    # every movement that worsens the pain, not only the stated ones.
    context = (
        replace(stated, conditions=effective.ids, eases=eases, worsens=worsens) if stated else None
    )
    adjuncts = _device_verdicts(context, effective, level, base, content)
    if level.level == "emergency":
        # Safety gate: no findings, patterns or advice may sit next to an emergency
        # message, so nothing can distract from getting help now. The device verdicts
        # stay, all "not suitable", so nobody reads their absence as permission.
        return replace(
            base,
            adjuncts=adjuncts,
            warnings=(
                Warning(
                    code="emergency",
                    message="Your answers need urgent medical attention. The self-tests and "
                    "exercises are switched off until a clinician has seen you.",
                ),
            ),
        )

    # A stop from the repeated-movement check comes first: it is about what to do now.
    warnings: list[Warning] = list(movement_check.warnings)
    if level.level == "urgent":
        warnings.append(
            Warning(
                code="urgent",
                message="Please see a doctor within days. Until then, treat these results as "
                "background only and do nothing that hurts.",
            )
        )
    # A direction check says nothing about any muscle, so it does not count as a self-test
    # result here.
    muscle_tests = [t for t in case.tests if content.tests[t].direction_check is None]
    if not muscle_tests:
        warnings.append(
            Warning(
                code="no_tests",
                message="No self-test results yet, so no imbalance can be named. Run "
                "`backbalance tests` to see the tests you can do at home.",
            )
        )
    assessment = assess(case, content)
    outcome = find_patterns(assessment.findings, assessment.signs, content)
    if muscle_tests and not outcome.primary:
        warnings.append(
            Warning(
                code="no_clear_imbalance",
                message="Your results do not point clearly to one imbalance. That is a real "
                "answer too: a clinician can look further, and a re-test in a few weeks helps.",
            )
        )
    result = replace(
        base,
        findings=assessment.findings,
        signs=assessment.signs,
        patterns=outcome.patterns,
        primary_imbalances=outcome.primary,
        measures=assessment.measures,
    )
    routine = None
    if context is None:
        warnings.append(
            Warning(
                code="no_context",
                message="No routine yet: answer the routine questions first (minutes a day, "
                "equipment, how the pain behaves, and your health conditions).",
            )
        )
    else:
        routine = build_routine(result, context, content)
        if routine is not None and movement_check.warnings:
            # The routine's own page repeats the stop, so it is seen wherever the
            # routine is read, not only on the full result.
            stops = tuple(w.message for w in movement_check.warnings)
            routine = replace(routine, notes=(*stops, *routine.notes))
    return replace(
        result,
        routine=routine,
        adjuncts=adjuncts,
        warnings=(*warnings, *assessment.warnings, *outcome.warnings),
    )


def _device_verdicts(
    context: Context | None,
    effective: EffectiveConditions,
    level: Triage,
    base: Result,
    content: Content,
) -> dict[str, AdjunctVerdict]:
    """A verdict for every therapy whenever there is a triage, with or without a context."""
    questions = {q.id: q.question for q in content.red_flags.questions}
    unsure = {
        condition: UnsureBasis(question, questions[question])
        for condition, question in effective.held_on_unsure.items()
    }
    # The same phase the routine is built in: a gentle-only phase is a flare-up.
    flare = context is not None and choose_phase(base, context, content.program)[0].gentle_only
    return assess_adjuncts(
        level,
        effective.ids,
        content.adjuncts,
        flare=flare,
        health_answered=context is not None,
        unsure=unsure,
    )


def evaluate_raw(raw: object, content: Content | None = None) -> Result:
    """Validate raw case data (parsed JSON) and evaluate it; raises CaseError if invalid."""
    content = content or load_content()
    return evaluate(parse_case(raw, content), content)
