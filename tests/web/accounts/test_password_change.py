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


def test_the_rules_are_one_plain_line_and_a_weak_password_is_refused_and_named(
    owner_client: Client, owner: User
) -> None:
    page = owner_client.get(reverse("accounts:password_change")).content.decode()
    assert "At least 10 characters. Not a common password, and not only digits." in page
    assert "<ul><li>Your password can’t be too similar" not in page  # Django's bullet list
    response = owner_client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "1234567890", "new_password2": "1234567890"},
    )
    assert response.status_code == 200
    assert "new_password2" in response.context["form"].errors
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)
