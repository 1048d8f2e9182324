"""Accepting or declining a progression proposal."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from backbalance.web.routine.models import PendingProposal, RoutinePlan
from backbalance.web.routine.services import states_of
from tests.web.routine.conftest import check_in
from tests.web.routine.test_loop import NEEDED, good_sessions


def a_proposal(client: Client, owner: User) -> PendingProposal:
    good_sessions(client, owner, NEEDED)
    pending = PendingProposal.objects.filter(owner=owner, decided_at__isnull=True).first()
    assert pending is not None
    return pending


def url(pending: PendingProposal) -> str:
    return reverse("routine:proposal", args=[pending.pk])


def test_declining_keeps_the_item_as_it_is(owner_client: Client, owner: User) -> None:
    pending = a_proposal(owner_client, owner)
    before = states_of(pending.plan)

    response = owner_client.post(url(pending), {"decision": "decline"}, follow=True)

    pending.refresh_from_db()
    assert pending.accepted is False and pending.decided_at is not None
    assert states_of(RoutinePlan.objects.get(pk=pending.plan_id)) == before
    assert pending not in response.context["day"].proposals


def test_a_stale_proposal_is_set_aside_without_a_change(owner_client: Client, owner: User) -> None:
    pending = a_proposal(owner_client, owner)
    # A copy of the same proposal, as a second tab would still show it.
    copy = PendingProposal.objects.create(
        owner=owner, plan=pending.plan, item_index=pending.item_index, proposal=pending.proposal
    )
    owner_client.post(url(pending), {"decision": "accept"})
    after_first = states_of(RoutinePlan.objects.get(pk=pending.plan_id))

    response = owner_client.post(url(copy), {"decision": "accept"}, follow=True)

    assert "set aside" in response.content.decode()
    copy.refresh_from_db()
    assert copy.decided_at is not None and copy.accepted is None
    assert states_of(RoutinePlan.objects.get(pk=pending.plan_id)) == after_first


def test_a_bad_decision_changes_nothing(owner_client: Client, owner: User) -> None:
    pending = a_proposal(owner_client, owner)

    response = owner_client.post(url(pending), {"decision": "maybe"}, follow=True)

    assert "Please choose yes or not now." in response.content.decode()
    pending.refresh_from_db()
    assert pending.decided_at is None


def test_a_stranger_gets_404(owner_client: Client, owner: User, stranger_client: Client) -> None:
    pending = a_proposal(owner_client, owner)

    assert stranger_client.post(url(pending), {"decision": "accept"}).status_code == 404
    assert stranger_client.get(url(pending)).status_code == 404
    pending.refresh_from_db()
    assert pending.decided_at is None


def test_nobody_is_sent_to_log_in(owner_client: Client, owner: User, client: Client) -> None:
    pending = a_proposal(owner_client, owner)
    response = client.post(url(pending), {"decision": "accept"})
    assert response["Location"].startswith(reverse("accounts:login"))


def test_an_emergency_locks_accepting(owner_client: Client, owner: User) -> None:
    pending = a_proposal(owner_client, owner)
    check_in(owner, ces_saddle_numbness="yes")

    response = owner_client.post(url(pending), {"decision": "accept"})

    assert "data-locked" in response.content.decode()
    pending.refresh_from_db()
    assert pending.decided_at is None
