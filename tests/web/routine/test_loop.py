"""The whole loop through the views: sessions logged -> a proposal shown -> accepted ->
the next routine is the one the core gives for the new state."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from backbalance.core import api
from backbalance.web.common.content import content
from backbalance.web.routine.models import PendingProposal, Session
from backbalance.web.routine.services import states_of
from tests.web.conftest import example_case
from tests.web.routine.conftest import plan_of, post_session

NEEDED = int(content().progression.progress.good_sessions_in_a_row.value)


def good_sessions(client: Client, owner: User, count: int) -> None:
    plan = plan_of(client)
    for _ in range(count):
        assert post_session(client, plan).status_code == 302
        newest = Session.objects.filter(owner=owner).order_by("-created_at").first()
        assert newest is not None
        morning = reverse("routine:morning", args=[newest.pk])
        assert client.post(morning, {"pain_next_morning": "same"}).status_code == 302


def test_good_sessions_lead_to_a_proposal_that_changes_the_routine_once_accepted(
    owner_client: Client, owner: User
) -> None:
    good_sessions(owner_client, owner, NEEDED - 1)
    assert not PendingProposal.objects.filter(owner=owner).exists()

    good_sessions(owner_client, owner, 1)

    today = owner_client.get(reverse("routine:today"))
    shown = today.context["day"].proposals
    assert shown, "enough good sessions in a row give a proposal"
    assert all(p.proposal["action"] == "progress" for p in shown)
    page = today.content.decode()
    # One suggestion is shown at a time, the oldest first; the others wait their turn.
    assert shown[0].proposal["reason"].replace("'", "&#x27;") in page
    for waiting in shown[1:]:
        assert f'id="proposal-{waiting.pk}"' not in page
    if len(shown) > 1:
        assert f"{len(shown) - 1} more suggestion" in page or "One more suggestion" in page
    pending = next(p for p in shown if p.proposal["decided_for"]["exercise_id"] == "bridge")

    plan = pending.plan
    before = states_of(plan)
    response = owner_client.post(
        reverse("routine:proposal", args=[pending.pk]), {"decision": "accept"}
    )

    assert response.status_code == 302
    plan.refresh_from_db()
    after = states_of(plan)
    new_state = after[pending.item_index]
    assert new_state.exercise_id == pending.proposal["new_state"]["exercise_id"]
    assert new_state.reps == pending.proposal["new_state"]["reps"]
    assert new_state != before[pending.item_index]
    # The routine now shown is the core's routine for the new states.
    case = api.parse_case(example_case("01_lower_crossed_office_worker.json"), content())
    result = api.evaluate(case, content())
    assert result.routine is not None and case.context is not None
    expected = api.routine_for_state(result.routine, after, result, case.context, content())
    assert expected is not None
    shown_now = owner_client.get(reverse("routine:today")).context["routine"]
    assert shown_now == expected
    bridge = next(i for i in shown_now.items if i.exercise == new_state.exercise_id)
    old_bridge = next(i for i in result.routine.items if i.exercise == "bridge")
    assert bridge.dose != old_bridge.dose
