"""The "my back has flared up" button and the core ending flare-up mode."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from backbalance.web.common.content import content
from backbalance.web.routine.models import RoutinePlan, Session
from tests.web.routine.conftest import check_in, plan_of, post_session

CALM_DAYS = int(content().progression.flare_up.calm_days.value)


def url(plan: RoutinePlan) -> str:
    return reverse("routine:flare_up", args=[plan.pk])


def shown(client: Client) -> list[str]:
    return [v.item.exercise for v in client.get(reverse("routine:today")).context["items"]]


def test_the_button_keeps_the_routine_to_gentle_items(owner_client: Client) -> None:
    plan = plan_of(owner_client)
    assert any(not content().exercises[e].gentle for e in shown(owner_client))

    response = owner_client.post(url(plan))

    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.flare_up and plan.flare_up_since == timezone.localdate()
    during = shown(owner_client)
    assert during and all(content().exercises[e].gentle for e in during)


def test_calm_days_end_it_as_the_core_says(owner_client: Client, owner: User) -> None:
    plan = plan_of(owner_client)
    owner_client.post(url(plan))
    today = timezone.localdate()
    RoutinePlan.objects.filter(pk=plan.pk).update(flare_up_since=today - timedelta(days=CALM_DAYS))

    for n in range(CALM_DAYS):
        post_session(owner_client, plan, pain=1, usual_pain=2)
        plan.refresh_from_db()
        if n < CALM_DAYS - 1:
            assert plan.flare_up, "not over before enough calm days"
            # Move this session back a day, as if logged on an earlier day.
            newest = Session.objects.filter(owner=owner).order_by("-created_at")[0]
            Session.objects.filter(pk=newest.pk).update(
                day=today - timedelta(days=CALM_DAYS - 1 - n)
            )

    assert not plan.flare_up


def test_a_stranger_gets_404(owner_client: Client, stranger_client: Client) -> None:
    plan = plan_of(owner_client)
    assert stranger_client.post(url(plan)).status_code == 404
    plan.refresh_from_db()
    assert not plan.flare_up


def test_nobody_is_sent_to_log_in(owner_client: Client, client: Client) -> None:
    plan = plan_of(owner_client)
    assert client.post(url(plan))["Location"].startswith(reverse("accounts:login"))


def test_an_emergency_locks_it_too(owner_client: Client, owner: User) -> None:
    plan = plan_of(owner_client)
    check_in(owner, ces_both_legs="yes")

    response = owner_client.post(url(plan))

    assert "data-locked" in response.content.decode()
    plan.refresh_from_db()
    assert not plan.flare_up
