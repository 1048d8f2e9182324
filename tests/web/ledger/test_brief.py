"""The one-page brief to bring to the next appointment."""

from __future__ import annotations

from datetime import time
from typing import Any

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils.formats import date_format

from backbalance.web.ledger.models import Provider
from tests.web.ledger.conftest import (
    book,
    core_verdict,
    example,
    flagged_check_in,
    store,
    visits_only,
)


def _url(provider: Provider) -> str:
    return reverse("ledger:brief", kwargs={"pk": provider.pk})


def test_the_brief_holds_the_verdict_the_questions_and_the_money(
    owner: User, owner_client: Client
) -> None:
    data = example("02_not_meaningful_after_four_visits.json")
    provider = store(owner, data)
    report = core_verdict(visits_only(data))
    page = owner_client.get(_url(provider)).content.decode()
    assert "For my next appointment with Town Chiropractic" in page
    assert report.label in page and report.reason in page
    for question in report.questions:
        assert question in page
    # The questions come before the figures: they are what the brief is for.
    assert page.index(report.questions[0]) < page.index("How each measure changed")
    assert "240.00 EUR" in page
    assert "ledger/brief.css" in page  # the print styles


def test_a_warning_sign_comes_first_on_the_brief_too(owner: User, owner_client: Client) -> None:
    provider = store(owner, example("01_improving_physiotherapy.json"))
    flagged_check_in(owner)
    page = owner_client.get(_url(provider)).content.decode()
    rescreen = page.index('class="card rescreen"')
    assert rescreen < page.index("Questions to ask your therapist")
    assert reverse("journal:check_in") in page[rescreen:]


def test_a_stranger_gets_404(owner: User, stranger_client: Client) -> None:
    provider = store(owner, example("01_improving_physiotherapy.json"))
    for method in (stranger_client.get, stranger_client.post):
        assert method(_url(provider)).status_code == 404


def test_anonymous_goes_to_login(owner: User, client: Client) -> None:
    response = client.get(_url(store(owner, example("01_improving_physiotherapy.json"))))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_the_number_of_queries_is_bounded(
    owner: User, owner_client: Client, django_assert_max_num_queries: Any
) -> None:
    provider = store(owner, example("01_improving_physiotherapy.json"))
    with django_assert_max_num_queries(16):
        assert owner_client.get(_url(provider)).status_code == 200


def test_the_brief_names_the_next_booked_appointment(owner: User, owner_client: Client) -> None:
    provider = store(owner, example("01_improving_physiotherapy.json"))
    book(provider, 2, status="cancelled")
    coming = book(provider, 6, time=time(17, 45))
    page = " ".join(owner_client.get(_url(provider)).content.decode().split())
    assert f"Next appointment: {date_format(coming.date, 'l j F')}, 17:45" in page
    assert page.count("Next appointment:") == 1
