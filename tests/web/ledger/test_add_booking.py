"""Booking an appointment ahead: stored for the owner only, never a visit; a day that has
passed, or a length out of bounds or without a time, is named next to its field and what
was typed is kept."""

from __future__ import annotations

import re
from datetime import time, timedelta
from typing import Any

import pytest
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


def test_the_owner_books_a_length_and_sees_it_beside_the_time(
    owner: User, owner_client: Client
) -> None:
    provider = _provider(owner)
    form = owner_client.get(_url(provider)).content.decode()
    # Offered right after the time, with its own label.
    assert form.index('name="time"') < form.index('name="length_minutes"') < form.index('"cost"')
    assert '<label for="id_length_minutes">How long, in minutes (optional)</label>' in form
    response = owner_client.post(_url(provider), _post(length_minutes="45"), follow=True)
    booking = Booking.objects.get(provider=provider)
    assert (booking.time, booking.length_minutes) == (time(10, 30), 45)
    page = " ".join(response.content.decode().split())
    # The message after saving and the ledger page both say it in words.
    assert re.search(r"Booked: [^<]*, 10:30, 45 minutes\.", page)
    assert re.search(r"Next: [^<]*, 10:30, 45 minutes</p>", page)


def test_the_length_may_be_left_out(owner: User, owner_client: Client) -> None:
    provider = _provider(owner)
    assert owner_client.post(_url(provider), _post(length_minutes="")).status_code == 302
    assert Booking.objects.get(provider=provider).length_minutes is None


@pytest.mark.parametrize("typed", ["0", "4", "481", "1000", "-30", "forty", "45.5"])
def test_a_length_out_of_bounds_is_named_next_to_it_and_kept(
    owner: User, owner_client: Client, typed: str
) -> None:
    provider = _provider(owner)
    response = owner_client.post(_url(provider), _post(length_minutes=typed, notes="keep me"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter a whole number of minutes from 5 to 480." in error_next_to(page, "length_minutes")
    assert f'value="{typed}"' in page and "keep me" in page and 'value="10:30"' in page
    assert not Booking.objects.exists()


@pytest.mark.parametrize("typed", ["5", "480"])
def test_the_bounds_themselves_are_accepted(owner: User, owner_client: Client, typed: str) -> None:
    provider = _provider(owner)
    assert owner_client.post(_url(provider), _post(length_minutes=typed)).status_code == 302
    assert Booking.objects.get(provider=provider).length_minutes == int(typed)


def test_a_length_without_a_time_is_named_next_to_the_length_and_kept(
    owner: User, owner_client: Client
) -> None:
    provider = _provider(owner)
    response = owner_client.post(_url(provider), _post(time="", length_minutes="45"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "A length needs a start time" in error_next_to(page, "length_minutes")
    assert 'id="id_time_error"' not in page
    assert 'value="45"' in page
    assert not Booking.objects.exists()


def test_a_bad_time_is_not_blamed_on_the_length(owner: User, owner_client: Client) -> None:
    provider = _provider(owner)
    page = owner_client.post(_url(provider), _post(time="25:99", length_minutes="45"))
    text = page.content.decode()
    assert error_next_to(text, "time")
    assert 'id="id_length_minutes_error"' not in text
    assert not Booking.objects.exists()
