"""A device page: verdict, the stage now, the stop signs, the session log and past sessions.

The log is tried against every gate by posting straight to the address: nothing is saved
while the device is closed, and a value above the stage is refused with its field named.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from pytest_django import DjangoAssertNumQueries

from backbalance.web.checkup.services import result_for
from backbalance.web.common.content import content
from backbalance.web.therapies.forms import SessionForm
from backbalance.web.therapies.models import DeviceSession
from tests.web.conftest import make_person
from tests.web.therapies.conftest import (
    check_in,
    checkup,
    days_ago,
    give_devices,
    inversion_post,
    log,
    set_context,
    vibration_post,
)

INVERSION = reverse("therapies:device", kwargs={"device": "inversion"})
VIBRATION = reverse("therapies:device", kwargs={"device": "vibration"})


def _stage(device: str, number: int) -> Any:
    return content().adjuncts.therapy(device).protocol.stages[number - 1]


def _value(device: str, number: int, setting: str) -> float:
    found = _stage(device, number).setting(setting)
    assert found is not None
    return float(found.figure.value)


def test_anonymous_goes_to_login(client: Client, db: None) -> None:
    for method in (client.get, client.post):
        response = method(INVERSION)
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


def test_an_unknown_device_is_404(equipped_client: Client) -> None:
    assert equipped_client.get("/therapies/trampoline/").status_code == 404
    assert equipped_client.post("/therapies/trampoline/", inversion_post()).status_code == 404


def test_owner_sees_the_stage_from_content_stop_signs_and_form(equipped_client: Client) -> None:
    page = equipped_client.get(INVERSION).content.decode()
    protocol = content().adjuncts.therapy("inversion").protocol
    first = protocol.stages[0]
    assert first.name in page
    for setting in first.settings:
        assert escape(setting.label) in page
        assert f"<strong>{setting.figure.value:g}</strong> {setting.figure.unit}" in page
    for rule in protocol.stop_rules:
        assert escape(rule.action) in page
        for symptom in rule.symptoms:
            assert escape(symptom) in page
    assert 'name="angle_deg"' in page and 'name="minutes"' in page
    assert "No sessions logged yet." in page


def test_owner_logs_an_inversion_session(equipped: User, equipped_client: Client) -> None:
    response = equipped_client.post(INVERSION, inversion_post(note="felt fine"))
    assert response.status_code == 302
    session = DeviceSession.objects.get(owner=equipped)
    assert (session.device, session.stage, session.angle_deg) == ("inversion", 1, 20)
    assert session.tolerated is True and session.note == "felt fine"
    page = equipped_client.get(INVERSION).content.decode()
    assert "felt fine" in page and "Session saved." in page


def test_owner_logs_a_vibration_session(equipped: User, equipped_client: Client) -> None:
    response = equipped_client.post(VIBRATION, vibration_post(tolerated="no"))
    assert response.status_code == 302
    session = DeviceSession.objects.get(owner=equipped)
    assert (session.frequency_hz, session.bouts, session.bout_seconds) == (25, 4, 30)
    assert session.tolerated is False


@pytest.mark.parametrize(
    ("device", "field", "setting"),
    [
        ("inversion", "angle_deg", "angle"),
        ("inversion", "minutes", "session_minutes"),
        ("vibration", "frequency_hz", "frequency"),
        ("vibration", "bouts", "bouts"),
        ("vibration", "bout_seconds", "bout_seconds"),
    ],
)
def test_a_value_above_the_stage_is_refused_next_to_its_field_and_kept(
    equipped: User, equipped_client: Client, device: str, field: str, setting: str
) -> None:
    over = _value(device, 1, setting) + 1
    post = inversion_post if device == "inversion" else vibration_post
    typed = f"{over:g}"
    response = equipped_client.post(
        INVERSION if device == "inversion" else VIBRATION, post(**{field: typed})
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert f'id="id_{field}_error"' in page
    label = str(SessionForm([field], {}).fields[field].label)
    assert f"{escape(label)}: this stage goes up to {_value(device, 1, setting):g}" in page
    assert f'value="{typed}"' in page
    assert not DeviceSession.objects.filter(owner=equipped).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"pain_before": "11"}, "pain_before"),
        ({"pain_after": "-1"}, "pain_after"),
        ({"angle_deg": "steep"}, "angle_deg"),
        ({"minutes": "0"}, "minutes"),
        ({"tolerated": "maybe"}, "tolerated"),
        ({"tolerated": ""}, "tolerated"),
    ],
)
def test_bad_input_is_named_and_kept(
    equipped: User, equipped_client: Client, changes: dict[str, str], field: str
) -> None:
    response = equipped_client.post(INVERSION, inversion_post(note="kept words", **changes))
    assert response.status_code == 200
    page = response.content.decode()
    assert f'id="id_{field}_error"' in page
    assert "kept words" in page
    assert not DeviceSession.objects.filter(owner=equipped).exists()


def test_a_second_session_the_same_day_at_the_first_stage_is_refused(
    equipped: User, equipped_client: Client
) -> None:
    allowed = int(_value("inversion", 1, "sessions_per_day"))
    for _ in range(allowed):
        log(equipped, "inversion", at=days_ago(0))
    response = equipped_client.post(INVERSION, inversion_post())
    assert response.status_code == 200
    assert "Sessions a day at this stage" in response.content.decode()
    assert DeviceSession.objects.filter(owner=equipped).count() == allowed


def test_the_daily_vibration_total_counts_earlier_sessions(
    equipped: User, equipped_client: Client
) -> None:
    limit = next(
        lim for lim in content().adjuncts.therapy("vibration").protocol.limits if len(lim.of) > 1
    )
    # Earlier sessions today that leave less than one more first-stage session.
    bouts, seconds = _value("vibration", 1, "bouts"), _value("vibration", 1, "bout_seconds")
    used = limit.figure.value - bouts * seconds + 1
    log(equipped, "vibration", at=days_ago(0), bouts=1, bout_seconds=int(used))
    response = equipped_client.post(VIBRATION, vibration_post())
    assert response.status_code == 200
    assert limit.label in response.content.decode()
    assert DeviceSession.objects.filter(owner=equipped).count() == 1


# --------------------------------------------------------------------------- gates


def _assert_cannot_log(client: Client, user: User, url: str = INVERSION) -> str:
    page = client.get(url).content.decode()
    assert "You cannot log sessions on this device now." in page
    assert 'name="angle_deg"' not in page and 'name="frequency_hz"' not in page
    for post in (inversion_post, vibration_post):
        # A good session, and one with a bad value: both meet the closed gate first.
        for data in (post(), post(pain_before="99")):
            response = client.post(url, data)
            assert response.status_code == 403
            assert not DeviceSession.objects.filter(owner=user).exists()
    return response.content.decode()


def test_an_emergency_at_a_check_in_blocks_logging(equipped: User, equipped_client: Client) -> None:
    check_in(equipped, ces_bladder_change="yes")
    page = _assert_cannot_log(equipped_client, equipped)
    assert escape(content().adjuncts.therapy("inversion").triage_gate.emergency) in page
    _assert_cannot_log(equipped_client, equipped, VIBRATION)


def test_an_unsure_answer_at_a_check_in_that_counts_as_yes_blocks_logging(
    equipped: User, equipped_client: Client
) -> None:
    check_in(equipped, leg_weakness_rapid="unsure")
    _assert_cannot_log(equipped_client, equipped)


def test_an_urgent_screen_blocks_logging(db: None) -> None:
    person = make_person("urgent", "05_urgent_past_cancer.json")
    give_devices(person)
    client = Client()
    client.force_login(person)
    page = _assert_cannot_log(client, person)
    assert escape(content().adjuncts.therapy("inversion").triage_gate.urgent) in page


@pytest.mark.parametrize("condition", ["glaucoma", "high_blood_pressure"])
def test_a_condition_that_rules_inversion_out_blocks_it(
    equipped: User, equipped_client: Client, condition: str
) -> None:
    set_context(equipped, conditions=[condition])
    page = _assert_cannot_log(equipped_client, equipped)
    rule = next(
        r for r in content().adjuncts.therapy("inversion").rules if r.condition == condition
    )
    assert rule.verdict == "not_suitable"
    assert escape(rule.reason) in page


def test_a_condition_that_asks_for_a_clinician_blocks_logging(
    equipped: User, equipped_client: Client
) -> None:
    set_context(equipped, conditions=["high_blood_pressure_any"])
    page = _assert_cannot_log(equipped_client, equipped)
    assert escape(content().adjuncts.therapy("inversion").approval_note) in page


def test_no_inversion_table_in_the_equipment_blocks_it(owner: User, owner_client: Client) -> None:
    page = _assert_cannot_log(owner_client, owner)
    assert content().equipment["inversion_table"].name in page


def test_no_screen_at_all_blocks_logging(db: None) -> None:
    person = make_person("new")
    client = Client()
    client.force_login(person)
    _assert_cannot_log(client, person)


def test_a_stranger_sees_only_their_own_sessions(
    equipped: User, stranger: User, stranger_client: Client
) -> None:
    log(equipped, "inversion", at=days_ago(1), note="the owner's private note")
    page = stranger_client.get(INVERSION).content.decode()
    assert "private note" not in page
    assert "No sessions logged yet." in page


def test_query_count_does_not_grow_with_history(
    equipped: User, equipped_client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    equipped_client.get(INVERSION)
    with django_assert_max_num_queries(40) as few:
        equipped_client.get(INVERSION)
    baseline = len(few.captured_queries)
    for n in range(200):
        log(equipped, "inversion", at=days_ago(n / 2 + 1), tolerated=n % 7 != 0)
    with django_assert_max_num_queries(baseline) as many:
        response = equipped_client.get(INVERSION)
    assert response.status_code == 200
    assert len(many.captured_queries) == baseline


def test_an_urgent_level_blocks_even_when_the_stored_result_said_suitable(db: None) -> None:
    person = make_person("urgent", "05_urgent_past_cancer.json")
    give_devices(person)
    assessment = checkup(person)
    result = result_for(assessment)
    # An old stored result that still says the devices are fine (current versions, so it
    # is not derived again): the standing level must win over it.
    for device in ("inversion", "vibration"):
        result["adjuncts"][device]["verdict"] = "suitable"
        result["adjuncts"][device]["reasons"] = ["stored long ago"]
    assessment.result = result
    assessment.save()
    client = Client()
    client.force_login(person)
    for url in (INVERSION, VIBRATION):
        page = _assert_cannot_log(client, person, url)
        assert "stored long ago" not in page


def test_a_new_sign_at_a_check_in_that_bears_on_inversion_asks_for_a_clinician(
    equipped: User, equipped_client: Client
) -> None:
    # The stored result (from the screen) said fine; the check-in's new leg numbness is
    # one of the inversion table's own reasons to ask a clinician first.
    check_in(equipped, leg_numbness_new="yes")
    page = _assert_cannot_log(equipped_client, equipped)
    rule = next(
        r for r in content().adjuncts.therapy("inversion").routine_flags if r.flag == "leg_numbness"
    )
    assert escape(rule.reason) in page


def test_every_problem_shows_in_one_round(equipped: User, equipped_client: Client) -> None:
    over = f"{_value('vibration', 1, 'frequency') + 5:g}"
    response = equipped_client.post(VIBRATION, vibration_post(frequency_hz=over, pain_after="12"))
    page = response.content.decode()
    assert 'id="id_frequency_hz_error"' in page and 'id="id_pain_after_error"' in page
    assert "Enter a whole number from 0 to 10." in page
    assert not DeviceSession.objects.filter(owner=equipped).exists()
