"""Removing a logged session: the owner only, by POST."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from backbalance.web.therapies.models import DeviceSession
from tests.web.therapies.conftest import days_ago, log


def _url(session: DeviceSession) -> str:
    return reverse("therapies:delete_session", kwargs={"pk": session.pk})


def test_owner_removes_their_session(equipped: User, equipped_client: Client) -> None:
    session = log(equipped, "vibration", at=days_ago(1))
    response = equipped_client.post(_url(session))
    assert response.status_code == 302
    assert response["Location"] == reverse("therapies:device", kwargs={"device": "vibration"})
    assert not DeviceSession.objects.filter(pk=session.pk).exists()


def test_a_stranger_gets_404_and_nothing_is_removed(
    equipped: User, stranger_client: Client
) -> None:
    session = log(equipped, "inversion", at=days_ago(1))
    for method in (stranger_client.get, stranger_client.post):
        assert method(_url(session)).status_code == 404
    assert DeviceSession.objects.filter(pk=session.pk).exists()


def test_anonymous_goes_to_login(equipped: User, client: Client) -> None:
    session = log(equipped, "inversion", at=days_ago(1))
    response = client.post(_url(session))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert DeviceSession.objects.filter(pk=session.pk).exists()


def test_get_does_not_remove(equipped: User, equipped_client: Client) -> None:
    session = log(equipped, "inversion", at=days_ago(1))
    assert equipped_client.get(_url(session)).status_code == 405
    assert DeviceSession.objects.filter(pk=session.pk).exists()


def test_a_made_up_id_is_404(equipped_client: Client) -> None:
    url = reverse("therapies:delete_session", kwargs={"pk": "00000000-0000-4000-8000-000000000000"})
    assert equipped_client.post(url).status_code == 404
