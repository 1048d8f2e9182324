"""What helps me: next-day pain after days with each exercise or device, against days
without, as the core compares them; "not enough data yet" until there is enough."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from backbalance.core import api
from backbalance.web.checkup.models import Assessment
from backbalance.web.common.content import content
from backbalance.web.journal import services
from backbalance.web.journal.models import CheckIn
from backbalance.web.ledger.models import Provider, Visit
from backbalance.web.routine.models import RoutinePlan, Session
from backbalance.web.therapies.models import DeviceSession
from tests.web.journal.conftest import check_in_ids

URL = reverse("journal:what_helps")
EXERCISE = next(iter(content().exercises))


def _noon(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


def _seed(user: User, days: int, *, effect: float) -> tuple[list[api.DailyPain], set[date]]:
    """``days`` days of check-ins; the exercise on every other day, and on the day after
    it the pain is ``effect`` points off a gently wavering 6."""
    today = timezone.localdate()
    first = today - timedelta(days=days - 1)
    done = {first + timedelta(days=n) for n in range(0, days, 2)}
    diary: list[api.DailyPain] = []
    for n in range(days):
        day = first + timedelta(days=n)
        pain = 6 + (n % 3) - 1 + (effect if day - timedelta(days=1) in done else 0)
        diary.append(api.DailyPain(day, pain))
    screen = Assessment.objects.filter(owner=user).first()
    assert screen is not None
    calm = {question_id: "no" for question_id in check_in_ids()}
    CheckIn.objects.bulk_create(
        CheckIn(
            owner=user,
            at=_noon(reading.day),
            pain_now=int(reading.pain),
            safety=calm,
            standing_answers=screen.screening,
            level="none",
            content_version=content().version,
            client_token=uuid.uuid4(),
        )
        for reading in diary
    )
    plan = RoutinePlan.objects.create(owner=user, assessment=screen)
    Session.objects.bulk_create(
        Session(
            owner=user,
            plan=plan,
            day=day,
            items=[{"exercise": EXERCISE, "done": True}],
            client_token=uuid.uuid4(),
        )
        for day in done
    )
    return diary, done


def test_a_seeded_effect_shows_the_cores_difference_and_interval(
    owner: User, owner_client: Client
) -> None:
    diary, done = _seed(owner, 60, effect=-3)
    name = content().exercises[EXERCISE].name
    expected = api.compare_habit(name, done, diary, content().outcomes.what_helps)
    assert expected.difference is not None and expected.high is not None
    assert expected.high < 0, "the seeded effect must show clearly"
    response = owner_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert expected.says in html
    assert 'class="interval-range"' in html and 'role="img"' in html
    # Never a claim of cause: the content's words say what went together.
    assert "not what caused it" in html
    assert "style=" not in html


def test_with_few_days_it_says_not_enough_data_yet(owner: User, owner_client: Client) -> None:
    _seed(owner, 8, effect=-3)
    html = owner_client.get(URL).content.decode()
    assert "not enough data yet" in html
    assert 'class="interval-range"' not in html


def test_a_device_is_compared_too(owner: User, owner_client: Client) -> None:
    _, done = _seed(owner, 40, effect=0)
    DeviceSession.objects.bulk_create(
        DeviceSession(owner=owner, device="inversion", at=_noon(day), stage=1, tolerated=True)
        for day in sorted(done)[:3]
    )
    html = owner_client.get(URL).content.decode()
    inversion = next(t.name for t in content().adjuncts.therapies if t.id == "inversion")
    assert f"{inversion}: not enough data yet (" in html


def test_nothing_logged_yet_invites_a_check_in(owner_client: Client) -> None:
    html = owner_client.get(URL).content.decode()
    assert "Nothing to compare yet." in html


def test_only_the_owners_days_are_used(
    owner: User, owner_client: Client, stranger_client: Client
) -> None:
    _seed(owner, 60, effect=-3)
    html = stranger_client.get(URL).content.decode()
    assert "Nothing to compare yet." in html


def test_only_get_is_allowed(owner_client: Client) -> None:
    assert owner_client.post(URL).status_code == 405


@pytest.mark.django_db
def test_anonymous_is_sent_to_log_in(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("days", [20, 200])
def test_the_queries_do_not_grow_with_the_history(
    owner: User,
    owner_client: Client,
    django_assert_max_num_queries: DjangoAssertNumQueries,
    days: int,
) -> None:
    _seed(owner, days, effect=-1)
    # Session and user (2), the standing safety level (up to 7 with check-ins on record),
    # the latest check-in, the recent diary, the sessions, the device days and the
    # appointment days (5): the same for 20 days or 200.
    with django_assert_max_num_queries(14):
        response = owner_client.get(URL)
    assert response.status_code == 200


def test_appointments_are_compared_by_the_kind_of_therapy(
    owner: User, owner_client: Client
) -> None:
    _seed(owner, 30, effect=-1)
    provider = Provider.objects.create(owner=owner, name="Riverside", kind="physiotherapy")
    first = timezone.localdate() - timedelta(days=28)
    for week in range(4):
        Visit.objects.create(
            owner=owner,
            provider=provider,
            date=first + timedelta(days=7 * week),
            cost=Decimal("60"),
            pain_before=Decimal("5"),
        )
    items = owner_client.get(URL).context["items"]
    rows = {item["row"].name: item["row"] for item in items}
    assert rows["Physiotherapy"].kind == "appointment"
    # Four visits are fewer than the comparison needs: it says so rather than guess.
    assert rows["Physiotherapy"].comparison.difference is None


def test_a_long_history_is_read_from_its_recent_stretch_and_says_the_same(
    owner: User, owner_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the stretch of diary the core reads is fetched, and the page says exactly what
    the core says about the whole diary; a habit given up before that stretch still shows."""
    settings = content().outcomes.what_helps
    recent = int(settings.recent_days.value)
    diary, done = _seed(owner, recent + 90, effect=-2)
    given_up = [diary[0].day + timedelta(days=n) for n in range(0, 30, 2)]
    DeviceSession.objects.bulk_create(
        DeviceSession(owner=owner, device="inversion", at=_noon(day), stage=1, tolerated=True)
        for day in given_up
    )
    whole_core = api.what_helps
    diary_lengths: list[int] = []

    def counting(*args: Any) -> tuple[api.HabitComparison, ...]:
        diary_lengths.append(len(args[1]))
        return whole_core(*args)

    monkeypatch.setattr(api, "what_helps", counting)
    items = owner_client.get(URL).context["items"]
    assert diary_lengths and diary_lengths[0] <= recent < len(diary)
    exercise = content().exercises[EXERCISE].name
    inversion = next(t.name for t in content().adjuncts.therapies if t.id == "inversion")
    expected = whole_core({exercise: done, inversion: set(given_up)}, diary, settings)
    shown = {item["row"].name: item["row"].comparison for item in items}
    assert [shown[exercise], shown[inversion]] == list(expected)
    assert expected[0].difference is not None and expected[0].high is not None
    assert expected[0].high < 0
    assert shown[inversion].with_days == 0 and shown[inversion].difference is None


def test_the_recent_diary_starts_at_midnight_after_the_day_left_out(owner: User) -> None:
    screen = Assessment.objects.filter(owner=owner).first()
    assert screen is not None
    left_out = date(2026, 3, 1)
    first = left_out + timedelta(days=1)
    at = {
        "late on the day left out": timezone.make_aware(datetime.combine(left_out, time(23, 59))),
        "first thing next day": timezone.make_aware(datetime.combine(first, time.min)),
    }
    CheckIn.objects.bulk_create(
        CheckIn(
            owner=owner,
            at=moment,
            pain_now=pain,
            safety={question_id: "no" for question_id in check_in_ids()},
            standing_answers=screen.screening,
            level="none",
            content_version=content().version,
            client_token=uuid.uuid4(),
        )
        for pain, moment in enumerate(at.values(), start=3)
    )
    assert services.daily_pain(owner, after=left_out) == [api.DailyPain(first, 4.0)]
    assert len(services.daily_pain(owner)) == 2
