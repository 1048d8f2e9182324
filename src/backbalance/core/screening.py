"""The red-flag safety screen: answers in, a triage level with its reasons out.

This runs before anything else the app does, and its design follows three ideas:

* **The screen cannot be skipped, and "not sure" is never "no".** Every question in the
  content must have an answer ("yes", "no" or "unsure"); a missing or malformed answer is a
  :class:`CaseError`, never a silent "no". For every question the content states what
  "unsure" counts as: either a yes, or a named level on its own together with a prompt to
  find out (``find_out`` in the result).
* **Concern is graded from combinations, not counts.** Single weak red flags are common and
  rarely mean disease, so the content's rules combine answers with age and sex. This module
  holds no clinical knowledge or numbers; it only evaluates the rules in ``red_flags.yaml``.
* **Every decision shows its reasons.** The level is the highest level of any rule that
  fired, and every fired rule is reported with the answers it used and its sources, so the
  person and their clinician can see why.

A check-in asks only the questions marked ``every_check_in`` and is read against the last
full screen (:func:`triage_check_in`): the other answers are carried over, and a check-in
can raise the level but not lower it until a clinician has seen the person.

The conditions are monotone (there is no "not"), so answering yes to one more question can
never lower the level; an unsure answer only ever adds (a yes, or a floor that a yes to the
same question alone also reaches, which the content loader checks). The tests check these
properties.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence
from typing import Final, assert_never

from backbalance.content.loader import ContentError
from backbalance.content.schema import (
    AgeIs,
    AllOf,
    AnswerIs,
    AnyOf,
    Condition,
    CountOf,
    RedFlagQuestion,
    RedFlags,
    SexIs,
    TriageAdvice,
)
from backbalance.core.types import (
    LEVEL_ORDER,
    Answer,
    CaseError,
    CheckInTriage,
    FieldError,
    FindOut,
    Level,
    Person,
    Triage,
    TriageReason,
)

# A tuple, not a set: membership on a tuple compares with ==, so an unhashable value that
# arrived from JSON (a list, a dict) is reported as a bad answer instead of crashing.
VALID_ANSWERS: Final[tuple[Answer, ...]] = ("yes", "no", "unsure")

_COMPARE: Final[dict[str, Callable[[float, float], bool]]] = {
    "gt": operator.gt,
    "ge": operator.ge,
    "lt": operator.lt,
    "le": operator.le,
}

_MISSING_MESSAGE: Final = (
    "this safety question has no answer; please answer yes, no or not sure "
    "(the safety screen cannot be skipped)"
)


def counts_as_yes(question: RedFlagQuestion, answer: Answer) -> bool:
    """Whether an answer counts as yes in the triage rules.

    "unsure" counts as yes where the content says so (for signs such as saddle numbness a
    doubtful answer must be treated as a real one). Elsewhere it raises its own named level
    instead (see :func:`triage`), so it is never simply dropped.
    """
    return answer == "yes" or (answer == "unsure" and question.unsure.counts_as == "yes")


def unsure_answers(answers: Mapping[str, object]) -> frozenset[str]:
    """The ids of the questions answered "not sure".

    Other parts of the app use this to hold back anything an unsure answer bears on (a
    device is never judged suitable while a question about it is unsure).
    """
    return frozenset(question_id for question_id, value in answers.items() if value == "unsure")


def unsure_reason_id(question_id: str) -> str:
    """The id of the reason an unsure answer with a named level adds to the triage.

    The colon keeps it apart from content rule ids, which are plain snake_case.
    """
    return f"unsure:{question_id}"


def missing_answers(answers: Mapping[str, Answer | None], red_flags: RedFlags) -> list[str]:
    """The ids of questions without an answer, in the order the screen asks them.

    A ``None`` value (JSON null) counts as missing, because it means the person has not
    answered yet.
    """
    return [q.id for q in red_flags.questions if answers.get(q.id) is None]


def check_in_questions(red_flags: RedFlags) -> list[RedFlagQuestion]:
    """The questions asked again at every check-in, in screen order.

    These are the signs that can appear at any stage (cauda equina, worsening weakness), so
    answering the first screen once is not enough to rule them out later.
    """
    return [q for q in red_flags.questions if q.every_check_in]


def triage(answers: Mapping[str, Answer], person: Person, red_flags: RedFlags) -> Triage:
    """Grade the level of concern from the screen answers and the person's age and sex.

    Raises :class:`CaseError` naming every unanswered, unknown or malformed answer as
    ``screening.<question id>``. Every rule is evaluated (none short-circuits another), so
    the reasons list is complete, apart from a rule superseded by a stronger one that also
    fired: highest level first, then in content order. Unsure answers with a named level add
    their own reason; every unsure answer with a prompt is listed in ``find_out``.
    """
    positive = _positive_answers(answers, red_flags)
    fired = [*_fired_rules(positive, person, red_flags), *_unsure_levels(answers, red_flags)]
    find_out = tuple(
        FindOut(q.id, q.unsure.counts_as, q.unsure.find_out)
        for q in red_flags.questions
        if answers[q.id] == "unsure" and q.unsure.find_out is not None
    )

    # sorted() is stable, so rules of the same level keep their content order (and the
    # unsure answers follow the rules of their level).
    reasons = tuple(sorted(fired, key=lambda r: -LEVEL_ORDER[r.level]))
    level: Level = reasons[0].level if reasons else "none"

    advice = _advice_for(level, red_flags.advice)
    return Triage(
        level=level,
        reasons=reasons,
        headline=advice.headline,
        what_to_do=tuple(advice.what_to_do),
        continue_self_care=advice.continue_self_care,
        find_out=find_out,
    )


# How strong an answer is: a yes is stronger than not sure, which is stronger than no. The
# level never falls as an answer gets stronger (see the module docstring), so keeping the
# stronger of two answers can only keep or raise it.
_STRENGTH: Final[dict[str, int]] = {"no": 0, "unsure": 1, "yes": 2}

_MISSING_CHECK_IN_MESSAGE: Final = (
    "this check-in question has no answer; please answer yes, no or not sure "
    "(the check-in safety questions cannot be skipped)"
)


def triage_check_in(
    check_in: Mapping[str, Answer],
    last_screen: Mapping[str, Answer],
    person: Person,
    red_flags: RedFlags,
    *,
    clinician_seen_since: bool,
) -> CheckInTriage:
    """Grade a check-in, which asks only the ``every_check_in`` questions, against the last
    full screen.

    * The answers to the other questions are carried from the last full screen.
    * A new yes or not sure counts at once: a sign that first appears at a check-in (new
      saddle numbness in week three) gives its level straight away.
    * Until the person records that a clinician has seen them since the last full screen
      (``clinician_seen_since``), a lower answer does not replace a higher earlier one, so
      the level never falls below the last screen's: an emergency or an urgent visit the
      screen asked for stands until it has happened. Once a clinician has seen them, the
      check-in answers replace the earlier ones.

    Raises :class:`CaseError` naming every missing or malformed check-in answer and every
    answer to a question a check-in does not ask (``check_in.<question id>``), and every
    problem with the last full screen (``screening.<question id>``).
    """
    errors = _check_in_errors(check_in, red_flags)
    try:
        last = triage(last_screen, person, red_flags)
    except CaseError as error:
        errors.extend(error.errors)
    if errors:
        raise CaseError(errors)

    answers: dict[str, Answer] = {}
    carried: list[str] = []
    new: list[str] = []
    held: list[str] = []
    for question in red_flags.questions:
        before = last_screen[question.id]
        if question.id not in check_in:
            answers[question.id] = before
            carried.append(question.id)
            continue
        now = check_in[question.id]
        if _STRENGTH[now] > _STRENGTH[before]:
            new.append(question.id)
        if _STRENGTH[now] < _STRENGTH[before] and not clinician_seen_since:
            answers[question.id] = before
            held.append(question.id)
        else:
            answers[question.id] = now
    return CheckInTriage(
        triage=triage(answers, person, red_flags),
        last_level=last.level,
        answers=answers,
        carried=tuple(carried),
        new=tuple(new),
        held=tuple(held),
    )


# --------------------------------------------------------------------------- internals


def _fired_rules(
    positive: Mapping[str, bool], person: Person, red_flags: RedFlags
) -> list[TriageReason]:
    """Every content rule that holds, in content order, minus those a fired rule supersedes."""
    fired: list[TriageReason] = []
    superseded_by: dict[str, str] = {}
    for rule in red_flags.rules:
        hit, used = _evaluate(rule.when, positive, person)
        if hit:
            fired.append(
                TriageReason(
                    rule_id=rule.id,
                    level=rule.level,
                    reason=rule.reason,
                    answers=used,
                    sources=tuple(rule.sources),
                )
            )
            if rule.superseded_by is not None:
                superseded_by[rule.id] = rule.superseded_by
    # A rule that a stronger fired rule already covers would only repeat it. The loader
    # guarantees the stronger rule's level is at least as high, so the level is unchanged.
    fired_ids = {reason.rule_id for reason in fired}
    return [r for r in fired if superseded_by.get(r.rule_id) not in fired_ids]


def _unsure_levels(answers: Mapping[str, Answer], red_flags: RedFlags) -> list[TriageReason]:
    """A reason for each unsure answer whose content names a level rather than "yes".

    Such an answer is not read as yes by the rules, but never as no either: it raises the
    screen to its own level, with the prompt to find out as the reason.
    """
    reasons: list[TriageReason] = []
    for question in red_flags.questions:
        unsure = question.unsure
        if answers[question.id] != "unsure" or unsure.counts_as == "yes":
            continue
        # The content schema requires a prompt for every named level.
        assert unsure.find_out is not None
        reasons.append(
            TriageReason(
                rule_id=unsure_reason_id(question.id),
                level=unsure.counts_as,
                reason=unsure.find_out,
                answers=(question.id,),
                sources=tuple(unsure.sources),
            )
        )
    return reasons


def _positive_answers(answers: Mapping[str, Answer], red_flags: RedFlags) -> dict[str, bool]:
    """Check every answer and turn it into "flag raised or not" per question id."""
    errors: list[FieldError] = []
    positive: dict[str, bool] = {}
    for question in red_flags.questions:
        error = _answer_error(
            answers.get(question.id), f"screening.{question.id}", _MISSING_MESSAGE
        )
        if error is not None:
            errors.append(error)
        else:
            positive[question.id] = counts_as_yes(question, answers[question.id])
    # An answer to a question the screen does not have usually means the case was made for
    # another content version; guessing what it meant would be unsafe, so say so.
    known = {q.id for q in red_flags.questions}
    for key in answers:
        if key not in known:
            errors.append(
                FieldError(
                    f"screening.{key}",
                    "this is not a question in the current safety screen; "
                    "check that the answers match the content version",
                )
            )
    if errors:
        raise CaseError(errors)
    return positive


def _answer_error(value: object, path: str, missing_message: str) -> FieldError | None:
    """The problem with one answer, or None when it is yes, no or unsure."""
    if value is None:
        return FieldError(path, missing_message)
    if value not in VALID_ANSWERS:
        return FieldError(
            path,
            f"{value!r} is not an answer; please answer yes, no or not sure "
            '(written "yes", "no" or "unsure")',
        )
    return None


def _check_in_errors(check_in: Mapping[str, object], red_flags: RedFlags) -> list[FieldError]:
    """Every missing, malformed or out-of-place answer of a check-in, as ``check_in.<id>``."""
    asked = check_in_questions(red_flags)
    errors: list[FieldError] = []
    for question in asked:
        path = f"check_in.{question.id}"
        error = _answer_error(check_in.get(question.id), path, _MISSING_CHECK_IN_MESSAGE)
        if error is not None:
            errors.append(error)
    asked_ids = {q.id for q in asked}
    known = {q.id for q in red_flags.questions}
    for key in check_in:
        if key in asked_ids:
            continue
        # Guessing would be unsafe either way: an answer to a full-screen question given at
        # a check-in would silently replace what the full screen recorded.
        message = (
            "this question belongs to the full safety screen, not to a check-in; "
            "answer it when the full screen is asked again"
            if key in known
            else "this is not a question in the current safety screen; "
            "check that the answers match the content version"
        )
        errors.append(FieldError(f"check_in.{key}", message))
    return errors


def _evaluate(
    condition: Condition, positive: Mapping[str, bool], person: Person
) -> tuple[bool, tuple[str, ...]]:
    """Whether a condition holds, and which raised answers made it hold.

    Only answers inside branches that are true are reported: for "any of" and "count of"
    that is the branches that matched, so the evidence trail names exactly what counted.
    """
    if isinstance(condition, AnswerIs):
        if condition.answer not in positive:
            raise ContentError([f"red-flag rule refers to unknown question {condition.answer!r}"])
        hit = positive[condition.answer]
        return hit, (condition.answer,) if hit else ()
    if isinstance(condition, AgeIs):
        hit = all(_COMPARE[op](person.age, figure.value) for op, figure in condition.age.items())
        return hit, ()
    if isinstance(condition, SexIs):
        return person.sex in condition.sex, ()
    if isinstance(condition, AllOf):
        results = [_evaluate(child, positive, person) for child in condition.all]
        hit = all(ok for ok, _ in results)
        return hit, _used(results) if hit else ()
    if isinstance(condition, AnyOf):
        results = [_evaluate(child, positive, person) for child in condition.any]
        hit = any(ok for ok, _ in results)
        return hit, _used(results) if hit else ()
    if isinstance(condition, CountOf):
        results = [_evaluate(child, positive, person) for child in condition.count]
        hit = sum(ok for ok, _ in results) >= condition.at_least
        return hit, _used(results) if hit else ()
    assert_never(condition)


def _used(results: Sequence[tuple[bool, tuple[str, ...]]]) -> tuple[str, ...]:
    """The answers of the true branches, each once, in the order the rule names them."""
    seen: dict[str, None] = {}
    for ok, answers in results:
        if ok:
            seen.update(dict.fromkeys(answers))
    return tuple(seen)


def _advice_for(level: Level, advice: Sequence[TriageAdvice]) -> TriageAdvice:
    for entry in advice:
        if entry.level == level:
            return entry
    # The content loader guarantees one entry per level; reaching this means broken content.
    raise ContentError([f"red-flag content has no advice for level {level!r}"])
