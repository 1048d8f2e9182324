"""Helpers for the ledger tests: therapists and visits made from the example ledger files,
moved so their last visit falls on a chosen day, and the core's own verdict on the same
data to compare the pages with."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from backbalance.core import api
from backbalance.web.common.content import content
from backbalance.web.journal.models import CheckIn
from backbalance.web.journal.safety import judge_check_in
from backbalance.web.ledger.models import CHECKLIST, Booking, Provider, Visit

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "ledger"


def example(name: str, last_visit: date | None = None) -> dict[str, Any]:
    """An example ledger file, every date moved by the same number of days so its last
    visit is on ``last_visit`` (today by default)."""
    data: dict[str, Any] = json.loads((EXAMPLES / name).read_text())
    last = max(date.fromisoformat(v["date"]) for v in data["visits"])
    shift = (last_visit or timezone.localdate()) - last

    def moved(text: str) -> str:
        return (date.fromisoformat(text) + shift).isoformat()

    for key in ("visits", "pain_diary", "psfs", "odi", "rmdq", "global_change", "red_flags"):
        for entry in data.get(key, []):
            entry["date"] = moved(entry["date"])
    if "episode_started" in data:
        data["episode_started"] = moved(data["episode_started"])
    return data


def visits_only(data: dict[str, Any]) -> dict[str, Any]:
    """The part of a ledger file the ledger stores itself (the rest comes from the journal)."""
    kept = {"provider", "currency", "visits", "episode_started"}
    return {key: value for key, value in data.items() if key in kept}


def store(user: User, data: dict[str, Any]) -> Provider:
    """A therapist and their visits from a ledger file's data."""
    provider = Provider.objects.create(
        owner=user,
        name=data["provider"]["name"],
        kind=data["provider"]["kind"],
        episode_started=(
            date.fromisoformat(data["episode_started"]) if "episode_started" in data else None
        ),
    )
    for entry in data["visits"]:
        add_visit(provider, **entry, currency=data.get("currency", ""))
    return provider


def add_visit(provider: Provider, **entry: Any) -> Visit:
    checklist = entry.pop("checklist", {})
    day = entry.pop("date")
    values = {
        key: Decimal(str(value)) if isinstance(value, int | float) else value
        for key, value in entry.items()
    }
    return Visit.objects.create(
        owner_id=provider.owner_id,
        provider=provider,
        date=date.fromisoformat(day) if isinstance(day, str) else day,
        **values,
        **{item: checklist.get(item) for item in CHECKLIST},
    )


def book(provider: Provider, days_from_today: int, **fields: Any) -> Booking:
    """An appointment booked ``days_from_today`` from today (negative: its day has passed)."""
    return Booking.objects.create(
        owner_id=provider.owner_id,
        provider=provider,
        date=timezone.localdate() + timedelta(days=days_from_today),
        **fields,
    )


def core_verdict(data: dict[str, Any], as_of: date | None = None) -> api.CourseReport:
    course = api.parse_course(data, content())
    return api.judge_course(course, content(), as_of or timezone.localdate())


# The pain noted with a flagged check-in.
FLAGGED_PAIN = 4


def flagged_check_in(user: User, days_ago: int = 0, level: str = "emergency") -> CheckIn:
    """A check-in with a warning sign at ``level``: help now (emergency) or a doctor soon
    (urgent); the first check-in question whose "yes" gives that level is answered yes."""
    questions = api.check_in_questions(content().red_flags)
    for question in questions:
        answers = {q.id: "no" for q in questions}
        answers[question.id] = "yes"
        judged = judge_check_in(user, answers)
        if judged.triage.level == level:
            break
    assert judged.triage.level == level, f"no check-in question gives {level}"
    return CheckIn.objects.create(
        owner=user,
        # A minute back, so it falls before a screen taken at the start of the test and
        # never becomes the standing answers that the next check-in is judged against.
        at=timezone.now() - timedelta(days=days_ago, minutes=1),
        pain_now=FLAGGED_PAIN,
        safety=answers,
        standing_answers=dict(judged.answers),
        level=judged.triage.level,
        content_version=content().version,
    )


def pain_check_ins(user: User, first: date, values: Sequence[float], hour: int = 12) -> None:
    """One check-in a day from ``first`` at ``hour``, with the given pain ratings."""
    questions = api.check_in_questions(content().red_flags)
    answers = {q.id: "no" for q in questions}
    # Nothing new: the answers that stand are the screen's, as the journal would store them.
    judged = judge_check_in(user, answers)
    for offset, pain in enumerate(values):
        CheckIn.objects.create(
            owner=user,
            at=timezone.make_aware(
                datetime.combine(first + timedelta(days=offset), datetime.min.time())
            )
            + timedelta(hours=hour),
            pain_now=int(pain),
            safety=answers,
            standing_answers=dict(judged.answers),
            level=judged.triage.level,
            content_version=content().version,
        )


@pytest.fixture
def improving(owner: User) -> Provider:
    return store(owner, example("01_improving_physiotherapy.json"))


@pytest.fixture
def not_meaningful(owner: User) -> Provider:
    """Pain 7 → 5.5 over four weekly visits ending today (example 02)."""
    return store(owner, example("02_not_meaningful_after_four_visits.json"))
