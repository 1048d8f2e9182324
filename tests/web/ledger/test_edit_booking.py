"""Changing a booked appointment: the owner only; a new day that has passed is refused next
to the date, while a booking whose day has passed may keep it when other details change; its
length can be changed or cleared, and is refused next to itself out of bounds or without a
time."""

from __future__ import annotations

from datetime import time, timedelta

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from backbalance.web.ledger.models import Booking, Provider
from tests.web.ledger.conftest import book
from tests.web.ledger.test_add_booking import error_next_to


def _url(booking: Booking) -> str:
    return reverse("ledger:edit_booking", kwargs={"pk": booking.pk})


def _booking(user: User, days: int = 5) -> Booking:
    provider = Provider.objects.create(owner=user, name="Riverside Physio", kind="physiotherapy")
    return book(provider, days, time=time(9, 0), notes="first note")


def test_the_owner_sees_the_booking_and_changes_it(owner: User, owner_client: Client) -> None:
    booking = _booking(owner)
    form = owner_client.get(_url(booking)).content.decode()
    assert f'value="{booking.date.isoformat()}"' in form and 'value="09:00"' in form
    assert "first note" in form
    later = booking.date + timedelta(days=2)
    response = owner_client.post(
        _url(booking), {"date": later.isoformat(), "time": "14:15", "cost": "", "notes": ""}
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert (booking.date, booking.time, booking.notes) == (later, time(14, 15), "")


def test_moving_it_to_a_day_that_has_passed_is_refused(owner: User, owner_client: Client) -> None:
    booking = _booking(owner)
    past = (timezone.localdate() - timedelta(days=3)).isoformat()
    page = owner_client.post(_url(booking), {"date": past, "time": "", "notes": "typed"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "This date has passed" in error_next_to(text, "date")
    assert f'value="{past}"' in text and "typed" in text
    booking.refresh_from_db()
    assert booking.date != timezone.localdate() - timedelta(days=3)


def test_a_booking_whose_day_has_passed_keeps_its_day(owner: User, owner_client: Client) -> None:
    booking = _booking(owner, days=-2)
    response = owner_client.post(
        _url(booking), {"date": booking.date.isoformat(), "time": "", "notes": "moved"}
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.notes == "moved"


def test_a_stranger_gets_404_and_nothing_changes(owner: User, stranger_client: Client) -> None:
    booking = _booking(owner)
    assert stranger_client.get(_url(booking)).status_code == 404
    day = (booking.date + timedelta(days=1)).isoformat()
    assert stranger_client.post(_url(booking), {"date": day}).status_code == 404
    booking.refresh_from_db()
    assert booking.notes == "first note"


def test_anonymous_goes_to_login(owner: User, client: Client) -> None:
    booking = _booking(owner)
    response = client.get(_url(booking))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_the_owner_sees_the_length_and_changes_or_clears_it(
    owner: User, owner_client: Client
) -> None:
    booking = _booking(owner)
    Booking.objects.filter(pk=booking.pk).update(length_minutes=45)
    form = owner_client.get(_url(booking)).content.decode()
    assert 'name="length_minutes"' in form and 'value="45"' in form
    day = booking.date.isoformat()
    fields = {"date": day, "time": "09:00", "notes": "first note"}
    assert owner_client.post(_url(booking), {**fields, "length_minutes": "90"}).status_code == 302
    booking.refresh_from_db()
    assert booking.length_minutes == 90
    assert owner_client.post(_url(booking), {**fields, "length_minutes": ""}).status_code == 302
    booking.refresh_from_db()
    assert booking.length_minutes is None


def test_taking_the_time_away_but_keeping_the_length_is_refused(
    owner: User, owner_client: Client
) -> None:
    booking = _booking(owner)
    Booking.objects.filter(pk=booking.pk).update(length_minutes=45)
    day = booking.date.isoformat()
    response = owner_client.post(
        _url(booking), {"date": day, "time": "", "length_minutes": "45", "notes": "typed"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "A length needs a start time" in error_next_to(page, "length_minutes")
    assert 'value="45"' in page and "typed" in page
    booking.refresh_from_db()
    assert (booking.time, booking.length_minutes, booking.notes) == (time(9, 0), 45, "first note")


def test_a_length_of_1000_is_refused_next_to_it(owner: User, owner_client: Client) -> None:
    booking = _booking(owner)
    day = booking.date.isoformat()
    response = owner_client.post(
        _url(booking), {"date": day, "time": "09:00", "length_minutes": "1000"}
    )
    page = response.content.decode()
    assert "from 5 to 480" in error_next_to(page, "length_minutes")
    assert 'value="1000"' in page
    booking.refresh_from_db()
    assert booking.length_minutes is None
