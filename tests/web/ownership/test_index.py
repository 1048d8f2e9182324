"""The "Your data" page: the three downloads, the import (only into an empty account) and
the way to delete the account; linked from the account page."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.web.conftest import make_person


def test_the_owner_sees_the_downloads_and_the_delete_link(owner_client: Client) -> None:
    page = owner_client.get(reverse("ownership:index")).content.decode()
    for name in ("export_json", "export_csv", "export_fhir", "delete"):
        assert reverse(f"ownership:{name}") in page
    # The owner has a check-up, so an import would mix two histories: no form.
    assert reverse("ownership:import") not in page
    assert "already holds data" in page


def test_an_empty_account_is_offered_the_import(db: None) -> None:
    client = Client()
    client.force_login(make_person("newcomer"))
    page = client.get(reverse("ownership:index")).content.decode()
    assert reverse("ownership:import") in page
    assert 'type="file"' in page


def test_the_account_page_links_here(owner_client: Client, owner: User) -> None:
    page = owner_client.get(reverse("accounts:settings")).content.decode()
    assert reverse("ownership:index") in page


def test_anonymous_goes_to_log_in(client: Client) -> None:
    response = client.get(reverse("ownership:index"))
    assert response["Location"].startswith(reverse("accounts:login"))
