"""Recording that a clinician has seen the person, and what that opens."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from backbalance.web.journal.models import ClinicianVisit
from backbalance.web.journal.safety import current_safety
from tests.web.journal.conftest import post_check_in

URL = reverse("journal:clinician_seen")


def test_the_owner_records_a_visit_and_reads_what_happens_next(
    owner: User, owner_client: Client
) -> None:
    page = owner_client.get(URL)
    assert page.status_code == 200
    assert reverse("checkup:start") in page.content.decode()
    today = timezone.localdate()
    response = owner_client.post(URL, {"seen_on": today.isoformat(), "note": "GP: settling"})
    assert response.status_code == 302 and response["Location"] == URL
    visit = ClinicianVisit.objects.get(owner=owner)
    assert (visit.seen_on, visit.note) == (today, "GP: settling")
    html = owner_client.get(URL).content.decode()
    assert "GP: settling" in html
    assert "take the place of the ones held until now" in html


def test_anonymous_is_sent_to_log_in(db: None, client: Client) -> None:
    for method in (client.get, client.post):
        response = method(URL, {"seen_on": timezone.localdate().isoformat()})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert not ClinicianVisit.objects.exists()


def test_a_strangers_visit_does_not_unlock_the_owner(
    owner: User, owner_client: Client, stranger_client: Client
) -> None:
    post_check_in(owner_client, answers={"ces_saddle_numbness": "yes"})
    stranger_client.post(URL, {"seen_on": timezone.localdate().isoformat()})
    # The stranger's visit is theirs alone: the owner's page lists none. (Checked on the
    # records, not by looking for a word, which a random CSRF token could contain.)
    assert not ClinicianVisit.objects.filter(owner=owner).exists()
    assert owner_client.get(URL).context["visits"] == []
    post_check_in(owner_client, answers={"ces_saddle_numbness": "no"})
    assert current_safety(owner).emergency


def test_a_date_to_come_is_refused_and_the_note_kept(owner: User, owner_client: Client) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = owner_client.post(URL, {"seen_on": tomorrow.isoformat(), "note": "kept note"})
    assert response.status_code == 400
    assert "still to come" in response.context["form"].errors["seen_on"][0]
    html = response.content.decode()
    assert "kept note" in html and tomorrow.isoformat() in html
    assert not ClinicianVisit.objects.exists()


def test_a_visit_before_the_safety_screen_is_refused(owner: User, owner_client: Client) -> None:
    before = timezone.localdate() - timedelta(days=3)
    response = owner_client.post(URL, {"seen_on": before.isoformat()})
    assert response.status_code == 400
    assert "before your safety questions" in response.context["form"].errors["seen_on"][0]
    assert not ClinicianVisit.objects.exists()


def test_a_bad_date_is_named(owner_client: Client) -> None:
    response = owner_client.post(URL, {"seen_on": "last tuesday"})
    assert response.status_code == 400
    assert response.context["form"].errors["seen_on"]
    assert not ClinicianVisit.objects.exists()
