"""A session finished without a connection is kept in the browser and sent once when back.

The player keeps a session it could not send in localStorage and sends it again when the
browser says it is online (and whenever today's routine page opens). The server stores it
once, by its client token, however many times it arrives.
"""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from backbalance.web.routine.models import Session
from tests.web.browser.steps import log_in
from tests.web.conftest import make_person

PENDING_KEY = "backbalance-pending-sessions"
OFFLINE_WORDS = "No connection right now."


def pending(page: Page) -> list[dict[str, object]]:
    raw = page.evaluate(f"() => window.localStorage.getItem('{PENDING_KEY}')")
    kept: list[dict[str, object]] = json.loads(raw) if raw else []
    return kept


def do_every_item_then_save_offline(
    page: Page, live_server: LiveServer, user: User, *, rate_items: bool
) -> None:
    """Every item done (rated or not), then saved with the connection gone."""
    log_in(page, live_server, user)
    page.goto(f"{live_server.url}/routine/")
    page.get_by_role("link", name="Start today's session").click()
    page.get_by_label("Your usual pain these days").fill("3")
    page.get_by_role("button", name="Begin").click()
    items = page.locator("[data-step=item]")
    for n in range(items.count()):
        if rate_items:
            items.nth(n).locator(f"[name=item{n}_pain]").fill("2")
            items.nth(n).locator(f"[name=item{n}_effort]").fill("4")
        items.nth(n).get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", name="Nearly done")).to_be_visible()
    page.context.set_offline(True)
    page.get_by_role("button", name="Save this session").click()
    expect(page.get_by_role("status").filter(has_text=OFFLINE_WORDS)).to_be_visible()
    assert "/session/" in page.url, "the page left the player while offline"


@pytest.mark.django_db(transaction=True)
def test_a_session_saved_offline_is_sent_once_when_the_connection_is_back(
    live_server: LiveServer, page: Page, csp_errors: list[str]
) -> None:
    page.set_default_timeout(5000)
    user = make_person("offline", "01_lower_crossed_office_worker.json")
    do_every_item_then_save_offline(page, live_server, user, rate_items=True)
    assert not Session.objects.filter(owner=user).exists()
    kept = pending(page)
    assert len(kept) == 1

    page.context.set_offline(False)
    expect(page).to_have_url(f"{live_server.url}/routine/")
    expect(page.get_by_role("heading", name="Today's routine")).to_be_visible()
    assert Session.objects.filter(owner=user).count() == 1
    assert pending(page) == []
    session = Session.objects.get(owner=user)
    assert session.usual_pain == 3
    assert all(item["done"] for item in session.items)

    # The same session arriving again (a second tab, a retry): still stored once.
    page.evaluate(
        "([key, value]) => window.localStorage.setItem(key, value)", [PENDING_KEY, json.dumps(kept)]
    )
    page.reload()
    expect(page.get_by_text("A session you did offline has been saved.")).to_be_visible()
    assert pending(page) == []
    assert Session.objects.filter(owner=user).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_session_sent_late_that_needs_a_fix_comes_back_to_the_person_not_lost(
    live_server: LiveServer, page: Page, csp_errors: list[str]
) -> None:
    page.set_default_timeout(5000)
    user = make_person("unrated", "01_lower_crossed_office_worker.json")
    do_every_item_then_save_offline(page, live_server, user, rate_items=False)
    assert len(pending(page)) == 1

    page.context.set_offline(False)
    # The server asks for the pain and effort of each item done: the session is shown
    # again with the marks and what was entered, rather than dropped without a word.
    expect(page.get_by_role("alert")).to_contain_text("Some answers need a look")
    expect(page.get_by_label("Your usual pain these days")).to_have_value("3")
    expect(page.get_by_text("Please give a number for an item you did.").first).to_be_visible()
    assert not Session.objects.filter(owner=user).exists()
