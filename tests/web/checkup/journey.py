"""Walking the check-up as a person would: form data for each page from a case."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.test import Client
from django.urls import reverse

from backbalance.web.checkup import services
from backbalance.web.checkup.models import Assessment
from backbalance.web.common.content import content


def begin(client: Client) -> Assessment:
    """Open the check-up from the menu; the new (or resumed) check-up."""
    response = client.get(reverse("checkup:start"))
    assert response.status_code == 302
    pk = UUID(response["Location"].split("/")[2])
    return Assessment.objects.get(pk=pk)


def screen_url(pk: UUID, step: int) -> str:
    return reverse("checkup:screen", kwargs={"pk": pk, "step": step})


def answer_screen(
    client: Client, pk: UUID, person: dict[str, Any], screening: dict[str, str]
) -> Any:
    """Every page of the safety screen in order; the response to the last page."""
    response = client.post(screen_url(pk, 1), {"age": str(person["age"]), "sex": person["sex"]})
    assert response.status_code == 302, response.content
    for page in services.screen_pages():
        data = {q.id: screening[q.id] for q in page.questions}
        response = client.post(screen_url(pk, page.number), data)
        assert response.status_code == 302, response.content
    return response


def all_no() -> dict[str, str]:
    return {q.id: "no" for q in content().red_flags.questions}


def about_data(case: dict[str, Any]) -> dict[str, Any]:
    context = case["context"]
    data: dict[str, Any] = {
        "minutes_per_day": str(context["minutes_per_day"]),
        "equipment": [
            e for e in context.get("equipment", []) if not content().equipment[e].always_available
        ],
        "conditions": context.get("conditions", []),
        "eases": context.get("eases", []),
        "worsens": context.get("worsens", []),
        "irritability": context.get("irritability", "moderate"),
    }
    for item, value in case["questionnaires"].get("pain_nrs", {}).items():
        data[f"pain_{item}"] = str(value)
    for row, entry in enumerate(case["questionnaires"].get("psfs", []), start=1):
        data[f"psfs_activity_{row}"] = entry["activity"]
        data[f"psfs_rating_{row}"] = str(entry["rating"])
    return data


def _field_data(prefix: str, reading: dict[str, Any]) -> dict[str, str]:
    data: dict[str, str] = {}
    for key, value in reading.items():
        if isinstance(value, bool):
            value = "true" if value else "false"
        data[f"{prefix}{key}"] = str(value)
    return data


def test_data(test_id: str, readings: dict[str, Any]) -> dict[str, str]:
    """A test's readings (case format) as the self-test form posts them."""
    if not content().tests[test_id].per_side:
        return _field_data("", readings)
    data: dict[str, str] = {}
    for side, reading in readings.items():
        data.update(_field_data(f"{side}__", reading))
    return data


def screened(client: Client, screening: dict[str, str] | None = None) -> Assessment:
    """A fresh check-up with the screen answered (all no unless given)."""
    assessment = begin(client)
    answer_screen(client, assessment.pk, {"age": 38, "sex": "female"}, screening or all_no())
    assessment.refresh_from_db()
    return assessment


def about_done(client: Client, case: dict[str, Any]) -> Assessment:
    assessment = screened(client, case["screening"])
    response = client.post(reverse("checkup:about", kwargs={"pk": assessment.pk}), about_data(case))
    assert response.status_code == 302, response.content
    assessment.refresh_from_db()
    return assessment


def logged_in(username: str) -> Client:
    from tests.web.conftest import make_person

    client = Client()
    client.force_login(make_person(username))
    return client


def emergency_screening() -> dict[str, str]:
    """All no but one sign of cauda equina syndrome."""
    return {**all_no(), "ces_bladder_change": "yes"}


def assert_login_redirect(response: Any) -> None:
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
