"""The journal: short check-ins and the record that a clinician has seen the person."""

from __future__ import annotations

import uuid

from django.db import models

from backbalance.web.common.models import Owned


class CheckIn(Owned):
    """A 30-second check-in; several a day are fine.

    ``safety`` holds the answers to the every-check-in safety questions (question id ->
    "yes" | "no" | "unsure"); they are triaged against the last full screen.
    """

    at = models.DateTimeField()
    pain_now = models.PositiveSmallIntegerField()
    # Where it hurts, from the body map: a region id and left | right | both | centre.
    region = models.CharField(max_length=40, blank=True)
    side = models.CharField(max_length=10, blank=True)
    safety = models.JSONField(default=dict)
    sleep_quality = models.PositiveSmallIntegerField(null=True, blank=True)
    hours_sitting = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    did = models.JSONField(default=list, blank=True)
    note = models.TextField(blank=True)
    # Sent by the browser with the form, so a check-in sent twice (a retry after a lost
    # connection) is stored once.
    client_token = models.UUIDField(default=uuid.uuid4, editable=False)
    # Derived when saved: the safety answers that stand after this check-in (a full set,
    # the last full screen's with this check-in's on top, see core triage_check_in), and
    # their level, with the content version that judged them.
    standing_answers = models.JSONField(default=dict)
    level = models.CharField(max_length=10)
    content_version = models.CharField(max_length=40)

    class Meta:
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["owner", "-at"]),
            # Every page asks whether an emergency check-in stands (journal/safety.py):
            # with this index that is one lookup, not a walk through the whole diary.
            models.Index(fields=["owner", "level", "-at"], name="checkin_level_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["owner", "client_token"], name="checkin_once")
        ]


class ClinicianVisit(Owned):
    """The person's word that a clinician has seen them about what the screen raised.

    Until this is recorded after an emergency or urgent answer, the routine and the
    devices stay locked (design §3).
    """

    seen_on = models.DateField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-seen_on", "-created_at"]
