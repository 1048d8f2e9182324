"""What the Today page shows: where the person is, and the one or two things to do next.

Read-only, and a fixed number of small queries whatever the length of the history (the
standing safety level comes from the request, computed once).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils import timezone

from backbalance.web.checkup.models import Assessment
from backbalance.web.journal.models import CheckIn
from backbalance.web.ledger.models import Booking
from backbalance.web.ledger.services import sort_bookings
from backbalance.web.routine.models import PendingProposal, RoutinePlan, Session


@dataclass(frozen=True)
class Today:
    checkup_in_progress: Assessment | None
    checkup_done: Assessment | None
    plan_items: int
    flare_up: bool
    sessions_today: int
    last_check_in: CheckIn | None
    check_ins_today: int
    proposals_waiting: int
    sessions_this_week: int
    # The nearest appointment still ahead, and one whose time has come and that waits to
    # be noted (the oldest), so the ledger hears how it went.
    next_booking: Booking | None
    booking_to_note: Booking | None
    now: datetime


def today_for(user: AbstractBaseUser | AnonymousUser) -> Today:
    now = timezone.now()
    today = timezone.localdate(now)
    week_start = today.toordinal() - today.weekday()
    # Today as a span of time, so the database can use its index on (owner, at); asking
    # for ``at__date`` instead converts every one of the person's check-ins to a date.
    midnight = timezone.make_aware(datetime.combine(today, time.min))
    next_midnight = timezone.make_aware(datetime.combine(today + timedelta(days=1), time.min))
    # The stored result is large and not needed here.
    assessments = Assessment.objects.filter(owner_id=user.pk).defer("result", "tests")
    latest = assessments.order_by("-created_at").first()
    done = (
        latest
        if latest is not None and latest.completed_at is not None
        else assessments.filter(completed_at__isnull=False).order_by("-completed_at").first()
    )
    plan = (
        RoutinePlan.objects.filter(owner_id=user.pk, active=True)
        .order_by("-created_at")
        .only("items", "flare_up")
        .first()
    )
    sessions = Session.objects.filter(owner_id=user.pk, finished_at__isnull=False)
    booked = Booking.objects.filter(owner_id=user.pk, status=Booking.BOOKED).select_related(
        "provider"
    )
    # Two short reads whatever the history: the oldest that has come (a day passed or
    # today), and the next few from today on, sorted by day and time in Python (a day
    # without a time counts from the start of the day).
    soon = sort_bookings(
        list(booked.filter(date__gte=today).order_by("date")[:5]), timezone.localtime(now)
    )
    passed = booked.filter(date__lt=today).order_by("date", "created_at").first()
    check_ins = CheckIn.objects.filter(owner_id=user.pk)
    return Today(
        checkup_in_progress=latest if latest is not None and latest.completed_at is None else None,
        checkup_done=done,
        plan_items=len(plan.items) if plan is not None else 0,
        flare_up=plan.flare_up if plan is not None else False,
        sessions_today=sessions.filter(day=today).count(),
        last_check_in=check_ins.order_by("-at").first(),
        check_ins_today=check_ins.filter(at__gte=midnight, at__lt=next_midnight).count(),
        proposals_waiting=PendingProposal.objects.filter(
            owner_id=user.pk, decided_at__isnull=True
        ).count(),
        sessions_this_week=sessions.filter(day__gte=type(today).fromordinal(week_start)).count(),
        next_booking=soon.next,
        booking_to_note=passed or (soon.due[0] if soon.due else None),
        now=now,
    )
