"""An emergency answer, at a check-in or in the safety screen, closes what comes after it.

The person is sent to a page that says to get help now, and the routine, the player, the
self-tests and the devices stay shut however the person tries to reach them afterwards.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from backbalance.web.checkup.models import Assessment
from backbalance.web.journal.models import CheckIn
from backbalance.web.routine.models import Session
from tests.web.browser.steps import (
    answer_about_age_and_sex,
    answer_every_question,
    check_page,
    log_in,
)
from tests.web.conftest import make_person

CASE = "01_lower_crossed_office_worker.json"
ROUTINE_LOCKED = "Your routine is paused"


@pytest.mark.django_db(transaction=True)
def test_saddle_numbness_at_a_check_in_locks_the_routine_and_the_devices(
    live_server: LiveServer, page: Page, csp_errors: list[str]
) -> None:
    page.set_default_timeout(5000)
    user = make_person("numb", CASE)
    log_in(page, live_server, user)
    page.goto(f"{live_server.url}/routine/")
    player_link = page.get_by_role("link", name="Start today's session")
    expect(player_link).to_be_visible()
    player_url = f"{live_server.url}{player_link.get_attribute('href')}"

    page.goto(f"{live_server.url}/journal/check-in/")
    page.locator(".pain-scale label", has=page.locator("input[value='4']")).click()
    page.get_by_text("Yes, or I am not sure").click()
    for question in page.locator(".safety-question").all():
        answer = "yes" if question.locator("[name=safety_ces_saddle_numbness]").count() else "no"
        question.locator("label", has=page.locator(f"input[value={answer}]")).click()
    assert page.locator("input[name=safety_ces_saddle_numbness][value=yes]").is_checked()
    page.get_by_role("button", name="Save check-in").click()

    expect(page.get_by_role("heading", level=1)).to_have_id("go-now")
    expect(page.get_by_text("Your routine and the devices are locked for now.")).to_be_visible()
    assert CheckIn.objects.get(owner=user).level == "emergency"
    check_page(page, "check-in-emergency")

    page.get_by_role("navigation").get_by_role("link", name="Routine").click()
    expect(page.get_by_role("heading", name=ROUTINE_LOCKED)).to_be_visible()
    expect(page.get_by_role("link", name="Start today's session")).to_have_count(0)
    check_page(page, "routine-locked")

    # Straight to the player's address: still the locked page, no session form.
    page.goto(player_url)
    expect(page.get_by_role("heading", name=ROUTINE_LOCKED)).to_be_visible()
    expect(page.locator("[data-player]")).to_have_count(0)
    assert not Session.objects.filter(owner=user).exists()

    page.get_by_role("navigation").get_by_role("link", name="Therapies").click()
    cards = page.locator(".device-card")
    expect(cards.first).to_be_visible()
    for card in cards.all():
        expect(card.get_by_text("You cannot log sessions on this device now.")).to_be_visible()
        expect(card.get_by_text("Open to you")).to_have_count(0)
        expect(card.get_by_text("Not now", exact=True)).to_be_visible()
    check_page(page, "therapies-blocked")


@pytest.mark.django_db(transaction=True)
def test_an_emergency_answer_in_the_safety_screen_shows_go_now_and_keeps_later_steps_shut(
    live_server: LiveServer, page: Page, csp_errors: list[str]
) -> None:
    page.set_default_timeout(5000)
    user = make_person("urgentcase")
    log_in(page, live_server, user)
    page.goto(f"{live_server.url}/checkup/")
    answer_about_age_and_sex(page)
    answer_every_question(page, "No")
    saddle = page.locator("fieldset", has=page.locator("[name=ces_saddle_numbness]"))
    saddle.locator("label", has=page.locator("input[value=yes]")).click()
    page.get_by_role("button", name="Next").click()

    expect(page).to_have_url(f"{live_server.url}/checkup/{Assessment.objects.get().pk}/go-now/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="What to do now")).to_be_visible()
    check_page(page, "screen-go-now")

    pk = Assessment.objects.get(owner=user).pk
    for later in (f"/checkup/{pk}/about/", f"/checkup/{pk}/tests/", "/checkup/"):
        page.goto(f"{live_server.url}{later}")
        expect(page).to_have_url(f"{live_server.url}/checkup/{pk}/go-now/")
    page.goto(f"{live_server.url}/checkup/{pk}/tests/mcgill_flexor/")
    expect(page.get_by_role("button", name="Save this test")).to_have_count(0)
    page.goto(f"{live_server.url}/routine/")
    expect(page.get_by_role("link", name="Start today's session")).to_have_count(0)
    expect(page.get_by_role("heading", name=ROUTINE_LOCKED)).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_an_urgent_answer_in_the_safety_screen_says_see_a_doctor_and_lets_the_person_go_on(
    live_server: LiveServer, page: Page, csp_errors: list[str]
) -> None:
    page.set_default_timeout(5000)
    user = make_person("pastcancer")
    log_in(page, live_server, user)
    page.goto(f"{live_server.url}/checkup/")
    answer_about_age_and_sex(page)
    while "/safety/" in page.url:
        answer_every_question(page, "No")
        past_cancer = page.locator("fieldset", has=page.locator("[name=cancer_history]"))
        if past_cancer.count():
            past_cancer.locator("label", has=page.locator("input[value=yes]")).click()
        page.get_by_role("button", name="Next").click()

    pk = Assessment.objects.get(owner=user).pk
    expect(page).to_have_url(f"{live_server.url}/checkup/{pk}/see-a-doctor/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("doctor")
    # Why the self-tests are off is said once, not twice in a row.
    still = page.locator("section.card", has_text="What you can still do here")
    expect(still.locator("li")).to_have_count(1)
    assert still.inner_text().count("until a doctor has seen you") == 1
    check_page(page, "screen-see-a-doctor")
    page.get_by_role("link", name="Go on to about you").click()
    expect(page.get_by_role("heading", name="About you and your pain")).to_be_visible()
