"""Removing a visit: asked first, done by POST, the owner only."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from backbalance.web.ledger.models import Visit
from tests.web.ledger.test_edit_visit import _visit


def _url(visit: Visit) -> str:
    return reverse("ledger:delete_visit", kwargs={"pk": visit.pk})


def test_the_owner_is_asked_then_the_visit_goes(owner: User, owner_client: Client) -> None:
    visit = _visit(owner)
    page = owner_client.get(_url(visit)).content.decode()
    assert "cannot be undone" in page
    assert Visit.objects.filter(pk=visit.pk).exists()
    response = owner_client.post(_url(visit))
    assert response.status_code == 302
    assert response["Location"] == reverse("ledger:provider", kwargs={"pk": visit.provider_id})
    assert not Visit.objects.filter(pk=visit.pk).exists()


def test_a_stranger_gets_404_and_nothing_is_removed(owner: User, stranger_client: Client) -> None:
    visit = _visit(owner)
    for method in (stranger_client.get, stranger_client.post):
        assert method(_url(visit)).status_code == 404
    assert Visit.objects.filter(pk=visit.pk).exists()


def test_anonymous_goes_to_login(owner: User, client: Client) -> None:
    visit = _visit(owner)
    response = client.post(_url(visit))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert Visit.objects.filter(pk=visit.pk).exists()
