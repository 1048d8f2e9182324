"""Noting a visit: stored for the owner only; bad input named next to its field and kept."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from backbalance.web.ledger.models import Provider, Visit


def _url(provider: Provider) -> str:
    return reverse("ledger:add_visit", kwargs={"pk": provider.pk})


def _post(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "date": timezone.localdate().isoformat(),
        "cost": "65.50",
        "reimbursed": "20",
        "currency": "EUR",
        "pain_before": "6.5",
        "pain_after": "5",
        "pain_next_day": "",
        "assessed_hands_on": "yes",
        "worked_on_findings": "no",
        "explained_findings": "",
        "home_plan": "yes",
        "retested": "",
        "notes": "Worked on the hip flexors.",
    }
    data.update(changes)
    return data


def _provider(user: User) -> Provider:
    return Provider.objects.create(owner=user, name="Riverside Physio", kind="physiotherapy")


def _error_next_to(page: str, field: str) -> str:
    """The error list rendered right after the field's own input."""
    found = re.search(
        rf'id="id_{field}".*?<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', page, re.S
    )
    assert found, f"no error next to {field}"
    return found.group(1)


def test_the_owner_notes_a_visit(owner: User, owner_client: Client) -> None:
    provider = _provider(owner)
    assert owner_client.get(_url(provider)).status_code == 200
    response = owner_client.post(_url(provider), _post())
    assert response.status_code == 302
    assert response["Location"] == reverse("ledger:provider", kwargs={"pk": provider.pk})
    visit = Visit.objects.get(provider=provider)
    assert visit.owner == owner
    assert float(visit.cost) == 65.5 and float(visit.pain_before) == 6.5
    assert visit.pain_next_day is None
    assert (visit.assessed_hands_on, visit.worked_on_findings, visit.explained_findings) == (
        True,
        False,
        None,
    )


def test_a_pain_out_of_range_is_named_next_to_the_field_and_kept(
    owner: User, owner_client: Client
) -> None:
    provider = _provider(owner)
    response = owner_client.post(_url(provider), _post(pain_before="12", notes="keep me"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "from 0 to 10" in _error_next_to(page, "pain_before")
    assert 'value="12"' in page
    assert "keep me" in page
    assert not Visit.objects.exists()


def test_more_paid_back_than_it_cost_is_the_cores_message_next_to_the_field(
    owner: User, owner_client: Client
) -> None:
    provider = _provider(owner)
    response = owner_client.post(_url(provider), _post(cost="50", reimbursed="80"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "is more than the cost" in _error_next_to(page, "reimbursed")
    assert 'value="80"' in page and 'value="50"' in page
    assert not Visit.objects.exists()


def test_a_visit_after_today_is_refused(owner: User, owner_client: Client) -> None:
    provider = _provider(owner)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    page = owner_client.post(_url(provider), _post(date=tomorrow)).content.decode()
    assert "after today" in _error_next_to(page, "date")
    assert not Visit.objects.exists()


def test_a_stranger_gets_404_and_nothing_is_stored(owner: User, stranger_client: Client) -> None:
    provider = _provider(owner)
    assert stranger_client.get(_url(provider)).status_code == 404
    assert stranger_client.post(_url(provider), _post()).status_code == 404
    assert not Visit.objects.exists()


def test_anonymous_goes_to_login(owner: User, client: Client) -> None:
    provider = _provider(owner)
    response = client.post(_url(provider), _post())
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert not Visit.objects.exists()
