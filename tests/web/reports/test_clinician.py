"""The clinician report page: every section for the owner, only their data, the chosen
range and sections, a bad range named next to its field, and a bounded number of queries."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from backbalance.core import api
from backbalance.web.common.content import content
from backbalance.web.ledger.models import Provider, Visit
from backbalance.web.reports import services
from tests.web.reports.conftest import history
from tests.web.routine.conftest import check_in, plan_of

URL = reverse("reports:clinician")
HEADINGS = (
    "Safety screen",
    "Main imbalances",
    "Findings and their evidence",
    "Body map",
    "Current routine",
    "Sessions per week",
    "Pain trend",
    "Devices",
)


def _get(client: Client, **params: Any) -> Any:
    return client.get(URL, params)


def test_the_owner_sees_every_section_with_a_finding_and_its_evidence(
    owner: User, owner_client: Client
) -> None:
    plan_of(owner_client)
    history(owner, 60)
    response = owner_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for heading in HEADINGS:
        assert f">{heading}</h2>" in html, heading
    # The standing level, the person, a finding with its readings, rule and source.
    assert "No warning signs" in html
    assert "<dt>Age</dt><dd>38</dd>" in html
    assert "Deep hip flexor (iliopsoas)" in html
    assert "iliopsoas_short" in html
    assert 'href="#source-1"' in html and 'id="source-1"' in html
    # The body map and the two charts, drawn inline.
    assert 'class="bm-svg"' in html
    assert 'aria-labelledby="trend-title trend-desc"' in html
    assert 'aria-labelledby="weeks-title weeks-desc"' in html
    # The routine as the Today page builds it, and the device sessions.
    assert "Short, easy walks" in html
    assert "Inversion" in html
    assert "style=" not in html and "<style" not in html
    assert ">Therapist visits</h2>" in html


def test_the_trend_is_judged_by_the_core_and_marks_its_meaningful_levels(
    owner: User, owner_client: Client
) -> None:
    plan_of(owner_client)
    history(owner, 60, start_pain=6, end_pain=3)
    response = owner_client.get(URL)
    trend = response.context["report"].trend
    assert trend.change is not None and trend.change.change == "improved_meaningfully"
    instrument = content().instruments[content().outcomes.measures["pain"]]
    assert (trend.improve_at, trend.worse_at) == services.meaningful_levels(
        instrument, trend.change.before
    )
    html = response.content.decode()
    assert f"{trend.improve_at}: meaningfully better" in html
    assert f"{trend.worse_at}: meaningfully worse" in html
    assert trend.change.says.capitalize() in html


@pytest.mark.parametrize("baseline", [0.5, 2.0, 3.3, 5.0, 6.0, 7.7, 9.0, 10.0])
def test_the_meaningful_levels_are_where_the_core_changes_its_mind(baseline: float) -> None:
    instrument = content().instruments[content().outcomes.measures["pain"]]
    improve_at, worse_at = services.meaningful_levels(instrument, baseline)
    step = 0.1
    if improve_at is not None:
        assert api.change_kind(instrument, baseline, improve_at) == "improved_meaningfully"
        assert api.change_kind(instrument, baseline, improve_at + step) != "improved_meaningfully"
    if worse_at is not None:
        assert api.change_kind(instrument, baseline, worse_at) == "worse_meaningfully"
        assert api.change_kind(instrument, baseline, worse_at - step) != "worse_meaningfully"
    # From a start of 5 both ways are open on a 0 to 10 scale.
    if baseline == 5.0:
        assert improve_at is not None and worse_at is not None


def test_only_the_chosen_sections_are_shown_and_safety_always_is(
    owner: User, owner_client: Client
) -> None:
    plan_of(owner_client)
    history(owner, 20)
    today = timezone.localdate()
    response = _get(
        owner_client,
        start=(today - timedelta(days=13)).isoformat(),
        end=today.isoformat(),
        sections=["trends"],
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert ">Safety screen</h2>" in html and ">Pain trend</h2>" in html
    for heading in ("Findings and their evidence", "Current routine", "Devices", "Body map"):
        assert f">{heading}</h2>" not in html
    # The chosen range is the one reported, and the box stays ticked.
    report = response.context["report"]
    assert (report.first_day, report.last_day) == (today - timedelta(days=13), today)
    assert re.search(r'<input[^>]*value="trends"[^>]*checked', html)
    assert not re.search(r'<input[^>]*value="findings"[^>]*checked', html)


def test_an_end_before_the_start_is_named_next_to_the_end_and_kept(owner_client: Client) -> None:
    response = _get(owner_client, start="2026-06-10", end="2026-06-01", sections=["trends"])
    assert response.status_code == 400
    html = response.content.decode()
    assert (
        '<ul class="errorlist" id="id_end_error"><li>The end date is before the start date.' in html
    )
    assert 'value="2026-06-10"' in html and 'value="2026-06-01"' in html
    assert "report" not in response.context or response.context.get("report") is None


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"start": "yesterday", "end": "2026-06-01"}, "start", "Enter a valid date."),
        ({"start": "2026-06-01", "end": ""}, "end", "This field is required."),
        ({"start": "2026-01-01", "end": "2099-01-01"}, "end", "cannot end after today"),
        ({"start": "2020-01-01", "end": "2026-06-01"}, "start", "at most three years"),
        ({"start": "2026-06-01", "end": "2026-06-02", "sections": "nonsense"}, "sections", ""),
    ],
)
def test_bad_choices_are_named_next_to_their_field(
    owner_client: Client, params: dict[str, str], field: str, message: str
) -> None:
    response = _get(owner_client, **params)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert message in html


def test_the_report_holds_only_the_owners_records(
    owner: User, owner_client: Client, stranger: User, stranger_client: Client
) -> None:
    plan_of(owner_client)
    history(owner, 30)
    response = stranger_client.get(URL)
    report = response.context["report"]
    assert report.trend.days == 0 and report.adherence.sessions == 0
    assert report.device_sessions == [] and report.routine is None
    assert "No check-ins in this period." in response.content.decode()


def test_an_emergency_leads_the_report_and_the_routine_is_locked(
    owner: User, owner_client: Client
) -> None:
    plan_of(owner_client)
    history(owner, 20)
    check_in(owner, ces_both_legs="yes")
    response = owner_client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Get help now" in html
    assert "The routine is locked until a clinician has seen the person" in html
    assert response.context["report"].routine is None
    assert html.index(">Safety screen</h2>") < html.index(">Main imbalances</h2>")


def test_nobody_is_sent_to_log_in(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_ledger_section_lists_the_visits_in_the_range(
    owner: User, owner_client: Client
) -> None:
    provider = Provider.objects.create(owner=owner, name="Physio Anna", kind="physiotherapy")
    Visit.objects.create(
        owner=owner,
        provider=provider,
        date=timezone.localdate(),
        cost=Decimal("60"),
        pain_before=Decimal("6"),
        pain_after=Decimal("4"),
    )
    params = {"sections": ["ledger"], "start": "2026-01-01", "end": str(timezone.localdate())}
    html = owner_client.get(URL, params).content.decode()
    assert ">Therapist visits</h2>" in html and "Physio Anna" in html and "6 → 4 → —" in html
    before = {"sections": ["ledger"], "start": "2026-01-01", "end": "2026-01-31"}
    assert "Physio Anna" not in owner_client.get(URL, before).content.decode()


@pytest.mark.parametrize("days", [30, 730])
def test_the_queries_do_not_grow_with_the_history(
    owner: User,
    owner_client: Client,
    django_assert_max_num_queries: DjangoAssertNumQueries,
    days: int,
) -> None:
    plan_of(owner_client)
    history(owner, days)
    owner_client.get(URL)  # the stored check-up result is derived once
    today = timezone.localdate()
    params = {
        "start": (today - timedelta(days=days)).isoformat(),
        "end": today.isoformat(),
        "sections": [s for s in services.SECTIONS if s != "ledger"],
    }
    with django_assert_max_num_queries(20):
        response = owner_client.get(URL, params)
    assert response.status_code == 200, response.context["form"].errors
    assert response.context["report"].adherence.sessions > 0


def test_the_account_and_progress_pages_link_here(owner_client: Client) -> None:
    account = owner_client.get(reverse("accounts:settings")).content.decode()
    assert f'href="{URL}"' in account and f'href="{reverse("reports:calendar")}"' in account
    progress = owner_client.get(reverse("journal:progress")).content.decode()
    assert f'href="{URL}">Print or save a report for your clinician</a>' in progress
