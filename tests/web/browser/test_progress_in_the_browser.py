"""Re-test, comparison, progress and what-helps in a real browser: screenshots at phone
and desktop width, the security policy kept, and no serious axe problem."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from backbalance.web.checkup.models import Assessment
from tests.web.browser.conftest import serious_accessibility_problems, shoot
from tests.web.checkup.test_compare import _retest
from tests.web.conftest import PASSWORD, make_person
from tests.web.journal.test_what_helps import _seed


def _person_with_history() -> tuple[User, Assessment]:
    """Example case 01, a re-test a month on with some readings better, the PSFS rated
    again, and six weeks of check-ins and sessions."""
    user = make_person("ines", "01_lower_crossed_office_worker.json")
    retest = _retest(
        user,
        modified_thomas={"left": {"hip_angle": 10}, "right": {"hip_angle": 2}},
        side_bridge={"left": {"hold_s": 70}, "right": {"hold_s": 40}},
    )
    retest.questionnaires = {
        **retest.questionnaires,
        "psfs": [
            {"activity": "sitting through a work meeting", "rating": 7},
            {"activity": "lifting my toddler", "rating": 6},
            {"activity": "walking 30 minutes", "rating": 7},
        ],
    }
    retest.save()
    _seed(user, 42, effect=-2)
    return user, retest


def _log_in(page: Page, live_server: LiveServer, username: str) -> None:
    page.goto(f"{live_server.url}{reverse('accounts:login')}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


@pytest.mark.django_db(transaction=True)
def test_re_test_compare_progress_and_what_helps(
    live_server: LiveServer, page: Page, csp_errors: list[str]
) -> None:
    user, retest = _person_with_history()
    _log_in(page, live_server, user.username)
    assert retest.retest_of is not None

    page.goto(f"{live_server.url}{reverse('checkup:retest', kwargs={'pk': retest.retest_of.pk})}")
    expect(page.get_by_role("heading", name="Re-test", exact=True)).to_be_visible()
    page.get_by_label("Only the tests I choose below").check()
    page.get_by_role("button", name="Start the re-test").click()
    expect(page.get_by_text("Tick at least one test")).to_be_visible()
    assert serious_accessibility_problems(page) == []
    shoot(page, "retest-chooser")

    page.goto(f"{live_server.url}{reverse('checkup:compare', kwargs={'pk': retest.pk})}")
    expect(page.get_by_role("heading", name="What changed since last time")).to_be_visible()
    assert serious_accessibility_problems(page) == []
    shoot(page, "retest-compare")

    page.goto(f"{live_server.url}{reverse('journal:progress')}")
    expect(page.locator(".statement").first).to_be_visible()
    expect(page.locator(".mcid-band")).to_have_count(1)
    assert serious_accessibility_problems(page) == []
    shoot(page, "progress-meaningful")

    page.get_by_role("link", name="What seems to help me").click()
    expect(page.get_by_role("heading", name="What seems to help me")).to_be_visible()
    expect(page.locator(".interval-range").first).to_be_visible()
    assert serious_accessibility_problems(page) == []
    shoot(page, "what-helps")
