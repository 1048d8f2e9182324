"""Adding a therapist: name and kind of therapy, the start of the bout optional."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from backbalance.web.ledger.models import Provider

URL = reverse("ledger:add_provider")


def test_the_owner_adds_a_therapist(owner: User, owner_client: Client) -> None:
    assert owner_client.get(URL).status_code == 200
    response = owner_client.post(URL, {"name": "Riverside Physio", "kind": "physiotherapy"})
    provider = Provider.objects.get()
    assert provider.owner == owner and provider.episode_started is None
    assert response["Location"] == reverse("ledger:provider", kwargs={"pk": provider.pk})


def test_bad_input_is_named_next_to_the_field_and_kept(owner_client: Client) -> None:
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = owner_client.post(
        URL, {"name": "Kept Clinic", "kind": "astrology", "episode_started": tomorrow}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_kind_error"' in page and "astrology is not one of" in page
    assert 'id="id_episode_started_error"' in page and "after today" in page
    assert 'value="Kept Clinic"' in page
    assert not Provider.objects.exists()


def test_a_missing_name_is_named(owner_client: Client) -> None:
    page = owner_client.post(URL, {"name": "", "kind": "massage"}).content.decode()
    assert 'id="id_name_error"' in page
    assert not Provider.objects.exists()


def test_anonymous_goes_to_login(db: None, client: Client) -> None:
    response = client.post(URL, {"name": "X", "kind": "massage"})
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert not Provider.objects.exists()
