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
