"""What the routine page asks of the person, in the browser: the next-morning question at
the next visit, a step up once the sessions have gone well, and flare-up mode.

The sessions themselves go through the player's form with Django's test client (the
player has its own browser tests); what is driven here is what a person sees afterwards.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from backbalance.web.routine.models import PendingProposal, RoutinePlan, Session
from backbalance.web.routine.services import states_of
from tests.web.browser.steps import check_page, log_in
from tests.web.conftest import make_person
from tests.web.routine.conftest import plan_of, post_session
from tests.web.routine.test_loop import NEEDED, good_sessions

CASE = "01_lower_crossed_office_worker.json"


def _person_with_sessions(name: str) -> tuple[User, RoutinePlan]:
    """A person one good session short of a step up, whose last session was yesterday and
    whose next-morning answer is still to come."""
    user = make_person(name, CASE)
    client = Client()
    client.force_login(user)
    good_sessions(client, user, NEEDED - 1)
    plan = plan_of(client)
    assert post_session(client, plan).status_code == 302
    # One session a day, the last one yesterday, as a person would have done them.
    sessions = list(Session.objects.filter(owner=user).order_by("-created_at"))
    assert sessions[0].pain_next_morning == ""
    for days_ago, session in enumerate(sessions, start=1):
        Session.objects.filter(pk=session.pk).update(day=session.day - timedelta(days=days_ago))
    return user, plan


@pytest.mark.django_db(transaction=True)
def test_the_morning_answer_brings_a_step_up_that_the_person_accepts(
    live_server: LiveServer, page: Page, csp_errors: list[str]
) -> None:
    page.set_default_timeout(5000)
    user, plan = _person_with_sessions("steady")
    log_in(page, live_server, user)
    page.goto(f"{live_server.url}/routine/")

    morning = page.locator("section", has=page.locator("#morning-title"))
    expect(morning.get_by_role("heading")).to_contain_text("the morning after your session")
    expect(page.get_by_text("Ready for a step up")).to_have_count(0)
    check_page(page, "routine-morning-question")

    morning.locator("label.choice").get_by_text("About the same", exact=True).click()
    morning.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Thank you. That helps judge the next step.")).to_be_visible()
    expect(page.locator("#morning-title")).to_have_count(0)
    assert Session.objects.filter(owner=user, pain_next_morning="").count() == 0

    # That answer completed enough good sessions in a row: the core proposes a step up for
    # several items, shown one at a time, the oldest first.
    pending = PendingProposal.objects.filter(owner=user, decided_at__isnull=True)
    offered = pending.count()
    assert offered > 1
    first, second = pending.order_by("created_at", "item_index")[:2]
    offer = page.locator("section.card-ask", has=page.locator(f"#proposal-{first.pk}"))
    expect(offer).to_contain_text("Ready for a step up")
    expect(offer).to_contain_text(f"{offered - 1} more suggestions after this one.")
    expect(page.get_by_text("Ready for a step up")).to_have_count(1)
    check_page(page, "routine-step-up-offered")
    before = states_of(plan)[first.item_index]

    offer.get_by_role("button", name="Yes, change it").click()

    expect(page.locator(f"#proposal-{first.pk}")).to_have_count(0)
    expect(page.locator(f"#proposal-{second.pk}")).to_be_visible()
    # Not now sets the next one aside and leaves its item as it was.
    kept = states_of(RoutinePlan.objects.get(pk=plan.pk))[second.item_index]
    page.locator("section.card-ask", has=page.locator(f"#proposal-{second.pk}")).get_by_role(
        "button", name="Not now"
    ).click()
    expect(page.locator(f"#proposal-{second.pk}")).to_have_count(0)
    assert states_of(RoutinePlan.objects.get(pk=plan.pk))[second.item_index] == kept
    plan.refresh_from_db()
    after = states_of(plan)[first.item_index]
    assert after != before
    assert after.exercise_id == first.proposal["new_state"]["exercise_id"]


@pytest.mark.django_db(transaction=True)
def test_a_flare_up_switches_to_gentle_items_and_a_much_worse_morning_does_too(
    live_server: LiveServer, page: Page, csp_errors: list[str]
) -> None:
    page.set_default_timeout(5000)
    user, plan = _person_with_sessions("flared")
    log_in(page, live_server, user)
    page.goto(f"{live_server.url}/routine/")

    # A much worse morning after the last session: flare-up mode at once, no step up.
    morning = page.locator("section", has=page.locator("#morning-title"))
    morning.locator("label.choice").get_by_text("Much worse", exact=True).click()
    morning.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Flare-up mode.")).to_be_visible()
    expect(page.get_by_text("Ready for a step up")).to_have_count(0)
    expect(page.get_by_role("button", name="My back has flared up")).to_have_count(0)
    plan.refresh_from_db()
    assert plan.flare_up
    items = page.locator(".routine-items > li")
    expect(items.first).to_be_visible()
    # Every item still offered today is a gentle one.
    for item in items.all():
        if item.get_by_text("today", exact=True).count():
            expect(item.get_by_text("gentle", exact=True)).to_be_visible()
    check_page(page, "routine-flare-up")


@pytest.mark.django_db(transaction=True)
def test_the_flare_up_button_turns_the_mode_on(
    live_server: LiveServer, page: Page, csp_errors: list[str]
) -> None:
    page.set_default_timeout(5000)
    user = make_person("sudden", CASE)
    log_in(page, live_server, user)
    page.goto(f"{live_server.url}/routine/")
    expect(page.get_by_text("Flare-up mode.")).to_have_count(0)

    page.get_by_role("button", name="My back has flared up").click()

    expect(page.get_by_text("Flare-up mode.")).to_be_visible()
    plan = RoutinePlan.objects.get(owner=user, active=True)
    assert plan.flare_up
