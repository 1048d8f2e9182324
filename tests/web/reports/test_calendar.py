"""The calendar page: make a private link, change the reminder time, revoke the link."""

from __future__ import annotations

import re
from datetime import time, timedelta

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from backbalance.web.ledger.models import Booking, Provider
from backbalance.web.reports.models import CalendarFeed
from tests.web.routine.conftest import check_in, plan_of

URL = reverse("reports:calendar")


def _feed_url(token: str) -> str:
    return reverse("reports:calendar_feed", args=[token])


def test_the_owner_makes_a_long_random_link_that_works(owner: User, owner_client: Client) -> None:
    plan_of(owner_client)
    assert "You have no private link now." in owner_client.get(URL).content.decode()
    response = owner_client.post(URL, {"action": "new"})
    assert response.status_code == 302
    feed = CalendarFeed.objects.get(owner=owner, revoked_at__isnull=True)
    # 32 random bytes: 43 URL-safe characters.
    assert len(feed.token) >= 43 and re.fullmatch(r"[A-Za-z0-9_-]+", feed.token)
    html = owner_client.get(URL).content.decode()
    assert f"http://testserver{_feed_url(feed.token)}" in html
    assert "Back routine" in html  # what the calendar will show
    assert Client().get(_feed_url(feed.token)).status_code == 200


def test_links_are_never_the_same(owner: User, owner_client: Client) -> None:
    tokens = set()
    for _ in range(20):
        owner_client.post(URL, {"action": "new"})
        tokens.add(CalendarFeed.objects.get(owner=owner, revoked_at__isnull=True).token)
    assert len(tokens) == 20
    # Only the newest one is live.
    assert CalendarFeed.objects.filter(owner=owner, revoked_at__isnull=True).count() == 1


def test_revoking_makes_the_old_link_404_and_a_new_one_can_be_made(
    owner: User, owner_client: Client
) -> None:
    owner_client.post(URL, {"action": "new"})
    old = CalendarFeed.objects.get(owner=owner, revoked_at__isnull=True).token
    assert Client().get(_feed_url(old)).status_code == 200
    owner_client.post(URL, {"action": "revoke"})
    assert Client().get(_feed_url(old)).status_code == 404
    assert "You have no private link now." in owner_client.get(URL).content.decode()
    owner_client.post(URL, {"action": "new"})
    new = CalendarFeed.objects.get(owner=owner, revoked_at__isnull=True).token
    assert new != old
    assert Client().get(_feed_url(new)).status_code == 200
    assert Client().get(_feed_url(old)).status_code == 404


def test_a_new_link_stops_the_old_one(owner: User, owner_client: Client) -> None:
    owner_client.post(URL, {"action": "new"})
    old = CalendarFeed.objects.get(owner=owner, revoked_at__isnull=True).token
    owner_client.post(URL, {"action": "new"})
    assert Client().get(_feed_url(old)).status_code == 404


def test_the_reminder_time_is_kept(owner: User, owner_client: Client) -> None:
    owner_client.post(URL, {"action": "new"})
    response = owner_client.post(URL, {"action": "time", "routine_time": "18:30"})
    assert response.status_code == 302
    feed = CalendarFeed.objects.get(owner=owner, revoked_at__isnull=True)
    assert feed.routine_time.strftime("%H:%M") == "18:30"
    # A new link keeps the chosen time.
    owner_client.post(URL, {"action": "new"})
    assert CalendarFeed.objects.get(owner=owner, revoked_at__isnull=True).routine_time == (
        feed.routine_time
    )


def test_a_bad_time_is_named_next_to_its_field_and_kept(owner: User, owner_client: Client) -> None:
    owner_client.post(URL, {"action": "new"})
    response = owner_client.post(URL, {"action": "time", "routine_time": "25:99"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_routine_time_error"' in html and "Enter a valid time." in html
    assert 'value="25:99"' in html
    assert CalendarFeed.objects.get(owner=owner, revoked_at__isnull=True).routine_time.hour == 8


def test_an_unknown_action_changes_nothing(owner: User, owner_client: Client) -> None:
    response = owner_client.post(URL, {"action": "delete-everything"})
    assert response.status_code == 400
    assert "Choose one of the buttons on this page." in response.content.decode()
    assert not CalendarFeed.objects.filter(owner=owner).exists()


def test_a_stranger_cannot_revoke_the_owners_link(
    owner: User, owner_client: Client, stranger_client: Client
) -> None:
    owner_client.post(URL, {"action": "new"})
    token = CalendarFeed.objects.get(owner=owner, revoked_at__isnull=True).token
    stranger_client.post(URL, {"action": "revoke"})
    assert Client().get(_feed_url(token)).status_code == 200
    assert token not in stranger_client.get(URL).content.decode()


def test_nobody_is_sent_to_log_in(db: None, client: Client) -> None:
    for response in (client.get(URL), client.post(URL, {"action": "new"})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert not CalendarFeed.objects.exists()


def test_the_page_says_why_routine_reminders_are_missing_in_an_emergency(
    owner: User, owner_client: Client
) -> None:
    plan_of(owner_client)
    owner_client.post(URL, {"action": "new"})
    check_in(owner, ces_both_legs="yes")
    html = owner_client.get(URL).content.decode()
    assert "The routine reminders are left out until your safety answers allow" in html
    assert "Back routine" not in html


def test_the_page_lists_a_booked_appointment_with_its_day_and_time(
    owner: User, owner_client: Client
) -> None:
    owner_client.post(URL, {"action": "new"})
    provider = Provider.objects.create(owner=owner, name="Physio Anna", kind="physiotherapy")
    day = timezone.localdate() + timedelta(days=5)
    Booking.objects.create(owner=owner, provider=provider, date=day, time=time(10, 30))
    html = " ".join(owner_client.get(URL).content.decode().split())
    assert "Appointment: Physio Anna (Physiotherapy)" in html
    assert f"{date_format(day, 'l j F Y')}, 10:30" in html


def test_the_page_lists_a_booked_length_as_its_end_time(owner: User, owner_client: Client) -> None:
    owner_client.post(URL, {"action": "new"})
    provider = Provider.objects.create(owner=owner, name="Physio Anna", kind="physiotherapy")
    day = timezone.localdate() + timedelta(days=5)
    Booking.objects.create(
        owner=owner, provider=provider, date=day, time=time(10, 30), length_minutes=45
    )
    html = " ".join(owner_client.get(URL).content.decode().split())
    assert f"{date_format(day, 'l j F Y')}, 10:30–11:15" in html
