"""The whole journey in a real browser, as a new person walks it.

Sign up, the safety screen (all no), about you, two self-tests (one timed with the
in-page stopwatch, one typed in for each side) with the rest skipped, the results with
the body map, today's routine, one session in the player with its timers run on a fake
clock, and a half-minute check-in tapped on the body map. Each step checks what the
person sees, that axe finds nothing serious, and takes the screenshots.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Locator, Page, expect
from pytest_django.live_server_helper import LiveServer

from backbalance.web.checkup.models import Assessment
from backbalance.web.checkup.services import result_for
from backbalance.web.journal.models import CheckIn
from backbalance.web.routine.models import Session
from tests.web.browser.steps import (
    SIGN_UP_NAME,
    answer_about_age_and_sex,
    answer_every_question,
    check_page,
    expect_heading,
)
from tests.web.conftest import PASSWORD
from tests.web.journal.conftest import check_in_ids

TIMED_TEST = "Front trunk endurance hold (McGill flexor test)"
TYPED_TEST = "Front thigh length test, lying face down (prone knee bend)"
TYPED = {"left": ("false", "true", "8"), "right": ("false", "true", "6")}
HELD_SECONDS = 40


def sign_up(page: Page, live_server: LiveServer) -> None:
    page.goto(f"{live_server.url}/account/sign-up/")
    page.get_by_label(SIGN_UP_NAME).fill("walker")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("The same password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect_heading(page, "Start with the safety questions")


def safety_screen(page: Page) -> None:
    page.get_by_role("link", name="Start the check-up").click()
    expect_heading(page, "First, a few safety questions")
    check_page(page, "screen-age-and-sex")
    answer_about_age_and_sex(page)
    pages = 1
    while "/safety/" in page.url:
        pages += 1
        expect(
            page.get_by_text(re.compile(rf"Safety questions, page {pages} of \d+"))
        ).to_be_visible()
        if pages == 2:
            check_page(page, "screen-questions")
        answer_every_question(page, "No")
        page.get_by_role("button", name="Next").click()
    assert pages > 2, "the screen had no question pages"
    expect_heading(page, "About you and your pain")


def about_you(page: Page) -> None:
    check_page(page, "about-you")
    page.get_by_label("Minutes a day you can give to exercise").fill("20")
    page.locator("fieldset", has_text="worse").get_by_label("Sitting for a while").check()
    page.get_by_text("Moderate: somewhere in between").click()
    page.get_by_label("How much does your back hurt right now?").fill("5")
    page.locator("[name=pain_average]").fill("4")
    page.locator("[name=pain_worst]").fill("7")
    page.get_by_label("Activity 1").fill("sitting through a meeting")
    page.locator("[name=psfs_rating_1]").fill("4")
    page.get_by_role("button", name="Save and go on").click()
    expect_heading(page, "Your self-tests")


def timed_test(page: Page) -> None:
    """The stopwatch runs on the fake clock; stopping it fills the hold field."""
    check_page(page, "self-test-timed")
    page.get_by_role("button", name="Start", exact=True).click()
    page.clock.fast_forward(HELD_SECONDS * 1000)
    page.get_by_role("button", name="Stop", exact=True).click()
    hold = page.get_by_label("Hold time (seconds)")
    expect(hold).to_have_value(str(HELD_SECONDS))
    expect(page.get_by_role("status")).to_contain_text(f"{HELD_SECONDS} seconds went into")
    page.get_by_role("button", name="Save this test").click()


def tap(page: Page, name: str, value: str) -> None:
    """Choose a radio button by tapping its label, as a person does."""
    choice = page.locator(f"input[name={name}][value={value}]")
    page.locator("label", has=choice).click()
    expect(choice).to_be_checked()


def typed_test(page: Page) -> None:
    """Left and right typed in by hand."""
    expect(page.get_by_role("heading", name="Left side")).to_be_visible()
    expect(page.get_by_role("heading", name="Right side")).to_be_visible()
    check_page(page, "self-test-sides")
    for side, (reaches, lifts, gap) in TYPED.items():
        tap(page, f"{side}__heel_reaches_buttock", reaches)
        tap(page, f"{side}__buttock_lifts", lifts)
        page.locator(f"[name={side}__heel_gap_cm]").fill(gap)
    page.get_by_role("button", name="Save this test").click()


def self_tests(page: Page) -> None:
    check_page(page, "tests-overview-new")
    page.get_by_role("link", name="Start the first test").click()
    seen = 0
    while "/tests/" in page.url and page.url.rstrip("/").split("/")[-1] != "tests":
        seen += 1
        title = page.locator("main h1").inner_text()
        if title == TIMED_TEST:
            timed_test(page)
        elif title == TYPED_TEST:
            typed_test(page)
        else:
            page.get_by_role("button", name="Skip for now").click()
        assert seen < 40, "the self-tests never led back to the overview"
    expect_heading(page, "Your self-tests")
    expect(page.get_by_text("2 of ")).to_be_visible()
    rows = page.locator(".battery-row")
    expect(rows.filter(has_text=TIMED_TEST).get_by_text("Done", exact=True)).to_be_visible()
    expect(rows.filter(has_text=TYPED_TEST).get_by_text("Done", exact=True)).to_be_visible()
    expect(rows.get_by_text("Skipped for now").first).to_be_visible()
    check_page(page, "tests-overview")


def results(page: Page, user: User) -> None:
    page.get_by_role("button", name="Finish and see my results").click()
    expect_heading(page, "Your check-up results")
    expect(page.locator(".bm-svg").first).to_be_visible()
    imbalances = page.locator("section[aria-labelledby=imbalances-title] article")
    expect(imbalances.first).to_be_visible()
    assessment = Assessment.objects.get(owner=user)
    stored = assessment.tests
    assert stored["mcgill_flexor"]["hold_s"] == HELD_SECONDS
    # The first imbalance shown is the engine's first, by name.
    primary = result_for(assessment)["primary_imbalances"][0]["name"]
    expect(imbalances.first.locator("h3")).to_contain_text(primary)
    for side, (reaches, lifts, gap) in TYPED.items():
        assert stored["prone_knee_bend"][side] == {
            "heel_reaches_buttock": reaches == "true",
            "buttock_lifts": lifts == "true",
            "heel_gap_cm": int(gap),
        }
    check_page(page, "results")


def run_timer(item: Locator, page: Page) -> int:
    """Every set of one timed item on the fake clock; the number of sets run."""
    timer = item.locator("[data-timer]")
    phase = timer.locator("[data-timer-phase]")
    number = timer.locator("[data-timer-number]")
    sets = 0
    while not timer.get_by_text("All sets done").is_visible():
        side = item.locator("[data-plan-side]").first
        hold = 0 if side.get_attribute("data-reps") else int(side.get_attribute("data-hold") or 0)
        item.get_by_role("button", name="Start", exact=True).click()
        sets += 1
        if hold:
            expect(phase).not_to_have_text("Ready")
            page.clock.fast_forward((hold - 1) * 1000)
            expect(number).to_have_text("0:01")
            if sets == 1:
                check_page(page, "player-hold")
            page.clock.fast_forward(2000)
        else:
            item.get_by_role("button", name="Set done").click()
        if timer.get_by_text("All sets done").is_visible():
            break
        rest_seconds = int(float(item.get_attribute("data-rest") or 0))
        if rest_seconds:
            expect(phase).to_have_text("Rest")
            if sets == 1:
                check_page(page, "player-rest")
            page.clock.fast_forward((rest_seconds + 1) * 1000)
        expect(phase).to_have_text("Ready")
        assert sets < 20, "the timer never finished its sets"
    return sets


def session_in_the_player(page: Page, user: User) -> None:
    page.get_by_role("navigation").get_by_role("link", name="Routine").click()
    expect_heading(page, "Today's routine")
    check_page(page, "routine-today")
    page.get_by_role("link", name="Start today's session").click()
    expect_heading(page, "Today's session")
    page.get_by_label("Your usual pain these days").fill("4")
    page.get_by_role("button", name="Begin").click()

    items = page.locator("[data-step=item]")
    timed_index = None
    for n in range(items.count()):
        item = items.nth(n)
        expect(item).to_be_visible()
        sides = item.locator("[data-plan-side]")
        held_each_side = sides.count() == 2 and all(
            sides.nth(s).get_attribute("data-hold") and not sides.nth(s).get_attribute("data-reps")
            for s in range(2)
        )
        if timed_index is None and held_each_side:
            timed_index = n
            planned = {
                sides.nth(s).get_attribute("data-plan-side"): int(
                    sides.nth(s).get_attribute("data-sets") or 0
                )
                for s in range(sides.count())
            }
            ran = run_timer(item, page)
            check_page(page, "player-done")
            assert ran == sum(planned.values())
            for side, count in planned.items():
                expect(item.locator(f"[name=item{n}_sets_{side}]")).to_have_value(str(count))
            item.locator(f"[name=item{n}_pain]").fill("3")
            item.locator(f"[name=item{n}_effort]").fill("5")
            item.get_by_role("button", name="Next").click()
        else:
            item.get_by_role("button", name="Skip this one").click()
    assert timed_index is not None, "no item of the routine had a timer"
    expect(page.get_by_role("heading", name="Nearly done")).to_be_visible()
    page.get_by_role("button", name="Save this session").click()
    expect_heading(page, "Today's routine")
    session = Session.objects.get(owner=user)
    assert session.usual_pain == 4
    timed = session.items[timed_index]
    assert timed["done"] is True
    assert (timed["pain_during"], timed["effort"]) == (3, 5)
    assert timed["sets"] == planned, timed
    skipped = [item for n, item in enumerate(session.items) if n != timed_index]
    assert skipped and not any(item["done"] for item in skipped)


def check_in(page: Page, user: User) -> None:
    page.get_by_role("navigation").get_by_role("link", name="Check-in").click()
    expect_heading(page, "How is your back right now?")
    check_page(page, "check-in")
    page.locator(".pain-scale label", has=page.locator("input[value='3']")).click()
    region = page.locator(".bm-spot").first
    region_id = region.locator("input").get_attribute("value")
    region.click()
    expect(region.locator("input")).to_be_checked()
    page.locator(".bm-sides label.choice").first.click()
    # The warning signs read as one list; with none happening, one answer covers them all
    # and the one-by-one questions stay folded away.
    expect(page.locator(".sign-list li")).to_have_count(len(check_in_ids()))
    expect(page.locator(".safety-question").first).to_be_hidden()
    page.get_by_text("Yes, or I am not sure").click()
    expect(page.locator(".safety-question").first).to_be_visible()
    page.get_by_text("No, none of these").click()
    expect(page.locator(".safety-question").first).to_be_hidden()
    page.get_by_role("button", name="Save check-in").click()
    check_in = CheckIn.objects.get(owner=user)
    assert check_in.pain_now == 3
    assert check_in.region == region_id
    assert check_in.safety == {question_id: "no" for question_id in check_in_ids()}
    check_page(page, "check-in-done")


@pytest.mark.django_db(transaction=True)
def test_the_whole_journey_from_sign_up_to_a_check_in(
    live_server: LiveServer, page: Page, csp_errors: list[str]
) -> None:
    page.set_default_timeout(5000)
    page.clock.install()
    sign_up(page, live_server)
    user = User.objects.get(username="walker")
    safety_screen(page)
    about_you(page)
    self_tests(page)
    results(page, user)
    session_in_the_player(page, user)
    check_in(page, user)
