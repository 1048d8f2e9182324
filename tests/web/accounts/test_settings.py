"""The account page shows who is logged in and the ways out."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse


def test_the_owner_sees_their_name_and_the_log_out_button(
    owner_client: Client, owner: User
) -> None:
    page = owner_client.get(reverse("accounts:settings")).content.decode()
    assert owner.username in page
    assert reverse("accounts:logout") in page
    assert reverse("accounts:password_change") in page


def test_anonymous_goes_to_log_in(client: Client) -> None:
    response = client.get(reverse("accounts:settings"))
    assert response["Location"].startswith(reverse("accounts:login"))
