"""The check-up's entry point: it begins a check-up, or carries on where the person was."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from backbalance.web.checkup import services
from backbalance.web.checkup.models import Assessment
from backbalance.web.journal.models import ClinicianVisit
from tests.web.checkup import journey
from tests.web.conftest import example_case

START = reverse("checkup:start")


@pytest.mark.django_db
def test_a_fresh_person_gets_a_new_check_up_at_its_first_page() -> None:
    client = journey.logged_in("fresh")
    response = client.get(START)
    assessment = Assessment.objects.get(owner__username="fresh")
    assert response["Location"] == journey.screen_url(assessment.pk, 1)
    # Opening it again does not start a second one.
    client.get(START)
    assert Assessment.objects.filter(owner__username="fresh").count() == 1


@pytest.mark.django_db
def test_it_resumes_at_the_first_unanswered_safety_page() -> None:
    client = journey.logged_in("resumer")
    assessment = journey.begin(client)
    client.post(journey.screen_url(assessment.pk, 1), {"age": "40", "sex": "male"})
    first = services.screen_pages()[0]
    client.post(journey.screen_url(assessment.pk, 2), {q.id: "no" for q in first.questions})
    assert client.get(START)["Location"] == journey.screen_url(assessment.pk, 3)


@pytest.mark.django_db
def test_it_resumes_at_about_you_then_the_tests() -> None:
    client = journey.logged_in("later")
    assessment = journey.screened(client)
    assert client.get(START)["Location"] == reverse("checkup:about", kwargs={"pk": assessment.pk})
    journey_case = example_case("01_lower_crossed_office_worker.json")
    client.post(
        reverse("checkup:about", kwargs={"pk": assessment.pk}), journey.about_data(journey_case)
    )
    assert client.get(START)["Location"] == reverse("checkup:tests", kwargs={"pk": assessment.pk})


@pytest.mark.django_db
def test_a_finished_check_up_opens_at_its_results(owner_client: Client, owner: User) -> None:
    assessment = Assessment.objects.get(owner=owner)
    response = owner_client.get(START)
    assert response["Location"] == reverse("checkup:results", kwargs={"pk": assessment.pk})


@pytest.mark.django_db
def test_a_new_check_up_is_begun_with_a_post(owner_client: Client, owner: User) -> None:
    assert owner_client.get(reverse("checkup:new")).status_code == 405
    response = owner_client.post(reverse("checkup:new"))
    fresh = Assessment.objects.filter(owner=owner, completed_at__isnull=True).get()
    assert response["Location"] == journey.screen_url(fresh.pk, 1)


@pytest.mark.django_db
def test_an_emergency_keeps_the_person_on_the_go_now_page_until_a_clinician_has_seen_them() -> None:
    client = journey.logged_in("urgent_help")
    assessment = journey.screened(client, journey.emergency_screening())
    go_now = reverse("checkup:go_now", kwargs={"pk": assessment.pk})
    assert client.get(START)["Location"] == go_now
    # No new check-up may answer the emergency away.
    assert client.post(reverse("checkup:new"))["Location"] == START
    assert Assessment.objects.filter(owner__username="urgent_help").count() == 1
    ClinicianVisit.objects.create(
        owner=assessment.owner, seen_on=timezone.localdate(), created_at=timezone.now()
    )
    response = client.get(START)
    fresh = Assessment.objects.exclude(pk=assessment.pk).get(owner__username="urgent_help")
    assert response["Location"] == journey.screen_url(fresh.pk, 1)


@pytest.mark.django_db
def test_nobody_is_sent_to_log_in() -> None:
    journey.assert_login_redirect(Client().get(START))
    journey.assert_login_redirect(Client().post(reverse("checkup:new")))
