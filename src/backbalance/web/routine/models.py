"""The routine as it stands, the sessions logged against it and the pending proposals."""

from __future__ import annotations

import uuid

from django.db import models

from backbalance.web.checkup.models import Assessment
from backbalance.web.common.models import Owned


class RoutinePlan(Owned):
    """The person's current routine: one core ``ItemState`` per item and side.

    Built from a check-up's result (``core.api.session_state``) and changed only by
    accepted progression proposals and by flare-up mode.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    # A list of ItemState in the core's JSON form.
    items = models.JSONField(default=list)
    flare_up = models.BooleanField(default=False)
    flare_up_since = models.DateField(null=True, blank=True)
    # When a stop paused an item: it comes back once the safety questions, answered
    # again after this moment, allow the routine (core ``resume``).
    paused_at = models.DateTimeField(null=True, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner", "active", "-created_at"])]


class Session(Owned):
    """One session of the routine as the person logged it.

    ``items`` holds one entry per routine item: exercise id, side, sets done per side,
    done or skipped, pain during (0–10), effort after (0–10) and reps where counted.
    """

    plan = models.ForeignKey(RoutinePlan, on_delete=models.CASCADE, related_name="sessions")
    day = models.DateField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    items = models.JSONField(default=list)
    usual_pain = models.PositiveSmallIntegerField(null=True, blank=True)
    # Asked at the next visit: "better" | "same" | "worse" (the core's morning scale).
    pain_next_morning = models.CharField(max_length=10, blank=True)
    new_symptoms = models.BooleanField(default=False)
    # Made by the browser when the session starts, so a session kept offline and sent
    # again is stored once.
    client_token = models.UUIDField(default=uuid.uuid4)

    class Meta:
        ordering = ["-day", "-created_at"]
        indexes = [models.Index(fields=["owner", "-day"])]
        constraints = [
            models.UniqueConstraint(fields=["owner", "client_token"], name="session_once")
        ]


class PendingProposal(Owned):
    """A progression proposal waiting for the person's yes or no."""

    plan = models.ForeignKey(RoutinePlan, on_delete=models.CASCADE, related_name="proposals")
    item_index = models.PositiveSmallIntegerField()
    proposal = models.JSONField()
    decided_at = models.DateTimeField(null=True, blank=True)
    accepted = models.BooleanField(null=True)

    class Meta:
        ordering = ["created_at"]
