"""A check-up: the person's own answers and readings, stored as they gave them.

Only inputs are kept as the truth. The result is derived from them through the core API
and kept with the engine and content versions that made it, so it can be re-derived when
either changes (see :mod:`backbalance.web.checkup.services`).
"""

from __future__ import annotations

from django.db import models

from backbalance.web.common.models import Owned


class Assessment(Owned):
    """One full check-up: safety screen, about you, the self-tests.

    Each part is stored in the case format of the core (``backbalance schema``), so the
    whole case is ``{"person": person, "screening": screening, ...}`` and an export is
    the same file the command line reads.
    """

    updated_at = models.DateTimeField(auto_now=True)
    # The safety screen: question id -> "yes" | "no" | "unsure".
    screening = models.JSONField(default=dict, blank=True)
    screened_at = models.DateTimeField(null=True, blank=True)
    # Questions the person never reached because the screen stopped at an emergency; they
    # are stored as "unsure" (never lower than an answer could be), and listed here so no
    # page tells the person they answered them.
    not_reached = models.JSONField(default=list, blank=True)
    # About you: {"age": 38, "sex": "female"} and the routine context.
    person = models.JSONField(default=dict, blank=True)
    context = models.JSONField(null=True, blank=True)
    questionnaires = models.JSONField(default=dict, blank=True)
    # About the person's day, for them and their clinician (the report): the engine does
    # not read these, so they are kept beside the case rather than in it.
    work = models.CharField(max_length=20, blank=True)
    sitting_hours = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)
    # Self-test readings: test id -> the reading in the case format.
    tests = models.JSONField(default=dict, blank=True)
    # Tests the person chose to skip for now, to come back to.
    skipped_tests = models.JSONField(default=list, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # A re-test: the finished check-up it repeats, and the tests chosen for it (empty:
    # the whole battery). Tests not chosen start as skipped, so they can still be done.
    retest_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="retests"
    )
    chosen_tests = models.JSONField(default=list, blank=True)

    # Derived: the core's result for the case above, with what made it.
    result = models.JSONField(null=True, blank=True)
    result_engine_version = models.CharField(max_length=40, blank=True)
    result_content_version = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner", "-created_at"])]

    def case(self) -> dict[str, object]:
        """The stored inputs as one case, in the core's input format."""
        case: dict[str, object] = {
            "case_id": str(self.id),
            "person": self.person,
            "screening": self.screening,
            "questionnaires": self.questionnaires,
            "tests": self.tests,
        }
        if self.context is not None:
            case["context"] = self.context
        return case
