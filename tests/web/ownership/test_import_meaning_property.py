"""What an import accepts, the app can work with: for an export with one value changed to
something generated (a plausible value, one out of range, the wrong type, a date that is
no date, or the value taken away), the import either refuses the file, naming the field
and storing nothing, or every page that reads those records opens, and the routine's
progression rules and a waiting proposal run on them."""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from backbalance.core import api
from backbalance.web.checkup.models import Assessment
from backbalance.web.common.bodymap import PAIN_REGION_LABELS
from backbalance.web.common.content import content
from backbalance.web.journal.forms import ACTIVITIES
from backbalance.web.journal.safety import current_safety
from backbalance.web.ledger.models import Provider
from backbalance.web.ownership import services
from backbalance.web.routine import services as routine
from backbalance.web.routine.models import PendingProposal, RoutinePlan
from tests.web.conftest import make_person
from tests.web.ownership.conftest import one_of_each

GONE = object()

# Where a value is changed: the kind of record (its first record) and the keys down to it.
PLACES: list[tuple[str, tuple[Any, ...]]] = [
    *(
        ("routine.RoutinePlan", ("items", 0, name))
        for name in ("exercise_id", "side", "sets", "reps", "hold_s", "level", "read")
    ),
    *(
        ("routine.Session", ("items", 0, name))
        for name in ("exercise", "done", "sets", "pain_during", "effort", "reps_done")
    ),
    ("routine.Session", ("pain_next_morning",)),
    ("routine.Session", ("usual_pain",)),
    *(
        ("routine.PendingProposal", ("proposal", name))
        for name in ("action", "new_state", "decided_for", "based_on", "reason")
    ),
    ("routine.PendingProposal", ("proposal", "new_state", "sets")),
    ("therapies.DeviceSession", ("stage",)),
    ("therapies.DeviceSession", ("pain_after",)),
    ("therapies.StageMove", ("stage",)),
    ("journal.CheckIn", ("region",)),
    ("journal.CheckIn", ("pain_now",)),
    ("journal.CheckIn", ("did",)),
    ("checkup.Assessment", ("tests", "modified_thomas", "left", "hip_angle")),
    ("checkup.Assessment", ("skipped_tests",)),
    ("checkup.Assessment", ("questionnaires", "odi", 0)),
    ("checkup.Assessment", ("context", "minutes_per_day")),
    ("ledger.Visit", ("pain_before",)),
]

PLAUSIBLE = [
    "dead_bug",
    "bird_dog",
    "glute_bridge",
    "left",
    "right",
    "bilateral",
    "both",
    "low_back",
    "better",
    "worse",
    "progress",
    "stop",
    "2026-03-01",
    "2026-02-30",
    "walk",
    "modified_thomas",
]

VALUES = st.one_of(
    st.just(GONE),
    st.none(),
    st.booleans(),
    st.integers(-2, 12),
    st.integers(-(10**6), 10**6),
    st.floats(-5, 100, allow_nan=False),
    st.sampled_from(PLAUSIBLE),
    st.text(max_size=5),
    st.lists(st.sampled_from(PLAUSIBLE), max_size=2),
    st.just({}),
    st.just({"day": "2026-03-01", "count_on_day": 1, "morning_pending": False}),
)


def _near(current: object, keys: tuple[Any, ...]) -> st.SearchStrategy[object]:
    """Values close to the one in the file: most of these are fine, some just over a limit."""
    last = keys[-1]
    if isinstance(current, bool):
        return st.booleans()
    if isinstance(current, int):
        return st.integers(current - 3, current + 3)
    if isinstance(current, float):
        return st.floats(max(current - 3, 0.5), current + 3, allow_nan=False)
    if last in ("exercise", "exercise_id"):
        return st.sampled_from([*sorted(content().exercises)[:12], "handstand"])
    if last == "region":
        return st.sampled_from([*PAIN_REGION_LABELS, "elbow"])
    if last == "side":
        return st.sampled_from(["left", "right", "bilateral", "middle"])
    if last == "pain_next_morning":
        return st.sampled_from(["", "better", "same", "worse", "much_worse", "awful"])
    if last == "action":
        return st.sampled_from(["progress", "hold", "regress", "stop", "skip"])
    if last == "pain_before":
        return st.sampled_from(["0", "4.5", "10", "10.5", "-1"])
    if last == "skipped_tests":
        return st.lists(st.sampled_from([*sorted(content().tests), "no_such_test"]), max_size=3)
    if last == "did":
        return st.lists(st.sampled_from([*dict(ACTIVITIES), "flying"]), max_size=3)
    if last == "based_on":
        return st.lists(st.sampled_from(["2026-03-01", "2026-03-04", "2026-02-30"]), max_size=3)
    return st.just(current)


def _at(data: dict[str, Any], kind: str, keys: tuple[Any, ...]) -> object:
    target: Any = data["records"][kind][0]
    for key in keys:
        try:
            target = target[key]
        except (KeyError, IndexError, TypeError):
            return None
    return target


def _change(data: dict[str, Any], kind: str, keys: tuple[Any, ...], value: object) -> bool:
    """Set (or take away) the value at ``keys`` in the first ``kind`` record; False when
    the record has nothing there to change."""
    target: Any = data["records"][kind][0]
    for key in keys[:-1]:
        try:
            target = target[key]
        except (KeyError, IndexError, TypeError):
            return False
    last = keys[-1]
    if isinstance(target, list) and not (isinstance(last, int) and last < len(target)):
        return False
    if not isinstance(target, dict | list):
        return False
    if value is GONE:
        if isinstance(target, dict):
            target.pop(last, None)
        else:
            del target[last]
    else:
        target[last] = value
    return True


def _every_page_opens(user: User) -> None:
    """The pages that read the imported records, and the routine's own rules on them."""
    client = Client()
    client.force_login(user)
    assessment = Assessment.objects.get(owner=user, retest_of__isnull=True)
    provider = Provider.objects.get(owner=user)
    pages = [
        reverse("common:home"),
        reverse("routine:today"),
        reverse("journal:progress"),
        reverse("journal:what_helps"),
        reverse("therapies:index"),
        reverse("therapies:device", args=["inversion"]),
        reverse("therapies:device", args=["vibration"]),
        reverse("checkup:results", args=[assessment.pk]),
        reverse("ledger:index"),
        reverse("ledger:provider", args=[provider.pk]),
        reverse("ownership:export_fhir"),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, (page, response.status_code)
    plan = RoutinePlan.objects.get(owner=user)
    # The routine is really built from the imported plan: today's session can start.
    today = client.get(reverse("routine:today")).content.decode()
    assert reverse("routine:player", args=[plan.pk]) in today
    routine.review(plan, current_safety(user))
    pending = PendingProposal.objects.filter(owner=user, decided_at__isnull=True).first()
    if pending is not None:
        routine.decide_proposal(pending, accepted=True)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(place=st.sampled_from(PLACES), draw=st.data())
def test_what_the_import_accepts_the_app_can_read(
    db: None, place: tuple[str, tuple[Any, ...]], draw: st.DataObject
) -> None:
    kind, keys = place
    with transaction.atomic():
        source = make_person(
            f"source-{uuid.uuid4().hex[:8]}", "01_lower_crossed_office_worker.json"
        )
        one_of_each(source)
        data = services.export_account(source)
        # Mostly a value near the one there (most of those are fine), else anything at all.
        # (Chosen first: ``one_of`` would flatten VALUES' branches and pick near rarely.)
        near = draw.draw(st.sampled_from([True, True, False]), label="near")
        strategy = _near(_at(data, kind, keys), keys) if near else VALUES
        value = draw.draw(strategy, label="value")
        if not _change(data, kind, keys, value):
            event("nothing there to change")
            transaction.set_rollback(True)
            return
        where = ".".join(str(k) for k in keys)
        event(f"changed {kind} {keys[-1]}")
        target = make_person(f"target-{uuid.uuid4().hex[:8]}")
        try:
            services.import_account(target, json.dumps(data))
        except api.CaseError as refused:
            event("refused, naming the field")
            assert refused.errors
            assert all(e.path.startswith(f"records.{kind}.1") for e in refused.errors), (
                where,
                refused.errors,
            )
            assert not services.owns_anything(target)
        else:
            event("accepted, and every page opens")
            _every_page_opens(target)
        transaction.set_rollback(True)
