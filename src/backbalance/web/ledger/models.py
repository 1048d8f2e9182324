"""The therapist value ledger: the therapists a person pays and what each visit was like.

Only inputs are stored. The verdict, the totals and the questions are derived through the
core (``api.judge_course``) each time a page is shown, from these visits and the person's
own check-ins and check-ups (see :mod:`backbalance.web.ledger.services`).
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from backbalance.web.common.models import Owned

# The content names no kinds of therapy, so a short list of the usual ones is offered.
KINDS = [
    ("physiotherapy", _("Physiotherapy")),
    ("chiropractic", _("Chiropractic")),
    ("osteopathy", _("Osteopathy")),
    ("massage", _("Massage therapy")),
    ("personal_training", _("Personal training or exercise therapy")),
    ("other", _("Something else")),
]

# The good-appointment checklist, as the core and the content name its items.
CHECKLIST = (
    "assessed_hands_on",
    "worked_on_findings",
    "explained_findings",
    "home_plan",
    "retested",
)

# How long a booked appointment may be said to last, in minutes. Bounds of the form, not a
# clinical figure: they catch a slip of the keyboard (0, or 450 typed as 4500) while
# allowing anything from a short check to a whole working day.
SHORTEST_BOOKING_MINUTES = 5
LONGEST_BOOKING_MINUTES = 480


class Provider(Owned):
    """One therapist or practice: one course of care."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=40, choices=KINDS)
    # When this bout of back pain began, if the person knows: early in an episode pain
    # often eases on its own, which the verdict's caveats mention.
    episode_started = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name", "created_at"]
        indexes = [models.Index(fields=["owner", "name"])]


class Visit(Owned):
    """One appointment, with the pain around it and what it contained.

    Each checklist answer is yes, no, or not recorded (``None``): an item never recorded
    says nothing about the therapist.
    """

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="visits")
    date = models.DateField()
    cost = models.DecimalField(max_digits=10, decimal_places=2)
    reimbursed = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    currency = models.CharField(max_length=8, blank=True)
    pain_before = models.DecimalField(max_digits=3, decimal_places=1)
    pain_after = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)
    pain_next_day = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)
    notes = models.TextField(blank=True, max_length=2000)
    assessed_hands_on = models.BooleanField(null=True, blank=True)
    worked_on_findings = models.BooleanField(null=True, blank=True)
    explained_findings = models.BooleanField(null=True, blank=True)
    home_plan = models.BooleanField(null=True, blank=True)
    retested = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["date", "created_at"]
        indexes = [models.Index(fields=["owner", "provider", "date"])]


class Booking(Owned):
    """An appointment booked ahead: never a visit, and never counted as one.

    It holds only what is known beforehand (the day, perhaps the time and the price, a
    note): no pain and no checklist, which only exist once it has happened. When the day
    has come the person completes it, which stores a :class:`Visit` and removes the
    booking; until then the verdict, the totals, the cost per point and the checkpoints do
    not see it (``services`` passes only visits to the core). A cancelled booking is kept,
    marked as such, and counts for nothing either.
    """

    BOOKED = "booked"
    CANCELLED = "cancelled"
    STATUSES = [(BOOKED, _("Booked")), (CANCELLED, _("Cancelled"))]

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="bookings")
    date = models.DateField()
    # In the server's time zone, as the routine reminder's time; none for a day only.
    time = models.TimeField(null=True, blank=True)
    # How long it lasts, when known. Only with a time: a day-only booking has no end.
    length_minutes = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[
            MinValueValidator(SHORTEST_BOOKING_MINUTES),
            MaxValueValidator(LONGEST_BOOKING_MINUTES),
        ],
    )
    cost = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=8, blank=True)
    notes = models.TextField(blank=True, max_length=2000)
    status = models.CharField(max_length=12, choices=STATUSES, default=BOOKED)

    class Meta:
        ordering = ["date", "created_at"]
        indexes = [models.Index(fields=["owner", "provider", "date"])]

    @property
    def cancelled(self) -> bool:
        return self.status == self.CANCELLED
