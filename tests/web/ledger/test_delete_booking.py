"""Removing a booked appointment: asked first, done by POST, the owner only."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from backbalance.web.ledger.models import Booking, Provider, Visit
from tests.web.ledger.conftest import add_visit, book


def _url(booking: Booking) -> str:
    return reverse("ledger:delete_booking", kwargs={"pk": booking.pk})


def _booking(user: User) -> Booking:
    provider = Provider.objects.create(owner=user, name="Riverside Physio", kind="physiotherapy")
    return book(provider, 4)


def test_the_owner_is_asked_then_only_the_booking_goes(owner: User, owner_client: Client) -> None:
    booking = _booking(owner)
    visit = add_visit(booking.provider, date=timezone.localdate(), cost=50, pain_before=5)
    page = owner_client.get(_url(booking)).content.decode()
    assert "cannot be undone" in page
    assert Booking.objects.filter(pk=booking.pk).exists()
    response = owner_client.post(_url(booking))
    assert response.status_code == 302
    assert response["Location"] == reverse("ledger:provider", kwargs={"pk": booking.provider_id})
    assert not Booking.objects.filter(pk=booking.pk).exists()
    assert Visit.objects.filter(pk=visit.pk).exists()


def test_a_stranger_gets_404_and_nothing_is_removed(owner: User, stranger_client: Client) -> None:
    booking = _booking(owner)
    for method in (stranger_client.get, stranger_client.post):
        assert method(_url(booking)).status_code == 404
    assert Booking.objects.filter(pk=booking.pk).exists()


def test_anonymous_goes_to_login(owner: User, client: Client) -> None:
    booking = _booking(owner)
    response = client.post(_url(booking))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert Booking.objects.filter(pk=booking.pk).exists()
