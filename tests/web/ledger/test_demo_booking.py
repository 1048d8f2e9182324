"""The demo person has their next physiotherapy appointment booked a few days ahead, with
its length: the ledger shows it as booked, it is no visit, and the calendar holds it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from backbalance.web.demo import DEMO_USERNAME, seed_demo
from backbalance.web.ledger import services
from backbalance.web.ledger.models import Booking, Provider, Visit
from backbalance.web.reports.services import reminders

pytestmark = pytest.mark.django_db


def test_the_demo_shows_a_booked_appointment_a_few_days_ahead(client: Client) -> None:
    seed_demo()
    demo = User.objects.get(username=DEMO_USERNAME)
    booking = Booking.objects.get(owner=demo)
    assert booking.status == Booking.BOOKED and booking.time is not None
    assert booking.length_minutes is not None
    assert 0 < (booking.date - timezone.localdate()).days <= 7
    provider = Provider.objects.get(owner=demo)
    ledger = services.ledger_for(provider)
    assert ledger.booked.next == booking
    assert ledger.report is not None
    assert ledger.report.visits == Visit.objects.filter(owner=demo).count()
    client.force_login(demo)
    page = client.get(reverse("ledger:index")).content.decode()
    assert "Next:" in page
    assert f"{booking.time:%H:%M}, {booking.length_minutes} minutes" in page
    uids = [r.uid for r in reminders(demo, booking.time)]
    assert f"booking-{booking.pk}@backbalance" in uids
