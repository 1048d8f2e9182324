"""The calendar feed: no login, only a live token; the .ics parses back with icalendar and
holds the routine days at the chosen time, the re-test date and the booked appointments
(who and when only, ending after their length when one is booked); the routine is left out
while an emergency stands."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import icalendar
import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from backbalance.web.ledger.models import Booking, Provider, Visit
from backbalance.web.reports.models import CalendarFeed
from backbalance.web.routine.models import RoutinePlan
from tests.web.routine.conftest import check_in, plan_of


def _url(token: str) -> str:
    return reverse("reports:calendar_feed", args=[token])


def _events(body: bytes) -> list[Any]:
    calendar = icalendar.Calendar.from_ical(body)
    return list(calendar.walk("VEVENT"))


@pytest.fixture
def feed(owner: User, owner_client: Client) -> CalendarFeed:
    plan_of(owner_client)
    return CalendarFeed.objects.create(owner=owner, routine_time=time(18, 30))


def test_the_feed_parses_back_with_the_routine_and_the_retest_date(
    owner: User, owner_client: Client, feed: CalendarFeed
) -> None:
    response = Client().get(_url(feed.token))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "no-store" in response["Cache-Control"]
    events = _events(response.content)
    routine_events = [e for e in events if str(e["uid"]).startswith("routine-")]
    assert routine_events, "the routine's days are in the calendar"
    for event in routine_events:
        start = event.decoded("dtstart")
        assert isinstance(start, datetime) and start.time() == time(18, 30)
        assert event["rrule"]["FREQ"][0] in {"DAILY", "WEEKLY"}
        assert event.decoded("duration").total_seconds() > 0
        assert str(event["summary"]).startswith("Back routine")
    # The re-test date is the routine's own, from the core.
    today = owner_client.get(reverse("routine:today")).context["routine"]
    retest = [e for e in events if str(e["uid"]).startswith("retest-")]
    assert today.retest_date is not None
    assert [e.decoded("dtstart") for e in retest] == [date.fromisoformat(today.retest_date)]
    plan = RoutinePlan.objects.get(owner=owner, active=True)
    assert all(str(plan.pk) in str(e["uid"]) for e in routine_events + retest)


def test_one_weekly_event_per_routine_day_or_one_daily_event(
    owner: User, owner_client: Client, feed: CalendarFeed
) -> None:
    routine = owner_client.get(reverse("routine:today")).context["routine"]
    planned = [day for day in routine.schedule if day]
    events = [
        e for e in _events(Client().get(_url(feed.token)).content) if "routine-" in str(e["uid"])
    ]
    if len(planned) == 7:
        assert [e["rrule"]["FREQ"][0] for e in events] == ["DAILY"]
    else:
        assert len(events) == len(planned)
        assert {e["rrule"]["FREQ"][0] for e in events} == {"WEEKLY"}


@pytest.mark.parametrize(
    "token",
    ["not-a-real-token", "x", "A" * 43, "a" * 64],
)
def test_a_wrong_token_is_404(feed: CalendarFeed, token: str) -> None:
    assert Client().get(_url(token)).status_code == 404


def test_a_revoked_token_is_404(feed: CalendarFeed) -> None:
    feed.revoked_at = timezone.now()
    feed.save()
    assert Client().get(_url(feed.token)).status_code == 404


def test_a_deactivated_account_has_no_feed(owner: User, feed: CalendarFeed) -> None:
    owner.is_active = False
    owner.save()
    assert Client().get(_url(feed.token)).status_code == 404


def test_the_feed_gives_away_no_health_detail(owner: User, feed: CalendarFeed) -> None:
    check_in(owner)
    body = Client().get(_url(feed.token)).content.decode()
    for private in ("pain", "Pain", "iliopsoas", "Female", "weak", "short"):
        assert private not in body.replace("Back routine", "")


def test_an_emergency_takes_the_routine_out_of_the_calendar(
    owner: User, feed: CalendarFeed
) -> None:
    check_in(owner, ces_both_legs="yes")
    events = _events(Client().get(_url(feed.token)).content)
    assert not [e for e in events if str(e["uid"]).startswith(("routine-", "retest-"))]


def test_no_routine_started_gives_an_empty_but_valid_calendar(owner: User) -> None:
    feed = CalendarFeed.objects.create(owner=owner)
    response = Client().get(_url(feed.token))
    assert response.status_code == 200
    assert _events(response.content) == []


def _booking(owner: User, provider: Provider, days: int, **fields: Any) -> Booking:
    return Booking.objects.create(
        owner=owner, provider=provider, date=timezone.localdate() + timedelta(days=days), **fields
    )


def test_booked_appointments_are_events_at_their_day_and_time(feed: CalendarFeed) -> None:
    owner = feed.owner
    provider = Provider.objects.create(owner=owner, name="Physio Anna", kind="physiotherapy")
    timed = _booking(owner, provider, 4, time=time(10, 30))
    all_day = _booking(owner, provider, 11)
    events = _events(Client().get(_url(feed.token)).content)
    booked = {str(e["uid"]): e for e in events if str(e["uid"]).startswith("booking-")}
    assert set(booked) == {f"booking-{timed.pk}@backbalance", f"booking-{all_day.pk}@backbalance"}
    at_time = booked[f"booking-{timed.pk}@backbalance"]
    start = at_time.decoded("dtstart")
    assert isinstance(start, datetime)
    assert timezone.localtime(start).date() == timed.date
    assert timezone.localtime(start).time() == time(10, 30)
    day_only = booked[f"booking-{all_day.pk}@backbalance"].decoded("dtstart")
    # A whole day: a date, not a moment.
    assert not isinstance(day_only, datetime) and day_only == all_day.date
    for event in booked.values():
        assert str(event["summary"]) == "Appointment: Physio Anna (Physiotherapy)"


def test_a_booked_length_ends_the_event_and_a_whole_day_stays_whole(feed: CalendarFeed) -> None:
    owner = feed.owner
    provider = Provider.objects.create(owner=owner, name="Physio Anna", kind="physiotherapy")
    timed = _booking(owner, provider, 4, time=time(10, 30), length_minutes=45)
    open_ended = _booking(owner, provider, 6, time=time(9, 0))
    # A length without a time is never stored by the form; were it there, it ends nothing.
    all_day = _booking(owner, provider, 11, length_minutes=60)
    events = _events(Client().get(_url(feed.token)).content)
    booked = {str(e["uid"]): e for e in events if str(e["uid"]).startswith("booking-")}
    event = booked[f"booking-{timed.pk}@backbalance"]
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert isinstance(end, datetime)
    assert end - start == timedelta(minutes=45)
    assert timezone.localtime(end).time() == time(11, 15)
    assert "DURATION" not in event
    assert "DTEND" not in booked[f"booking-{open_ended.pk}@backbalance"]
    whole_day = booked[f"booking-{all_day.pk}@backbalance"]
    assert "DTEND" not in whole_day
    assert not isinstance(whole_day.decoded("dtstart"), datetime)


def test_a_booked_appointment_gives_no_money_notes_or_pain_away(feed: CalendarFeed) -> None:
    owner = feed.owner
    provider = Provider.objects.create(owner=owner, name="Physio Anna", kind="physiotherapy")
    _booking(
        owner,
        provider,
        2,
        time=time(9, 0),
        cost=Decimal("87.40"),
        currency="CHF",
        notes="ask about the sciatica",
    )
    body = Client().get(_url(feed.token)).content.decode()
    assert "Physio Anna" in body
    for private in ("87.4", "CHF", "sciatica", "pain", "Pain"):
        assert private not in body.replace("Back routine", "")


def test_cancelled_bookings_and_noted_visits_are_not_reminders(feed: CalendarFeed) -> None:
    owner = feed.owner
    provider = Provider.objects.create(owner=owner, name="Physio Anna", kind="physiotherapy")
    kept = _booking(owner, provider, 3)
    _booking(owner, provider, 5, status=Booking.CANCELLED)
    # A visit is noted once it has happened: it is no reminder of anything.
    Visit.objects.create(
        owner=owner,
        provider=provider,
        date=timezone.localdate(),
        cost=Decimal("60"),
        pain_before=Decimal("5"),
    )
    events = _events(Client().get(_url(feed.token)).content)
    appointments = [e for e in events if "Physio Anna" in str(e["summary"])]
    assert [str(e["uid"]) for e in appointments] == [f"booking-{kept.pk}@backbalance"]


def test_only_the_owners_bookings_are_in_the_feed(feed: CalendarFeed, stranger: User) -> None:
    provider = Provider.objects.create(owner=stranger, name="Stranger Clinic", kind="massage")
    _booking(stranger, provider, 3)
    assert "Stranger Clinic" not in Client().get(_url(feed.token)).content.decode()
