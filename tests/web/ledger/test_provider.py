"""A therapist's page: the core's verdict in plain words, the visits and their chart."""

from __future__ import annotations

import math
from datetime import date, time, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from backbalance.web.journal.models import ClinicianVisit
from backbalance.web.ledger.models import Provider
from tests.web.ledger.conftest import (
    add_visit,
    book,
    core_verdict,
    example,
    flagged_check_in,
    pain_check_ins,
    store,
    visits_only,
)


def _url(provider: Provider) -> str:
    return reverse("ledger:provider", kwargs={"pk": provider.pk})


def test_an_improving_course_shows_the_cores_verdict_and_cost_per_point(
    owner: User, owner_client: Client
) -> None:
    data = example("01_improving_physiotherapy.json")
    provider = store(owner, data)
    report = core_verdict(visits_only(data))
    assert report.verdict == "improving_meaningfully"
    page = owner_client.get(_url(provider)).content.decode()
    assert report.label in page
    assert report.reason in page
    assert report.cost_per_point is not None
    assert f"{report.cost_per_point:.2f} EUR" in page
    for question in report.questions:
        assert question in page
    assert 'class="band"' in page  # the meaningful-change band is drawn


def test_pain_seven_to_five_and_a_half_after_four_visits_asks_for_a_review(
    owner: User, owner_client: Client
) -> None:
    data = example("02_not_meaningful_after_four_visits.json")
    provider = store(owner, data)
    report = core_verdict(visits_only(data))
    assert report.verdict == "review_recommended"
    page = owner_client.get(_url(provider)).content.decode()
    assert report.label in page
    assert report.reason in page
    assert "7 → 5.5" in page
    assert "none yet (no meaningful improvement in pain)" in page
    # The checklist items no visit ticked become questions.
    assert "Could you test my muscles for strength and length" in page
    assert 'class="card rescreen"' not in page


def test_a_warning_sign_at_a_check_in_puts_the_safety_questions_first(
    owner: User, owner_client: Client
) -> None:
    data = example("01_improving_physiotherapy.json")
    provider = store(owner, data)
    flagged = flagged_check_in(owner)
    course = visits_only(data)
    course["red_flags"] = [{"date": flagged.at.date().isoformat(), "what": "a warning sign"}]
    assert core_verdict(course).verdict == "rescreen_first"
    page = owner_client.get(_url(provider)).content.decode()
    rescreen = page.index('class="card rescreen"')
    assert rescreen < page.index('id="visits-heading"')
    assert "Improving meaningfully" not in page[: page.index('id="visits-heading"')]
    assert reverse("journal:check_in") in page[rescreen:]
    assert reverse("common:safety") in page[rescreen:]


def test_a_warning_sign_seen_by_a_clinician_since_no_longer_counts(
    owner: User, owner_client: Client
) -> None:
    provider = store(owner, example("01_improving_physiotherapy.json"))
    flagged_check_in(owner, days_ago=3)
    ClinicianVisit.objects.create(owner=owner, seen_on=timezone.localdate() - timedelta(days=1))
    page = owner_client.get(_url(provider)).content.decode()
    assert 'class="card rescreen"' not in page
    assert "Improving meaningfully" in page


def test_pain_from_the_check_ins_worse_by_the_mcid_asks_for_the_safety_questions(
    owner: User, owner_client: Client
) -> None:
    today = timezone.localdate()
    provider = Provider.objects.create(owner=owner, name="Clinic", kind="physiotherapy")
    add_visit(provider, date=today - timedelta(days=7), cost=50, pain_before=4)
    add_visit(provider, date=today, cost=50, pain_before=4)
    # A week at 3 before the care, then a week at 6: worse by more than 2 points.
    pain_check_ins(owner, today - timedelta(days=14), [3] * 7 + [6] * 8)
    page = owner_client.get(_url(provider)).content.decode()
    assert 'class="card rescreen"' in page
    assert "Answer the safety questions first" in page


def test_a_recent_episode_is_named_as_a_caveat(owner: User, owner_client: Client) -> None:
    data = example("01_improving_physiotherapy.json")
    data["episode_started"] = (timezone.localdate() - timedelta(days=30)).isoformat()
    provider = store(owner, data)
    report = core_verdict(visits_only(data))
    assert any("30 days ago" in caveat for caveat in report.caveats)
    page = owner_client.get(_url(provider)).content.decode()
    for caveat in report.caveats:
        assert caveat in page


def test_a_therapist_without_visits_asks_for_the_first(owner: User, owner_client: Client) -> None:
    provider = Provider.objects.create(owner=owner, name="New Clinic", kind="osteopathy")
    response = owner_client.get(_url(provider))
    assert response.status_code == 200
    assert reverse("ledger:add_visit", kwargs={"pk": provider.pk}) in response.content.decode()


def test_a_stranger_gets_404(owner: User, stranger_client: Client) -> None:
    provider = store(owner, example("01_improving_physiotherapy.json"))
    for method in (stranger_client.get, stranger_client.post):
        assert method(_url(provider)).status_code == 404


def test_anonymous_goes_to_login(owner: User, client: Client) -> None:
    provider = store(owner, example("01_improving_physiotherapy.json"))
    response = client.get(_url(provider))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def _visits(provider: Provider, count: int, first: date) -> None:
    for n in range(count):
        add_visit(provider, date=first + timedelta(days=n), cost=40, pain_before=5)


def test_the_number_of_queries_does_not_grow_with_the_visits(
    owner: User, owner_client: Client, django_assert_max_num_queries: Any
) -> None:
    today = timezone.localdate()
    few = Provider.objects.create(owner=owner, name="Few", kind="massage")
    many = Provider.objects.create(owner=owner, name="Many", kind="massage")
    _visits(few, 3, today - timedelta(days=2))
    _visits(many, 40, today - timedelta(days=39))
    pain_check_ins(owner, today - timedelta(days=60), [5] * 61)
    with django_assert_max_num_queries(16) as counted:
        assert owner_client.get(_url(few)).status_code == 200
    with django_assert_max_num_queries(len(counted.captured_queries)):
        page = owner_client.get(_url(many)).content.decode()
    assert "Time to try a different approach" in page


def test_the_diary_from_the_check_ins_gives_the_cores_trend_before_care(
    owner: User, owner_client: Client
) -> None:
    today = timezone.localdate()
    data = example("01_improving_physiotherapy.json", last_visit=today - timedelta(days=7))
    provider = store(owner, data)
    # Each diary day as check-ins whose daily mean is the day's rating (5.5 = 5 and 6).
    for entry in data["pain_diary"]:
        day = date.fromisoformat(entry["date"])
        low, high = math.floor(entry["pain"]), math.ceil(entry["pain"])
        for hour, pain in ((9, low), (18, high)):
            pain_check_ins(owner, day, [pain], hour=hour)
    course = visits_only(data)
    course["pain_diary"] = data["pain_diary"]
    report = core_verdict(course)
    assert report.trend_before_care is not None
    page = owner_client.get(_url(provider)).content.decode()
    assert report.label in page and report.reason in page
    assert report.trend_before_care.says in page
    assert report.after_visits is not None and report.after_visits.says in page


def test_visits_in_different_currencies_are_said_to_be_added_as_they_are(
    owner: User, owner_client: Client
) -> None:
    today = timezone.localdate()
    provider = Provider.objects.create(owner=owner, name="Two Cities", kind="massage")
    add_visit(provider, date=today - timedelta(days=7), cost=50, pain_before=5, currency="EUR")
    add_visit(provider, date=today, cost=40, pain_before=5, currency="GBP")
    page = owner_client.get(_url(provider)).content.decode()
    assert "more than one currency" in page
    assert "90.00 GBP" in page


def _shown(day: date) -> str:
    return date_format(day, "l j F")


def test_the_next_booked_appointment_is_shown_first_and_a_due_one_asks_to_be_noted(
    owner: User, owner_client: Client
) -> None:
    provider = store(owner, example("01_improving_physiotherapy.json"))
    later = book(provider, 16)
    soon = book(provider, 9, time=time(10, 30))
    due = book(provider, -1)
    cancelled = book(provider, 5, status="cancelled")
    page = owner_client.get(_url(provider)).content.decode()
    next_line = page.index("Next:")
    assert page[next_line:].split("</p>")[0].rstrip().endswith(f"{_shown(soon.date)}, 10:30")
    assert page.index(_shown(later.date)) > next_line
    assert "Has this appointment happened?" in page
    assert reverse("ledger:complete_booking", kwargs={"pk": due.pk}) in page
    # The cancelled one is listed, marked, with nothing to note or change.
    assert _shown(cancelled.date) in page and "cancelled" in page
    assert reverse("ledger:complete_booking", kwargs={"pk": cancelled.pk}) not in page
    assert reverse("ledger:edit_booking", kwargs={"pk": cancelled.pk}) not in page
    assert reverse("ledger:add_booking", kwargs={"pk": provider.pk}) in page


def test_a_booked_length_is_shown_in_words_beside_the_time(
    owner: User, owner_client: Client
) -> None:
    provider = store(owner, example("01_improving_physiotherapy.json"))
    soon = book(provider, 9, time=time(10, 30), length_minutes=45)
    later = book(provider, 16, time=time(8, 0), length_minutes=60)
    page = " ".join(owner_client.get(_url(provider)).content.decode().split())
    assert f"Next: {_shown(soon.date)}, 10:30, 45 minutes</p>" in page
    assert f"{_shown(later.date)}, 08:00, 60 minutes" in page


def test_the_number_of_queries_does_not_grow_with_the_bookings(
    owner: User, owner_client: Client, django_assert_max_num_queries: Any
) -> None:
    provider = Provider.objects.create(owner=owner, name="Booked", kind="massage")
    add_visit(provider, date=timezone.localdate(), cost=40, pain_before=5)
    book(provider, 3)
    with django_assert_max_num_queries(16) as counted:
        assert owner_client.get(_url(provider)).status_code == 200
    for days in range(-10, 30):
        book(provider, days, status="cancelled" if days % 4 == 0 else "booked")
    with django_assert_max_num_queries(len(counted.captured_queries)):
        assert owner_client.get(_url(provider)).status_code == 200
