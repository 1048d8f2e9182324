"""Removing a therapist and their visits: asked first, done by POST, the owner only."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from backbalance.web.ledger.models import Provider, Visit
from tests.web.ledger.conftest import example, store


def _url(provider: Provider) -> str:
    return reverse("ledger:delete_provider", kwargs={"pk": provider.pk})


def test_the_owner_is_asked_then_the_therapist_and_visits_go(
    owner: User, owner_client: Client
) -> None:
    provider = store(owner, example("01_improving_physiotherapy.json"))
    assert "cannot be undone" in owner_client.get(_url(provider)).content.decode()
    assert Visit.objects.filter(provider=provider).count() == 4
    response = owner_client.post(_url(provider))
    assert response["Location"] == reverse("ledger:index")
    assert not Provider.objects.exists() and not Visit.objects.exists()


def test_a_stranger_gets_404_and_nothing_is_removed(owner: User, stranger_client: Client) -> None:
    provider = store(owner, example("01_improving_physiotherapy.json"))
    for method in (stranger_client.get, stranger_client.post):
        assert method(_url(provider)).status_code == 404
    assert Visit.objects.filter(provider=provider).count() == 4


def test_anonymous_goes_to_login(owner: User, client: Client) -> None:
    provider = store(owner, example("01_improving_physiotherapy.json"))
    response = client.post(_url(provider))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert Provider.objects.filter(pk=provider.pk).exists()
