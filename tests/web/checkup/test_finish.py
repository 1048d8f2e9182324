"""The finish step, and the whole walk from a fresh user to the results."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from backbalance.core import api
from backbalance.web.checkup.models import Assessment
from backbalance.web.common.content import content
from tests.web.checkup import journey
from tests.web.conftest import example_case, make_person

CASE = "01_lower_crossed_office_worker.json"


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_a_full_walk_gives_the_findings_the_core_gives_for_the_case() -> None:
    case = example_case(CASE)
    client = _client(make_person("walker"))
    assessment = journey.about_done(client, case)
    for test_id, readings in case["tests"].items():
        url = reverse("checkup:self_test", kwargs={"pk": assessment.pk, "test_id": test_id})
        response = client.post(url, journey.test_data(test_id, readings))
        assert response.status_code == 302, response.content.decode()
    response = client.post(reverse("checkup:finish", kwargs={"pk": assessment.pk}))
    assert response["Location"] == reverse("checkup:results", kwargs={"pk": assessment.pk})

    assessment.refresh_from_db()
    assert assessment.completed_at is not None
    assert assessment.tests == case["tests"]
    expected = api.evaluate(api.parse_case(case, content()), content())
    assert assessment.result is not None
    assert assessment.result["findings"] == api.to_jsonable(expected.findings)
    assert assessment.result["primary_imbalances"] == api.to_jsonable(expected.primary_imbalances)
    assert expected.findings, "the example case has findings to compare"


@pytest.mark.django_db
def test_finish_needs_a_post() -> None:
    client = _client(make_person("getter"))
    assessment = journey.about_done(client, example_case(CASE))
    assert client.get(reverse("checkup:finish", kwargs={"pk": assessment.pk})).status_code == 405
    assessment.refresh_from_db()
    assert assessment.completed_at is None


@pytest.mark.django_db
def test_a_stranger_cannot_finish_someone_elses_check_up(stranger_client: Client) -> None:
    owner = make_person("someone")
    client = _client(owner)
    assessment = journey.about_done(client, example_case(CASE))
    response = stranger_client.post(reverse("checkup:finish", kwargs={"pk": assessment.pk}))
    assert response.status_code == 404
    assessment.refresh_from_db()
    assert assessment.completed_at is None


@pytest.mark.django_db
def test_nobody_is_sent_to_log_in(owner: User) -> None:
    pk = Assessment.objects.get(owner=owner).pk
    response = Client().post(reverse("checkup:finish", kwargs={"pk": pk}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_finishing_before_about_you_goes_back_to_it() -> None:
    client = _client(make_person("early"))
    assessment = journey.screened(client)
    response = client.post(reverse("checkup:finish", kwargs={"pk": assessment.pk}))
    assert response["Location"] == reverse("checkup:about", kwargs={"pk": assessment.pk})
    assessment.refresh_from_db()
    assert assessment.completed_at is None


@pytest.mark.django_db
def test_an_emergency_check_up_cannot_be_finished() -> None:
    client = _client(make_person("emergency"))
    case = example_case("04_cauda_equina_emergency.json")
    assessment = journey.screened(client, case["screening"])
    assessment.context = {"minutes_per_day": 20, "conditions": []}
    assessment.save()
    response = client.post(reverse("checkup:finish", kwargs={"pk": assessment.pk}))
    assert response["Location"] == reverse("checkup:go_now", kwargs={"pk": assessment.pk})
    assessment.refresh_from_db()
    assert assessment.completed_at is None
