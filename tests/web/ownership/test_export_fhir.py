"""Download for a clinic: a FHIR R4B Bundle that fhir.resources validates, pain coded
LOINC 72514-3 with the body site and its laterality."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from fhir.resources.R4B.bundle import Bundle

from backbalance.web.journal.models import CheckIn
from tests.web.ownership.conftest import one_of_each

LATERALITY_URL = "http://hl7.org/fhir/StructureDefinition/observation-structureLaterality"


def _bundle(client: Client) -> dict[str, Any]:
    response = client.get(reverse("ownership:export_fhir"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    # The download itself parses as an R4B Bundle (types, required fields, no extras).
    Bundle.model_validate_json(response.content)
    data: dict[str, Any] = json.loads(response.content)
    return data


def _resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def test_the_bundle_validates_and_codes_each_pain_rating(owner_client: Client, owner: User) -> None:
    one_of_each(owner)
    bundle = _bundle(owner_client)
    assert bundle["type"] == "collection"
    observations = _resources(bundle, "Observation")
    # Two check-ins and the check-up's "pain now".
    assert len(observations) == 3
    for observation in observations:
        assert observation["status"] == "final"
        assert observation["code"]["coding"][0]["system"] == "http://loinc.org"
        assert observation["code"]["coding"][0]["code"] == "72514-3"
        assert 0 <= observation["valueInteger"] <= 10
    by_pain = {o["valueInteger"]: o for o in observations}
    low_back_left = by_pain[4]
    assert low_back_left["bodySite"]["coding"][0]["code"] == "low_back"
    laterality = low_back_left["bodySite"]["extension"][0]
    assert laterality["url"] == LATERALITY_URL
    assert laterality["valueCodeableConcept"]["coding"][0] == {
        "system": "http://snomed.info/sct",
        "code": "7771000",
        "display": "Left",
    }
    hip_both = by_pain[3]["bodySite"]["extension"][0]["valueCodeableConcept"]["coding"][0]
    assert hip_both["code"] == "51440002"


def test_a_right_sided_and_a_central_pain(owner_client: Client, owner: User) -> None:
    one_of_each(owner)
    first, second = CheckIn.objects.filter(owner=owner).order_by("at")
    CheckIn.objects.filter(pk=first.pk).update(side="right")
    CheckIn.objects.filter(pk=second.pk).update(region="low_back", side="centre")
    observations = {o["id"]: o for o in _resources(_bundle(owner_client), "Observation")}
    right = observations[str(first.pk)]["bodySite"]["extension"][0]["valueCodeableConcept"]
    assert right["coding"][0]["code"] == "24028007"
    # The middle of the back has no side: a body site with no laterality.
    assert "extension" not in observations[str(second.pk)]["bodySite"]


def test_the_answers_are_questionnaire_responses(owner_client: Client, owner: User) -> None:
    one_of_each(owner)
    responses = _resources(_bundle(owner_client), "QuestionnaireResponse")
    names = {r["identifier"]["value"] for r in responses}
    assert {"safety_screen", "pain_nrs", "psfs", "odi", "startback"} <= names
    screen = next(r for r in responses if r["identifier"]["value"] == "safety_screen")
    first = screen["item"][0]
    assert first == {"linkId": "ces_saddle_numbness", "answer": [{"valueString": "no"}]}
    odi = next(r for r in responses if r["identifier"]["value"] == "odi")
    # A skipped ODI section stays an item with no answer.
    assert {"linkId": "8"} in odi["item"]


def test_the_bundle_holds_nobody_else_s_ratings(
    owner_client: Client, owner: User, stranger: User
) -> None:
    one_of_each(stranger)
    observations = _resources(_bundle(owner_client), "Observation")
    # Only the owner's own check-up rating: none of the stranger's check-ins.
    assert len(observations) == 1
    theirs = {str(pk) for pk in CheckIn.objects.filter(owner=stranger).values_list("pk", flat=True)}
    assert theirs and not theirs & {o["id"] for o in observations}


def test_anonymous_goes_to_log_in(client: Client) -> None:
    response = client.get(reverse("ownership:export_fhir"))
    assert response["Location"].startswith(reverse("accounts:login"))
