"""The ledger's front page: every therapist with the core's verdict and the money."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from backbalance.web.ledger.models import Provider
from tests.web.ledger.conftest import (
    add_visit,
    book,
    core_verdict,
    example,
    flagged_check_in,
    store,
    visits_only,
)

URL = reverse("ledger:index")


def test_an_empty_ledger_offers_to_add_a_therapist(owner_client: Client) -> None:
    response = owner_client.get(URL)
    assert response.status_code == 200
    assert reverse("ledger:add_provider") in response.content.decode()


def test_each_therapist_shows_the_cores_verdict_and_the_money(
    owner: User, owner_client: Client
) -> None:
    improving = example("01_improving_physiotherapy.json")
    stalled = example("02_not_meaningful_after_four_visits.json")
    store(owner, improving)
    store(owner, stalled)
    page = owner_client.get(URL).content.decode()
    for data, verdict in ((improving, "improving_meaningfully"), (stalled, "review_recommended")):
        report = core_verdict(visits_only(data))
        assert report.verdict == verdict
        assert data["provider"]["name"] in page
        assert report.label in page
        assert f"{report.totals.spent:.2f}" in page
    assert "160.00" in page  # reimbursed by the first example's insurer


def test_a_warning_sign_puts_the_safety_questions_first(owner: User, owner_client: Client) -> None:
    store(owner, example("01_improving_physiotherapy.json"))
    flagged_check_in(owner)
    page = owner_client.get(URL).content.decode()
    rescreen = page.index('class="card rescreen"')
    assert rescreen < page.index("Riverside Physio</a>")
    assert reverse("journal:check_in") in page[rescreen:]
    assert reverse("common:safety") in page[rescreen:]


def test_other_peoples_therapists_are_not_listed(
    owner: User, stranger: User, owner_client: Client
) -> None:
    store(stranger, example("01_improving_physiotherapy.json"))
    assert "Riverside Physio" not in owner_client.get(URL).content.decode()


def test_anonymous_goes_to_login(db: None, client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def _many(owner: User, providers: int, visits: int) -> None:
    today = timezone.localdate()
    for n in range(providers):
        provider = Provider.objects.create(owner=owner, name=f"Practice {n}", kind="massage")
        for k in range(visits):
            add_visit(provider, date=today - timedelta(days=3 * k), cost=50, pain_before=5)


def test_the_number_of_queries_does_not_grow_with_the_history(
    owner: User, owner_client: Client, django_assert_max_num_queries: Any
) -> None:
    _many(owner, providers=1, visits=3)
    with django_assert_max_num_queries(16) as few:
        owner_client.get(URL)
    _many(owner, providers=3, visits=40)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert owner_client.get(URL).status_code == 200


def test_each_card_shows_the_next_booked_appointment_and_one_to_note(
    owner: User, owner_client: Client
) -> None:
    provider = store(owner, example("01_improving_physiotherapy.json"))
    quiet = Provider.objects.create(owner=owner, name="Zest Clinic", kind="massage")
    book(provider, 12)
    soon = book(provider, 2, time=time(10, 30))
    due = book(provider, -3)
    book(quiet, 4, status="cancelled")
    page = owner_client.get(URL).content.decode()
    card = page[page.index("Riverside Physio</a>") : page.index("Zest Clinic</a>")]
    assert f"Next: {date_format(soon.date, 'l j F')}, 10:30" in " ".join(card.split())
    assert reverse("ledger:complete_booking", kwargs={"pk": due.pk}) in card
    # A cancelled booking is no next appointment.
    assert "Next:" not in page[page.index("Zest Clinic</a>") :]


def test_the_number_of_queries_does_not_grow_with_the_bookings(
    owner: User, owner_client: Client, django_assert_max_num_queries: Any
) -> None:
    _many(owner, providers=1, visits=2)
    with django_assert_max_num_queries(16) as few:
        owner_client.get(URL)
    for provider in Provider.objects.filter(owner=owner):
        for days in range(-5, 25):
            book(provider, days)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert owner_client.get(URL).status_code == 200
