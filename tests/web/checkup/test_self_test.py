"""One self-test a page: figure, steps, stopwatch, readings checked by the core."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from backbalance.web.checkup import services
from backbalance.web.checkup.models import Assessment
from backbalance.web.common.content import content
from backbalance.web.journal.safety import current_safety
from tests.web.checkup import journey
from tests.web.conftest import example_case

CASE = example_case("01_lower_crossed_office_worker.json")


def _url(assessment: Assessment, test_id: str) -> str:
    return reverse("checkup:self_test", kwargs={"pk": assessment.pk, "test_id": test_id})


@pytest.mark.django_db
def test_the_page_shows_the_figure_steps_badges_and_the_stopwatch() -> None:
    client = journey.logged_in("tester")
    assessment = journey.about_done(client, CASE)
    test = content().tests["side_bridge"]
    page = client.get(_url(assessment, "side_bridge")).content.decode()
    assert "<svg" in page and "style=" not in page
    for step in test.steps[:2]:
        assert step.split(",")[0] in page
    assert "data-stopwatch" in page and "checkup/stopwatch.js" in page
    assert "<script>" not in page
    assert 'name="left__hold_s"' in page and 'name="right__hold_s"' in page
    assert 'name="left__stopped_at_first_sag"' in page  # the validity question
    assert 'name="left__could_not_do"' in page
    assert "On your own or with a helper" in page


@pytest.mark.django_db
def test_every_test_page_renders_with_its_figure() -> None:
    client = journey.logged_in("all_tests")
    assessment = journey.about_done(client, CASE)
    for test in content().tests.values():
        response = client.get(_url(assessment, test.id))
        assert response.status_code == 200, test.id
        page = response.content.decode()
        assert "<svg" in page and 'role="img"' in page, test.id
        assert not re.search(r"\sstyle=", page), test.id


@pytest.mark.django_db
def test_readings_are_stored_in_the_case_format_and_the_next_test_follows() -> None:
    client = journey.logged_in("reader")
    assessment = journey.about_done(client, CASE)
    response = client.post(
        _url(assessment, "side_bridge"), {"left__hold_s": "45", "right__could_not_do": "pain"}
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.tests["side_bridge"] == {
        "left": {"hold_s": 45},
        "right": {"could_not_do": "pain"},
    }
    first = next(iter(content().tests))
    assert response["Location"] == _url(assessment, first)


@pytest.mark.django_db
def test_bad_readings_are_named_per_field_and_kept() -> None:
    client = journey.logged_in("typist")
    assessment = journey.about_done(client, CASE)
    response = client.post(
        _url(assessment, "side_bridge"), {"left__hold_s": "900", "right__hold_s": "abc"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_left__hold_s_error"' in page and "must be between 0 and 600 s" in page
    assert 'id="id_right__hold_s_error"' in page
    assert 'value="900"' in page and 'value="abc"' in page
    assessment.refresh_from_db()
    assert assessment.tests == {}


@pytest.mark.django_db
def test_a_missing_required_reading_is_named() -> None:
    client = journey.logged_in("forgetful")
    assessment = journey.about_done(client, CASE)
    page = client.post(_url(assessment, "mcgill_flexor"), {"note": "felt fine"}).content.decode()
    assert 'id="id_hold_s_error"' in page
    assert 'value="felt fine"' in page


@pytest.mark.django_db
def test_skip_and_come_back_later() -> None:
    client = journey.logged_in("skipper")
    assessment = journey.about_done(client, CASE)
    client.post(_url(assessment, "ober"), {"skip": "1"})
    assessment.refresh_from_db()
    assert assessment.skipped_tests == ["ober"]
    overview = client.get(reverse("checkup:tests", kwargs={"pk": assessment.pk}))
    assert "battery-skipped" in overview.content.decode()
    client.post(
        _url(assessment, "ober"), journey.test_data("ober", {"left": {"leg_rest": "below_level"}})
    )
    assessment.refresh_from_db()
    assert assessment.skipped_tests == []
    assert "ober" in assessment.tests


@pytest.mark.django_db
def test_an_unknown_test_is_404() -> None:
    client = journey.logged_in("curious")
    assessment = journey.about_done(client, CASE)
    assert client.get(_url(assessment, "no_such_test")).status_code == 404


@pytest.mark.django_db
def test_a_test_not_offered_takes_no_readings_even_when_posted_to() -> None:
    client = journey.logged_in("pregnant_tester")
    case = {**CASE, "context": {**CASE["context"], "conditions": ["pregnancy"]}}
    assessment = journey.about_done(client, case)
    offers = services.offers(assessment, current_safety(assessment.owner))
    blocked = [test_id for test_id, offer in offers.items() if not offer.offered]
    assert blocked, "pregnancy holds back some tests"
    overview = reverse("checkup:tests", kwargs={"pk": assessment.pk})
    for test_id in blocked:
        assert client.get(_url(assessment, test_id))["Location"] == overview
        response = client.post(_url(assessment, test_id), {"hold_s": "30", "left__hold_s": "30"})
        assert response["Location"] == overview
    assessment.refresh_from_db()
    assert not set(blocked) & set(assessment.tests)


@pytest.mark.django_db
def test_a_stranger_gets_404_and_stores_nothing(stranger_client: Client) -> None:
    assessment = journey.about_done(journey.logged_in("private"), CASE)
    url = _url(assessment, "side_bridge")
    assert stranger_client.get(url).status_code == 404
    assert stranger_client.post(url, {"left__hold_s": "40"}).status_code == 404
    assessment.refresh_from_db()
    assert assessment.tests == {}


@pytest.mark.django_db
def test_nobody_is_sent_to_log_in(owner: User) -> None:
    url = _url(Assessment.objects.get(owner=owner), "side_bridge")
    journey.assert_login_redirect(Client().get(url))
    journey.assert_login_redirect(Client().post(url))
