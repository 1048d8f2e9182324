"""The page after a check-in: calm when all is well, where to go when it is not."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from backbalance.web.journal.models import CheckIn
from tests.web.journal.conftest import post_check_in


def _saved(client: Client, **kwargs: object) -> str:
    response = post_check_in(client, **kwargs)
    assert response.status_code == 302
    return str(response["Location"])


def test_a_calm_check_in_shows_todays_pain_and_a_way_back(owner_client: Client) -> None:
    html = owner_client.get(
        _saved(owner_client, pain=6, region="neck", side="left")
    ).content.decode()
    assert "Check-in saved" in html
    assert '<span class="big-number">6</span>' in html
    assert "Neck · Left" in html
    assert reverse("common:home") in html
    assert "Please get medical help now" not in html


def test_the_days_earlier_pain_is_shown_too(owner_client: Client) -> None:
    _saved(owner_client, pain=2)
    html = owner_client.get(_saved(owner_client, pain=5)).content.decode()
    assert "Today so far, oldest first: 2, 5" in html


def test_a_sign_to_mention_keeps_the_calm_page_with_its_reason(owner_client: Client) -> None:
    response = owner_client.get(_saved(owner_client, answers={"leg_numbness_new": "yes"}))
    triage = response.context["triage"]
    assert triage.level == "routine"
    html = response.content.decode()
    assert "Check-in saved" in html and triage.headline in html
    assert triage.reasons[0].reason[:40] in html.replace("&#x27;", "'")


def test_an_emergency_shows_where_to_go_from_the_triage(owner: User, owner_client: Client) -> None:
    response = owner_client.get(_saved(owner_client, answers={"ces_bladder_change": "yes"}))
    html = response.content.decode()
    triage = response.context["triage"]
    assert triage.level == "emergency" and triage.what_to_do
    assert "Please get medical help now" in html
    for step in triage.what_to_do:
        assert str(step)[:40] in html.replace("&#x27;", "'")
    assert reverse("journal:clinician_seen") in html


def test_urgent_shows_see_a_doctor_within_days(owner_client: Client) -> None:
    # Progressive leg weakness alone is urgent in the content (not an emergency).
    response = owner_client.get(_saved(owner_client, answers={"leg_weakness_progressive": "yes"}))
    assert response.context["check_in"].level == "urgent"
    html = response.content.decode()
    assert response.context["triage"].headline in html
    assert "gentle movements" in html
    assert "Please get medical help now" not in html


def test_a_stranger_gets_404(owner_client: Client, stranger_client: Client) -> None:
    url = _saved(owner_client)
    for method in (stranger_client.get, stranger_client.post):
        assert method(url).status_code == 404
    missing = reverse("journal:check_in_done", args=["00000000-0000-0000-0000-000000000000"])
    assert owner_client.get(missing).status_code == 404


def test_anonymous_is_sent_to_log_in(owner: User, owner_client: Client, client: Client) -> None:
    url = _saved(owner_client)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_only_get_is_served(owner: User, owner_client: Client) -> None:
    url = _saved(owner_client)
    assert owner_client.post(url).status_code == 405
    assert CheckIn.objects.filter(owner=owner).count() == 1
