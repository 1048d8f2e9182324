"""Log out ends the session; a plain GET does not (it would let any page log you out)."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse


def test_logging_out_ends_the_session(owner_client: Client) -> None:
    response = owner_client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert owner_client.get(reverse("common:home")).status_code == 302


def test_a_get_does_not_log_out(owner_client: Client) -> None:
    assert owner_client.get(reverse("accounts:logout")).status_code == 405
    assert owner_client.get(reverse("common:home")).status_code == 200
