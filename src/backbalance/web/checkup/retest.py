"""Re-testing: choose the whole battery or some tests, then compare with the time before.

A re-test is a new check-up that repeats a finished one (``services.new_retest``): the
safety screen is asked again from its start, never carried over, and nothing opens while
an emergency stands. The comparison page shows each finding and each reading then and
now, judged by the core (``api.compare_findings``, ``api.compare_tests``) against each
test's measurement error, and the two body maps side by side.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from backbalance.content.wording import fill
from backbalance.core import api
from backbalance.web.checkup import services
from backbalance.web.checkup.forms import RetestForm
from backbalance.web.checkup.models import Assessment
from backbalance.web.checkup.results import status_words
from backbalance.web.common import bodymap
from backbalance.web.common.access import owned_or_404
from backbalance.web.common.content import content
from backbalance.web.common.context import safety_for
from backbalance.web.journal.safety import SafetyState


def change_words(change: api.ChangeVerdict) -> str:
    return content().engine.messages.retest.verdicts[change]


def _reading_note(change: api.ReadingChange, unit: str) -> str:
    """Under a reading's verdict: the error it was weighed with, or that none is known."""
    said = content().engine.messages.retest
    if change.error is not None:
        return fill(said.measuring_error, error=change.error, unit=unit)
    if change.change == "moved_error_unknown":
        return said.no_known_error
    return ""


def _finding_note(change: api.FindingChange) -> str:
    """Under a muscle group's verdict: why a flipped result may be the test, or that no
    measuring error could weigh it."""
    said = content().engine.messages.retest
    if change.change == "within_error":
        return said.finding_within_error
    if change.error_unknown:
        return said.finding_error_unknown
    return ""


# The badge of each verdict: app.css badge-ok and badge-warn, and retest.css's calm
# neutral ones (an unchanged reading is no alarm).
_BADGE = {
    "better": "ok",
    "unchanged": "same",
    "worse": "warn",
    "changed": "open",
    "moved_error_unknown": "open",
    "within_error": "same",
    "not_judged": "open",
}
# Rows that moved come first, so nobody has to scroll past the unchanged ones to find them.
_ORDER = {
    "worse": 0,
    "better": 1,
    "changed": 2,
    "moved_error_unknown": 3,
    "within_error": 4,
    "unchanged": 5,
    "not_judged": 6,
}


def _safety(request: HttpRequest) -> SafetyState:
    state = safety_for(request)
    assert isinstance(state, SafetyState)
    return state


@login_required
def choose(request: HttpRequest, pk: UUID) -> HttpResponse:
    """Pick what to re-test after the finished check-up ``pk``."""
    previous = owned_or_404(Assessment, request.user, pk)
    if request.method not in ("GET", "POST"):
        # After the owner check, so a stranger learns nothing from the method either.
        return HttpResponseNotAllowed(["GET", "POST"])
    if previous.completed_at is None:
        return redirect("checkup:start")
    safety = _safety(request)
    if safety.emergency and not safety.clinician_seen_since:
        # The same gate as a new check-up: the standing emergency comes first.
        return redirect("checkup:start")
    names = [(test.id, test.name) for test in content().tests.values()]
    form = RetestForm(names, request.POST or None)
    if request.method == "POST" and form.is_valid():
        retest = services.new_retest(request.user, previous, form.chosen())
        if retest is None:
            return redirect("checkup:start")
        return redirect("checkup:screen", pk=retest.pk, step=1)
    return render(
        request,
        "checkup/retest.html",
        {
            "nav": "checkup",
            "previous": previous,
            "form": form,
            "done_before": set(previous.tests),
        },
        status=400 if form.errors else 200,
    )


@login_required
def compare(request: HttpRequest, pk: UUID) -> HttpResponse:
    """A finished re-test against the check-up it repeats."""
    current = owned_or_404(Assessment, request.user, pk)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    safety = _safety(request)
    if current.completed_at is None:
        return redirect("checkup:start")
    if safety.emergency:
        # A red flag standing now outranks any comparison.
        return render(
            request, "checkup/results_emergency.html", {"nav": "checkup", "triage": safety.triage}
        )
    judged = services.comparison(current)
    if judged is None:
        return redirect("checkup:results", pk=pk)
    if judged.current_result.triage.level == "emergency":
        return redirect("checkup:results", pk=pk)
    return render(request, "checkup/compare.html", _context(judged))


def _status_then(status: str | None, tested_and_not_found: bool) -> str:
    """A muscle group's status at one check-up, in words; with no finding that time, what
    that means: the tests behind it were done and showed nothing, or they were not done."""
    if status:
        return status_words(status)
    return _("nothing unusual found") if tested_and_not_found else _("not tested")


def _context(judged: services.Comparison) -> dict[str, Any]:
    loaded = content()
    names = {muscle_id: muscle.name for muscle_id, muscle in loaded.muscles.items()}
    before_findings = api.result_to_jsonable(judged.previous_result)["findings"]
    after_findings = api.result_to_jsonable(judged.current_result)["findings"]
    tests: dict[str, dict[str, Any]] = {}
    for change in judged.readings:
        test = loaded.tests[change.test]
        spec = test.field(change.field)
        labels = {choice.id: choice.label for choice in spec.choices}
        row = tests.setdefault(
            change.test, {"name": test.name, "rows": [], "moved": {"better": 0, "worse": 0}}
        )
        if change.change in row["moved"]:
            row["moved"][change.change] += 1
        row["rows"].append(
            {
                "side": "" if change.side == "single" else bodymap.side_words(change.side),
                "label": spec.label,
                "unit": spec.unit or "",
                "before": _shown(change.before, labels),
                "after": _shown(change.after, labels),
                "change": change.change,
                "note": _reading_note(change, spec.unit or ""),
                "words": change_words(change.change),
                "badge": _BADGE[change.change],
            }
        )
    findings = [
        {
            "muscle": names.get(change.muscle, change.muscle),
            "side": bodymap.side_words(change.side),
            "aspect": _("length") if change.aspect == "length" else _("strength"),
            "before": _status_then(change.before, change.not_found == "before"),
            "after": _status_then(change.after, change.not_found == "now"),
            "change": change.change,
            "words": change_words(change.change),
            "note": _finding_note(change),
            "badge": _BADGE[change.change],
        }
        for change in sorted(judged.findings, key=lambda c: _ORDER[c.change])
    ]
    counts = {
        kind: sum(1 for f in findings if f["change"] == kind)
        for kind in ("better", "unchanged", "worse", "within_error")
    }
    return {
        "nav": "checkup",
        "previous": judged.previous,
        "current": judged.current,
        "how_judged": loaded.engine.messages.retest.how_judged,
        "findings": findings,
        "counts": counts,
        "tests": list(tests.values()),
        "map_before": bodymap.findings_map(before_findings, names, prefix="before"),
        "map_after": bodymap.findings_map(after_findings, names, prefix="after"),
        "legend": bodymap.legend("before"),
    }


def _shown(value: object, labels: dict[str, str]) -> str:
    if isinstance(value, str):
        return labels.get(value, value)
    if value is None:
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
