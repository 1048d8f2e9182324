"""Changing a visit: the form starts from what was noted; the owner only."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from backbalance.web.ledger.models import Provider, Visit
from tests.web.ledger.conftest import add_visit
from tests.web.ledger.test_add_visit import _error_next_to, _post


def _visit(user: User) -> Visit:
    provider = Provider.objects.create(owner=user, name="Town Chiropractic", kind="chiropractic")
    return add_visit(
        provider,
        date=timezone.localdate(),
        cost=60,
        pain_before=7,
        checklist={"home_plan": False},
    )


def _url(visit: Visit) -> str:
    return reverse("ledger:edit_visit", kwargs={"pk": visit.pk})


def test_the_form_starts_from_the_visit(owner: User, owner_client: Client) -> None:
    visit = _visit(owner)
    page = owner_client.get(_url(visit)).content.decode()
    assert 'value="60.00"' in page
    # A "no" stays a "no", and an item never noted stays "not sure".
    assert '<input type="radio" name="home_plan" value="no" id="id_home_plan_1" checked>' in page
    assert '<input type="radio" name="retested" value="" id="id_retested_2" checked>' in page
    assert '<input type="radio" name="retested" value="no" id="id_retested_1">' in page


def test_the_owner_changes_a_visit(owner: User, owner_client: Client) -> None:
    visit = _visit(owner)
    response = owner_client.post(_url(visit), _post(pain_before="5", home_plan="yes"))
    assert response.status_code == 302
    visit.refresh_from_db()
    assert float(visit.pain_before) == 5 and visit.home_plan is True
    assert Visit.objects.count() == 1


def test_bad_input_is_named_and_kept_and_nothing_changes(owner: User, owner_client: Client) -> None:
    visit = _visit(owner)
    page = owner_client.post(_url(visit), _post(cost="-3")).content.decode()
    assert _error_next_to(page, "cost")
    assert 'value="-3"' in page
    visit.refresh_from_db()
    assert float(visit.cost) == 60


def test_a_stranger_gets_404_and_nothing_changes(owner: User, stranger_client: Client) -> None:
    visit = _visit(owner)
    assert stranger_client.get(_url(visit)).status_code == 404
    assert stranger_client.post(_url(visit), _post(pain_before="1")).status_code == 404
    visit.refresh_from_db()
    assert float(visit.pain_before) == 7


def test_anonymous_goes_to_login(owner: User, client: Client) -> None:
    visit = _visit(owner)
    response = client.get(_url(visit))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
