"""Log in, and the lockout after repeated wrong passwords."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.web.conftest import PASSWORD


def _log_in(client: Client, username: str, password: str) -> object:
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_the_right_password_logs_in(client: Client, owner: User) -> None:
    response = _log_in(client, owner.username, PASSWORD)
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert client.get(reverse("common:home")).status_code == 200


def test_a_wrong_password_says_so_and_keeps_the_name(client: Client, owner: User) -> None:
    response = client.post(
        reverse("accounts:login"), {"username": owner.username, "password": "wrong-one"}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert f'value="{owner.username}"' in response.content.decode()
    assert client.get(reverse("common:home")).status_code == 302


def test_repeated_wrong_passwords_lock_the_account_even_for_the_right_one(
    client: Client, owner: User
) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _log_in(client, owner.username, "wrong-one")
    response = client.post(
        reverse("accounts:login"), {"username": owner.username, "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "Too many tries" in response.content.decode()
    assert client.get(reverse("common:home")).status_code == 302


def test_the_lockout_is_per_account(client: Client, owner: User, stranger: User) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _log_in(client, owner.username, "wrong-one")
    response = _log_in(client, stranger.username, PASSWORD)
    assert response.status_code == 302  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_someone_not_logged_in_is_sent_to_log_in_with_the_page_to_return_to(
    client: Client,
) -> None:
    response = client.get(reverse("common:home"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next=/"
