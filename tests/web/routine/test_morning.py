"""The next-morning answer, asked at the next visit."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from backbalance.web.routine.models import Session
from tests.web.routine.conftest import check_in, plan_of, post_session


def a_session(client: Client, owner: User) -> Session:
    post_session(client, plan_of(client))
    return Session.objects.get(owner=owner)


def url(session: Session) -> str:
    return reverse("routine:morning", args=[session.pk])


def test_the_question_waits_for_the_next_day(owner_client: Client, owner: User) -> None:
    session = a_session(owner_client, owner)
    assert owner_client.get(reverse("routine:today")).context["day"].morning_due is None

    Session.objects.filter(pk=session.pk).update(day=session.day - timedelta(days=1))
    response = owner_client.get(reverse("routine:today"))

    assert response.context["day"].morning_due == session
    assert url(session) in response.content.decode()


def test_the_owner_answers(owner_client: Client, owner: User) -> None:
    session = a_session(owner_client, owner)

    response = owner_client.post(url(session), {"pain_next_morning": "better"})

    assert response.status_code == 302
    session.refresh_from_db()
    assert session.pain_next_morning == "better"


def test_a_much_worse_morning_turns_on_flare_up_mode_at_once(
    owner_client: Client, owner: User
) -> None:
    session = a_session(owner_client, owner)

    owner_client.post(url(session), {"pain_next_morning": "much_worse"})

    session.plan.refresh_from_db()
    assert session.plan.flare_up


def test_an_answer_off_the_scale_is_refused(owner_client: Client, owner: User) -> None:
    session = a_session(owner_client, owner)

    response = owner_client.post(url(session), {"pain_next_morning": "terrible"}, follow=True)

    assert "Please choose how your back felt" in response.content.decode()
    session.refresh_from_db()
    assert session.pain_next_morning == ""


def test_a_stranger_gets_404(owner_client: Client, owner: User, stranger_client: Client) -> None:
    session = a_session(owner_client, owner)
    assert stranger_client.post(url(session), {"pain_next_morning": "same"}).status_code == 404
    session.refresh_from_db()
    assert session.pain_next_morning == ""


def test_nobody_is_sent_to_log_in(owner_client: Client, owner: User, client: Client) -> None:
    session = a_session(owner_client, owner)
    response = client.post(url(session), {"pain_next_morning": "same"})
    assert response["Location"].startswith(reverse("accounts:login"))


def test_an_emergency_locks_the_log(owner_client: Client, owner: User) -> None:
    session = a_session(owner_client, owner)
    check_in(owner, ces_bowel_change="yes")

    response = owner_client.post(url(session), {"pain_next_morning": "same"})

    assert "data-locked" in response.content.decode()
    session.refresh_from_db()
    assert session.pain_next_morning == ""
