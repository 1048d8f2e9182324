"""The progress page: the pain chart, the adherence calendar and the recent check-ins,
read in a fixed number of queries however long the history."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from backbalance.web.checkup.models import Assessment
from backbalance.web.common.content import content
from backbalance.web.journal.models import CheckIn
from backbalance.web.routine.models import RoutinePlan, Session
from tests.web.journal.conftest import check_in_ids, post_check_in

URL = reverse("journal:progress")


def _history(user: User, check_ins: int, *, per_day: int = 2) -> None:
    """``check_ins`` check-ins, ``per_day`` a day going back from now, and a session on
    every other day."""
    now = timezone.now()
    assessment = Assessment.objects.filter(owner=user).first()
    assert assessment is not None
    calm = {question_id: "no" for question_id in check_in_ids()}
    CheckIn.objects.bulk_create(
        CheckIn(
            owner=user,
            at=now - timedelta(days=n // per_day, hours=n % per_day),
            pain_now=(n * 7) % 11,
            safety=calm,
            standing_answers=assessment.screening,
            level="none",
            content_version=content().version,
            client_token=uuid.uuid4(),
        )
        for n in range(check_ins)
    )
    plan = RoutinePlan.objects.create(owner=user, assessment=assessment)
    today = timezone.localdate()
    Session.objects.bulk_create(
        Session(owner=user, plan=plan, day=today - timedelta(days=d), client_token=uuid.uuid4())
        for d in range(0, check_ins // per_day, 2)
    )


def test_the_owner_sees_the_chart_the_calendar_and_the_list(
    owner: User, owner_client: Client
) -> None:
    post_check_in(owner_client, pain=7, answers={"leg_numbness_new": "yes"})
    _history(owner, 40)
    html = owner_client.get(URL).content.decode()
    assert '<svg viewBox="0 0 640 300" role="img"' in html
    assert '<title id="pain-title">' in html and '<desc id="pain-desc">' in html
    assert html.count('class="day-point"') == 20
    assert 'class="rolling-line"' in html
    # Seventy days in rows of seven, each with its text.
    assert len(re.findall(r'<td class="cal-day shade-\d', html)) == 70
    assert html.count('class="cal-day shade-1') == 10
    assert "You did your routine on 10 days of the last 70." in html
    # The newest check-in first, with its level.
    assert "Mention to a clinician" in html
    assert "style=" not in html and "<style" not in html


def test_an_empty_history_invites_a_check_in(owner_client: Client) -> None:
    html = owner_client.get(URL).content.decode()
    assert "No check-ins in the last ten weeks yet." in html
    assert "<svg viewBox" not in html


def test_only_the_owners_check_ins_are_shown(
    owner: User, owner_client: Client, stranger_client: Client
) -> None:
    post_check_in(owner_client, pain=9)
    html = stranger_client.get(URL).content.decode()
    assert "No check-ins yet." in html
    assert str(CheckIn.objects.get(owner=owner).pk) not in html


def test_anonymous_is_sent_to_log_in(db: None, client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("check_ins", [5, 400])
def test_the_queries_do_not_grow_with_the_history(
    owner: User,
    owner_client: Client,
    django_assert_max_num_queries: DjangoAssertNumQueries,
    check_ins: int,
) -> None:
    _history(owner, check_ins)
    # Session and user (2), the standing safety level (5: screen, latest check-in, latest
    # clinician visit, earlier screens, an emergency check-in not yet seen), the page (3).
    with django_assert_max_num_queries(10):
        response = owner_client.get(URL)
    assert response.status_code == 200
