"""Delete the account: confirmed with the password, then logged out, nothing left of the
person's records, and nobody else's touched."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from backbalance.web.ownership.records import owned_models
from tests.web.conftest import PASSWORD
from tests.web.ownership.conftest import one_of_each


def _counts(user_id: int) -> dict[str, int]:
    return {
        m._meta.label: m._default_manager.filter(owner_id=user_id).count() for m in owned_models()
    }


def test_the_confirm_page_asks_for_the_password(owner_client: Client) -> None:
    page = owner_client.get(reverse("ownership:delete")).content.decode()
    assert 'type="password"' in page
    assert reverse("ownership:export_json") in page


def test_the_right_password_deletes_everything_and_logs_out(
    owner_client: Client, owner: User, stranger: User
) -> None:
    one_of_each(owner)
    one_of_each(stranger)
    stranger_before = _counts(stranger.pk)
    response = owner_client.post(reverse("ownership:delete"), {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert not User.objects.filter(pk=owner.pk).exists()
    assert set(_counts(owner.pk).values()) == {0}
    assert _counts(stranger.pk) == stranger_before
    assert min(stranger_before.values()) >= 1
    # Logged out: the next page asks to log in.
    after = owner_client.get(reverse("ownership:index"))
    assert after["Location"].startswith(reverse("accounts:login"))


def test_a_wrong_password_deletes_nothing(owner_client: Client, owner: User) -> None:
    one_of_each(owner)
    before = _counts(owner.pk)
    response = owner_client.post(reverse("ownership:delete"), {"password": "not-it"})
    assert response.status_code == 400
    assert "That is not your password" in response.content.decode()
    assert _counts(owner.pk) == before
    assert User.objects.filter(pk=owner.pk).exists()


def test_an_empty_password_is_named(owner_client: Client, owner: User) -> None:
    response = owner_client.post(reverse("ownership:delete"), {})
    assert response.status_code == 400
    assert 'id="id_password_error"' in response.content.decode()
    assert User.objects.filter(pk=owner.pk).exists()


def test_a_stranger_deletes_only_themselves(
    stranger_client: Client, owner: User, stranger: User
) -> None:
    """There is no id in the address: whoever posts, only their own account goes."""
    one_of_each(owner)
    before = _counts(owner.pk)
    stranger_client.post(reverse("ownership:delete"), {"password": PASSWORD})
    assert not User.objects.filter(pk=stranger.pk).exists()
    assert _counts(owner.pk) == before


def test_anonymous_goes_to_log_in(client: Client, owner: User) -> None:
    response = client.post(reverse("ownership:delete"), {"password": PASSWORD})
    assert response["Location"].startswith(reverse("accounts:login"))
    assert User.objects.filter(pk=owner.pk).exists()
