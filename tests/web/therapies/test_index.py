"""The devices overview: each device's verdict, evidence and stage, under the standing level."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from pytest_django import DjangoAssertNumQueries

from backbalance.web.common.content import content
from tests.web.conftest import make_person
from tests.web.therapies.conftest import check_in, days_ago, give_devices, log, set_context

URL = reverse("therapies:index")


def _therapy(device: str):  # type: ignore[no-untyped-def]
    return content().adjuncts.therapy(device)


def test_anonymous_goes_to_login(client: Client, db: None) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_owner_sees_each_device_verdict_evidence_and_stage(equipped_client: Client) -> None:
    response = equipped_client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    labels = content().adjuncts.verdict_labels
    for device in ("inversion", "vibration"):
        therapy = _therapy(device)
        assert escape(therapy.name) in page
        assert escape(therapy.evidence.grade_words) in page
        assert therapy.protocol.stages[0].name in page
    assert labels.allowed_optional_extra in page
    assert "Stage 1 of" in page


def test_without_the_devices_both_are_closed_and_say_why(owner_client: Client) -> None:
    page = owner_client.get(URL).content.decode()
    assert page.count("You cannot log sessions on this device now.") == 2
    assert content().equipment["inversion_table"].name in page
    assert content().equipment["vibration_platform"].name in page


def test_glaucoma_closes_inversion_with_its_reason(equipped: User, equipped_client: Client) -> None:
    set_context(equipped, conditions=["glaucoma"])
    page = equipped_client.get(URL).content.decode()
    rule = next(r for r in _therapy("inversion").rules if r.condition == "glaucoma")
    assert escape(rule.reason) in page
    assert content().adjuncts.verdict_labels.not_suitable in page


def test_an_emergency_at_a_check_in_closes_both_whatever_the_result_said(
    equipped: User, equipped_client: Client
) -> None:
    check_in(equipped, ces_bladder_change="yes")
    page = equipped_client.get(URL).content.decode()
    for device in ("inversion", "vibration"):
        assert escape(_therapy(device).triage_gate.emergency) in page
    assert "Stage 1 of" not in page


def test_urgent_screen_closes_both(db: None) -> None:
    person = make_person("urgent", "05_urgent_past_cancer.json")
    give_devices(person)
    client = Client()
    client.force_login(person)
    page = client.get(URL).content.decode()
    for device in ("inversion", "vibration"):
        assert escape(_therapy(device).triage_gate.urgent) in page


def test_no_check_up_yet_sends_to_the_check_up(db: None) -> None:
    person = make_person("new")
    client = Client()
    client.force_login(person)
    page = client.get(URL).content.decode()
    assert page.count("Answer the safety questions and finish your check-up first.") == 2
    assert reverse("checkup:start") in page


def test_query_count_does_not_grow_with_history(
    equipped: User, equipped_client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    equipped_client.get(URL)  # derive and store the result once
    with django_assert_max_num_queries(40) as few:
        equipped_client.get(URL)
    baseline = len(few.captured_queries)
    for n in range(200):
        log(equipped, "inversion", at=days_ago(n / 2), tolerated=n % 7 != 0)
        log(equipped, "vibration", at=days_ago(n / 2 + 0.1))
    with django_assert_max_num_queries(baseline) as many:
        response = equipped_client.get(URL)
    assert response.status_code == 200
    assert len(many.captured_queries) == baseline
