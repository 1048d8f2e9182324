"""The safety page: the standing level, why, and the way back after a clinician visit."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.web.conftest import make_person


@pytest.mark.django_db
def test_an_emergency_says_what_to_do_and_offers_to_record_a_clinician_visit(
    client: Client,
) -> None:
    client.force_login(make_person("urgent-care", "04_cauda_equina_emergency.json"))
    page = client.get(reverse("common:safety")).content.decode()
    assert reverse("journal:clinician_seen") in page
    assert "Why" in page


@pytest.mark.django_db
def test_an_urgent_screen_shows_the_within_days_banner(client: Client) -> None:
    client.force_login(make_person("past-cancer", "05_urgent_past_cancer.json"))
    page = client.get(reverse("common:safety")).content.decode()
    assert "banner-urgent" in page
    assert reverse("journal:clinician_seen") in page


def test_a_calm_screen_offers_no_clinician_step(owner_client: Client) -> None:
    page = owner_client.get(reverse("common:safety")).content.decode()
    assert reverse("journal:clinician_seen") not in page
    assert "banner-" not in page


@pytest.mark.django_db
def test_someone_not_yet_screened_is_sent_to_the_questions(client: Client) -> None:
    client.force_login(make_person("new"))
    assert reverse("checkup:start") in client.get(reverse("common:safety")).content.decode()


def test_anonymous_goes_to_log_in(client: Client) -> None:
    assert client.get(reverse("common:safety"))["Location"].startswith(reverse("accounts:login"))
