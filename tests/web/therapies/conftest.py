"""Helpers for the therapies tests: a person who owns the devices, a logged history, a
standing urgent or emergency level."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from backbalance.core import api
from backbalance.web.checkup.models import Assessment
from backbalance.web.common.content import content
from backbalance.web.journal.models import CheckIn
from backbalance.web.journal.safety import judge_check_in
from backbalance.web.therapies.models import DeviceSession

DEVICES_KIT = ["inversion_table", "vibration_platform"]


def checkup(user: User) -> Assessment:
    found = Assessment.objects.filter(owner=user).order_by("-completed_at").first()
    assert found is not None
    return found


def set_context(user: User, **changes: Any) -> None:
    """Change the finished check-up's context (equipment, conditions) and drop its result."""
    assessment = checkup(user)
    assessment.context = {**(assessment.context or {}), **changes}
    assessment.result = None
    assessment.save()


def give_devices(user: User) -> None:
    equipment = list((checkup(user).context or {}).get("equipment", []))
    set_context(user, equipment=equipment + DEVICES_KIT)


def check_in(user: User, **answers: str) -> CheckIn:
    """A check-in with every safety question answered no, except those given."""
    questions = api.check_in_questions(content().red_flags)
    safety = {q.id: "no" for q in questions}
    safety.update(answers)
    judged = judge_check_in(user, safety)
    return CheckIn.objects.create(
        owner=user,
        at=timezone.now(),
        pain_now=3,
        safety=safety,
        standing_answers=dict(judged.answers),
        level=judged.triage.level,
        content_version=content().version,
    )


def log(
    user: User,
    device: str,
    *,
    at: datetime,
    stage: int = 1,
    tolerated: bool = True,
    **values: Any,
) -> DeviceSession:
    defaults: dict[str, Any] = (
        {"angle_deg": 20, "minutes": 2}
        if device == "inversion"
        else {"frequency_hz": 25, "bouts": 4, "bout_seconds": 30}
    )
    defaults.update(values)
    return DeviceSession.objects.create(
        owner=user,
        device=device,
        at=at,
        stage=stage,
        tolerated=tolerated,
        pain_before=3,
        pain_after=3,
        **defaults,
    )


def days_ago(days: float) -> datetime:
    return timezone.now() - timedelta(days=days)


def inversion_post(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "angle_deg": "20",
        "minutes": "2",
        "pain_before": "3",
        "pain_after": "2",
        "tolerated": "yes",
        "note": "",
    }
    data.update(changes)
    return data


def vibration_post(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "frequency_hz": "25",
        "bouts": "4",
        "bout_seconds": "30",
        "pain_before": "3",
        "pain_after": "2",
        "tolerated": "yes",
        "note": "",
    }
    data.update(changes)
    return data


@pytest.fixture
def equipped(owner: User) -> User:
    """The owner, with both devices in the check-up's equipment."""
    give_devices(owner)
    return owner


@pytest.fixture
def equipped_client(equipped: User) -> Client:
    client = Client()
    client.force_login(equipped)
    return client
