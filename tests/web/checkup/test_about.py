"""About you and your pain: the routine questions and the pain questionnaires."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings as SettingsWrapper

from backbalance.web.checkup.models import Assessment
from backbalance.web.common.content import content
from tests.web.checkup import journey
from tests.web.conftest import example_case

CASE = example_case("01_lower_crossed_office_worker.json")


def _url(assessment: Assessment) -> str:
    return reverse("checkup:about", kwargs={"pk": assessment.pk})


@pytest.mark.django_db
def test_the_owner_fills_it_in_and_it_is_stored_in_the_case_format() -> None:
    client = journey.logged_in("filler")
    assessment = journey.screened(client)
    page = client.get(_url(assessment)).content.decode()
    for name in ("minutes_per_day", "equipment", "conditions", "eases", "worsens", "pain_now"):
        assert f'name="{name}"' in page
    assert 'name="psfs_activity_5"' in page
    response = client.post(_url(assessment), journey.about_data(CASE))
    assert response["Location"] == reverse("checkup:tests", kwargs={"pk": assessment.pk})
    assessment.refresh_from_db()
    assert assessment.context is not None
    assert assessment.context["minutes_per_day"] == 20
    assert sorted(assessment.context["worsens"]) == ["sitting"]
    assert assessment.questionnaires["pain_nrs"] == CASE["questionnaires"]["pain_nrs"]
    assert assessment.questionnaires["psfs"] == CASE["questionnaires"]["psfs"]


@pytest.mark.django_db
def test_what_was_given_before_is_shown_again() -> None:
    client = journey.logged_in("returner")
    assessment = journey.about_done(client, CASE)
    page = client.get(_url(assessment)).content.decode()
    assert 'value="lifting my toddler"' in page
    assert 'value="sitting" id="id_worsens_' in page and "checked" in page


@pytest.mark.django_db
def test_bad_input_is_named_next_to_each_field_and_kept() -> None:
    client = journey.logged_in("typos")
    assessment = journey.screened(client)
    data = {
        **journey.about_data(CASE),
        "minutes_per_day": "500",
        "pain_now": "11",
        "psfs_activity_2": "",
        "psfs_rating_2": "7",
    }
    page = client.post(_url(assessment), data).content.decode()
    assert 'id="id_minutes_per_day_error"' in page
    assert "required: whole minutes from" in page  # the core's message
    assert 'value="500"' in page
    assert 'id="id_pain_now_error"' in page and "11 is out of range" in page
    assert 'id="id_psfs_activity_2_error"' in page
    assert 'value="sitting through a work meeting"' in page
    assessment.refresh_from_db()
    assert assessment.context is None


@pytest.mark.django_db
def test_the_average_pain_is_needed() -> None:
    client = journey.logged_in("no_average")
    assessment = journey.screened(client)
    data = {**journey.about_data(CASE), "pain_average": ""}
    page = client.post(_url(assessment), data).content.decode()
    assert 'id="id_pain_average_error"' in page


@pytest.mark.django_db
def test_licensed_questionnaires_are_not_shown_without_their_wording() -> None:
    client = journey.logged_in("no_licence")
    assessment = journey.screened(client)
    page = client.get(_url(assessment)).content.decode()
    licensed = [i for i in content().instruments.values() if i.licensed]
    assert licensed
    for instrument in licensed:
        assert instrument.name not in page
        assert f'name="q_{instrument.id}_1"' not in page


@pytest.fixture
def odi_wording_installed(tmp_path: Path, settings: SettingsWrapper) -> Iterator[None]:
    """A licence holder's ODI wording file, named in the setting the app reads."""
    odi = content().instruments["odi"]
    items = {item.id: f"Licensed item {n}" for n, item in enumerate(odi.items, start=1)}
    wording = tmp_path / "odi-wording.yaml"
    wording.write_text(
        json.dumps({"instrument": "odi", "licence": "Test clinic licence", "items": items})
    )
    settings.LICENSED_WORDING_FILES = [wording]
    yield
    settings.LICENSED_WORDING_FILES = []


@pytest.mark.django_db
@pytest.mark.usefixtures("odi_wording_installed")
def test_a_licensed_questionnaire_with_its_wording_installed_is_asked_and_checked() -> None:
    odi = content().instruments["odi"]
    client = journey.logged_in("licensed")
    assessment = journey.screened(client)
    page = client.get(_url(assessment)).content.decode()
    assert odi.name in page and "Licensed item 3" in page
    answers = {f"q_odi_{n}": "1" for n in range(1, len(odi.items) + 1)}
    bad = client.post(_url(assessment), {**journey.about_data(CASE), **answers, "q_odi_3": "9"})
    assert 'id="id_q_odi_3_error"' in bad.content.decode()
    assert 'value="9"' in bad.content.decode()
    client.post(_url(assessment), {**journey.about_data(CASE), **answers})
    assessment.refresh_from_db()
    assert assessment.questionnaires["odi"] == [1] * len(odi.items)


@pytest.mark.django_db
def test_before_the_screen_it_goes_back_to_the_screen() -> None:
    client = journey.logged_in("too_soon")
    assessment = journey.begin(client)
    response = client.post(_url(assessment), journey.about_data(CASE))
    assert response["Location"] == journey.screen_url(assessment.pk, 1)
    assessment.refresh_from_db()
    assert assessment.context is None


@pytest.mark.django_db
def test_a_stranger_gets_404_and_changes_nothing(stranger_client: Client) -> None:
    assessment = journey.screened(journey.logged_in("mine"))
    assert stranger_client.get(_url(assessment)).status_code == 404
    assert stranger_client.post(_url(assessment), journey.about_data(CASE)).status_code == 404
    assessment.refresh_from_db()
    assert assessment.context is None


@pytest.mark.django_db
def test_nobody_is_sent_to_log_in(owner: User) -> None:
    assessment = Assessment.objects.get(owner=owner)
    journey.assert_login_redirect(Client().get(_url(assessment)))
    journey.assert_login_redirect(Client().post(_url(assessment)))


@pytest.mark.django_db
def test_work_and_sitting_are_kept_beside_the_case_and_a_day_over_24_hours_is_named() -> None:
    client = journey.logged_in("desk")
    assessment = journey.screened(client)
    data = {**journey.about_data(CASE), "work": "desk", "sitting_hours": "30"}
    response = client.post(_url(assessment), data)
    page = response.content.decode()
    assert 'id="id_sitting_hours_error"' in page and 'value="30"' in page
    assessment.refresh_from_db()
    assert assessment.context is None
    client.post(_url(assessment), {**data, "sitting_hours": "9.5"})
    assessment.refresh_from_db()
    assert assessment.work == "desk" and float(assessment.sitting_hours or 0) == 9.5
    assert "work" not in (assessment.context or {})
    assert 'value="desk" id="id_work_0" checked' in client.get(_url(assessment)).content.decode()
