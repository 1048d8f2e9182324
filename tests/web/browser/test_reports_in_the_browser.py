"""The clinician report and the calendar page in a real browser: screenshots at phone and
desktop widths, the PDF's pages as pictures, the security policy kept and axe passed."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.contrib.auth.models import User
from django.test import Client
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.web.browser.conftest import SHOTS, serious_accessibility_problems, shoot
from tests.web.conftest import PASSWORD, make_person
from tests.web.reports.conftest import history
from tests.web.routine.conftest import plan_of


def _person_with_history() -> User:
    person = make_person("maria", "01_lower_crossed_office_worker.json")
    client = Client()
    client.force_login(person)
    plan_of(client)
    history(person, 70, start_pain=6, end_pain=3)
    return person


def _log_in(page: Page, live_server: LiveServer) -> None:
    page.goto(f"{live_server.url}/account/log-in/")
    page.get_by_label("Username").fill("maria")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


@pytest.mark.django_db(transaction=True)
def test_the_report_page_and_its_pdf(
    live_server: LiveServer, page: Page, csp_errors: list[str]
) -> None:
    _person_with_history()
    _log_in(page, live_server)
    page.goto(f"{live_server.url}/reports/clinician/")
    expect(page.get_by_role("heading", name="Back pain report for a clinician")).to_be_visible()
    expect(page.get_by_role("img", name="Pain each day and its weekly mean")).to_be_visible()
    assert serious_accessibility_problems(page) == []
    shoot(page, "report")

    # A bad range: the problem next to the field, what was typed kept.
    page.get_by_label("From", exact=True).fill("2026-06-10")
    page.get_by_label("To", exact=True).fill("2026-06-01")
    page.get_by_role("button", name="Show the report").click()
    expect(page.get_by_text("The end date is before the start date.")).to_be_visible()
    assert serious_accessibility_problems(page) == []
    shoot(page, "report-bad-range")

    page.goto(f"{live_server.url}/reports/clinician/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as PDF").click()
    pdf = SHOTS / "report.pdf"
    SHOTS.mkdir(parents=True, exist_ok=True)
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF-")
    if shutil.which("pdftoppm") is not None:
        for old in SHOTS.glob("report-pdf-*.png"):
            old.unlink()
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", str(pdf), str(SHOTS / "report-pdf")], check=True
        )
        assert list(SHOTS.glob("report-pdf-*.png"))


@pytest.mark.django_db(transaction=True)
def test_the_calendar_page(live_server: LiveServer, page: Page, csp_errors: list[str]) -> None:
    _person_with_history()
    _log_in(page, live_server)
    page.goto(f"{live_server.url}/reports/calendar/")
    assert serious_accessibility_problems(page) == []
    page.get_by_role("button", name="Make a private link").click()
    link = page.get_by_label("Private calendar link")
    expect(link).to_be_visible()
    feed_url = link.input_value()
    assert "/reports/calendar/feed/" in feed_url
    expect(page.get_by_role("heading", name="What your calendar will show")).to_be_visible()
    assert serious_accessibility_problems(page) == []
    shoot(page, "calendar")

    page.get_by_role("button", name="Stop this link").click()
    expect(page.get_by_text("You have no private link now.")).to_be_visible()
    response = page.request.get(feed_url)
    assert response.status == 404
