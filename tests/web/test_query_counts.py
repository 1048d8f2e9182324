"""The main pages make as many database queries with a year of history as with a week.

A page that reads history one row at a time (a query per check-in, per session, per
re-test) would grow with every day of use; this catches it. Each page is requested once to
warm it (a stale result is derived and stored on a first visit), then counted.
"""

from __future__ import annotations

import pytest
from benchmarks.pages import MAIN_PAGES, main_page_url
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from backbalance.web.demo import seed_history
from backbalance.web.journal.models import CheckIn

PASSWORD = "a-long-test-password-7"
WEEK = 7
YEAR = 365


def _queries(user: User, url: str) -> tuple[int, int]:
    client = Client()
    client.force_login(user)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        status = client.get(url).status_code
    return status, len(queries.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(MAIN_PAGES))
def test_a_page_does_not_query_more_with_more_history(name: str) -> None:
    seed_history("week", PASSWORD, days=WEEK)
    seed_history("year", PASSWORD, days=YEAR)
    week, year = User.objects.get(username="week"), User.objects.get(username="year")
    week_url, year_url = main_page_url(name, week), main_page_url(name, year)
    assert week_url is not None and year_url is not None, f"{name} has no page to open"
    week_status, week_count = _queries(week, week_url)
    year_status, year_count = _queries(year, year_url)
    assert week_status == year_status and week_status < 400, (week_status, year_status)
    assert week_count > 0
    assert year_count == week_count, (
        f"{name}: {week_count} queries for a week, {year_count} for a year"
    )


@pytest.mark.django_db
def test_the_year_has_far_more_history_than_the_week() -> None:
    # The comparison above only means something if the histories differ by a lot.
    seed_history("week", PASSWORD, days=WEEK)
    seed_history("year", PASSWORD, days=YEAR)
    week = CheckIn.objects.filter(owner__username="week").count()
    year = CheckIn.objects.filter(owner__username="year").count()
    assert week > 0 and year >= 30 * week
