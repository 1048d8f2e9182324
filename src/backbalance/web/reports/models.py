"""The private calendar link: one random token per person, which they can revoke."""

from __future__ import annotations

import secrets
from datetime import time

from django.db import models

from backbalance.web.common.models import Owned

# 32 random bytes, written as 43 URL-safe characters: far too many to guess or try.
TOKEN_BYTES = 32


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


class CalendarFeed(Owned):
    """The secret address of a person's reminder calendar.

    A calendar app cannot log in, so the address itself is the key: whoever has it can
    read the reminders (the routine's days and time, the re-test date, appointments) and
    nothing else. Revoking it makes the old address answer 404 at once; a new one can be
    made at any time. At most one link per person is live.
    """

    # A key, not data: never exported (see Owned.portable).
    portable = False

    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    # When in the day the routine reminder sits, in the server's time zone.
    routine_time = models.TimeField(default=time(8, 0))
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner", "revoked_at"])]
