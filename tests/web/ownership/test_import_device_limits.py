"""A device session in an imported file is held to what the log form allows: its values
within the stage's setting and the protocol's limits, no more sessions in a day or week
than the stage allows, the day's vibration total within its limit. A file that breaks one
is refused naming the record and field, and nothing at all is stored; a file exported
from a person who logged real sessions through the form comes back whole, even after the
person removed one of them."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from backbalance.core import api
from backbalance.web.common.content import content
from backbalance.web.ownership import services
from backbalance.web.ownership.records import kind_of, owned_models
from backbalance.web.therapies.models import DeviceSession, StageMove
from tests.web.conftest import make_person
from tests.web.ownership.conftest import one_of_each
from tests.web.therapies.conftest import give_devices

SESSIONS = "therapies.DeviceSession"
# one_of_each holds one device session: an added one is the second.
ADDED = f"records.{SESSIONS}.2"
BASE = timezone.make_aware(datetime(2026, 6, 1, 12, 0))


def _setting(device: str, stage: int, setting_id: str) -> float:
    found = content().adjuncts.therapy(device).protocol.stages[stage - 1].setting(setting_id)
    assert found is not None, (device, stage, setting_id)
    return float(found.figure.value)


def _limit(device: str, of: list[str]) -> Any:
    protocol = content().adjuncts.therapy(device).protocol
    return next(limit for limit in protocol.limits if list(limit.of) == of)


def _sessions(data: dict[str, Any]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = data["records"][SESSIONS]
    return rows


def _export(person: User) -> dict[str, Any]:
    """The person's export, their one vibration session moved to local noon of a fixed day
    (so the sessions added after it stay on the days the tests mean)."""
    data = services.export_account(person)
    _sessions(data)[0]["at"] = BASE.isoformat()
    return data


def _add_session(
    data: dict[str, Any], device: str, *, hours_later: float = 0, stage: int = 1, **values: Any
) -> None:
    """One more session in the file, ``hours_later`` than the vibration session there;
    values its stage allows unless given."""
    fitting: dict[str, Any] = (
        {
            "angle_deg": int(_setting("inversion", 1, "angle")),
            "minutes": f"{_setting('inversion', stage, 'session_minutes'):g}",
        }
        if device == "inversion"
        else {
            "frequency_hz": int(_setting("vibration", stage, "frequency")),
            "bouts": int(_setting("vibration", stage, "bouts")),
            "bout_seconds": int(_setting("vibration", stage, "bout_seconds")),
        }
    )
    at = (BASE + timedelta(hours=hours_later)).isoformat()
    _sessions(data).append(
        {
            **{name: None for name in _sessions(data)[0]},
            "id": str(uuid.uuid4()),
            "created_at": at,
            "device": device,
            "at": at,
            "stage": stage,
            "tolerated": True,
            "pain_before": 3,
            "pain_after": 2,
            "note": "",
            **fitting,
            **values,
        }
    )


def _over(device: str, setting_id: str) -> int:
    return int(_setting(device, 1, setting_id)) + 1


def _per_day(device: str) -> int:
    return int(_setting(device, 1, "sessions_per_day"))


def _per_week(device: str) -> int:
    return int(_setting(device, 1, "sessions_per_week"))


def _one_inversion_session_too_many_in_a_day(data: dict[str, Any]) -> None:
    for minutes in range(_per_day("inversion") + 1):
        _add_session(data, "inversion", hours_later=minutes / 60)


def _one_vibration_session_too_many_in_a_week(data: dict[str, Any]) -> None:
    # The file's own session is the first of the week; one a day after it.
    for days in range(1, _per_week("vibration") + 1):
        _add_session(data, "vibration", hours_later=24 * days)


Change = Callable[[dict[str, Any]], None]
# A vibration session added well past the week of the one in the file.
LATER = 24 * 10

REFUSED: list[tuple[str, Change, str]] = [
    (
        "an inversion angle past the first stage's",
        lambda d: _add_session(d, "inversion", angle_deg=_over("inversion", "angle")),
        f"{ADDED}.angle_deg",
    ),
    (
        "an inversion session longer than the first stage's",
        lambda d: _add_session(
            d, "inversion", minutes=f"{_setting('inversion', 1, 'session_minutes') + 0.5:g}"
        ),
        f"{ADDED}.minutes",
    ),
    (
        "an inversion session of no time",
        lambda d: _add_session(d, "inversion", minutes="0"),
        f"{ADDED}.minutes",
    ),
    (
        "an inversion angle past the protocol's steepest, at the last stage",
        lambda d: _add_session(
            d,
            "inversion",
            stage=len(content().adjuncts.therapy("inversion").protocol.stages),
            angle_deg=int(_limit("inversion", ["angle"]).figure.value) + 5,
        ),
        f"{ADDED}.angle_deg",
    ),
    (
        "a vibration frequency past the first stage's",
        lambda d: _add_session(
            d, "vibration", hours_later=LATER, frequency_hz=_over("vibration", "frequency")
        ),
        f"{ADDED}.frequency_hz",
    ),
    (
        "more vibration bouts than the first stage's",
        lambda d: _add_session(
            d, "vibration", hours_later=LATER, bouts=_over("vibration", "bouts")
        ),
        f"{ADDED}.bouts",
    ),
    (
        "a vibration bout longer than the first stage's",
        lambda d: _add_session(
            d, "vibration", hours_later=LATER, bout_seconds=_over("vibration", "bout_seconds")
        ),
        f"{ADDED}.bout_seconds",
    ),
    (
        "more inversion sessions in a day than the first stage allows",
        _one_inversion_session_too_many_in_a_day,
        # The file's vibration session is the first; the one too many is the last added.
        f"records.{SESSIONS}.{_per_day('inversion') + 2}.at",
    ),
    (
        "more vibration sessions in a week than the first stage allows",
        _one_vibration_session_too_many_in_a_week,
        f"records.{SESSIONS}.{_per_week('vibration') + 1}.at",
    ),
]


def _row_counts() -> dict[str, int]:
    counts = {kind_of(m): m._default_manager.count() for m in owned_models()}
    return counts | {"auth.User": User.objects.count()}


@pytest.mark.parametrize(
    ("change", "path"), [(c, p) for _, c, p in REFUSED], ids=[name for name, _, _ in REFUSED]
)
def test_a_session_past_the_protocol_is_refused_naming_it(
    owner: User, stranger: User, change: Change, path: str
) -> None:
    one_of_each(owner)
    one_of_each(stranger)
    data = _export(owner)
    change(data)
    newcomer = make_person("newcomer")
    before = _row_counts()
    with pytest.raises(api.CaseError) as refused:
        services.import_account(newcomer, json.dumps(data))
    errors = {error.path: error.message for error in refused.value.errors}
    assert list(errors) == [path]
    assert errors[path]
    # All or nothing: not one record stored, no one's records touched.
    assert _row_counts() == before
    assert not services.owns_anything(newcomer)


def test_the_day_s_vibration_total_counts_the_earlier_sessions_of_the_day(owner: User) -> None:
    """Two sessions on one day, each within its stage; together past the day's limit."""
    one_of_each(owner)
    data = _export(owner)
    total = _limit("vibration", ["bouts", "bout_seconds"])
    # The stage whose own session is the longest, twice in a day.
    stages = content().adjuncts.therapy("vibration").protocol.stages
    stage = max(
        range(1, len(stages) + 1),
        key=lambda n: _setting("vibration", n, "bouts") * _setting("vibration", n, "bout_seconds"),
    )
    seconds = _setting("vibration", stage, "bout_seconds")
    whole = _setting("vibration", stage, "bouts") * seconds
    assert whole < total.figure.value < 2 * whole, "the stage can pass the day's limit"
    bouts_left = int((total.figure.value - whole) // seconds)
    _add_session(data, "vibration", hours_later=LATER, stage=stage)
    _add_session(data, "vibration", hours_later=LATER + 1, stage=stage, bouts=bouts_left + 1)
    with pytest.raises(api.CaseError) as refused:
        services.import_account(make_person("newcomer"), json.dumps(data))
    [error] = refused.value.errors
    assert error.path == f"records.{SESSIONS}.3.bouts"
    assert total.label in error.message
    # One bout fewer is within the day's limit, and the file comes in.
    _sessions(data)[-1]["bouts"] = bouts_left
    services.import_account(make_person("another"), json.dumps(data))


def test_the_page_names_the_session_and_field(owner: User, client: Client) -> None:
    one_of_each(owner)
    data = _export(owner)
    _add_session(data, "inversion", angle_deg=_over("inversion", "angle"))
    newcomer = make_person("newcomer")
    client.force_login(newcomer)
    upload = SimpleUploadedFile("export.json", json.dumps(data).encode(), "application/json")
    response = client.post(reverse("ownership:import"), {"export_file": upload})
    assert response.status_code == 400
    page = response.content.decode()
    assert f"<code>{ADDED}.angle_deg</code>" in page
    assert "this stage goes up to" in page
    assert not services.owns_anything(newcomer)


# --------------------------------------------------------------------------- real sessions


@contextmanager
def _clock(moment: datetime) -> Iterator[None]:
    """The app's clock at ``moment`` (a session is logged at the time it is sent)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def _log(client: Client, moment: datetime, device: str, **values: Any) -> DeviceSession:
    post = {"pain_before": "3", "pain_after": "2", "tolerated": "yes", "note": ""}
    post.update({name: str(value) for name, value in values.items()})
    with _clock(moment):
        response = client.post(reverse("therapies:device", args=[device]), post)
    assert response.status_code == 302, response.content.decode()
    return DeviceSession.objects.get(at=moment, device=device)


def test_sessions_logged_through_the_form_come_back_whole(owner: User, client: Client) -> None:
    """A history logged through the form at every step the form allows: a step down after
    a session that went badly, a move to the last stage, a climb one notch at a time with
    the middle notch removed afterwards, two vibration sessions in a week. Its export
    imports into a new account, every session as it was."""
    give_devices(owner)
    client.force_login(owner)
    protocol = content().adjuncts.therapy("inversion").protocol
    step = int(_limit("inversion", ["angle_step"]).figure.value)
    angle = int(_setting("inversion", 1, "angle"))
    minutes = _setting("inversion", 1, "session_minutes")
    noon = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    day = [noon - timedelta(days=30 - n) for n in range(30)]

    _log(client, day[0], "inversion", angle_deg=angle, minutes=minutes)
    _log(client, day[1], "inversion", angle_deg=angle, minutes=minutes, tolerated="no")
    # After a session that did not go well, the next goes one notch lower.
    _log(client, day[2], "inversion", angle_deg=angle - step, minutes=minutes)
    # Moving on takes weeks of sessions; the move itself is stored as the form stores it.
    last = len(protocol.stages)
    StageMove.objects.create(
        owner=owner, device="inversion", stage=last, direction="forward", at=day[3]
    )
    _log(client, day[4], "inversion", angle_deg=angle, minutes=minutes)
    middle = _log(client, day[5], "inversion", angle_deg=angle + step, minutes=minutes)
    _log(client, day[6], "inversion", angle_deg=angle + 2 * step, minutes=minutes)
    # The person removes the middle notch: the file then climbs two notches at once.
    client.post(reverse("therapies:delete_session", args=[middle.pk]))
    assert not DeviceSession.objects.filter(pk=middle.pk).exists()
    vibration = {
        "frequency_hz": int(_setting("vibration", 1, "frequency")),
        "bouts": int(_setting("vibration", 1, "bouts")),
        "bout_seconds": int(_setting("vibration", 1, "bout_seconds")),
    }
    _log(client, day[7], "vibration", **vibration)
    _log(client, day[10], "vibration", **vibration)

    text = services.export_text(owner)
    newcomer = make_person("newcomer")
    summary = services.import_account(newcomer, text)

    def logged(person: User) -> list[tuple[Any, ...]]:
        return list(
            DeviceSession.objects.filter(owner=person)
            .order_by("at")
            .values_list(
                "device",
                "at",
                "stage",
                "angle_deg",
                "minutes",
                "frequency_hz",
                "bouts",
                "tolerated",
            )
        )

    assert summary.counts[SESSIONS] == 7
    assert logged(newcomer) == logged(owner)
    angles = [row[3] for row in logged(newcomer) if row[0] == "inversion"]
    assert angles[-2:] == [angle, angle + 2 * step]
