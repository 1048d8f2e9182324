"""Today: the next step depends on where the person stands with the safety questions."""

from __future__ import annotations

from datetime import time as dt_time
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from backbalance.web.checkup.models import Assessment
from backbalance.web.ledger.models import Booking, Provider
from tests.web.conftest import make_person
from tests.web.journal.conftest import post_check_in


@pytest.mark.django_db
def test_someone_new_is_asked_to_start_with_the_safety_questions(client: Client) -> None:
    client.force_login(make_person("new"))
    page = client.get(reverse("common:home")).content.decode()
    assert reverse("checkup:start") in page
    assert reverse("routine:today") not in page.split("<main", 1)[1]


@pytest.mark.django_db
def test_after_an_emergency_only_what_to_do_now_is_offered(client: Client) -> None:
    client.force_login(make_person("urgent-care", "04_cauda_equina_emergency.json"))
    page = client.get(reverse("common:home")).content.decode()
    main = page.split("<main", 1)[1]
    assert reverse("common:safety") in main
    assert reverse("routine:today") not in main
    assert "banner-emergency" in page


def test_a_screened_person_sees_the_routine_and_the_check_in(owner_client: Client) -> None:
    main = owner_client.get(reverse("common:home")).content.decode().split("<main", 1)[1]
    assert reverse("routine:today") in main
    assert reverse("journal:check_in") in main


def test_anonymous_goes_to_log_in(client: Client) -> None:
    assert client.get(reverse("common:home"))["Location"].startswith(reverse("accounts:login"))


def test_the_last_check_in_and_an_unfinished_check_up_are_shown(
    owner_client: Client, owner: User
) -> None:
    post_check_in(owner_client, pain=6)
    main = owner_client.get(reverse("common:home")).content.decode().split("<main", 1)[1]
    assert '<span class="big-number">6</span>' in main
    assert "Finish your check-up" not in main
    Assessment.objects.create(owner=owner)  # a new check-up begun and not finished
    main = owner_client.get(reverse("common:home")).content.decode().split("<main", 1)[1]
    assert "Finish your check-up" in main


@pytest.mark.parametrize("zone", ["UTC", "Europe/Berlin", "America/Los_Angeles"])
def test_check_ins_today_are_counted_from_local_midnight_to_midnight(
    owner: User, zone: str
) -> None:
    # "Today" is the person's day, whatever the zone: a check-in a moment before local
    # midnight belongs to yesterday, one at midnight to today, and the next midnight to
    # tomorrow.
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from backbalance.web.common.dashboard import today_for
    from backbalance.web.journal.models import CheckIn

    with timezone.override(zone):
        today = timezone.localdate()
        midnight = timezone.make_aware(datetime.combine(today, time.min))
        tomorrow = timezone.make_aware(datetime.combine(today + timedelta(days=1), time.min))
        for at in (
            midnight - timedelta(microseconds=1),
            midnight,
            tomorrow - timedelta(seconds=1),
            tomorrow,
        ):
            CheckIn.objects.create(owner=owner, at=at, pain_now=3, level="none")
        assert today_for(owner).check_ins_today == 2


def _provider(owner: User, name: str = "Riverside Physio") -> Provider:
    return Provider.objects.create(owner=owner, name=name, kind="physiotherapy")


def test_the_next_appointment_is_shown_with_a_brief_to_bring(
    owner_client: Client, owner: User, stranger: User
) -> None:
    today = timezone.localdate()
    provider = _provider(owner)
    Booking.objects.create(owner=owner, provider=provider, date=today + timedelta(days=9))
    Booking.objects.create(
        owner=owner, provider=provider, date=today + timedelta(days=3), time=dt_time(10, 30)
    )
    cancelled = Booking.objects.create(
        owner=owner, provider=provider, date=today + timedelta(days=1), status=Booking.CANCELLED
    )
    theirs = _provider(stranger, "Someone Else's Clinic")
    Booking.objects.create(owner=stranger, provider=theirs, date=today + timedelta(days=1))

    main = owner_client.get(reverse("common:home")).content.decode().split("<main", 1)[1]
    assert "Your next appointment" in main
    assert "10:30" in main  # the nearest one, not the cancelled one nor the later one
    assert cancelled.date.strftime("%A") not in main.split("Your next appointment", 1)[1][:200]
    assert "Riverside Physio" in main and "Someone Else" not in main
    assert reverse("ledger:brief", kwargs={"pk": provider.pk}) in main
    assert "How did your appointment go?" not in main


def test_the_next_appointment_says_how_long_it_is(owner_client: Client, owner: User) -> None:
    day = timezone.localdate() + timedelta(days=3)
    Booking.objects.create(
        owner=owner, provider=_provider(owner), date=day, time=dt_time(10, 30), length_minutes=45
    )
    main = owner_client.get(reverse("common:home")).content.decode().split("<main", 1)[1]
    card = " ".join(main.split("Your next appointment", 1)[1].split("</section>", 1)[0].split())
    assert "10:30, 45 minutes" in card


def test_an_appointment_whose_day_has_passed_asks_how_it_went(
    owner_client: Client, owner: User
) -> None:
    today = timezone.localdate()
    provider = _provider(owner)
    passed = Booking.objects.create(owner=owner, provider=provider, date=today - timedelta(days=2))
    Booking.objects.create(owner=owner, provider=provider, date=today + timedelta(days=5))

    main = owner_client.get(reverse("common:home")).content.decode().split("<main", 1)[1]
    assert "How did your appointment go?" in main
    assert reverse("ledger:complete_booking", kwargs={"pk": passed.pk}) in main
    assert "Your next appointment" not in main  # one thing at a time

    Booking.objects.filter(pk=passed.pk).update(status=Booking.CANCELLED)
    main = owner_client.get(reverse("common:home")).content.decode().split("<main", 1)[1]
    assert "How did your appointment go?" not in main
    assert "Your next appointment" in main


def test_no_appointment_no_card(owner_client: Client) -> None:
    main = owner_client.get(reverse("common:home")).content.decode().split("<main", 1)[1]
    assert "appointment" not in main.lower()
