"""The import and the session log form agree on every generated device session.

A person at some stage of a device's protocol, with a few sessions logged before, sends
one more session through the log form (the page itself, posted to). The same session, in
a file with the sessions before it, goes to the import. Whatever the values (within the
limits, at them, past them, zero or below), both refuse the same fields with the same
words, or both accept it.

One difference is by design (``therapies.services.check_logged_session``): the form also
holds a value to one step from the session before, which the import cannot see faithfully
once the person has removed a session. A value the form refuses for that reason alone is
within the stage and the protocol, and the import takes it; the test checks exactly that
and names the case.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta
from typing import Any
from unittest import mock

from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from backbalance.core import api
from backbalance.web.common.content import content
from backbalance.web.ownership import services
from backbalance.web.ownership.records import record_to_json
from backbalance.web.therapies import services as therapies
from backbalance.web.therapies.forms import FIELD_LABELS
from backbalance.web.therapies.models import DeviceSession, StageMove
from backbalance.web.therapies.services import LOGGED_SETTINGS
from tests.web.therapies.conftest import give_devices

SESSIONS = "therapies.DeviceSession"
# The form's problems that belong to no one field; the import names the session's time.
WHOLE_FORM = "__all__"
# Which limit a problem for the whole session is, by the words of its message.
WHOLE_SESSION_LIMITS = {
    "sessions_per_day": "sessions a day",
    "sessions_per_week": "sessions a week",
}


def _protocol(device: str) -> Any:
    return content().adjuncts.therapy(device).protocol


def _content_cap(device: str, stage: int, setting_id: str) -> float:
    """The most a value may be at ``stage`` by the content alone: the stage's own setting
    and the protocol's limit on it, whichever is lower (no step from an earlier session)."""
    protocol = _protocol(device)
    figures = [limit.figure.value for limit in protocol.limits if list(limit.of) == [setting_id]]
    own = protocol.stages[stage - 1].setting(setting_id)
    if own is not None:
        figures.append(own.figure.value)
    assert figures, (device, stage, setting_id)
    return float(min(figures))


# What kind of value to draw for a field, by its cap: past it twice as often as the rest.
KINDS = ["inside", "just under", "at", "past", "past", "zero or below"]


def _value(draw: st.DrawFn, cap: float, minutes: bool, name: str) -> float:
    """A value for one field: within its cap, just under it, at it, past it, or 0 or less."""
    kind = draw(st.sampled_from(KINDS), label=f"{name} kind")
    # Minutes go in tenths, as the form takes them; the rest in whole numbers.
    tenths = 10 if minutes else 1
    top = int(cap * tenths)
    if kind == "inside":
        whole = draw(st.integers(1, top), label=name)
    elif kind == "just under":
        whole = draw(st.integers(max(top - 6 * tenths, 1), top), label=name)
    elif kind == "at":
        whole = top
    elif kind == "past":
        whole = draw(st.integers(top + 1, top + 15 * tenths), label=name)
    else:
        whole = draw(st.sampled_from([0, 0, 0, -1]), label=name)
    return whole / tenths if minutes else float(whole)


@st.composite
def cases(draw: st.DrawFn) -> dict[str, Any]:
    device = draw(st.sampled_from(sorted(LOGGED_SETTINGS)))
    stage = draw(st.integers(1, len(_protocol(device).stages)))
    fields = LOGGED_SETTINGS[device]
    caps = {name: _content_cap(device, stage, setting) for name, setting in fields.items()}
    # The sessions before: hours before noon today, so some are today, some this week.
    earlier = draw(
        st.lists(
            st.tuples(
                st.sampled_from([0.5, 1, 2, 3, 5, 8, 11, 30, 80, 150]),
                st.booleans(),
                # At the cap or below it (the form logged them within it); well below it,
                # the next session's one step up is less than the stage allows.
                st.sampled_from([0, 1, 3, 10]),
            ),
            # At least one: the counts, the day's total and the step all need one.
            min_size=1,
            max_size=3,
            unique_by=lambda drawn: drawn[0],
        )
    )
    values = {name: _value(draw, caps[name], name == "minutes", name) for name in fields}
    return {"device": device, "stage": stage, "caps": caps, "earlier": earlier, "values": values}


def _typed(name: str, value: float) -> str:
    return f"{value:g}" if name == "minutes" else str(int(value))


def _form_problems(client: Client, now: datetime, case: dict[str, Any]) -> dict[str, str]:
    """The log form's problems with the session (field -> message), empty when it saved."""
    post = {name: _typed(name, value) for name, value in case["values"].items()}
    post |= {"pain_before": "3", "pain_after": "2", "tolerated": "yes", "note": ""}
    with mock.patch("django.utils.timezone.now", return_value=now):
        response = client.post(reverse("therapies:device", args=[case["device"]]), post)
    if response.status_code == 302:
        return {}
    assert response.status_code == 200, response.status_code
    form = response.context["form"]
    return {name: " ".join(messages) for name, messages in form.errors.items()}


def _import_problems(person: User, now: datetime, case: dict[str, Any]) -> dict[str, str]:
    """The import's problems with the same session (field -> message), in a file with the
    person's sessions and stage moves from before it."""
    rows = [
        record_to_json(s)
        for s in DeviceSession.objects.filter(owner=person, at__lt=now).order_by("at")
    ]
    moment = now.isoformat()
    rows.append(
        {
            "id": str(uuid.uuid4()),
            "created_at": moment,
            "device": case["device"],
            "at": moment,
            "stage": case["stage"],
            "angle_deg": None,
            "minutes": None,
            "frequency_hz": None,
            "bouts": None,
            "bout_seconds": None,
            "tolerated": True,
            "pain_before": 3,
            "pain_after": 2,
            "note": "",
            **{
                name: (f"{value:g}" if name == "minutes" else int(value))
                for name, value in case["values"].items()
            },
        }
    )
    moves = [record_to_json(m) for m in StageMove.objects.filter(owner=person)]
    text = json.dumps(
        {
            "format": services.FORMAT,
            "format_version": services.FORMAT_VERSION,
            "records": {SESSIONS: rows, "therapies.StageMove": moves},
        }
    )
    where = f"records.{SESSIONS}.{len(rows)}."
    try:
        services.parse_export(text)
    except api.CaseError as refused:
        found = {
            e.path.removeprefix(where): e.message
            for e in refused.errors
            if e.path.startswith(where)
        }
        return {WHOLE_FORM if name == "at" else name: message for name, message in found.items()}
    return {}


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=cases())
def test_the_import_and_the_log_form_agree(owner: User, case: dict[str, Any]) -> None:
    device, stage = case["device"], case["stage"]
    now = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    with transaction.atomic():
        give_devices(owner)
        client = Client()
        client.force_login(owner)
        if stage > 1:
            StageMove.objects.create(
                owner=owner,
                device=device,
                stage=stage,
                direction="forward",
                at=now - timedelta(days=30),
            )
        fields = LOGGED_SETTINGS[device]
        for hours, tolerated, below in case["earlier"]:
            DeviceSession.objects.create(
                owner=owner,
                device=device,
                at=now - timedelta(hours=hours),
                stage=stage,
                tolerated=tolerated,
                pain_before=3,
                pain_after=3,
                **{name: max(int(case["caps"][name]) - below, 1) for name in fields},
            )
        by_import = _import_problems(owner, now, case)
        # The form's own caps, the step from the session before included.
        form_caps = {n: c.value for n, c in therapies.stage_now(owner, device, now).caps.items()}
        by_form = _form_problems(client, now, case)
        transaction.set_rollback(True)

    below_zero = {name for name, value in case["values"].items() if value < 0}
    if below_zero:
        # The import reads a whole number below 0 as no value its field can hold, and
        # stops there, before judging the session (the minutes below 0 among them); the
        # form refuses every such field at once.
        event("both refuse: a value below 0")
        whole = {name for name in below_zero if name != "minutes"}
        assert (whole or below_zero) <= set(by_import) <= set(by_form), (by_form, by_import)
        return
    if not by_form:
        event("both accept: within every limit")
    totals = [limit.label for limit in _protocol(device).limits if len(limit.of) > 1]
    for name, message in by_form.items():
        if name == WHOLE_FORM:
            limit = next(w for w in WHOLE_SESSION_LIMITS.values() if w in message.lower())
            event(f"both refuse: {limit}")
        elif any(label in message for label in totals):
            event("both refuse: the day's total")
        elif _within_content(case, name):
            # Within the stage and the protocol: the form refused it for the step from the
            # session before alone, which the import leaves out by design.
            event("the form alone: one step from the session before")
            assert form_caps[name] < case["values"][name] <= case["caps"][name]
            assert name not in by_import, (by_form, by_import)
            continue
        elif case["values"][name] <= 0:
            event(f"both refuse: {name} is 0")
        else:
            event(f"both refuse: {name} past its limit")
            # A limit's words say which field (the form's own words sit by it).
            assert str(FIELD_LABELS[name]) in message
            if form_caps[name] < case["caps"][name]:
                # The form names the nearer cap, the step; the import the stage's.
                assert name in by_import, (by_form, by_import)
                continue
        # The same words as the form, without the field's label in front.
        assert name in by_import and by_import[name] in message, (by_form, by_import)
    # And the import refuses nothing the form lets through.
    assert set(by_import) <= set(by_form), (by_form, by_import)


def _within_content(case: dict[str, Any], name: str) -> bool:
    """The value is one the stage and the protocol allow (a session's minutes above 0)."""
    value = case["values"][name]
    return bool(value <= case["caps"][name] and (value > 0 or name != "minutes"))
