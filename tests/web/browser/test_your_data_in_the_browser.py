"""The "Your data" page and the delete confirmation in a real browser: downloads work,
the pages keep their security policy and pass axe, and deleting logs the person out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import FilePayload, Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.web.browser.conftest import serious_accessibility_problems, shoot
from tests.web.conftest import PASSWORD, make_person


def _log_in(page: Page, live_server: LiveServer, username: str) -> None:
    page.goto(f"{live_server.url}/account/log-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


@pytest.mark.django_db(transaction=True)
def test_your_data_page_downloads_and_deletes(
    live_server: LiveServer, page: Page, csp_errors: list[str]
) -> None:
    make_person("maria", "01_lower_crossed_office_worker.json")
    _log_in(page, live_server, "maria")
    page.goto(f"{live_server.url}/account/")
    page.get_by_role("link", name="Your data").click()
    expect(page.get_by_role("heading", name="Your data", level=1)).to_be_visible()
    assert serious_accessibility_problems(page) == []
    shoot(page, "your-data")

    with page.expect_download() as download:
        page.get_by_role("link", name="Everything, as JSON").click()
    exported = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert len(exported["records"]["checkup.Assessment"]) == 1

    page.get_by_role("link", name="Delete my account…").click()
    expect(page.get_by_role("heading", name="Delete your account?")).to_be_visible()
    page.get_by_role("button", name="Delete my account and all my data").click()
    expect(page.locator(".errorlist")).to_be_visible()
    assert serious_accessibility_problems(page) == []
    shoot(page, "your-data-delete")

    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account and all my data").click()
    expect(page.get_by_text("Your account and all of its data are deleted.")).to_be_visible()
    assert not User.objects.filter(username="maria").exists()


@pytest.mark.django_db(transaction=True)
def test_an_empty_account_shows_the_import_form(
    live_server: LiveServer, page: Page, csp_errors: list[str]
) -> None:
    make_person("newcomer")
    _log_in(page, live_server, "newcomer")
    page.goto(f"{live_server.url}/your-data/")
    not_an_export: FilePayload = {
        "name": "export.json",
        "mimeType": "application/json",
        "buffer": b"{}",
    }
    page.get_by_label("Your export file (.json)").set_input_files(files=[not_an_export])
    page.get_by_role("button", name="Import this file").click()
    expect(page.get_by_role("alert")).to_contain_text("format")
    assert serious_accessibility_problems(page) == []
    shoot(page, "your-data-import-error")
