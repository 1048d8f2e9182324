"""Booked appointments are never visits: the core is given only the visits that happened.

A course of three visits with five bookings (three whose day has passed without being
noted, two still ahead) and a cancelled one is judged exactly as the three visits alone:
the same verdict, visit count, totals, cost per point and checklist; and the pages say so.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from backbalance.web.ledger import services
from backbalance.web.ledger.models import Booking, Provider
from tests.web.ledger.conftest import add_visit, book, core_verdict, example, store

VISIT_DAYS = (-20, -13, -6)
PAIN_BEFORE = (7, 6.5, 6.5)
COST = 60


def _course(owner: User) -> Provider:
    provider = Provider.objects.create(owner=owner, name="Riverside Physio", kind="physiotherapy")
    today = timezone.localdate()
    for days, pain in zip(VISIT_DAYS, PAIN_BEFORE, strict=True):
        add_visit(
            provider,
            date=today + timedelta(days=days),
            cost=COST,
            pain_before=pain,
            checklist={"home_plan": True},
        )
    # Three whose day has passed and were never noted, two still ahead, one cancelled;
    # each with a price, which must not be added up.
    for days in (-5, -3, -1, 2, 9):
        book(provider, days, time=time(10, 30), cost=Decimal("99"))
    book(provider, -2, cost=Decimal("99"), status="cancelled")
    return provider


def _visits_only_data(count: int) -> dict[str, Any]:
    """The course as the core reads it, with the first ``count`` of the visits as noted
    and, beyond three, the bookings as though they were visits too."""
    today = timezone.localdate()
    days = [*VISIT_DAYS, -5, -3, -1][:count]
    pains = [*PAIN_BEFORE, 6.5, 6.5, 6.5][:count]
    return {
        "provider": {"name": "Riverside Physio", "kind": "physiotherapy"},
        "visits": [
            {
                "date": (today + timedelta(days=d)).isoformat(),
                "cost": COST,
                "pain_before": p,
                "checklist": {"home_plan": True},
            }
            for d, p in zip(days, pains, strict=True)
        ],
    }


def test_three_visits_and_five_bookings_are_judged_as_three_visits(owner: User) -> None:
    ledger = services.ledger_for(_course(owner))
    alone = core_verdict(_visits_only_data(3))
    assert ledger.report is not None
    assert ledger.report.visits == alone.visits == 3
    assert ledger.report.verdict == alone.verdict
    assert ledger.report.reason == alone.reason
    assert ledger.report.totals == alone.totals
    assert ledger.report.totals.spent == 3 * COST
    assert ledger.report.cost_per_point == alone.cost_per_point
    assert ledger.report.checklist == alone.checklist
    assert len(ledger.visits) == 3
    # Were the past bookings counted, the course would reach another checkpoint.
    counted = core_verdict(_visits_only_data(6))
    assert counted.visits == 6 and counted.verdict != alone.verdict


def test_every_ledger_of_the_person_leaves_the_bookings_out(owner: User) -> None:
    _course(owner)
    (ledger,) = services.ledgers_for(owner)
    assert ledger.report is not None and ledger.report.visits == 3
    assert ledger.report.totals.spent == 3 * COST
    assert len(ledger.booked.due) == 3 and len(ledger.booked.upcoming) == 2
    assert len(ledger.booked.cancelled) == 1


def test_a_course_of_bookings_only_has_no_verdict(owner: User) -> None:
    provider = Provider.objects.create(owner=owner, name="New Clinic", kind="massage")
    book(provider, -4, cost=Decimal("50"))
    book(provider, 3)
    ledger = services.ledger_for(provider)
    assert ledger.report is None and ledger.visits == []
    assert ledger.booked.next is not None


@pytest.mark.parametrize("url_name", ["ledger:index", "ledger:provider", "ledger:brief"])
def test_the_pages_count_three_visits_and_only_their_money(
    owner: User, owner_client: Client, url_name: str
) -> None:
    provider = _course(owner)
    kwargs = {} if url_name == "ledger:index" else {"pk": provider.pk}
    html = owner_client.get(reverse(url_name, kwargs=kwargs)).content.decode()
    assert "180.00" in html
    # No booked price added to the money, however many of them.
    for booked in range(1, 7):
        assert f"{3 * COST + 99 * booked:.2f}" not in html
    if url_name == "ledger:index":
        assert "<dd>3</dd>" in html
    else:
        assert "3 visits" in html


def test_a_booking_today_is_due_once_its_time_has_come(owner: User) -> None:
    provider = Provider.objects.create(owner=owner, name="Riverside Physio", kind="physiotherapy")
    today = timezone.localdate()
    at_four = book(provider, 0, time=time(16, 0))
    all_day = book(provider, 0)
    zone = timezone.get_current_timezone()
    morning = datetime.combine(today, time(9, 0), tzinfo=zone)
    evening = datetime.combine(today, time(17, 0), tzinfo=zone)
    before = services.ledger_for(provider, now=morning).booked
    assert before.due == [all_day] and before.next == at_four
    after = services.ledger_for(provider, now=evening).booked
    assert after.due == [all_day, at_four] and after.next is None


# One booking: days from today, cancelled or not, a time or none, a price or none.
_BOOKINGS = st.lists(
    st.tuples(
        st.integers(-60, 60),
        st.booleans(),
        st.none() | st.times(),
        st.none() | st.decimals(0, 500, places=2),
    ),
    min_size=1,
    max_size=8,
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(bookings=_BOOKINGS, course=st.sampled_from(["01", "02", "03"]))
def test_no_set_of_bookings_changes_the_judged_course(
    owner: User, bookings: list[tuple[int, bool, time | None, Decimal | None]], course: str
) -> None:
    """Whatever is booked, whenever, cancelled or not, the course is judged as its
    visits alone: the same verdict (rescreen first included), count, money and reason."""
    Provider.objects.filter(owner=owner).delete()
    name = {
        "01": "01_improving_physiotherapy.json",
        "02": "02_not_meaningful_after_four_visits.json",
        "03": "03_worse_rescreen_first.json",
    }[course]
    provider = store(owner, example(name))
    without = services.ledger_for(provider).report
    assert without is not None
    for days, cancelled, at, cost in bookings:
        book(
            provider,
            days,
            time=at,
            cost=cost,
            status=Booking.CANCELLED if cancelled else Booking.BOOKED,
        )
        if cancelled:
            event("a cancelled booking")
        elif days <= 0:
            event("a booking whose day has come, never noted")
        else:
            event("a booking still ahead")
    event(f"course verdict: {without.verdict}")
    ledger = services.ledger_for(provider)
    assert ledger.report == without
    assert len(ledger.visits) == without.visits
