"""The re-test chooser: the whole battery or chosen tests, the screen asked again, the
emergency gate kept, and the guards."""

from __future__ import annotations

import re
import uuid

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from backbalance.web.checkup.models import Assessment
from backbalance.web.common.content import content
from tests.web.checkup import journey
from tests.web.journal.conftest import post_check_in


def _url(assessment: Assessment) -> str:
    return reverse("checkup:retest", kwargs={"pk": assessment.pk})


def _finished(user: User) -> Assessment:
    return Assessment.objects.get(owner=user)


def test_the_results_page_offers_a_re_test(owner: User, owner_client: Client) -> None:
    previous = _finished(owner)
    html = owner_client.get(reverse("checkup:results", kwargs={"pk": previous.pk})).content
    assert _url(previous).encode() in html


def test_the_chooser_lists_every_test_and_marks_the_ones_done(
    owner: User, owner_client: Client
) -> None:
    previous = _finished(owner)
    html = owner_client.get(_url(previous)).content.decode()
    for test in content().tests.values():
        assert f'value="{test.id}"' in html
    assert html.count("done last time") == len(previous.tests)
    assert "style=" not in html


def test_the_whole_battery_starts_with_the_safety_screen_again(
    owner: User, owner_client: Client
) -> None:
    previous = _finished(owner)
    response = owner_client.post(_url(previous), {"scope": "all"})
    retest = Assessment.objects.get(owner=owner, retest_of=previous)
    assert response["Location"] == journey.screen_url(retest.pk, 1)
    # The screen is never carried over; age and sex and the routine answers are.
    assert retest.screening == {} and retest.screened_at is None
    assert retest.person == previous.person and retest.context == previous.context
    assert retest.tests == {} and retest.skipped_tests == [] and retest.chosen_tests == []
    # No page after the screen opens before it is answered again.
    for name in ("about", "tests"):
        page = owner_client.get(reverse(f"checkup:{name}", kwargs={"pk": retest.pk}))
        assert "/safety/" in page["Location"] and str(retest.pk) in page["Location"]


def test_chosen_tests_leave_the_others_skipped_and_carry_the_psfs_activities_unrated(
    owner: User, owner_client: Client
) -> None:
    previous = _finished(owner)
    owner_client.post(
        _url(previous), {"scope": "some", "tests": ["side_bridge", "modified_thomas"]}
    )
    retest = Assessment.objects.get(owner=owner, retest_of=previous)
    assert retest.chosen_tests == ["modified_thomas", "side_bridge"]
    assert set(retest.skipped_tests) == set(content().tests) - {"modified_thomas", "side_bridge"}
    journey.answer_screen(owner_client, retest.pk, retest.person, journey.all_no())
    about = owner_client.get(reverse("checkup:about", kwargs={"pk": retest.pk})).content.decode()
    activity = previous.questionnaires["psfs"][0]["activity"]
    assert f'value="{activity}"' in about
    # The earlier rating is not filled in: it must be given again.
    assert 'name="psfs_rating_1" value=' not in about


def test_choosing_some_but_none_ticked_is_refused_next_to_the_field(
    owner: User, owner_client: Client
) -> None:
    previous = _finished(owner)
    response = owner_client.post(_url(previous), {"scope": "some"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_tests_error"' in html and "Tick at least one test" in html
    # What was chosen is kept.
    assert re.search(r'<input[^>]*value="some"[^>]*checked', html)
    assert not Assessment.objects.filter(owner=owner, retest_of=previous).exists()


def test_an_unknown_test_or_scope_is_refused(owner: User, owner_client: Client) -> None:
    previous = _finished(owner)
    assert (
        owner_client.post(_url(previous), {"scope": "some", "tests": ["made_up"]}).status_code
        == 400
    )
    assert owner_client.post(_url(previous), {"scope": "everything"}).status_code == 400
    assert not Assessment.objects.filter(owner=owner, retest_of=previous).exists()


def test_no_re_test_opens_while_an_emergency_stands(owner: User, owner_client: Client) -> None:
    previous = _finished(owner)
    post_check_in(owner_client, answers={"ces_saddle_numbness": "yes"})
    assert owner_client.get(_url(previous))["Location"] == reverse("checkup:start")
    # Posting straight to the URL does not get round it either.
    response = owner_client.post(_url(previous), {"scope": "all"})
    assert response["Location"] == reverse("checkup:start")
    assert not Assessment.objects.filter(owner=owner, retest_of=previous).exists()


def test_an_unfinished_check_up_cannot_be_re_tested(owner: User, owner_client: Client) -> None:
    unfinished = Assessment.objects.create(owner=owner)
    assert owner_client.post(_url(unfinished), {"scope": "all"})["Location"] == reverse(
        "checkup:start"
    )
    assert not Assessment.objects.filter(retest_of=unfinished).exists()


def test_a_stranger_gets_404(owner: User, stranger_client: Client) -> None:
    previous = _finished(owner)
    assert stranger_client.get(_url(previous)).status_code == 404
    assert stranger_client.post(_url(previous), {"scope": "all"}).status_code == 404
    assert stranger_client.put(_url(previous)).status_code == 404
    assert not Assessment.objects.filter(retest_of=previous).exists()


@pytest.mark.django_db
def test_an_unknown_id_is_404(owner_client: Client) -> None:
    url = reverse("checkup:retest", kwargs={"pk": uuid.uuid4()})
    assert owner_client.get(url).status_code == 404


def test_anonymous_is_sent_to_log_in(owner: User) -> None:
    journey.assert_login_redirect(Client().get(_url(_finished(owner))))
    journey.assert_login_redirect(Client().post(_url(_finished(owner)), {"scope": "all"}))


def test_a_chosen_re_test_walks_through_to_the_comparison(
    owner: User, owner_client: Client
) -> None:
    previous = _finished(owner)
    owner_client.post(_url(previous), {"scope": "some", "tests": ["modified_thomas"]})
    retest = Assessment.objects.get(owner=owner, retest_of=previous)
    journey.answer_screen(owner_client, retest.pk, retest.person, journey.all_no())
    case = {"context": previous.context, "questionnaires": previous.questionnaires}
    about = owner_client.post(
        reverse("checkup:about", kwargs={"pk": retest.pk}), journey.about_data(case)
    )
    assert about["Location"] == reverse("checkup:tests", kwargs={"pk": retest.pk})
    # Only the chosen test is left to do.
    tests_page = owner_client.get(about["Location"]).content.decode()
    thomas = reverse("checkup:self_test", kwargs={"pk": retest.pk, "test_id": "modified_thomas"})
    assert f'href="{thomas}"' in tests_page
    readings = {
        side: {**previous.tests["modified_thomas"][side], "hip_angle": 0}
        for side in ("left", "right")
    }
    done = owner_client.post(thomas, journey.test_data("modified_thomas", readings))
    assert done["Location"] == reverse("checkup:tests", kwargs={"pk": retest.pk})
    owner_client.post(reverse("checkup:finish", kwargs={"pk": retest.pk}))
    html = owner_client.get(reverse("checkup:compare", kwargs={"pk": retest.pk})).content.decode()
    # Hip angles of 12 and 10 degrees fell to 0: beyond the 4-degree error on both sides.
    assert html.count('<tr class="change-better">') >= 2
    # Only the test done both times is compared reading by reading.
    assert html.count('class="compare-test"') == 1
