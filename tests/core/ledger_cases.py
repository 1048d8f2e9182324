"""Build ledger files for tests: a course of care from a few numbers."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

START = date(2026, 9, 1)


def day(offset: int) -> str:
    return (START + timedelta(days=offset)).isoformat()


def as_of(offset: int) -> date:
    return START + timedelta(days=offset)


def course(
    visits: list[tuple[int, float]],
    **extra: Any,
) -> dict[str, Any]:
    """A course: ``visits`` as (day offset, pain before), each costing 50 with 20 back.

    ``visits_next_day`` sets the pain noted the day after the last visit.
    """
    data: dict[str, Any] = {
        "provider": {"name": "Test Clinic", "kind": "physiotherapy"},
        "visits": [
            {"date": day(offset), "cost": 50, "reimbursed": 20, "pain_before": pain}
            for offset, pain in visits
        ],
    }
    next_day = extra.pop("visits_next_day", None)
    if next_day is not None:
        data["visits"][-1]["pain_next_day"] = next_day
    data.update(extra)
    return data


def weekly(pains: list[float], *, every: int = 7) -> list[tuple[int, float]]:
    """Visits every ``every`` days from day 0 with these pains before."""
    return [(n * every, pain) for n, pain in enumerate(pains)]
