"""Helpers for the report and calendar tests: a person with a long history."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from backbalance.web.checkup.models import Assessment
from backbalance.web.common.content import content
from backbalance.web.journal.models import CheckIn
from backbalance.web.routine.models import RoutinePlan, Session
from backbalance.web.therapies.models import DeviceSession
from tests.web.journal.conftest import check_in_ids


def history(user: User, days: int, *, start_pain: float = 7, end_pain: float = 3) -> RoutinePlan:
    """``days`` days of history up to today: two check-ins a day with the pain falling from
    ``start_pain`` to ``end_pain``, a routine session on five days of seven, and a device
    session every third day. Returns the active routine plan."""
    now = timezone.now()
    assessment = Assessment.objects.filter(owner=user).order_by("-completed_at").first()
    assert assessment is not None
    calm = dict.fromkeys(check_in_ids(), "no")

    def pain_on(day: int) -> int:
        share = day / max(days - 1, 1)
        return round(start_pain + (end_pain - start_pain) * share)

    CheckIn.objects.bulk_create(
        CheckIn(
            owner=user,
            at=now - timedelta(days=days - 1 - day, hours=hour * 3),
            pain_now=pain_on(day),
            safety=calm,
            standing_answers=assessment.screening,
            level="none",
            content_version=content().version,
            client_token=uuid.uuid4(),
        )
        for day in range(days)
        for hour in range(2)
    )
    plan = RoutinePlan.objects.filter(owner=user, active=True).first()
    if plan is None:
        plan = RoutinePlan.objects.create(owner=user, assessment=assessment)
    today = timezone.localdate()
    Session.objects.bulk_create(
        Session(owner=user, plan=plan, day=today - timedelta(days=d), client_token=uuid.uuid4())
        for d in range(days)
        if d % 7 < 5
    )
    DeviceSession.objects.bulk_create(
        DeviceSession(
            owner=user,
            device="inversion",
            at=now - timedelta(days=d),
            stage=1,
            angle_deg=20,
            minutes=2,
            tolerated=d % 9 != 0,
            pain_before=4,
            pain_after=3,
        )
        for d in range(0, days, 3)
    )
    return plan
