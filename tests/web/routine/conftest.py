"""Helpers for the routine tests: the owner's plan, a session posted through the player,
and a check-in that changes the standing safety level."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from backbalance.core import api
from backbalance.web.common.content import content
from backbalance.web.journal.models import CheckIn
from backbalance.web.journal.safety import judge_check_in
from backbalance.web.routine.models import RoutinePlan


def plan_of(client: Client) -> RoutinePlan:
    """The owner's plan, made by opening today's routine."""
    response = client.get(reverse("routine:today"))
    assert response.status_code == 200, response.content[:500]
    return RoutinePlan.objects.get(active=True, owner_id=response.wsgi_request.user.pk)


def session_data(client: Client, plan: RoutinePlan, **per_item: Any) -> dict[str, Any]:
    """A complete session as the player's plain form would send it: every item done at
    its full dose, with the pain and effort given (``pain``, ``effort``, ``usual_pain``)."""
    response = client.get(reverse("routine:player", args=[plan.pk]))
    assert response.status_code == 200
    form = response.context["form"]
    data: dict[str, Any] = {
        "client_token": str(uuid.uuid4()),
        "items_key": form.expected_key,
        "usual_pain": per_item.get("usual_pain", 2),
    }
    if per_item.get("new_symptoms"):
        data["new_symptoms"] = "on"
    for fields in form.item_fields:
        data[fields.done] = "done"
        for side, name in fields.sets:
            data[name] = fields.item.dose[side].sets
        data[fields.pain] = per_item.get("pain", 2)
        data[fields.effort] = per_item.get("effort", 4)
    return data


def post_session(client: Client, plan: RoutinePlan, **per_item: Any) -> Any:
    data = session_data(client, plan, **per_item)
    return client.post(reverse("routine:player", args=[plan.pk]), data)


def check_in(user: User, **answers: str) -> CheckIn:
    """A check-in with every safety question "no" except ``answers``, judged as the
    journal judges it, so the standing level is the one the app would hold."""
    questions = api.check_in_questions(content().red_flags)
    safety = {q.id: "no" for q in questions} | answers
    judged = judge_check_in(user, safety)
    return CheckIn.objects.create(
        owner=user,
        at=timezone.now(),
        pain_now=3,
        safety=safety,
        standing_answers=dict(judged.answers),
        level=judged.triage.level,
        content_version=content().version,
    )
