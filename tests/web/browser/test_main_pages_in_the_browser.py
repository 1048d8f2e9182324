"""The main pages for a person some weeks in: what each shows, axe, screenshots.

The journey, emergency and offline tests shoot the pages they pass through; this one
covers the rest: today, progress, the devices, one device, the safety page, the account.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from backbalance.core import api
from backbalance.web.common.content import content
from backbalance.web.journal.models import CheckIn
from backbalance.web.journal.services import record_check_in
from tests.web.browser.steps import check_page, expect_heading, log_in
from tests.web.conftest import make_person

PAIN_BY_DAY = (6, 6, 5, 5, 4, 5, 4, 3, 4, 3)


def some_weeks_of_check_ins(user: User) -> None:
    """One check-in a day for the last days, the pain slowly easing, all signs clear."""
    clear = {q.id: "no" for q in api.check_in_questions(content().red_flags)}
    for days_ago, pain in zip(range(len(PAIN_BY_DAY) * 3, 0, -3), PAIN_BY_DAY, strict=True):
        check_in = record_check_in(
            user, {"pain_now": pain, "client_token": uuid.uuid4()}, dict(clear)
        )
        CheckIn.objects.filter(pk=check_in.pk).update(at=timezone.now() - timedelta(days=days_ago))


@pytest.mark.django_db(transaction=True)
def test_the_main_pages_show_what_they_are_for(
    live_server: LiveServer, page: Page, csp_errors: list[str]
) -> None:
    page.set_default_timeout(5000)
    user = make_person("settled", "01_lower_crossed_office_worker.json")
    some_weeks_of_check_ins(user)
    log_in(page, live_server, user)
    nav = page.get_by_role("navigation", name="Main")

    page.goto(f"{live_server.url}/")
    expect_heading(page, "Hello, settled")
    check_page(page, "today")

    nav.get_by_role("link", name="Progress").click()
    expect_heading(page, "Your progress")
    expect(page.locator("main svg").first).to_be_visible()
    check_page(page, "progress")

    nav.get_by_role("link", name="Therapies").click()
    expect_heading(page, "Devices")
    cards = page.locator(".device-card")
    expect(cards.first.locator(".verdict")).to_be_visible()
    check_page(page, "therapies")
    # The example person owns no device: that is said calmly, not as a red "Not now".
    for card in cards.all():
        expect(card.get_by_text("Not in your equipment")).to_be_visible()
        expect(card.get_by_text("Not now", exact=True)).to_have_count(0)
    device_name = cards.first.locator("h2").inner_text()
    cards.first.get_by_role("link").last.click()
    expect_heading(page, device_name)
    check_page(page, "therapy-device")

    page.goto(f"{live_server.url}/safety/")
    expect_heading(page, "Your safety questions")
    check_page(page, "safety")

    nav.get_by_role("link", name="Account").click()
    expect_heading(page, "Your account")
    check_page(page, "account")
