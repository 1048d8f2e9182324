"""Cancelling a booked appointment: asked first, done by POST, the owner only; the booking
stays, marked, and counts for nothing."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from backbalance.web.ledger.models import Booking, Provider
from tests.web.ledger.conftest import book


def _url(booking: Booking) -> str:
    return reverse("ledger:cancel_booking", kwargs={"pk": booking.pk})


def _booking(user: User) -> Booking:
    provider = Provider.objects.create(owner=user, name="Riverside Physio", kind="physiotherapy")
    return book(provider, 4)


def test_the_owner_is_asked_then_it_is_marked_cancelled(owner: User, owner_client: Client) -> None:
    booking = _booking(owner)
    page = owner_client.get(_url(booking)).content.decode()
    assert "Mark as cancelled" in page
    assert Booking.objects.get(pk=booking.pk).status == Booking.BOOKED
    response = owner_client.post(_url(booking))
    assert response.status_code == 302
    assert response["Location"] == reverse("ledger:provider", kwargs={"pk": booking.provider_id})
    assert Booking.objects.get(pk=booking.pk).status == Booking.CANCELLED
    shown = owner_client.get(response["Location"]).content.decode()
    assert "cancelled" in shown and "Next:" not in shown


def test_a_stranger_gets_404_and_nothing_changes(owner: User, stranger_client: Client) -> None:
    booking = _booking(owner)
    for method in (stranger_client.get, stranger_client.post):
        assert method(_url(booking)).status_code == 404
    assert Booking.objects.get(pk=booking.pk).status == Booking.BOOKED


def test_anonymous_goes_to_login(owner: User, client: Client) -> None:
    booking = _booking(owner)
    response = client.post(_url(booking))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert Booking.objects.get(pk=booking.pk).status == Booking.BOOKED
