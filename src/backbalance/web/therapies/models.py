"""Sessions on the adjunct devices (inversion table, vibration platform)."""

from __future__ import annotations

from django.db import models

from backbalance.web.common.models import Owned


class DeviceSession(Owned):
    """One session on a device, at a stage of its starting protocol."""

    class Device(models.TextChoices):
        INVERSION = "inversion"
        VIBRATION = "vibration"

    device = models.CharField(max_length=20, choices=Device.choices)
    at = models.DateTimeField()
    stage = models.PositiveSmallIntegerField()
    # Inversion: table angle and minutes. Vibration: frequency, bouts and bout length.
    angle_deg = models.PositiveSmallIntegerField(null=True, blank=True)
    minutes = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    frequency_hz = models.PositiveSmallIntegerField(null=True, blank=True)
    bouts = models.PositiveSmallIntegerField(null=True, blank=True)
    bout_seconds = models.PositiveSmallIntegerField(null=True, blank=True)
    tolerated = models.BooleanField()
    pain_before = models.PositiveSmallIntegerField(null=True, blank=True)
    pain_after = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["owner", "device", "-at"])]


class StageMove(Owned):
    """The person's own choice to move to another stage of a device's protocol.

    The stage a session is logged at is the stage of the latest move (the first stage
    before any). A move forward is stored only when the person accepted it and the
    protocol's rule for moving on held at that moment; a move back is always allowed.
    """

    class Direction(models.TextChoices):
        FORWARD = "forward"
        BACK = "back"

    device = models.CharField(max_length=20, choices=DeviceSession.Device.choices)
    # 1-based, as shown to the person ("stage 2 of 4").
    stage = models.PositiveSmallIntegerField()
    direction = models.CharField(max_length=10, choices=Direction.choices)
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["owner", "device", "-at"])]
