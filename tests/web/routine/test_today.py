"""Today's routine: built from the check-up through the core, behind the safety gates."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from backbalance.core import api
from backbalance.web.checkup.models import Assessment
from backbalance.web.common.content import content
from backbalance.web.routine.models import RoutinePlan, Session
from tests.web.conftest import example_case, make_person
from tests.web.routine.conftest import check_in, plan_of, post_session, session_data

URL = reverse("routine:today")


def shown_exercises(client: Client) -> list[str]:
    response = client.get(URL)
    assert response.status_code == 200
    return [view.item.exercise for view in response.context["items"]]


def test_the_owner_sees_the_routine_the_core_builds(owner_client: Client, owner: User) -> None:
    response = owner_client.get(URL)

    assert response.status_code == 200
    case = api.parse_case(example_case("01_lower_crossed_office_worker.json"), content())
    routine = api.evaluate(case, content()).routine
    assert routine is not None
    page = response.content.decode()
    assert [v.item.exercise for v in response.context["items"]] == [
        i.exercise for i in routine.items
    ]
    assert routine.phase_name in page
    for item in routine.items:
        assert content().exercises[item.exercise].steps[0].replace("'", "&#x27;") in page
    assert routine.expect_change.replace("'", "&#x27;") in page
    assert "<svg" in page
    for left_out in routine.left_out:
        assert content().exercises[left_out.exercise].name in page
    assert RoutinePlan.objects.filter(owner=owner, active=True).count() == 1


def test_a_one_sided_item_shows_more_sets_on_the_side_that_needs_it(db: None) -> None:
    person = make_person("lefty", "08_one_sided_hip_flexor_left.json")
    client = Client()
    client.force_login(person)

    response = client.get(URL)

    [item] = [
        v for v in response.context["items"] if v.item.exercise == "standing_hip_flexor_stretch"
    ]
    sets = {side.side: (side.sets, side.more) for side in item.sides}
    assert sets["left"][0] > sets["right"][0]
    assert sets["left"][1] and not sets["right"][1]
    assert "more on this side, on purpose" in response.content.decode()


def test_nobody_is_sent_to_log_in(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_no_safety_screen_yet_sends_to_the_check_up(db: None) -> None:
    person = make_person("new")
    client = Client()
    client.force_login(person)

    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == reverse("checkup:start")
    assert not RoutinePlan.objects.exists()


def test_a_screen_without_a_finished_check_up_sends_to_the_check_up(
    owner_client: Client, owner: User
) -> None:
    Assessment.objects.filter(owner=owner).update(completed_at=None)

    response = owner_client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == reverse("checkup:start")


def test_an_emergency_screen_locks_the_routine(db: None) -> None:
    person = make_person("alarm", "04_cauda_equina_emergency.json")
    client = Client()
    client.force_login(person)

    response = client.get(URL)

    assert response.status_code == 403
    assert "data-locked" in response.content.decode()
    assert reverse("common:safety") in response.content.decode()
    assert "items" not in response.context


def test_an_emergency_check_in_locks_the_routine_at_once(owner_client: Client, owner: User) -> None:
    assert shown_exercises(owner_client)
    check_in(owner, ces_saddle_numbness="yes")

    response = owner_client.get(URL)

    assert "data-locked" in response.content.decode()
    assert "Start today" not in response.content.decode()


def test_an_urgent_check_in_keeps_to_gentle_items(owner_client: Client, owner: User) -> None:
    before = shown_exercises(owner_client)
    assert any(not content().exercises[e].gentle for e in before)
    check_in(owner, leg_weakness_progressive="yes")

    after = shown_exercises(owner_client)

    assert after
    assert all(content().exercises[e].gentle for e in after)


def _questions_by_level() -> dict[str, list[tuple[str, str]]]:
    """Every (question, answer) a check-in can give, grouped by the level the core gives it."""
    case = example_case("01_lower_crossed_office_worker.json")
    person = api.parse_person(case["person"], content())
    questions = api.check_in_questions(content().red_flags)
    groups: dict[str, list[tuple[str, str]]] = {}
    for question in questions:
        for answer in ("yes", "unsure"):  # the answers that can raise a flag
            answers: dict[str, api.Answer] = {q.id: "no" for q in questions}
            answers[question.id] = answer
            level = api.triage_check_in(
                answers, case["screening"], person, content().red_flags, clinician_seen_since=False
            ).triage.level
            groups.setdefault(level, []).append((question.id, answer))
    return groups


GROUPS = _questions_by_level()


@pytest.mark.django_db
@settings(max_examples=24, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.sampled_from(sorted(GROUPS)).flatmap(lambda level: st.sampled_from(GROUPS[level])),
    st.sampled_from(["today", "player", "log"]),
)
def test_property_no_check_in_answer_gets_past_the_gates(
    flagged: tuple[str, str], where: str
) -> None:
    question, answer = flagged
    person = make_person(f"p{User.objects.count()}", "01_lower_crossed_office_worker.json")
    client = Client()
    client.force_login(person)
    plan = plan_of(client)
    # A session ready to send, made before the check-in, as a kept offline session would be.
    data = session_data(client, plan)
    level = check_in(person, **{question: answer}).level
    event(f"standing level: {level}; tried: {where}")

    if where == "today":
        response = client.get(URL)
    elif where == "player":
        response = client.get(reverse("routine:player", args=[plan.pk]))
    else:
        response = client.post(reverse("routine:player", args=[plan.pk]), data)
    page = response.content.decode()

    if level == "emergency":
        assert "data-locked" in page
        assert not Session.objects.filter(owner=person).exists()
    elif where != "log":
        shown = [view.item.exercise for view in response.context["items"]]
        assert shown
        if level == "urgent":
            assert all(content().exercises[e].gentle for e in shown)
    if level not in {"emergency", "urgent"} and where == "log":
        assert Session.objects.filter(owner=person).count() == 1
    if level == "urgent" and where == "log":
        # The form was made for the full routine; the gentle one differs: nothing stored.
        assert not Session.objects.filter(owner=person).exists()


def test_the_query_count_does_not_grow_with_the_sessions(
    owner_client: Client, owner: User, django_assert_max_num_queries: object
) -> None:
    plan = plan_of(owner_client)

    def count_for(sessions: int) -> int:
        Session.objects.filter(owner=owner).delete()
        Session.objects.bulk_create(
            Session(owner=owner, plan=plan, day=plan.created_at.date(), items=[], usual_pain=2)
            for _ in range(sessions)
        )
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert owner_client.get(URL).status_code == 200
        return len(queries)

    few, many = count_for(3), count_for(60)

    assert many == few
    with django_assert_max_num_queries(few):  # type: ignore[operator]
        owner_client.get(URL)


def test_a_session_shows_in_the_week(owner_client: Client) -> None:
    plan = plan_of(owner_client)
    post_session(owner_client, plan)

    response = owner_client.get(URL)

    assert any(day.done for day in response.context["week"])
