"""Sign up: a new account, logged in at once; bad input named and kept."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings as SettingsWrapper

import backbalance.web.settings as PRODUCTION_SETTINGS
from tests.web.conftest import PASSWORD


@pytest.mark.django_db
def test_a_new_person_gets_an_account_hashed_with_argon2_and_is_logged_in(
    client: Client, settings: SettingsWrapper
) -> None:
    settings.PASSWORD_HASHERS = PRODUCTION_SETTINGS.PASSWORD_HASHERS
    response = client.post(
        reverse("accounts:sign_up"),
        {"username": "maria", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("common:home")
    user = User.objects.get(username="maria")
    assert user.password.startswith("argon2$")
    assert client.get(reverse("common:home")).status_code == 200


@pytest.mark.django_db
def test_passwords_that_differ_are_named_and_the_name_is_kept(client: Client) -> None:
    response = client.post(
        reverse("accounts:sign_up"),
        {"username": "maria", "password1": PASSWORD, "password2": PASSWORD + "x"},
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="maria").exists()
    form = response.context["form"]
    assert "password2" in form.errors
    page = response.content.decode()
    assert 'value="maria"' in page
    assert 'class="field field-error"' in page


@pytest.mark.django_db
def test_a_short_password_is_refused(client: Client) -> None:
    response = client.post(
        reverse("accounts:sign_up"),
        {"username": "maria", "password1": "short1", "password2": "short1"},
    )
    assert response.status_code == 200
    assert "password2" in response.context["form"].errors
    assert not User.objects.filter(username="maria").exists()


@pytest.mark.django_db
def test_a_name_already_taken_is_refused(client: Client, owner: User) -> None:
    response = client.post(
        reverse("accounts:sign_up"),
        {"username": owner.username, "password1": PASSWORD, "password2": PASSWORD},
    )
    assert "username" in response.context["form"].errors
    assert User.objects.filter(username=owner.username).count() == 1


def test_someone_logged_in_goes_home(owner_client: Client) -> None:
    response = owner_client.get(reverse("accounts:sign_up"))
    assert response.status_code == 302
    assert response["Location"] == reverse("common:home")
