"""The self-test overview: done, skipped, to do, and not offered with the core's reason."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from backbalance.core import api
from backbalance.web.checkup import services
from backbalance.web.checkup.models import Assessment
from backbalance.web.common.content import content
from backbalance.web.journal.safety import current_safety
from tests.web.checkup import journey
from tests.web.conftest import example_case

CASE = example_case("01_lower_crossed_office_worker.json")


def _url(assessment: Assessment) -> str:
    return reverse("checkup:tests", kwargs={"pk": assessment.pk})


@pytest.mark.django_db
def test_the_overview_lists_every_test_with_its_state() -> None:
    client = journey.logged_in("overview")
    assessment = journey.about_done(client, CASE)
    assessment.tests = {"side_bridge": CASE["tests"]["side_bridge"]}
    assessment.skipped_tests = ["ober"]
    assessment.save()
    page = client.get(_url(assessment)).content.decode()
    for test in content().tests.values():
        assert test.name in page
    assert "battery-done" in page and "battery-skipped" in page and "battery-to_do" in page
    assert 'class="progressbar"' in page


@pytest.mark.django_db
def test_a_test_the_gates_hold_back_is_shown_as_not_offered_with_the_reason() -> None:
    client = journey.logged_in("pregnant")
    case = {**CASE, "context": {**CASE["context"], "conditions": ["pregnancy"]}}
    assessment = journey.about_done(client, case)
    expected = api.evaluate(api.parse_case({**case, "tests": {}}, content()), content()).self_tests
    held_back = [offer for offer in expected if not offer.offered]
    assert held_back, "pregnancy holds back some tests"
    page = client.get(_url(assessment)).content.decode()
    assert page.count("battery-not_offered") == len(held_back)
    for offer in held_back:
        for why in offer.why_not:
            assert why in page


@pytest.mark.django_db
def test_urgent_switches_every_test_off_and_says_so() -> None:
    urgent = example_case("05_urgent_past_cancer.json")
    client = journey.logged_in("urgent_tests")
    assessment = journey.begin(client)
    journey.answer_screen(client, assessment.pk, urgent["person"], urgent["screening"])
    client.post(reverse("checkup:about", kwargs={"pk": assessment.pk}), journey.about_data(CASE))
    page = client.get(_url(assessment)).content.decode()
    assert "switched off" in page
    assessment.refresh_from_db()
    offers = services.offers(assessment, current_safety(assessment.owner)).values()
    assert not any(offer.offered for offer in offers)
    for why in {why for offer in offers for why in offer.why_not}:
        assert why in page
    for test in content().tests.values():
        assert test.name in page
        url = reverse("checkup:self_test", kwargs={"pk": assessment.pk, "test_id": test.id})
        assert url not in page
    # Posting to a test directly stores nothing.
    url = reverse("checkup:self_test", kwargs={"pk": assessment.pk, "test_id": "side_bridge"})
    response = client.post(url, journey.test_data("side_bridge", CASE["tests"]["side_bridge"]))
    assert response["Location"] == _url(assessment)
    assessment.refresh_from_db()
    assert assessment.tests == {}


@pytest.mark.django_db
def test_before_about_you_it_goes_there_first() -> None:
    client = journey.logged_in("in_order")
    assessment = journey.screened(client)
    response = client.get(_url(assessment))
    assert response["Location"] == reverse("checkup:about", kwargs={"pk": assessment.pk})


@pytest.mark.django_db
def test_a_stranger_gets_404(stranger_client: Client) -> None:
    assessment = journey.about_done(journey.logged_in("theirs"), CASE)
    assert stranger_client.get(_url(assessment)).status_code == 404


@pytest.mark.django_db
def test_nobody_is_sent_to_log_in(owner: User) -> None:
    journey.assert_login_redirect(Client().get(_url(Assessment.objects.get(owner=owner))))
