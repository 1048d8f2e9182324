"""Changing a therapist's details: the owner only."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from backbalance.web.ledger.models import Provider


def _provider(user: User) -> Provider:
    return Provider.objects.create(owner=user, name="Old Name", kind="massage")


def _url(provider: Provider) -> str:
    return reverse("ledger:edit_provider", kwargs={"pk": provider.pk})


def test_the_owner_changes_the_details(owner: User, owner_client: Client) -> None:
    provider = _provider(owner)
    assert 'value="Old Name"' in owner_client.get(_url(provider)).content.decode()
    response = owner_client.post(
        _url(provider), {"name": "New Name", "kind": "osteopathy", "episode_started": "2026-01-05"}
    )
    assert response.status_code == 302
    provider.refresh_from_db()
    assert (provider.name, provider.kind, str(provider.episode_started)) == (
        "New Name",
        "osteopathy",
        "2026-01-05",
    )


def test_bad_input_is_named_and_kept(owner: User, owner_client: Client) -> None:
    provider = _provider(owner)
    page = owner_client.post(
        _url(provider), {"name": "Typed", "kind": "massage", "episode_started": "5th of May"}
    ).content.decode()
    assert 'id="id_episode_started_error"' in page
    assert 'value="5th of May"' in page and 'value="Typed"' in page
    provider.refresh_from_db()
    assert provider.name == "Old Name"


def test_a_stranger_gets_404_and_nothing_changes(owner: User, stranger_client: Client) -> None:
    provider = _provider(owner)
    assert stranger_client.get(_url(provider)).status_code == 404
    response = stranger_client.post(_url(provider), {"name": "Taken", "kind": "massage"})
    assert response.status_code == 404
    provider.refresh_from_db()
    assert provider.name == "Old Name"


def test_anonymous_goes_to_login(owner: User, client: Client) -> None:
    response = client.get(_url(_provider(owner)))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
