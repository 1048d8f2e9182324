"""Sign up and log in in a real browser; the pages keep their security policy and pass axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.web.browser.conftest import serious_accessibility_problems, shoot
from tests.web.conftest import PASSWORD


@pytest.mark.django_db(transaction=True)
def test_sign_up_then_today_asks_for_the_safety_questions(
    live_server: LiveServer, page: Page, csp_errors: list[str]
) -> None:
    page.goto(f"{live_server.url}/account/sign-up/")
    assert serious_accessibility_problems(page) == []
    # One short line about the password instead of a list of four rules.
    expect(page.get_by_text("At least 10 characters")).to_be_visible()
    expect(page.locator("main li")).to_have_count(0)
    shoot(page, "sign-up")
    page.get_by_label("A name to log in with").fill("maria")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("The same password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Start with the safety questions")).to_be_visible()
    assert serious_accessibility_problems(page) == []
    shoot(page, "today-new")


@pytest.mark.django_db(transaction=True)
def test_a_wrong_password_is_shown_next_to_the_form(
    live_server: LiveServer, page: Page, csp_errors: list[str]
) -> None:
    page.goto(f"{live_server.url}/account/log-in/")
    page.get_by_label("Username").fill("nobody")
    page.get_by_label("Password").fill("wrong-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert serious_accessibility_problems(page) == []
    shoot(page, "log-in-error")
