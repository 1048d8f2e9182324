"""Noting how a booked appointment went: the visit form, filled with what the booking knew;
it becomes a visit and the booking goes, both or neither. A day still ahead is refused next
to the date, and the core's own refusals are shown next to their field."""

from __future__ import annotations

from datetime import time
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from backbalance.web.ledger.models import Booking, Provider, Visit
from tests.web.ledger.conftest import book
from tests.web.ledger.test_add_booking import error_next_to


def _url(booking: Booking) -> str:
    return reverse("ledger:complete_booking", kwargs={"pk": booking.pk})


def _booking(user: User, days: int) -> Booking:
    provider = Provider.objects.create(owner=user, name="Riverside Physio", kind="physiotherapy")
    return book(
        provider, days, time=time(8, 0), cost=Decimal("70"), currency="EUR", notes="ask about sleep"
    )


def _post(booking: Booking, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "date": booking.date.isoformat(),
        "cost": "70",
        "reimbursed": "30",
        "currency": "EUR",
        "pain_before": "6",
        "pain_after": "4.5",
        "pain_next_day": "",
        "assessed_hands_on": "yes",
        "worked_on_findings": "yes",
        "explained_findings": "no",
        "home_plan": "",
        "retested": "",
        "notes": "ask about sleep",
    }
    data.update(changes)
    return data


def test_the_form_is_filled_from_the_booking(owner: User, owner_client: Client) -> None:
    booking = _booking(owner, days=-1)
    page = owner_client.get(_url(booking)).content.decode()
    assert f'value="{booking.date.isoformat()}"' in page
    assert 'value="70.00"' in page and 'value="EUR"' in page and "ask about sleep" in page
    # The whole visit form: pain around it and the good-appointment checklist.
    assert 'name="pain_before"' in page and 'name="assessed_hands_on"' in page
    assert "still ahead" not in page


def test_the_owner_notes_it_and_it_becomes_a_visit(owner: User, owner_client: Client) -> None:
    booking = _booking(owner, days=-1)
    response = owner_client.post(_url(booking), _post(booking))
    assert response.status_code == 302
    assert response["Location"] == reverse("ledger:provider", kwargs={"pk": booking.provider_id})
    assert not Booking.objects.filter(pk=booking.pk).exists()
    visit = Visit.objects.get(provider=booking.provider)
    assert visit.owner == owner and visit.date == booking.date
    assert (visit.cost, visit.reimbursed, visit.pain_before, visit.pain_after) == (
        Decimal("70"),
        Decimal("30"),
        Decimal("6"),
        Decimal("4.5"),
    )
    assert (visit.assessed_hands_on, visit.explained_findings, visit.home_plan) == (
        True,
        False,
        None,
    )


def test_a_booking_still_ahead_cannot_be_noted(owner: User, owner_client: Client) -> None:
    booking = _booking(owner, days=3)
    assert "still ahead" in owner_client.get(_url(booking)).content.decode()
    response = owner_client.post(_url(booking), _post(booking, notes="typed before"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "after today" in error_next_to(page, "date")
    assert 'value="6"' in page and "typed before" in page
    assert Booking.objects.filter(pk=booking.pk, status=Booking.BOOKED).exists()
    assert not Visit.objects.exists()


def test_the_cores_refusal_keeps_the_booking(owner: User, owner_client: Client) -> None:
    booking = _booking(owner, days=0)
    response = owner_client.post(_url(booking), _post(booking, cost="50", reimbursed="80"))
    assert response.status_code == 200
    assert "is more than the cost" in error_next_to(response.content.decode(), "reimbursed")
    assert Booking.objects.filter(pk=booking.pk).exists()
    assert not Visit.objects.exists()


def test_pain_is_needed_once_it_has_happened(owner: User, owner_client: Client) -> None:
    booking = _booking(owner, days=-1)
    page = owner_client.post(_url(booking), _post(booking, pain_before="")).content.decode()
    assert error_next_to(page, "pain_before")
    assert Booking.objects.filter(pk=booking.pk).exists()
    assert not Visit.objects.exists()


def test_a_stranger_gets_404_and_nothing_changes(owner: User, stranger_client: Client) -> None:
    booking = _booking(owner, days=-1)
    assert stranger_client.get(_url(booking)).status_code == 404
    assert stranger_client.post(_url(booking), _post(booking)).status_code == 404
    assert Booking.objects.filter(pk=booking.pk).exists()
    assert not Visit.objects.exists()


def test_anonymous_goes_to_login(owner: User, client: Client) -> None:
    booking = _booking(owner, days=-1)
    response = client.post(_url(booking), _post(booking))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert Booking.objects.filter(pk=booking.pk).exists()
    assert not Visit.objects.exists()


def test_a_cancelled_booking_that_took_place_after_all_can_still_be_noted(
    owner: User, owner_client: Client
) -> None:
    # Cancelled by mistake: once its day has come the therapist page offers to note it,
    # and noting it stores the visit like any other.
    booking = _booking(owner, days=-2)
    ahead = book(booking.provider, 4, status=Booking.CANCELLED)
    Booking.objects.filter(pk=booking.pk).update(status=Booking.CANCELLED)
    page = owner_client.get(reverse("ledger:provider", kwargs={"pk": booking.provider_id}))
    html = page.content.decode()
    assert "It took place after all" in html
    assert _url(booking) in html
    assert _url(ahead) not in html  # a day still ahead cannot have happened yet

    booking.refresh_from_db()
    assert owner_client.post(_url(booking), _post(booking)).status_code == 302
    assert Visit.objects.filter(provider=booking.provider, date=booking.date).exists()
    assert not Booking.objects.filter(pk=booking.pk).exists()
