"""The go-now page, and every later step closed while an emergency stands."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from backbalance.core import api
from backbalance.web.checkup.models import Assessment
from backbalance.web.common.content import content
from backbalance.web.journal.models import CheckIn
from tests.web.checkup import journey
from tests.web.conftest import example_case


def _later_steps(pk: object) -> list[str]:
    return [
        reverse("checkup:see_a_doctor", kwargs={"pk": pk}),
        reverse("checkup:about", kwargs={"pk": pk}),
        reverse("checkup:tests", kwargs={"pk": pk}),
        reverse("checkup:self_test", kwargs={"pk": pk, "test_id": "side_bridge"}),
        reverse("checkup:finish", kwargs={"pk": pk}),
    ]


@pytest.mark.django_db
def test_the_go_now_page_says_what_to_do_and_nothing_else() -> None:
    client = journey.logged_in("help")
    assessment = journey.screened(client, journey.emergency_screening())
    page = client.get(reverse("checkup:go_now", kwargs={"pk": assessment.pk})).content.decode()
    triage = api.triage(
        api.parse_screening(journey.emergency_screening(), content()),
        api.Person(age=38, sex="female"),
        content().red_flags,
    )
    assert triage.headline in page
    for step in triage.what_to_do:
        assert step in page
    # No routine, no tests, no journey to carry on with.
    assert 'class="steps"' not in page
    assert reverse("checkup:tests", kwargs={"pk": assessment.pk}) not in page
    assert reverse("routine:today") not in page.split('id="main"')[1]


@pytest.mark.django_db
def test_later_steps_stay_closed_even_when_posted_to_directly() -> None:
    client = journey.logged_in("poster")
    assessment = journey.screened(client, journey.emergency_screening())
    go_now = reverse("checkup:go_now", kwargs={"pk": assessment.pk})
    about = journey.about_data(example_case("01_lower_crossed_office_worker.json"))
    for url in _later_steps(assessment.pk):
        assert client.get(url)["Location"] == go_now, url
        assert client.post(url, {**about, "hold_s": "40"})["Location"] == go_now, url
    assessment.refresh_from_db()
    assert assessment.context is None
    assert assessment.tests == {}
    assert assessment.completed_at is None


@pytest.mark.django_db
def test_an_emergency_at_a_check_in_closes_a_check_up_in_progress() -> None:
    client = journey.logged_in("checked_in")
    case = example_case("01_lower_crossed_office_worker.json")
    assessment = journey.about_done(client, case)
    questions = api.check_in_questions(content().red_flags)
    CheckIn.objects.create(
        owner=assessment.owner,
        at=timezone.now(),
        pain_now=4,
        safety={**{q.id: "no" for q in questions}, "ces_bowel_change": "yes"},
        standing_answers={},
        level="",
        content_version="",
    )
    go_now = reverse("checkup:go_now", kwargs={"pk": assessment.pk})
    for url in _later_steps(assessment.pk):
        assert (
            client.post(url, journey.test_data("side_bridge", case["tests"]["side_bridge"]))[
                "Location"
            ]
            == go_now
        ), url
    page = client.get(go_now).content.decode()
    assert "ces_bowel_change" not in page
    assessment.refresh_from_db()
    assert "side_bridge" not in assessment.tests


@pytest.mark.django_db
def test_without_an_emergency_the_page_sends_the_person_on(
    owner_client: Client, owner: User
) -> None:
    assessment = Assessment.objects.get(owner=owner)
    response = owner_client.get(reverse("checkup:go_now", kwargs={"pk": assessment.pk}))
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_stranger_gets_404(stranger_client: Client) -> None:
    assessment = journey.screened(journey.logged_in("private"), journey.emergency_screening())
    url = reverse("checkup:go_now", kwargs={"pk": assessment.pk})
    assert stranger_client.get(url).status_code == 404
    assert stranger_client.post(url).status_code == 404


@pytest.mark.django_db
def test_nobody_is_sent_to_log_in(owner: User) -> None:
    pk = Assessment.objects.get(owner=owner).pk
    journey.assert_login_redirect(Client().get(reverse("checkup:go_now", kwargs={"pk": pk})))
