"""Check-up services: the only place the checkup views reach the core.

The stored inputs are the truth; the result is derived from them by ``core.api`` and kept
with the engine and content versions that made it. :func:`result_for` re-derives it when
either version has changed since, so a page never shows a result the current rules would
not give.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from backbalance.core import api
from backbalance.web.checkup.models import Assessment
from backbalance.web.common.content import content, licensed_questionnaires
from backbalance.web.journal.safety import SafetyState, current_safety


def _stale(assessment: Assessment) -> bool:
    return (
        assessment.result is None
        or assessment.result_engine_version != api.ENGINE_VERSION
        or assessment.result_content_version != content().version
    )


def result_for(assessment: Assessment) -> dict[str, Any]:
    """The core's result for the check-up, as JSON, derived again if it is stale.

    Raises ``api.CaseError`` when the stored inputs do not make a valid case yet (a
    check-up still in progress).
    """
    stored: dict[str, Any] | None = assessment.result
    if stored is not None and not _stale(assessment):
        return stored
    result = api.evaluate(api.parse_case(assessment.case(), content()), content())
    derived = api.result_to_jsonable(result)
    with transaction.atomic():
        assessment.result = derived
        assessment.result_engine_version = result.engine_version
        assessment.result_content_version = result.content_version
        assessment.save(update_fields=["result", "result_engine_version", "result_content_version"])
    return derived


def parsed_result(assessment: Assessment) -> api.Result:
    """The core's result as typed objects, for views that need more than the JSON."""
    return api.evaluate(api.parse_case(assessment.case(), content()), content())


# --------------------------------------------------------------------------- the journey
#
# The check-up is filled in one page at a time. Each page is checked by the same core
# parser the whole case uses, so a page shows the engine's own message under the same
# dotted path (``context.minutes_per_day``) the command line would name.

# Questions per safety page: small enough to read calmly on a phone.
QUESTIONS_PER_PAGE = 6


@dataclass(frozen=True)
class ScreenPage:
    """One page of the safety screen: a few questions of one group, in content order."""

    number: int
    group: str
    questions: tuple[Any, ...]


def screen_pages() -> tuple[ScreenPage, ...]:
    """The safety questions, grouped as the content groups them, a few to a page.

    Page 1 asks age and sex (the triage needs them); the questions start on page 2.
    """
    groups: dict[str, list[Any]] = {}
    for question in content().red_flags.questions:
        groups.setdefault(question.group, []).append(question)
    pages: list[ScreenPage] = []
    for group, questions in groups.items():
        count = -(-len(questions) // QUESTIONS_PER_PAGE)
        size = -(-len(questions) // count)  # even pages: 16 questions make 6, 5, 5
        for start in range(0, len(questions), size):
            chunk = tuple(questions[start : start + size])
            pages.append(ScreenPage(len(pages) + 2, group, chunk))
    return tuple(pages)


def screen_page_count() -> int:
    """Pages of the screen, the age-and-sex page included."""
    return len(screen_pages()) + 1


def current_assessment(user: AbstractBaseUser | AnonymousUser) -> Assessment:
    """The check-up to carry on with: the last one not finished, else the last one
    finished (its results), else a new one.

    A check-up that ended on an emergency is kept as it is; a new one starts only once a
    clinician visit has been recorded since (``SafetyState.clinician_seen_since``).
    """
    safety = current_safety(user)
    unfinished = (
        Assessment.objects.filter(owner_id=user.pk, completed_at__isnull=True)
        .order_by("-created_at")
        .first()
    )
    if unfinished is not None and not (
        unfinished.screened_at is not None
        and triage_of(unfinished).level == "emergency"
        and safety.clinician_seen_since
    ):
        return unfinished
    if safety.emergency and not safety.clinician_seen_since and safety.screen is not None:
        # No fresh screen may wipe an emergency out before a clinician has seen them.
        return safety.screen
    finished = (
        Assessment.objects.filter(owner_id=user.pk, completed_at__isnull=False)
        .order_by("-completed_at")
        .first()
    )
    if finished is not None and not safety.clinician_seen_since:
        return finished
    assert user.pk is not None  # the views are behind login
    with transaction.atomic():
        return Assessment.objects.create(owner_id=user.pk)


def triage_of(assessment: Assessment) -> api.Triage:
    """The triage of this check-up's own screen (it must be complete)."""
    return api.triage(
        api.parse_screening(assessment.screening, content()),
        api.parse_person(assessment.person, content()),
        content().red_flags,
    )


def screen_done(assessment: Assessment) -> bool:
    return assessment.screened_at is not None


def first_open_screen_page(assessment: Assessment) -> int:
    if not assessment.person:
        return 1
    for page in screen_pages():
        if any(q.id not in assessment.screening for q in page.questions):
            return page.number
    return screen_page_count()


def save_person(assessment: Assessment, raw: dict[str, Any]) -> None:
    """Age and sex; raises ``api.CaseError`` with ``person.*`` paths."""
    api.parse_person(raw, content())
    with transaction.atomic():
        assessment.person = raw
        assessment.save(update_fields=["person", "updated_at"])


def save_screen_page(assessment: Assessment, page: ScreenPage, answers: dict[str, Any]) -> None:
    """This page's answers, checked by the core's screen parser.

    The whole screen is parsed with the answers so far; only the problems on this page's
    questions count here (later pages are still to come). When the last answer is in, the
    screen is complete: ``screened_at`` is set and the triage stands from then on.
    """
    merged = {**assessment.screening, **answers}
    on_page = {f"screening.{q.id}" for q in page.questions}
    try:
        api.parse_screening(merged, content())
    except api.CaseError as problems:
        mine = [e for e in problems.errors if e.path in on_page]
        if mine:
            raise api.CaseError(mine) from problems
        complete = False
    else:
        complete = True
    if not complete and _already_an_emergency(merged, assessment.person):
        # Nobody with a sign of an emergency should read nine more pages first. Every
        # question not reached yet is stored as "not sure": the core never reads not sure
        # as lower than no, so the screen stays an emergency, and it is complete, so the
        # emergency stands everywhere at once.
        questions = content().red_flags.questions
        assessment.not_reached = [q.id for q in questions if q.id not in merged]
        merged = {q.id: merged.get(q.id, "unsure") for q in questions}
        complete = True
    with transaction.atomic():
        assessment.screening = merged
        if complete:
            assessment.screened_at = timezone.now()
        assessment.save(update_fields=["screening", "screened_at", "not_reached", "updated_at"])


def _already_an_emergency(answers: dict[str, Any], person: dict[str, Any]) -> bool:
    """True if the answers so far make an emergency whatever the rest will be.

    The screen is monotone (a yes never lowers the level), so reading every question not
    answered yet as "no" gives the lowest level the finished screen can have.
    """
    lowest = {q.id: answers.get(q.id, "no") for q in content().red_flags.questions}
    triage = api.triage(
        api.parse_screening(lowest, content()),
        api.parse_person(person, content()),
        content().red_flags,
    )
    return triage.level == "emergency"


def new_assessment(user: AbstractBaseUser | AnonymousUser) -> Assessment | None:
    """A fresh check-up, unless an emergency stands with no clinician visit since."""
    safety = current_safety(user)
    if safety.emergency and not safety.clinician_seen_since:
        return None
    assert user.pk is not None  # the views are behind login
    with transaction.atomic():
        return Assessment.objects.create(owner_id=user.pk)


def save_about(
    assessment: Assessment,
    context: dict[str, Any],
    questionnaires: dict[str, Any],
    day: dict[str, Any] | None = None,
) -> None:
    """The routine questions and the pain questionnaires, each checked by the core."""
    problems: list[api.FieldError] = []
    for parse, raw in ((api.parse_context, context), (api.parse_questionnaires, questionnaires)):
        try:
            parse(raw, content())
        except api.CaseError as error:
            problems.extend(error.errors)
    if problems:
        raise api.CaseError(problems)
    with transaction.atomic():
        assessment.context = context
        kept = {k: v for k, v in assessment.questionnaires.items() if k not in questionnaires}
        assessment.questionnaires = {**kept, **questionnaires}
        if day is not None:
            assessment.work = day["work"]
            assessment.sitting_hours = day["sitting_hours"]
        assessment.save(
            update_fields=["context", "questionnaires", "work", "sitting_hours", "updated_at"]
        )


def shown_questionnaires() -> tuple[Any, ...]:
    """Licensed questionnaires whose wording a licence holder has installed.

    backbalance ships no licensed wording (its item texts are empty); a clinic that holds
    a licence names its wording file in ``BACKBALANCE_LICENSED_WORDING``. Only a
    questionnaire whose every item has its text is shown.
    """
    return tuple(
        instrument
        for instrument in licensed_questionnaires()
        if instrument.licensed and all(item.text for item in instrument.items)
    )


def offers(assessment: Assessment, safety: SafetyState) -> dict[str, api.SelfTestOffer]:
    """Each self-test, offered to this person now or not, with the core's reasons.

    The core's gates decide, from the answers that stand now: this check-up's screen,
    with any warning sign reported at a check-in since on top.
    """
    screening = safety.answers if safety.screen is not None else assessment.screening
    case = {**assessment.case(), "screening": screening, "tests": {}}
    result = api.evaluate(api.parse_case(case, content()), content())
    return {offer.test: offer for offer in result.self_tests}


def save_test(assessment: Assessment, test_id: str, raw: dict[str, Any]) -> None:
    """One test's readings; raises ``api.CaseError`` with ``tests.<id>.*`` paths."""
    api.parse_test(test_id, raw, content())
    with transaction.atomic():
        assessment.tests = {**assessment.tests, test_id: raw}
        assessment.skipped_tests = [t for t in assessment.skipped_tests if t != test_id]
        assessment.save(update_fields=["tests", "skipped_tests", "updated_at"])


def skip_test(assessment: Assessment, test_id: str) -> None:
    with transaction.atomic():
        if test_id not in assessment.skipped_tests:
            assessment.skipped_tests = [*assessment.skipped_tests, test_id]
            assessment.save(update_fields=["skipped_tests", "updated_at"])


def finish(assessment: Assessment) -> dict[str, Any]:
    """Mark the check-up complete and derive its result."""
    with transaction.atomic():
        assessment.completed_at = timezone.now()
        assessment.result = None
        assessment.save(update_fields=["completed_at", "result", "updated_at"])
        return result_for(assessment)


def percent(done: int, total: int) -> int:
    """Progress rounded to the nearest 5 %, for the progress bar's width classes."""
    if total <= 0:
        return 100
    return int(round(100 * done / total / 5) * 5)


def battery(assessment: Assessment, offered: dict[str, api.SelfTestOffer]) -> list[dict[str, Any]]:
    """Every self-test in content order with its state: done, skipped, to do, not offered."""
    rows: list[dict[str, Any]] = []
    for test in content().tests.values():
        offer = offered[test.id]
        if not offer.offered:
            state = "not_offered"
        elif test.id in assessment.tests:
            state = "done"
        elif test.id in assessment.skipped_tests:
            state = "skipped"
        else:
            state = "to_do"
        rows.append({"test": test, "offer": offer, "state": state})
    return rows


def after_test_url(assessment: Assessment, safety: SafetyState) -> str:
    """The next test still to do, or the overview when none is left."""
    for row in battery(assessment, offers(assessment, safety)):
        if row["state"] == "to_do":
            return reverse(
                "checkup:self_test", kwargs={"pk": assessment.pk, "test_id": row["test"].id}
            )
    return reverse("checkup:tests", kwargs={"pk": assessment.pk})


# --------------------------------------------------------------------------- re-tests


def latest_finished(user: AbstractBaseUser | AnonymousUser) -> Assessment | None:
    return (
        Assessment.objects.filter(owner_id=user.pk, completed_at__isnull=False)
        .order_by("-completed_at")
        .first()
    )


def new_retest(
    user: AbstractBaseUser | AnonymousUser, previous: Assessment, chosen: list[str]
) -> Assessment | None:
    """A check-up that repeats ``previous``: the whole battery, or only ``chosen`` tests.

    The safety screen is never carried over: it is asked again from its first page (age
    and sex filled in), and nothing opens while an emergency stands (the same rule as
    :func:`new_assessment`). The routine questions are carried over to be checked; of the
    questionnaires only the PSFS activities are, so the same activities are rated again
    and no old rating passes for a new one. Tests not chosen start as skipped.
    """
    safety = current_safety(user)
    if safety.emergency and not safety.clinician_seen_since:
        return None
    assert user.pk is not None  # the views are behind login
    every_test = list(content().tests)
    chosen_in_order = [t for t in every_test if t in set(chosen)]
    with transaction.atomic():
        return Assessment.objects.create(
            owner_id=user.pk,
            retest_of=previous,
            person=dict(previous.person),
            context=previous.context,
            work=previous.work,
            sitting_hours=previous.sitting_hours,
            chosen_tests=chosen_in_order,
            skipped_tests=[t for t in every_test if chosen_in_order and t not in chosen_in_order],
        )


def carried_questionnaires(assessment: Assessment) -> dict[str, Any]:
    """For a re-test not yet past its about page: the earlier PSFS activities, unrated."""
    previous = assessment.retest_of
    if previous is None or assessment.questionnaires:
        return dict(assessment.questionnaires)
    activities = previous.questionnaires.get("psfs") or []
    if not activities:
        return {}
    return {"psfs": [{"activity": entry.get("activity"), "rating": None} for entry in activities]}


@dataclass(frozen=True)
class Comparison:
    """A finished re-test against the check-up it repeats."""

    previous: Assessment
    current: Assessment
    previous_result: api.Result
    current_result: api.Result
    readings: tuple[api.ReadingChange, ...]
    findings: tuple[api.FindingChange, ...]


def comparison(current: Assessment) -> Comparison | None:
    """None unless ``current`` is a finished re-test of a finished check-up."""
    previous = current.retest_of
    if previous is None or previous.completed_at is None or current.completed_at is None:
        return None
    before, after = parsed_result(previous), parsed_result(current)
    before_case = api.parse_case(previous.case(), content())
    after_case = api.parse_case(current.case(), content())
    readings = api.compare_tests(before_case.tests, after_case.tests, content())
    return Comparison(
        previous=previous,
        current=current,
        previous_result=before,
        current_result=after,
        readings=readings,
        findings=api.compare_findings(before.findings, after.findings, readings, content()),
    )
