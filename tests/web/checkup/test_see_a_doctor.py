"""See a doctor within days: the check-up goes on, the self-tests are switched off."""

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

URGENT = example_case("05_urgent_past_cancer.json")


def _urgent_check_up(username: str) -> tuple[Client, Assessment]:
    client = journey.logged_in(username)
    assessment = journey.begin(client)
    journey.answer_screen(client, assessment.pk, URGENT["person"], URGENT["screening"])
    assessment.refresh_from_db()
    return client, assessment


@pytest.mark.django_db
def test_the_page_gives_the_cores_headline_and_leads_on_to_about_you() -> None:
    client, assessment = _urgent_check_up("urgent_one")
    page = client.get(
        reverse("checkup:see_a_doctor", kwargs={"pk": assessment.pk})
    ).content.decode()
    triage = api.triage(
        api.parse_screening(URGENT["screening"], content()),
        api.parse_person(URGENT["person"], content()),
        content().red_flags,
    )
    assert triage.level == "urgent"
    assert triage.headline in page
    assert "self-tests are switched off" in page
    offers = services.offers(assessment, current_safety(assessment.owner)).values()
    assert not any(offer.offered for offer in offers)
    for why in {why for offer in offers for why in offer.why_not}:
        assert why in page
    assert reverse("checkup:about", kwargs={"pk": assessment.pk}) in page


@pytest.mark.django_db
def test_resuming_an_urgent_check_up_shows_the_page_before_about_you() -> None:
    client, assessment = _urgent_check_up("urgent_two")
    response = client.get(reverse("checkup:start"))
    assert response["Location"] == reverse("checkup:see_a_doctor", kwargs={"pk": assessment.pk})


@pytest.mark.django_db
def test_a_stranger_gets_404(stranger_client: Client) -> None:
    _, assessment = _urgent_check_up("urgent_three")
    url = reverse("checkup:see_a_doctor", kwargs={"pk": assessment.pk})
    assert stranger_client.get(url).status_code == 404


@pytest.mark.django_db
def test_nobody_is_sent_to_log_in(owner: User) -> None:
    pk = Assessment.objects.get(owner=owner).pk
    url = reverse("checkup:see_a_doctor", kwargs={"pk": pk})
    journey.assert_login_redirect(Client().get(url))


@pytest.mark.django_db
def test_before_the_screen_is_done_it_goes_back_to_the_screen() -> None:
    client = journey.logged_in("early_bird")
    assessment = journey.begin(client)
    response = client.get(reverse("checkup:see_a_doctor", kwargs={"pk": assessment.pk}))
    assert response["Location"] == journey.screen_url(assessment.pk, 1)
