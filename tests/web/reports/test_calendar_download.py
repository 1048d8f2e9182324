"""The calendar as a file to download: the owner's reminders, behind the login."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

import icalendar
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from backbalance.web.ledger.models import Booking, Provider
from backbalance.web.reports.models import CalendarFeed
from tests.web.routine.conftest import plan_of

URL = reverse("reports:calendar_download")


def test_the_owner_downloads_a_calendar_that_parses_back(owner: User, owner_client: Client) -> None:
    plan_of(owner_client)
    response = owner_client.get(URL)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="backbalance-reminders.ics"'
    events: list[Any] = list(icalendar.Calendar.from_ical(response.content).walk("VEVENT"))
    routine = [e for e in events if str(e["uid"]).startswith("routine-")]
    assert routine
    # Without a link the reminder time is the default, eight in the morning.
    start = routine[0].decoded("dtstart")
    assert isinstance(start, datetime) and start.time() == time(8, 0)


def test_the_download_uses_the_chosen_time(owner: User, owner_client: Client) -> None:
    plan_of(owner_client)
    CalendarFeed.objects.create(owner=owner, routine_time=time(7, 15))
    events: list[Any] = icalendar.Calendar.from_ical(owner_client.get(URL).content).walk("VEVENT")
    starts = [e.decoded("dtstart") for e in events if str(e["uid"]).startswith("routine-")]
    assert starts and all(s.time() == time(7, 15) for s in starts)


def test_the_download_holds_a_booked_appointment(owner: User, owner_client: Client) -> None:
    provider = Provider.objects.create(owner=owner, name="Back Clinic", kind="osteopathy")
    day = timezone.localdate() + timedelta(days=6)
    booking = Booking.objects.create(owner=owner, provider=provider, date=day, time=time(16, 45))
    calendar = icalendar.Calendar.from_ical(owner_client.get(URL).content)
    events: list[Any] = [
        e for e in calendar.walk("VEVENT") if str(e["uid"]) == f"booking-{booking.pk}@backbalance"
    ]
    assert len(events) == 1
    assert str(events[0]["summary"]) == "Appointment: Back Clinic (Osteopathy)"
    start = timezone.localtime(events[0].decoded("dtstart"))
    assert (start.date(), start.time()) == (day, time(16, 45))


def test_a_stranger_downloads_only_their_own(
    owner: User, owner_client: Client, stranger_client: Client
) -> None:
    plan = plan_of(owner_client)
    body = stranger_client.get(URL).content.decode()
    assert str(plan.pk) not in body


def test_nobody_is_sent_to_log_in(db: None, client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
