"""Booking an appointment ahead: stored for the owner only, never a visit; a day that has
passed is named next to the date and what was typed is kept."""

from __future__ import annotations

import re
from datetime import time, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from backbalance.web.ledger.models import Booking, Provider, Visit


def _url(provider: Provider) -> str:
    return reverse("ledger:add_booking", kwargs={"pk": provider.pk})


def _post(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "date": (timezone.localdate() + timedelta(days=9)).isoformat(),
        "time": "10:30",
        "cost": "65",
        "currency": "EUR",
        "notes": "Bring the exercise sheet.",
    }
    data.update(changes)
    return data


def _provider(user: User) -> Provider:
    return Provider.objects.create(owner=user, name="Riverside Physio", kind="physiotherapy")


def error_next_to(page: str, field: str) -> str:
    """The error list rendered right after the field's own input."""
    found = re.search(
        rf'id="id_{field}".*?<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', page, re.S
    )
    assert found, f"no error next to {field}"
    return found.group(1)


def test_the_owner_books_an_appointment(owner: User, owner_client: Client) -> None:
    provider = _provider(owner)
    form = owner_client.get(_url(provider)).content.decode()
    # Nothing about pain before it has happened.
    assert 'name="date"' in form and 'name="time"' in form
    assert "pain_" not in form and "assessed_hands_on" not in form
    response = owner_client.post(_url(provider), _post())
    assert response.status_code == 302
    assert response["Location"] == reverse("ledger:provider", kwargs={"pk": provider.pk})
    booking = Booking.objects.get(provider=provider)
    assert booking.owner == owner and booking.status == Booking.BOOKED
    assert booking.time == time(10, 30) and float(booking.cost or 0) == 65
    assert booking.notes == "Bring the exercise sheet."
    assert not Visit.objects.exists()


def test_time_and_cost_may_be_left_out(owner: User, owner_client: Client) -> None:
    provider = _provider(owner)
    today = timezone.localdate().isoformat()
    response = owner_client.post(_url(provider), _post(date=today, time="", cost="", notes=""))
    assert response.status_code == 302
    booking = Booking.objects.get(provider=provider)
    assert (booking.time, booking.cost, booking.date) == (None, None, timezone.localdate())


def test_a_day_that_has_passed_is_named_next_to_the_date_and_kept(
    owner: User, owner_client: Client
) -> None:
    provider = _provider(owner)
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = owner_client.post(_url(provider), _post(date=yesterday, notes="keep me"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "This date has passed" in error_next_to(page, "date")
    assert f'value="{yesterday}"' in page and "keep me" in page and 'value="10:30"' in page
    assert not Booking.objects.exists()


def test_a_bad_time_and_a_negative_cost_are_named_next_to_their_fields(
    owner: User, owner_client: Client
) -> None:
    provider = _provider(owner)
    page = owner_client.post(_url(provider), _post(time="25:99", cost="-5")).content.decode()
    assert error_next_to(page, "time")
    assert "greater than or equal to 0" in error_next_to(page, "cost")
    assert 'value="25:99"' in page
    assert not Booking.objects.exists()


def test_a_stranger_gets_404_and_nothing_is_stored(owner: User, stranger_client: Client) -> None:
    provider = _provider(owner)
    assert stranger_client.get(_url(provider)).status_code == 404
    assert stranger_client.post(_url(provider), _post()).status_code == 404
    assert not Booking.objects.exists()


def test_anonymous_goes_to_login(owner: User, client: Client) -> None:
    provider = _provider(owner)
    response = client.post(_url(provider), _post())
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert not Booking.objects.exists()
