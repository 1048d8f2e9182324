"""The whole chain: safety screen → scores → findings → patterns → primary imbalances.

``evaluate`` is a pure function: the same case and the same content always give the
same result, and the result names the engine and content versions that made it.

The health conditions are settled once, before anything is gated: the ones ticked in the
context together with the ones the safety screen already established (one fact, one
answer), with what they imply. The routine, the device verdicts and the self-tests all use
that one set.

The self-tests pass the same gates as the exercises (core/gates.py) before any reading is
read: a test not offered now (a contraindicated position, an urgent screen, a test held to
failure during a flare-up) has its readings set aside, so no finding rests on it.
"""

from __future__ import annotations

from msgspec.structs import replace

from backbalance import ENGINE_VERSION
from backbalance.content.loader import Content, load_content
from backbalance.content.wording import fill
from backbalance.core.adjuncts import AdjunctVerdict, UnsureBasis, assess_adjuncts
from backbalance.core.assessment import assess
from backbalance.core.case import parse_case
from backbalance.core.conditions import EffectiveConditions, effective_conditions
from backbalance.core.gates import offer_tests, self_test_gates
from backbalance.core.instruments import score_all
from backbalance.core.patterns import find_patterns, retest_weeks
from backbalance.core.program import average_pain, build_routine, choose_phase
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
    # The routine gates on every condition that counts, not only the ticked ones, and on
    # every movement that worsens the pain, not only the stated ones.
    context = (
        replace(stated, conditions=effective.ids, eases=eases, worsens=worsens) if stated else None
    )
    # So do the self-tests, through the same gate code as the exercises.
    gates = self_test_gates(
        triage_level=level.level,
        conditions=effective.ids,
        flare_up=_in_a_flare(base, context, content),
        content=content,
    )
    self_tests = offer_tests(gates, content)
    base = replace(
        base,
        conditions=effective.ids,
        self_tests=self_tests,
        eases=eases,
        worsens=worsens,
        movement_responses=movement_check.responses,
    )
    adjuncts = _device_verdicts(context, effective, level, base, content)
    if level.level == "emergency":
        # Safety gate: no findings, patterns or advice may sit next to an emergency
        # message, so nothing can distract from getting help now. The device verdicts
        # stay, all "not suitable", so nobody reads their absence as permission.
        page = content.engine.emergency_page
        return replace(
            base,
            adjuncts=adjuncts,
            warnings=(
                Warning(code="emergency", message=page.switched_off),
                *_emergency_answers(case, level, content),
            ),
        )

    # A stop from the repeated-movement check comes first: it is about what to do now.
    warnings: list[Warning] = list(movement_check.warnings)
    said = content.engine.messages.result
    if level.level == "urgent":
        warnings.append(Warning(code="urgent", message=said.urgent))
    # A direction check says nothing about any muscle, so it does not count as a self-test
    # result here.
    muscle_tests = [t for t in case.tests if content.tests[t].direction_check is None]
    if not muscle_tests and level.level != "urgent":
        warnings.append(
            # Each adapter adds how to find the tests (a command, a page): core names none.
            Warning(code="no_tests", message=said.no_tests)
        )
    not_offered = {o.test: "; ".join(o.why_not) for o in self_tests if not o.offered}
    assessment = assess(case, content, not_offered)
    outcome = find_patterns(assessment.findings, assessment.signs, content)
    used = [test_id for test_id in muscle_tests if test_id not in not_offered]
    if used and not outcome.primary:
        warnings.append(
            Warning(
                code="no_clear_imbalance",
                message=fill(said.no_clear_imbalance, retest_weeks=retest_weeks(content)),
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
        warnings.append(Warning(code="no_context", message=said.no_context))
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


def _in_a_flare(base: Result, context: Context | None, content: Content) -> bool:
    """A flare-up now, judged as the routine judges it: a calming (gentle-only) phase.

    Without the routine answers the pain's irritability is unknown, so the pain score
    alone decides: pain at or above a calming phase's entry line counts as a flare-up.
    """
    if context is not None:
        return choose_phase(base, context, content.program)[0].gentle_only
    pain = average_pain(base)
    return pain is not None and any(
        phase.gentle_only
        and phase.enter_if_pain_at_least is not None
        and pain >= phase.enter_if_pain_at_least.value
        for phase in content.program.phases
    )


def _emergency_answers(case: Case, level: Triage, content: Content) -> list[Warning]:
    """Each answer behind the emergency, in plain words, so the staff can be told exactly.

    One warning per question (code ``emergency_answer``, ``about`` the question id), in the
    order of the screen, from the rules that made it an emergency and no others.
    """
    page = content.engine.emergency_page
    behind = {q for r in level.reasons if r.level == "emergency" for q in r.answers}
    answers: list[Warning] = []
    for question in content.red_flags.questions:
        answer = case.screening.get(question.id)
        if question.id not in behind or answer not in ("yes", "unsure"):
            continue
        line = fill(page.answer_line, question=question.question, answer=page.answer_words[answer])
        answers.append(Warning(code="emergency_answer", message=line, about=question.id))
    return answers


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
