"""Therapist visits from the ledger for the report, and booked appointments for the calendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from backbalance.web.ledger.models import Booking, Visit

# Visits shown at most (the newest), so the report stays a fixed size.
MOST_VISITS = 60
# Booked appointments in the calendar at most (the latest days), for the same reason.
MOST_BOOKINGS = 60


@dataclass(frozen=True)
class LedgerVisit:
    day: date
    provider: str
    cost: Decimal | None = None
    reimbursed: Decimal | None = None
    pain_before: Decimal | None = None
    pain_after: Decimal | None = None
    pain_next_day: Decimal | None = None


def _plain(value: Decimal | None) -> Decimal | None:
    # 6.0 is shown as 6, 5.5 as 5.5.
    return None if value is None else value.normalize()


def visits_between(
    user: AbstractBaseUser | AnonymousUser, first: date, last: date
) -> list[LedgerVisit]:
    """The person's visits from ``first`` to ``last``, oldest first; one query."""
    rows = (
        Visit.objects.filter(owner_id=user.pk, date__gte=first, date__lte=last)
        .select_related("provider")
        .order_by("-date", "-created_at")[:MOST_VISITS]
    )
    visits = [
        LedgerVisit(
            day=row.date,
            provider=row.provider.name,
            cost=row.cost,
            reimbursed=row.reimbursed,
            pain_before=_plain(row.pain_before),
            pain_after=_plain(row.pain_after),
            pain_next_day=_plain(row.pain_next_day),
        )
        for row in rows
    ]
    return list(reversed(visits))


@dataclass(frozen=True)
class LedgerBooking:
    """A booked appointment as a calendar may show it: when, and with whom. Never its
    cost or notes, and it has no pain: the calendar lives outside the app."""

    id: str
    day: date
    # None: the day only (an all-day event).
    at: time | None
    provider: str
    kind: str
    # How long it lasts, when known; read only with ``at`` (a whole day has no end time).
    minutes: int | None = None


def bookings_for_calendar(user: AbstractBaseUser | AnonymousUser) -> list[LedgerBooking]:
    """The person's booked appointments, cancelled ones left out, by date; one query.

    The ones whose day has passed stay until they are noted as a visit (which removes the
    booking), so a calendar keeps showing them on their day meanwhile.
    """
    rows = (
        Booking.objects.filter(owner_id=user.pk, status=Booking.BOOKED)
        .select_related("provider")
        .order_by("-date", "-created_at")[:MOST_BOOKINGS]
    )
    bookings = [
        LedgerBooking(
            id=str(row.pk),
            day=row.date,
            at=row.time,
            provider=row.provider.name,
            kind=str(row.provider.get_kind_display()),
            minutes=row.length_minutes,
        )
        for row in rows
    ]
    return sorted(bookings, key=lambda b: (b.day, b.at or time.min))
