"""The safety screen: age and sex, then a few questions a page, each checked by the core."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from backbalance.web.checkup import services
from backbalance.web.checkup.models import Assessment
from backbalance.web.common.content import content
from tests.web.checkup import journey


@pytest.mark.django_db
def test_the_owner_sees_the_first_page_with_age_and_sex() -> None:
    client = journey.logged_in("person")
    assessment = journey.begin(client)
    page = client.get(journey.screen_url(assessment.pk, 1)).content.decode()
    assert 'name="age"' in page and 'name="sex"' in page
    assert 'class="steps"' in page and 'class="progressbar"' in page


@pytest.mark.django_db
def test_a_question_page_shows_the_contents_own_wording_with_three_big_answers() -> None:
    client = journey.logged_in("reader")
    assessment = journey.begin(client)
    client.post(journey.screen_url(assessment.pk, 1), {"age": "50", "sex": "female"})
    page = client.get(journey.screen_url(assessment.pk, 2)).content.decode()
    first = services.screen_pages()[0]
    for question in first.questions:
        assert f'name="{question.id}"' in page
        assert question.question.split(",")[0] in page
    assert page.count('class="choice"') == 3 * len(first.questions)
    assert "Not sure" in page


@pytest.mark.django_db
def test_a_stranger_gets_404_on_every_page(stranger_client: Client) -> None:
    owner = journey.logged_in("owner_of_it")
    assessment = journey.begin(owner)
    for step in range(1, services.screen_page_count() + 1):
        url = journey.screen_url(assessment.pk, step)
        assert stranger_client.get(url).status_code == 404
        assert stranger_client.post(url, {"age": "40", "sex": "male"}).status_code == 404
    assessment.refresh_from_db()
    assert assessment.person == {}


@pytest.mark.django_db
def test_nobody_is_sent_to_log_in(owner: User) -> None:
    pk = Assessment.objects.get(owner=owner).pk
    journey.assert_login_redirect(Client().get(journey.screen_url(pk, 1)))
    journey.assert_login_redirect(Client().post(journey.screen_url(pk, 1)))


@pytest.mark.django_db
def test_a_bad_age_is_named_next_to_the_field_and_kept() -> None:
    client = journey.logged_in("typo")
    assessment = journey.begin(client)
    response = client.post(journey.screen_url(assessment.pk, 1), {"age": "12", "sex": "male"})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_age_error"' in page
    assert "this app is for adults" in page  # the core's own message
    assert 'value="12"' in page
    assert 'value="male" id="id_sex_1" checked' in page
    assessment.refresh_from_db()
    assert assessment.person == {}


@pytest.mark.django_db
def test_an_unanswered_question_is_named_and_the_other_answers_kept() -> None:
    client = journey.logged_in("halfway")
    assessment = journey.begin(client)
    client.post(journey.screen_url(assessment.pk, 1), {"age": "40", "sex": "male"})
    first, *rest = services.screen_pages()[0].questions
    response = client.post(journey.screen_url(assessment.pk, 2), {q.id: "no" for q in rest})
    page = response.content.decode()
    assert f'id="id_{first.id}_error"' in page
    assert "Please answer: yes, no, or not sure if you cannot tell." in page
    for question in rest:
        assert f'value="no" id="id_{question.id}_1" checked' in page
    assessment.refresh_from_db()
    assert assessment.screening == {}


@pytest.mark.django_db
def test_an_answer_the_core_does_not_know_is_refused() -> None:
    client = journey.logged_in("odd")
    assessment = journey.begin(client)
    client.post(journey.screen_url(assessment.pk, 1), {"age": "40", "sex": "male"})
    questions = services.screen_pages()[0].questions
    data = {q.id: "no" for q in questions}
    data[questions[0].id] = "maybe"
    response = client.post(journey.screen_url(assessment.pk, 2), data)
    assert f'id="id_{questions[0].id}_error"' in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.screening == {}


@pytest.mark.django_db
def test_pages_cannot_be_skipped() -> None:
    client = journey.logged_in("skipper")
    assessment = journey.begin(client)
    response = client.post(journey.screen_url(assessment.pk, 5), {"age": "40"})
    assert response["Location"] == journey.screen_url(assessment.pk, 1)
    assert client.get(journey.screen_url(assessment.pk, 99)).status_code == 404


@pytest.mark.django_db
def test_the_last_page_sets_the_screen_and_a_calm_screen_goes_on_to_about_you() -> None:
    client = journey.logged_in("calm")
    assessment = journey.begin(client)
    response = journey.answer_screen(
        client, assessment.pk, {"age": 38, "sex": "female"}, journey.all_no()
    )
    assert response["Location"] == reverse("checkup:about", kwargs={"pk": assessment.pk})
    assessment.refresh_from_db()
    assert assessment.screened_at is not None
    assert assessment.screening == journey.all_no()


@pytest.mark.django_db
def test_a_finished_screen_cannot_be_answered_again() -> None:
    client = journey.logged_in("changer")
    assessment = journey.screened(client, journey.emergency_screening())
    page = services.screen_pages()[0]
    response = client.post(
        journey.screen_url(assessment.pk, page.number), {q.id: "no" for q in page.questions}
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.screening["ces_bladder_change"] == "yes"


@pytest.mark.django_db
def test_an_emergency_sign_goes_to_the_go_now_page_at_once() -> None:
    client = journey.logged_in("bladder")
    assessment = journey.begin(client)
    client.post(journey.screen_url(assessment.pk, 1), {"age": "40", "sex": "male"})
    first = services.screen_pages()[0]
    data = {q.id: "no" for q in first.questions}
    data["ces_bladder_change"] = "yes"
    response = client.post(journey.screen_url(assessment.pk, 2), data)
    assert response["Location"] == reverse("checkup:go_now", kwargs={"pk": assessment.pk})
    assessment.refresh_from_db()
    # The screen is complete and an emergency: the questions not reached count as not sure.
    assert assessment.screened_at is not None
    assert set(assessment.screening) == {q.id for q in content().red_flags.questions}
    assert services.triage_of(assessment).level == "emergency"
    later = services.screen_pages()[1].questions[0].id
    assert assessment.screening[later] == "unsure"
    assert later in assessment.not_reached
    assert "ces_bladder_change" not in assessment.not_reached
    # The go-now page gives only the reasons from what the person said.
    page = client.get(response["Location"]).content.decode()
    reasons = page.split("<h2>Why</h2>")[1]
    assert reasons.count("<li>") == 1


@pytest.mark.django_db
def test_an_unsure_answer_to_an_emergency_question_is_an_emergency() -> None:
    client = journey.logged_in("doubtful")
    assessment = journey.screened(client, {**journey.all_no(), "ces_saddle_numbness": "unsure"})
    assert services.triage_of(assessment).level == "emergency"
    assert client.get(reverse("checkup:start"))["Location"] == reverse(
        "checkup:go_now", kwargs={"pk": assessment.pk}
    )


@pytest.mark.django_db
def test_an_urgent_screen_goes_to_see_a_doctor() -> None:
    from tests.web.conftest import example_case

    case = example_case("05_urgent_past_cancer.json")
    client = journey.logged_in("urgent")
    assessment = journey.begin(client)
    response = journey.answer_screen(client, assessment.pk, case["person"], case["screening"])
    assert response["Location"] == reverse("checkup:see_a_doctor", kwargs={"pk": assessment.pk})
