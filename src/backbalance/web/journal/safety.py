"""Where a person stands with the safety questions right now.

The one place the web app asks "may this person do the routine, or use a device?". It
reads the last full safety screen and the check-ins since, through the core API:

* no full screen yet: nothing is open but the screen itself;
* each check-in is triaged against the answers standing before it (the last screen's,
  with earlier check-ins on top), so a sign reported at a check-in stays until a
  clinician has seen the person (``core.api.triage_check_in``);
* ``emergency``: routine, self-tests and devices locked; only where to go now;
* ``urgent``: gentle items only, no devices, see a doctor within days;
* ``routine`` / ``none``: go ahead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from backbalance.core import api
from backbalance.web.checkup.models import Assessment
from backbalance.web.common.content import content
from backbalance.web.journal.models import CheckIn, ClinicianVisit


@dataclass(frozen=True)
class SafetyState:
    """The standing safety level and what it allows."""

    # None until the first full screen is done.
    level: api.Level | None
    triage: api.Triage | None
    # The screen the standing answers start from, and when the level was last set.
    screen: Assessment | None
    set_at: datetime | None
    # The full set of answers that stand now (the screen's, with check-ins on top).
    answers: dict[str, api.Answer]
    # A clinician visit recorded since the level was set.
    clinician_seen_since: bool

    @property
    def needs_screen(self) -> bool:
        return self.level is None

    @property
    def emergency(self) -> bool:
        return self.level == "emergency"

    @property
    def routine_allowed(self) -> bool:
        """Any routine at all (gentle items only when urgent)."""
        return self.level is not None and self.level != "emergency"

    @property
    def gentle_only(self) -> bool:
        return self.level == "urgent"

    @property
    def devices_allowed(self) -> bool:
        return self.level in {"routine", "none"}


# The parts of a check-up the safety level reads; the stored result is large and unneeded.
_SCREEN_FIELDS = ("id", "owner_id", "created_at", "screening", "person", "screened_at")


def latest_screen(user: AbstractBaseUser | AnonymousUser) -> Assessment | None:
    return (
        Assessment.objects.filter(owner_id=user.pk, screened_at__isnull=False)
        .only(*_SCREEN_FIELDS)
        .order_by("-screened_at")
        .first()
    )


def _triage(answers: dict[str, Any], person: api.Person) -> api.Triage:
    """The core's triage, remembered: every page asks it for the same few answer sets."""
    key = (content().version, person, tuple(sorted(answers.items())))
    return _remembered_triage(key)


@lru_cache(maxsize=2048)
def _remembered_triage(
    key: tuple[str, api.Person, tuple[tuple[str, Any], ...]],
) -> api.Triage:
    _, person, answers = key
    return api.triage(dict(answers), person, content().red_flags)


def _person(screen: Assessment) -> api.Person:
    return api.parse_person(screen.person, content())


def current_safety(user: AbstractBaseUser | AnonymousUser) -> SafetyState:
    """The safety level that stands for ``user`` now. Three queries at most."""
    screen = latest_screen(user)
    if screen is None or screen.screened_at is None:
        return SafetyState(None, None, None, None, {}, clinician_seen_since=False)
    last = (
        CheckIn.objects.filter(owner_id=user.pk, at__gt=screen.screened_at)
        .order_by("-at", "-created_at")
        .first()
    )
    answers: dict[str, Any]
    if last is not None and last.content_version == content().version:
        answers, set_at = dict(last.standing_answers), last.at
    else:
        # No check-in since the screen, or the content changed since: start again from
        # the screen (a changed content re-reads the check-ins in order).
        answers, set_at = _replay(screen)
    last_visit = (
        ClinicianVisit.objects.filter(owner_id=user.pk)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    seen = last_visit is not None and last_visit > set_at
    triage = _triage(answers, _person(screen))
    if triage.level != "emergency":
        held = _emergency_not_yet_seen(user, screen, last_visit)
        if held is not None:
            return SafetyState(held.level, held, screen, set_at, answers, False)
    return SafetyState(triage.level, triage, screen, set_at, answers, seen)


def _emergency_not_yet_seen(
    user: AbstractBaseUser | AnonymousUser, screen: Assessment, last_visit: datetime | None
) -> api.Triage | None:
    """An emergency from an earlier screen or check-in that no clinician visit followed.

    Answering the safety screen again must not undo an emergency on its own: it stands
    until the person records that a clinician has seen them (design §3). Two queries.
    """
    earlier_screens = (
        Assessment.objects.filter(
            owner_id=user.pk, screened_at__isnull=False, screened_at__lt=screen.screened_at
        )
        .exclude(pk=screen.pk)
        .only(*_SCREEN_FIELDS)
    )
    emergency_check_ins = CheckIn.objects.filter(owner_id=user.pk, level="emergency")
    if last_visit is not None:
        earlier_screens = earlier_screens.filter(screened_at__gt=last_visit)
        emergency_check_ins = emergency_check_ins.filter(at__gt=last_visit)
    for earlier in earlier_screens.order_by("-screened_at"):
        triage = _triage(earlier.screening, _person(earlier))
        if triage.level == "emergency":
            return triage
    check_in = emergency_check_ins.order_by("-at").first()
    if check_in is not None:
        triage = _triage(check_in.standing_answers, _person(screen))
        if triage.level == "emergency":
            return triage
    return None


def _replay(screen: Assessment) -> tuple[dict[str, Any], datetime]:
    """The standing answers after every check-in since ``screen``, judged again now."""
    assert screen.screened_at is not None
    answers: dict[str, Any] = dict(screen.screening)
    set_at = screen.screened_at
    person = _person(screen)
    visits = list(
        ClinicianVisit.objects.filter(owner_id=screen.owner_id, created_at__gt=set_at)
        .order_by("created_at")
        .values_list("created_at", flat=True)
    )
    for check_in in CheckIn.objects.filter(owner_id=screen.owner_id, at__gt=set_at).order_by(
        "at", "created_at"
    ):
        seen = any(set_at < visit <= check_in.at for visit in visits)
        given, answers = _as_asked_now(check_in.safety, answers)
        judged = api.triage_check_in(
            given, answers, person, content().red_flags, clinician_seen_since=seen
        )
        answers, set_at = dict(judged.answers), check_in.at
        check_in.standing_answers = answers
        check_in.level = judged.triage.level
        check_in.content_version = content().version
        check_in.save(update_fields=["standing_answers", "level", "content_version"])
    return answers, set_at


def _as_asked_now(
    given: dict[str, Any], standing: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A check-in stored under other content, fitted to the questions asked now.

    Without this, one old check-in that lacks a question added since (or answers one no
    longer asked at a check-in) would make the core refuse the whole replay, and every page
    would fail for that person. Nothing is read as no: a question not asked then keeps the
    answer that stood; an answer to a question now only on the full screen may raise a
    standing "no", never lower anything; an answer to a question that no longer exists has
    nothing left to judge it by.
    """
    asked = {q.id for q in api.check_in_questions(content().red_flags)}
    known = {q.id for q in content().red_flags.questions}
    fitted = {qid: given[qid] if qid in given else standing[qid] for qid in asked}
    raised = dict(standing)
    for qid, answer in given.items():
        if qid in known and qid not in asked and standing.get(qid) == "no" and answer != "no":
            raised[qid] = answer
    return fitted, raised


def judge_check_in(
    user: AbstractBaseUser | AnonymousUser, safety_answers: dict[str, Any]
) -> api.CheckInTriage:
    """Triage a check-in's safety answers against what stands now.

    Raises ``api.CaseError`` with ``check_in.<question id>`` paths for a missing or bad
    answer, and ``LookupError`` when there is no full screen to check in against.
    """
    state = current_safety(user)
    if state.screen is None:
        raise LookupError("no full safety screen yet")
    return api.triage_check_in(
        safety_answers,
        state.answers,
        _person(state.screen),
        content().red_flags,
        clinician_seen_since=state.clinician_seen_since,
    )


def judge_every_check_in_again(user: AbstractBaseUser | AnonymousUser) -> None:
    """Judge every check-in again from the screen before it, oldest screen first.

    For records that arrive from elsewhere (an imported file): their stored levels are
    never trusted, so an edited file cannot lower a level the answers call for. Each
    screen's replay ends at the next screen's, which then judges what follows it.
    """
    screens = Assessment.objects.filter(owner_id=user.pk, screened_at__isnull=False)
    for screen in screens.order_by("screened_at", "created_at"):
        _replay(screen)
