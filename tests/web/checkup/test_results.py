"""The results page of a check-up: triage, the body map, the evidence trail, and guards."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from backbalance.web.checkup.models import Assessment
from backbalance.web.common.content import content
from backbalance.web.journal.models import CheckIn
from tests.web.conftest import example_case, make_person


def _results_url(user: User) -> str:
    assessment = Assessment.objects.get(owner=user)
    return reverse("checkup:results", kwargs={"pk": assessment.pk})


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _region_fill(html: str, muscle: str, side: str) -> str:
    match = re.search(
        rf'<g class="bm-region" data-muscle="{muscle}" data-side="{side}" data-fill="([a-z-]+)"',
        html,
    )
    assert match, f"no body-map region for {muscle} {side}"
    return match.group(1)


def test_the_owner_sees_the_map_coloured_by_the_findings_of_example_01(
    owner: User, owner_client: Client
) -> None:
    response = owner_client.get(_results_url(owner))
    assert response.status_code == 200
    html = response.content.decode()
    # Example 01: short hip flexors, weak buttocks and belly, normal outer hip band.
    assert _region_fill(html, "rectus_femoris", "left") == "tight"
    assert _region_fill(html, "iliopsoas", "right") == "tight"
    assert _region_fill(html, "gluteus_maximus", "left") == "weak"
    assert _region_fill(html, "rectus_abdominis", "centre") == "weak"
    assert _region_fill(html, "tfl_itb", "left") == "normal"
    # Hamstrings tested normal for length and weak for strength: shown as weak.
    assert _region_fill(html, "hamstrings", "right") == "weak"
    assert _region_fill(html, "gluteus_medius", "left") != "tight"
    # The pictures are labelled images with a title and a description.
    assert 'role="img"' in html and 'aria-labelledby="bm-front-title bm-front-desc"' in html
    assert "your left" in html and "your right" in html
    assert "style=" not in html, "the content security policy forbids inline styles"


def test_the_main_imbalance_is_explained_with_its_evidence_trail(
    owner: User, owner_client: Client
) -> None:
    html = owner_client.get(_results_url(owner)).content.decode()
    assert "Lower crossed pattern" in html
    # Readings -> rule -> source: the hip angle, the rule's words, a source's title.
    assert "iliopsoas_short" in html
    thomas = content().tests["modified_thomas"]
    hip_angle = next(field for field in thomas.record if field.id == "hip_angle")
    assert hip_angle.label in html
    assert content().sources["S14"].citation.split("(")[0].strip() in html
    # The measures table shows the McGill flexion to extension ratio with its target.
    assert "flexion : extension" in html and "Target: at most 1" in html
    # McGill's right-to-left side plank ratio is shown, never judged.
    right_left = html.split("right : left side bridge")[1].split('<div class="measure')[0]
    assert "For comparison only" in right_left and "Within the reference" not in right_left
    assert reverse("therapies:index") in html and reverse("routine:today") in html


def test_example_03_colours_one_side_only(db: None) -> None:
    person = make_person("tilted", "03_lateral_tilt_right.json")
    html = _client(person).get(_results_url(person)).content.decode()
    assert _region_fill(html, "tfl_itb", "right") == "tight"
    assert _region_fill(html, "tfl_itb", "left") == "normal"
    assert _region_fill(html, "gluteus_medius", "right") == "weak"
    assert _region_fill(html, "gluteus_medius", "left") == "normal"
    assert _region_fill(html, "quadratus_lumborum", "right") == "weak"
    assert _region_fill(html, "quadratus_lumborum", "left") == "untested"
    assert "One side of the trunk tires sooner" in html


def test_a_test_that_could_not_be_judged_says_what_to_redo(db: None) -> None:
    person = make_person("unsure", "09_invalid_and_painful_tests.json")
    html = _client(person).get(_results_url(person)).content.decode()
    assert _region_fill(html, "iliopsoas", "left") == "untested-unsure"
    assert "Could not be judged: worth redoing" in html
    assert f"Redo:</strong> {content().tests['modified_thomas'].name}" in html


def test_an_emergency_shows_only_where_to_go_now(db: None) -> None:
    person = make_person("emergency", "04_cauda_equina_emergency.json")
    response = _client(person).get(_results_url(person))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Go to a hospital emergency department now" in html
    for hidden in (
        "bm-region",
        "Main imbalances",
        "All findings",
        "Measures",
        "Therapies in detail",
    ):
        assert hidden not in html
    assert reverse("routine:today") not in html.split('<main id="main"')[1]


def test_an_older_emergency_check_up_still_shows_only_where_to_go(db: None) -> None:
    # A newer screen with no red flag stands now; the emergency check-up's own result
    # must still show nothing but where to go.
    person = make_person("later", "04_cauda_equina_emergency.json")
    old = Assessment.objects.get(owner=person)
    Assessment.objects.filter(pk=old.pk).update(screened_at=timezone.now() - timedelta(days=9))
    newer = example_case("01_lower_crossed_office_worker.json")
    Assessment.objects.create(
        owner=person,
        person=newer["person"],
        screening=newer["screening"],
        screened_at=timezone.now(),
    )
    html = _client(person).get(reverse("checkup:results", kwargs={"pk": old.pk})).content.decode()
    assert "Go to a hospital emergency department now" in html
    assert "bm-region" not in html and "All findings" not in html


def test_an_emergency_reported_after_the_check_up_hides_the_results(
    owner: User, owner_client: Client
) -> None:
    screen = Assessment.objects.get(owner=owner)
    CheckIn.objects.create(
        owner=owner,
        at=timezone.now(),
        pain_now=8,
        safety={"ces_bladder_change": "yes"},
        standing_answers={**screen.screening, "ces_bladder_change": "yes"},
        level="emergency",
        content_version=content().version,
    )
    html = owner_client.get(_results_url(owner)).content.decode()
    assert "Go to a hospital emergency department now" in html
    assert "bm-region" not in html, "the body map is shown while an emergency stands"
    assert "Lower crossed pattern" not in html


def test_a_stranger_gets_404_whatever_the_method(owner: User, stranger_client: Client) -> None:
    assert stranger_client.get(_results_url(owner)).status_code == 404
    assert stranger_client.post(_results_url(owner)).status_code == 404


def test_the_page_only_shows(owner: User, owner_client: Client) -> None:
    assert owner_client.post(_results_url(owner)).status_code == 405


def test_nobody_is_sent_to_log_in(owner: User, client: Client) -> None:
    url = _results_url(owner)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_check_up_still_in_progress_says_so(db: None) -> None:
    person = make_person("early")
    assessment = Assessment.objects.create(owner=person, person={"age": 40})
    response = _client(person).get(reverse("checkup:results", kwargs={"pk": assessment.pk}))
    assert response.status_code == 200
    assert "not ready yet" in response.content.decode()


def test_the_page_reads_a_fixed_number_of_rows(
    owner: User, owner_client: Client, django_assert_max_num_queries: Any
) -> None:
    url = _results_url(owner)
    owner_client.get(url)  # the first view stores the derived result
    # Session, user, the check-up, and the standing safety level (five): nothing grows with
    # history.
    with django_assert_max_num_queries(10):
        assert owner_client.get(url).status_code == 200
