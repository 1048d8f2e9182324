"""The check-in page: stored once, judged against what stands, gates that cannot be got past."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from hypothesis import event, given, settings
from hypothesis import strategies as st

from backbalance.web.journal.forms import CheckInForm
from backbalance.web.journal.models import CheckIn, ClinicianVisit
from backbalance.web.journal.safety import current_safety
from tests.web.conftest import make_person
from tests.web.journal.conftest import check_in_form, check_in_ids, post_check_in

URL = reverse("journal:check_in")


def test_the_page_asks_every_check_in_question_with_a_fresh_token(owner_client: Client) -> None:
    response = owner_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for question_id in check_in_ids():
        assert f'name="safety_{question_id}"' in html
    for answer in ("yes", "no", "unsure"):
        assert f'value="{answer}"' in html
    for region in ("neck", "low_back", "lower_leg", "foot"):
        assert f'name="region" value="{region}"' in html
    token = response.context["form"]["client_token"].value()
    assert uuid.UUID(str(token))
    assert owner_client.get(URL).context["form"]["client_token"].value() != token


def test_each_warning_sign_is_asked_in_short_with_the_full_question_one_tap_away(
    owner_client: Client,
) -> None:
    from django.utils.html import escape

    from backbalance.core import api
    from backbalance.web.common.content import content

    html = owner_client.get(URL).content.decode()
    for question in api.check_in_questions(content().red_flags):
        assert question.check_in_wording is not None
        legend = f"<legend>{escape(question.check_in_wording)}</legend>"
        assert legend in html, question.id
        # The screen's full wording and its help follow, folded, in the same group.
        group = html.split(legend, 1)[1].split("</fieldset>", 1)[0]
        assert "<details" in group
        assert escape(question.question) in group
        if question.help:
            assert escape(question.help) in group


def test_a_calm_check_in_is_stored_with_its_standing_answers(
    owner: User, owner_client: Client
) -> None:
    response = post_check_in(
        owner_client,
        pain=4,
        region="low_back",
        side="left",
        sleep_quality="2",
        hours_sitting="6.5",
        did=["routine", "walk"],
        note="stiff after the drive",
    )
    saved = CheckIn.objects.get(owner=owner)
    assert response.status_code == 302
    assert response["Location"] == reverse("journal:check_in_done", args=[saved.pk])
    assert (saved.pain_now, saved.region, saved.side) == (4, "low_back", "left")
    assert saved.sleep_quality == 2 and str(saved.hours_sitting) == "6.5"
    assert saved.did == ["routine", "walk"] and saved.note == "stiff after the drive"
    assert saved.level == current_safety(owner).level == "none"
    # The full set stands, not only the questions a check-in asks.
    assert set(saved.standing_answers) > set(check_in_ids())
    assert saved.content_version


def test_anonymous_is_sent_to_log_in(db: None, client: Client) -> None:
    for method in (client.get, client.post):
        response = method(URL)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert not CheckIn.objects.exists()


def test_before_any_screen_the_check_in_sends_to_the_screen(db: None) -> None:
    client = Client()
    client.force_login(make_person("new"))
    for response in (client.get(URL), post_check_in(client)):
        assert response.status_code == 302
        assert response["Location"] == reverse("checkup:start")
    assert not CheckIn.objects.exists()


def test_pain_out_of_range_is_named_and_the_rest_kept(owner_client: Client) -> None:
    response = post_check_in(owner_client, pain=11, note="kept note", region="hip", side="right")
    assert response.status_code == 400
    form = response.context["form"]
    assert "0 to 10" in form.errors["pain_now"][0]
    html = response.content.decode()
    assert "kept note" in html
    assert 'value="hip" id="id_region_hip" checked' in html
    assert form["region"].value() == "hip"
    assert not CheckIn.objects.exists()


def test_an_unanswered_safety_question_is_named_next_to_it(owner_client: Client) -> None:
    response = post_check_in(
        owner_client, answers={"ces_bladder_change": "", "leg_numbness_new": "unsure"}, note="kept"
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "cannot be skipped" in form.errors["safety_ces_bladder_change"][0]
    assert list(form.errors) == ["safety_ces_bladder_change"]
    html = response.content.decode()
    assert 'id="id_safety_ces_bladder_change_error"' in html
    # What was typed is still there, the unsure answer too.
    assert form["safety_leg_numbness_new"].value() == "unsure"
    assert "kept" in html
    assert not CheckIn.objects.exists()


def test_a_form_sent_back_with_a_problem_keeps_its_token(owner: User, owner_client: Client) -> None:
    token = uuid.uuid4()
    response = post_check_in(owner_client, token=token, pain=12)
    assert response.context["form"]["client_token"].value() == str(token)
    assert f'value="{token}"' in response.content.decode()
    post_check_in(owner_client, token=token, pain=3)
    post_check_in(owner_client, token=token, pain=3)
    assert CheckIn.objects.filter(owner=owner).count() == 1


def test_an_answer_that_is_not_yes_no_or_unsure_is_refused(owner_client: Client) -> None:
    response = post_check_in(owner_client, answers={"ces_saddle_numbness": "maybe"})
    assert response.status_code == 400
    assert "safety_ces_saddle_numbness" in response.context["form"].errors
    assert not CheckIn.objects.exists()


def test_a_side_without_a_region_is_named(owner_client: Client) -> None:
    response = post_check_in(owner_client, side="left")
    assert response.status_code == 400
    assert "region" in response.context["form"].errors


def test_the_same_token_sent_twice_is_stored_once(owner: User, owner_client: Client) -> None:
    token = uuid.uuid4()
    first = post_check_in(owner_client, token=token, pain=5)
    second = post_check_in(owner_client, token=token, pain=5)
    assert CheckIn.objects.filter(owner=owner).count() == 1
    assert first["Location"] == second["Location"]


def test_a_stranger_may_reuse_a_token_without_touching_the_owners(
    owner: User, owner_client: Client, stranger: User, stranger_client: Client
) -> None:
    token = uuid.uuid4()
    post_check_in(owner_client, token=token, pain=2)
    response = post_check_in(stranger_client, token=token, pain=9)
    mine = CheckIn.objects.get(owner=stranger)
    assert response["Location"] == reverse("journal:check_in_done", args=[mine.pk])
    assert CheckIn.objects.get(owner=owner).pain_now == 2 and mine.pain_now == 9


def test_new_saddle_numbness_locks_the_routine_at_once(owner: User, owner_client: Client) -> None:
    response = post_check_in(owner_client, answers={"ces_saddle_numbness": "yes"})
    assert response.status_code == 302
    state = current_safety(owner)
    assert state.emergency and not state.routine_allowed and not state.devices_allowed
    done = owner_client.get(response["Location"])
    assert "Please get medical help now" in done.content.decode()
    routine = owner_client.get(reverse("routine:today"))
    assert "banner-emergency" in routine.content.decode()


@pytest.mark.parametrize("later", ["no", "unsure"])
def test_a_later_lower_answer_does_not_unlock_without_a_clinician(
    owner: User, owner_client: Client, later: str
) -> None:
    post_check_in(owner_client, answers={"ces_saddle_numbness": "yes"})
    post_check_in(owner_client, answers={"ces_saddle_numbness": later})
    latest = CheckIn.objects.filter(owner=owner).first()
    assert latest is not None and latest.standing_answers["ces_saddle_numbness"] == "yes"
    assert current_safety(owner).emergency


def test_after_a_clinician_visit_a_no_unlocks(owner: User, owner_client: Client) -> None:
    post_check_in(owner_client, answers={"ces_saddle_numbness": "yes"})
    owner_client.post(reverse("journal:clinician_seen"), {"seen_on": _today()})
    assert ClinicianVisit.objects.filter(owner=owner).count() == 1
    # The visit alone does not unlock: the held answer stands until the next check-in.
    assert current_safety(owner).emergency
    post_check_in(owner_client, answers={"ces_saddle_numbness": "no"})
    state = current_safety(owner)
    assert state.level == "none" and state.routine_allowed and state.devices_allowed
    assert "banner-emergency" not in owner_client.get(reverse("routine:today")).content.decode()


def test_an_unsure_answer_is_never_read_as_no(owner: User, owner_client: Client) -> None:
    for question_id in check_in_ids():
        CheckIn.objects.filter(owner=owner).delete()
        post_check_in(owner_client, answers={question_id: "unsure"})
        saved = CheckIn.objects.get(owner=owner)
        assert saved.standing_answers[question_id] == "unsure"
        assert saved.level != "none", question_id
    # Even after a clinician visit, unsure replaces a yes as unsure, never as no.
    post_check_in(owner_client, answers={"ces_saddle_numbness": "yes"})
    owner_client.post(reverse("journal:clinician_seen"), {"seen_on": _today()})
    post_check_in(owner_client, answers={"ces_saddle_numbness": "unsure"})
    assert current_safety(owner).emergency


def test_a_post_cannot_smuggle_a_full_screen_answer(owner: User, owner_client: Client) -> None:
    response = owner_client.post(URL, check_in_form(safety_cancer_history="no", screening="x"))
    # Unknown fields are ignored: only the check-in questions reach the core.
    assert response.status_code == 302
    saved = CheckIn.objects.get(owner=owner)
    assert set(saved.safety) == set(check_in_ids())


def _today() -> str:
    from django.utils import timezone

    return timezone.localdate().isoformat()


def test_a_check_in_stored_under_other_content_is_read_without_failing(
    owner: User, owner_client: Client
) -> None:
    """Content that adds a check-in question made the replay of an older check-in fail,
    and with it every page of that person. The older check-in is now fitted: a question
    it did not ask keeps what stood, and its own signs still count."""
    post_check_in(owner_client, answers={"leg_numbness_new": "yes"})
    old = CheckIn.objects.get(owner=owner)
    # As if stored before ces_both_legs was asked at check-ins, when the back-pain
    # question was: a yes there must still count.
    del old.safety["ces_both_legs"]
    old.safety["leg_pain_below_knee"] = "yes"
    CheckIn.objects.filter(pk=old.pk).update(safety=old.safety, content_version="older")
    assert owner_client.get(reverse("common:home")).status_code == 200
    state = current_safety(owner)
    assert state.answers["leg_numbness_new"] == "yes"
    assert state.answers["leg_pain_below_knee"] == "yes"
    assert state.answers["ces_both_legs"] == "no"
    old.refresh_from_db()
    assert old.content_version != "older" and old.level == state.level


# --------------------------------------------------------------------------- one answer for all


def _none_of_these(answers: dict[str, str] | None = None, **extra: Any) -> dict[str, Any]:
    """A check-in where the person said none of the signs is happening, leaving every
    question untouched except those in ``answers``."""
    untouched = {question_id: "" for question_id in check_in_ids()}
    return check_in_form(answers=untouched | (answers or {}), **({"warning_signs": "none"} | extra))


def test_none_of_these_answers_every_untouched_sign_no(owner: User, owner_client: Client) -> None:
    response = owner_client.post(URL, _none_of_these())
    assert response.status_code == 302
    saved = CheckIn.objects.get(owner=owner)
    assert saved.safety == {question_id: "no" for question_id in check_in_ids()}
    assert saved.level == current_safety(owner).level == "none"


@pytest.mark.parametrize("given", ["yes", "unsure"])
def test_none_of_these_never_overrides_an_answer_given_next_to_a_sign(
    owner: User, owner_client: Client, given: str
) -> None:
    # Said "none" at the top, then marked one sign: the sign counts, on the safe side.
    response = owner_client.post(URL, _none_of_these({"ces_saddle_numbness": given}))
    assert response.status_code == 302
    saved = CheckIn.objects.get(owner=owner)
    assert saved.safety["ces_saddle_numbness"] == given
    assert current_safety(owner).emergency
    assert not current_safety(owner).routine_allowed


def test_saying_nothing_about_the_signs_is_named_and_nothing_is_stored(
    owner_client: Client,
) -> None:
    response = owner_client.post(
        URL, _none_of_these(warning_signs="", note="kept note", region="hip", side="left")
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert list(form.errors) == ["warning_signs"]
    assert "none, or answer each one" in form.errors["warning_signs"][0]
    html = response.content.decode()
    assert 'id="id_warning_signs_error"' in html and "kept note" in html
    assert form["region"].value() == "hip"
    assert not CheckIn.objects.exists()


def test_yes_or_not_sure_at_the_top_still_needs_each_sign_answered(owner_client: Client) -> None:
    response = owner_client.post(
        URL, _none_of_these({"ces_saddle_numbness": "no"}, warning_signs="each")
    )
    assert response.status_code == 400
    missing = {name.removeprefix("safety_") for name in response.context["form"].errors}
    assert missing == set(check_in_ids()) - {"ces_saddle_numbness"}
    assert not CheckIn.objects.exists()


def test_an_unknown_answer_for_all_is_refused(owner_client: Client) -> None:
    response = owner_client.post(URL, _none_of_these(warning_signs="all_fine"))
    assert response.status_code == 400
    assert "warning_signs" in response.context["form"].errors
    assert not CheckIn.objects.exists()


def test_the_signs_read_as_one_list_before_the_one_answer(owner_client: Client) -> None:
    html = owner_client.get(URL).content.decode()
    listed = html.split('<ul class="sign-list">', 1)[1].split("</ul>", 1)[0]
    assert listed.count("<li>") == len(check_in_ids())
    assert html.index('class="sign-list"') < html.index('name="warning_signs"')
    assert html.index('name="warning_signs"') < html.index("data-each-sign")


@settings(max_examples=80, deadline=None)
@given(
    overall=st.sampled_from(["none", "each", ""]),
    all_untouched=st.booleans(),
    calm=st.lists(st.sampled_from(["", "no"]), min_size=10, max_size=10),
    raised=st.dictionaries(st.integers(0, 9), st.sampled_from(["yes", "unsure"]), max_size=2),
)
def test_one_answer_for_all_only_fills_untouched_signs_with_no(
    overall: str, all_untouched: bool, calm: list[str], raised: dict[int, str]
) -> None:
    """Whatever the one answer says, a sign answered next to it is passed on as given; an
    untouched sign becomes "no" only after "none of these", and is otherwise left for the
    core to name as missing."""
    ids = check_in_ids()
    answers = ["" for _ in calm] if all_untouched else list(calm)
    for index, value in raised.items():
        answers[index % len(ids)] = value
    given_answers = dict(zip(ids, answers, strict=False))
    form = CheckInForm(check_in_form(answers=given_answers, warning_signs=overall))
    if not form.is_valid():
        event("refused: nothing said about the signs")
        assert overall == "" and not any(given_answers.values())
        return
    passed = form.safety_answers()
    for question_id in ids:
        typed = given_answers.get(question_id, "")
        if typed:
            assert passed[question_id] == typed
        elif overall == "none":
            assert passed[question_id] == "no"
        else:
            assert question_id not in passed
    marked = "a sign marked yes or unsure" if raised else "no sign marked"
    event(f"one answer {overall or 'not given'}; {marked}")


# --------------------------------------------------------------------------- where it hurts


def test_the_first_check_in_shows_the_body_map_open(owner_client: Client) -> None:
    html = owner_client.get(URL).content.decode()
    assert 'class="place"' not in html
    assert (
        'name="region" value="low_back"' in html
        and " checked" not in html.split('name="region" value="low_back"', 1)[1].split(">", 1)[0]
    )


def test_where_it_hurt_last_time_is_offered_folded_and_can_be_changed(
    owner: User, owner_client: Client
) -> None:
    post_check_in(owner_client, region="hip", side="right")
    post_check_in(owner_client)  # a check-in without a place does not clear the offer
    response = owner_client.get(URL)
    html = response.content.decode()
    assert response.context["form"]["region"].value() == "hip"
    assert 'value="hip" id="id_region_hip" checked' in html
    assert '<details class="place">' in html
    summary = html.split('<details class="place">', 1)[1].split("</summary>", 1)[0]
    assert "Hip" in summary and "Right" in summary
    # Changed this time: stored as changed.
    post_check_in(owner_client, region="low_back", side="both")
    assert CheckIn.objects.filter(owner=owner).first().region == "low_back"  # type: ignore[union-attr]


def test_a_place_problem_opens_the_body_map(owner_client: Client) -> None:
    post_check_in(owner_client, region="hip", side="right")
    response = post_check_in(owner_client, region="hip", side="")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="place"' not in html and "side" in response.context["form"].errors


def test_another_persons_place_is_never_offered(
    owner_client: Client, stranger_client: Client
) -> None:
    post_check_in(owner_client, region="neck", side="left")
    assert stranger_client.get(URL).context["form"]["region"].value() in (None, "")


# --------------------------------------------------------------------------- a sign that stands


def test_while_a_sign_stands_each_question_is_asked_on_its_own(
    owner: User, owner_client: Client
) -> None:
    post_check_in(owner_client, answers={"leg_numbness_new": "unsure"})
    page = owner_client.get(URL)
    assert "warning_signs" not in page.context["form"].fields
    html = page.content.decode()
    assert 'name="warning_signs"' not in html and "data-each-sign" not in html
    assert "each is asked on its own until all are no again" in html
    # "None of these" sent anyway (an old page, or by hand) clears nothing and is refused.
    before = CheckIn.objects.filter(owner=owner).count()
    response = owner_client.post(URL, _none_of_these())
    assert response.status_code == 400
    assert "safety_leg_numbness_new" in response.context["form"].errors
    assert CheckIn.objects.filter(owner=owner).count() == before
    assert current_safety(owner).answers["leg_numbness_new"] == "unsure"


def test_once_every_sign_is_no_again_the_one_answer_comes_back(owner_client: Client) -> None:
    post_check_in(owner_client, answers={"leg_numbness_new": "unsure"})
    # A lower answer replaces a sign only after a clinician has seen the person.
    post_check_in(owner_client)
    assert "warning_signs" not in owner_client.get(URL).context["form"].fields
    owner_client.post(reverse("journal:clinician_seen"), {"seen_on": _today()})
    post_check_in(owner_client)  # each answered no, one by one
    assert "warning_signs" in owner_client.get(URL).context["form"].fields


def test_a_sign_standing_from_the_screen_also_asks_each_question(db: None) -> None:
    from backbalance.web.checkup.models import Assessment

    person = make_person("unsure-at-screen", "01_lower_crossed_office_worker.json")
    screen = Assessment.objects.get(owner=person)
    screen.screening = {**screen.screening, "leg_numbness_new": "unsure"}
    screen.save()
    client = Client()
    client.force_login(person)
    assert "warning_signs" not in client.get(URL).context["form"].fields
