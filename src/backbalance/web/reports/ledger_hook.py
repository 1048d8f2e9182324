"""Therapist visits from the ledger, for the report and the calendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from backbalance.web.ledger.models import Visit

# Visits shown at most (the newest), so the report stays a fixed size.
MOST_VISITS = 60


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
