"""What every stored record shares: a random id and its owner."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class Owned(models.Model):
    """A record that belongs to one person.

    The primary key is a random UUID, so an address gives nothing away and cannot be
    guessed; every query goes through the owner (see :func:`common.access.owned_or_404`).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    # Whether the record goes into an export and comes back with an import. Everything a
    # person entered does; a secret (the calendar's private address) does not: a file
    # must not carry a working key, and an import makes a new one when asked.
    portable = True

    class Meta:
        abstract = True
