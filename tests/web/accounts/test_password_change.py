"""Change password: the old one is checked; the new one must pass the validators."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.web.conftest import PASSWORD

NEW = "another-long-password-9"


def test_the_password_changes_and_the_person_stays_logged_in(
    owner_client: Client, owner: User
) -> None:
    response = owner_client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.check_password(NEW)
    assert owner_client.get(reverse("common:home")).status_code == 200


def test_a_wrong_old_password_is_named(owner_client: Client, owner: User) -> None:
    response = owner_client.post(
        reverse("accounts:password_change"),
        {"old_password": "not-it", "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)


def test_anonymous_goes_to_log_in(client: Client) -> None:
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
