"""The therapist ledger in a real browser: the pages keep their security policy, pass axe,
and a visit can be noted with the keyboard-reachable form. Screenshots of each page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from backbalance.web.ledger.models import Booking, Provider, Visit
from tests.web.browser.conftest import serious_accessibility_problems, shoot
from tests.web.conftest import PASSWORD, make_person
from tests.web.ledger.conftest import example, flagged_check_in, store


def _log_in(page: Page, live_server: LiveServer, username: str) -> None:
    page.goto(f"{live_server.url}/account/log-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def _look(page: Page, name: str) -> None:
    assert serious_accessibility_problems(page) == []
    shoot(page, name)


@pytest.mark.django_db(transaction=True)
def test_the_ledger_pages_read_well_and_pass_axe(
    live_server: LiveServer, page: Page, csp_errors: list[str]
) -> None:
    person = make_person("lena", "01_lower_crossed_office_worker.json")
    improving = store(person, example("01_improving_physiotherapy.json"))
    stalled = store(person, example("02_not_meaningful_after_four_visits.json"))
    _log_in(page, live_server, "lena")

    page.goto(f"{live_server.url}/ledger/")
    expect(page.get_by_role("heading", name="Therapists", exact=True)).to_be_visible()
    expect(page.get_by_text("Improving meaningfully")).to_be_visible()
    expect(page.get_by_text("Time to review the plan")).to_be_visible()
    _look(page, "ledger-index")

    page.goto(f"{live_server.url}/ledger/therapists/{improving.pk}/")
    expect(page.get_by_role("img", name="Pain before and after each visit")).to_be_visible()
    _look(page, "ledger-improving")

    page.goto(f"{live_server.url}/ledger/therapists/{stalled.pk}/")
    expect(page.get_by_text("Time to review the plan")).to_be_visible()
    _look(page, "ledger-not-meaningful")

    page.goto(f"{live_server.url}/ledger/therapists/{stalled.pk}/brief/")
    expect(page.get_by_role("button", name="Print this page")).to_be_visible()
    _look(page, "ledger-brief")
    # On paper: the brief alone, without the menu, the footer or the print button, and
    # on a single A4 page.
    page.emulate_media(media="print")
    expect(page.locator("header.top")).to_be_hidden()
    expect(page.get_by_role("button", name="Print this page")).to_be_hidden()
    expect(page.get_by_role("heading", name="Questions to ask your therapist")).to_be_visible()
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1, "the brief prints on one page"


@pytest.mark.django_db(transaction=True)
def test_a_visit_is_noted_and_a_mistake_is_shown_next_to_its_field(
    live_server: LiveServer, page: Page, csp_errors: list[str]
) -> None:
    person: User = make_person("omar", "01_lower_crossed_office_worker.json")
    provider = Provider.objects.create(owner=person, name="Harbour Osteopathy", kind="osteopathy")
    _log_in(page, live_server, "omar")
    page.goto(f"{live_server.url}/ledger/therapists/{provider.pk}/visits/new/")
    page.get_by_label("Date of the visit").fill("2026-01-10")
    page.get_by_label("What it cost").fill("50")
    page.get_by_label("Paid back to you (insurance, employer)").fill("70")
    page.get_by_label("Back pain before the visit").fill("6")
    page.get_by_role("button", name="Save the visit").click()
    expect(page.get_by_text("is more than the cost")).to_be_visible()
    expect(page.get_by_label("Paid back to you (insurance, employer)")).to_have_value("70")
    _look(page, "ledger-visit-error")
    page.get_by_label("Paid back to you (insurance, employer)").fill("20")
    page.get_by_role("button", name="Save the visit").click()
    expect(page.get_by_role("heading", name="Harbour Osteopathy")).to_be_visible()
    assert Visit.objects.filter(provider=provider).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_warning_sign_shows_the_safety_questions_first(
    live_server: LiveServer, page: Page, csp_errors: list[str]
) -> None:
    person = make_person("ines", "01_lower_crossed_office_worker.json")
    provider = store(person, example("01_improving_physiotherapy.json"))
    flagged_check_in(person)
    _log_in(page, live_server, "ines")
    page.goto(f"{live_server.url}/ledger/therapists/{provider.pk}/")
    alert = page.get_by_role("alert").filter(has_text="Answer the safety questions first")
    expect(alert).to_be_visible()
    expect(alert.get_by_role("link", name="Answer the safety questions now")).to_be_visible()
    _look(page, "ledger-rescreen")


@pytest.mark.django_db(transaction=True)
def test_an_appointment_is_booked_ahead_then_noted_once_it_has_happened(
    live_server: LiveServer, page: Page, csp_errors: list[str]
) -> None:
    person: User = make_person("noor", "01_lower_crossed_office_worker.json")
    provider = Provider.objects.create(owner=person, name="Quayside Physio", kind="physiotherapy")
    _log_in(page, live_server, "noor")
    today = timezone.localdate()

    # Booking a day that has already gone is refused next to the date; what was typed stays.
    page.goto(f"{live_server.url}/ledger/therapists/{provider.pk}/")
    page.get_by_role("link", name="Book an appointment ahead").click()
    page.get_by_label("Date of the appointment").fill((today - timedelta(days=1)).isoformat())
    page.get_by_label("Time (optional)").fill("10:30")
    page.get_by_role("button", name="Save the booking").click()
    expect(page.locator(".errorlist")).to_be_visible()
    expect(page.get_by_label("Time (optional)")).to_have_value("10:30")
    assert not Booking.objects.filter(provider=provider).exists()

    ahead = today + timedelta(days=5)
    page.get_by_label("Date of the appointment").fill(ahead.isoformat())
    page.get_by_role("button", name="Save the booking").click()
    expect(page.get_by_text("Next:")).to_be_visible()
    expect(page.locator(".booking-next")).to_contain_text("10:30")
    _look(page, "ledger-booked")
    booking = Booking.objects.get(provider=provider)
    # Booked is not a visit: nothing is judged yet.
    assert not Visit.objects.filter(provider=provider).exists()

    # Its day comes: the page asks whether it happened, and noting it makes it a visit.
    Booking.objects.filter(pk=booking.pk).update(date=today - timedelta(days=1))
    page.reload()
    due = page.locator("section.booking-due")
    expect(due.get_by_role("heading", name="Has this appointment happened?")).to_be_visible()
    _look(page, "ledger-booking-due")
    due.get_by_role("link", name="Note how it went").click()
    expect(page.get_by_label("Date of the visit")).to_have_value(
        (today - timedelta(days=1)).isoformat()
    )
    page.get_by_label("What it cost").fill("60")
    page.get_by_label("Back pain before the visit").fill("5")
    page.get_by_role("button", name="Save the visit").click()
    expect(page.get_by_role("heading", name="Quayside Physio")).to_be_visible()
    expect(page.locator("section.booking-due")).to_have_count(0)
    assert Visit.objects.filter(provider=provider).count() == 1
    assert not Booking.objects.filter(provider=provider).exists()
