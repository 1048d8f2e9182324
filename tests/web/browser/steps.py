"""Steps the browser tests share: logging a persona in, answering the safety screen."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.web.browser.conftest import PHONE, serious_accessibility_problems, shoot

SIGN_UP_NAME = "A name to log in with"


def log_in(page: Page, live_server: LiveServer, user: User) -> None:
    """Give the browser a logged-in session for ``user`` (the log-in form has its own test)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def answer_about_age_and_sex(page: Page, age: int = 41, sex: str = "Female") -> None:
    page.get_by_label("Your age in years").fill(str(age))
    page.locator("label.choice").get_by_text(sex, exact=True).click()
    page.get_by_role("button", name="Next").click()


def answer_every_question(page: Page, answer: str) -> None:
    """Tick ``answer`` ("No", "Yes", "Not sure") for every question on this screen page."""
    questions = page.locator("main fieldset")
    assert questions.count() > 0, "a safety page with no questions"
    for n in range(questions.count()):
        # The radio is drawn as a large button: the person taps its words.
        questions.nth(n).locator("label.choice").get_by_text(answer, exact=True).click()
        expect(questions.nth(n).get_by_label(answer, exact=True)).to_be_checked()


def wider_than_a_phone(page: Page) -> int:
    """How many pixels the page runs past a phone's screen (0 when it fits)."""
    viewport = page.viewport_size
    page.set_viewport_size(PHONE)
    overflow = int(page.evaluate("() => document.documentElement.scrollWidth")) - PHONE["width"]
    if viewport is not None:
        page.set_viewport_size(viewport)
    return max(0, overflow)


def check_page(page: Page, name: str) -> None:
    """No serious accessibility problem, nothing off-screen on a phone, then screenshots."""
    assert serious_accessibility_problems(page) == []
    assert wider_than_a_phone(page) == 0, f"{name}: part of the page is off-screen on a phone"
    shoot(page, name)


def expect_heading(page: Page, name: str) -> None:
    expect(page.get_by_role("heading", name=name, exact=True)).to_be_visible()
