"""Download for a clinic: a FHIR R4B Bundle that fhir.resources validates, pain coded
LOINC 72514-3 with the body site and its laterality (the 24-hour average told apart from a
rating of the moment), the core's questionnaire scores as Observations, and one Patient
that every answer and observation is about."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.observation import Observation

from backbalance.core import api
from backbalance.web.checkup.models import Assessment
from backbalance.web.common.content import content
from backbalance.web.journal.models import CheckIn
from tests.web.conftest import example_case, make_person
from tests.web.ownership.conftest import one_of_each

LATERALITY_URL = "http://hl7.org/fhir/StructureDefinition/observation-structureLaterality"
INSTRUMENT_SYSTEM = "urn:backbalance:instrument"
# Between them these cases answer every questionnaire the content holds.
CASES_WITH_EVERY_QUESTIONNAIRE = [
    "01_lower_crossed_office_worker.json",
    "02_flat_back_short_hamstrings.json",
    "03_lateral_tilt_right.json",
    "07_trunk_endurance_imbalance.json",
    "10_first_visit_no_tests_yet.json",
]


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


def _pain_ratings(bundle: dict[str, Any]) -> list[dict[str, Any]]:
    """The pain ratings as given: observations not worked out from answers."""
    return [o for o in _resources(bundle, "Observation") if "derivedFrom" not in o]


def _scores(bundle: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Score observations by the instrument id of their own code."""
    found: dict[str, dict[str, Any]] = {}
    for observation in _resources(bundle, "Observation"):
        for coding in observation["code"].get("coding", []):
            # (An item's own code, "pain_nrs.average", names the same score.)
            if coding["system"] == INSTRUMENT_SYSTEM and coding["code"] in content().instruments:
                assert coding["code"] not in found, "one score per questionnaire"
                found[coding["code"]] = observation
    return found


def test_the_bundle_validates_and_codes_each_pain_rating(owner_client: Client, owner: User) -> None:
    one_of_each(owner)
    bundle = _bundle(owner_client)
    assert bundle["type"] == "collection"
    observations = _pain_ratings(bundle)
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


def _codes(observation: dict[str, Any]) -> set[tuple[str, str]]:
    return {(c["system"], c["code"]) for c in observation["code"]["coding"]}


def test_the_24_hour_average_is_told_apart_from_pain_now(owner_client: Client, owner: User) -> None:
    """Both are 0-10 ratings coded LOINC 72514-3; the average says the span it covers (a
    period ending when it was given), carries its own code, and says what it is in words.
    Each rating of the moment keeps its single time."""
    one_of_each(owner)
    bundle = _bundle(owner_client)
    rated = [
        o for o in _resources(bundle, "Observation") if ("http://loinc.org", "72514-3") in _codes(o)
    ]
    averages = [o for o in rated if "effectivePeriod" in o]
    moments = [o for o in rated if "effectivePeriod" not in o]
    # The check-up's average; its "now" and the two check-ins are moments.
    assert len(averages) == 1 and len(moments) == 3
    (average,) = averages
    assessment = Assessment.objects.get(owner=owner)
    assert assessment.completed_at is not None
    pain = assessment.questionnaires["pain_nrs"]
    assert average["valueQuantity"]["value"] == pain["average"]
    assert "effectiveDateTime" not in average
    recall = next(i for i in content().instruments["pain_nrs"].items if i.id == "average")
    assert recall.recall_hours is not None
    period = Observation.model_validate(average).effectivePeriod
    assert period is not None and period.start is not None and period.end is not None
    assert period.end == assessment.completed_at
    assert period.end - period.start == timedelta(hours=recall.recall_hours.value)
    assert (INSTRUMENT_SYSTEM, "pain_nrs.average") in _codes(average)
    text = average["code"]["text"]
    assert "average" in text and f"{recall.recall_hours.value:g} hours" in text
    for moment in moments:
        assert moment["effectiveDateTime"]
        assert (INSTRUMENT_SYSTEM, "pain_nrs.average") not in _codes(moment)
        assert moment["code"]["text"] != text
    # The check-up's own "now", given at the same moment the average was.
    now = [
        m
        for m in moments
        if Observation.model_validate(m).effectiveDateTime == assessment.completed_at
    ]
    assert [m["valueInteger"] for m in now] == [pain["now"]]


def test_a_right_sided_and_a_central_pain(owner_client: Client, owner: User) -> None:
    one_of_each(owner)
    first, second = CheckIn.objects.filter(owner=owner).order_by("at")
    CheckIn.objects.filter(pk=first.pk).update(side="right")
    CheckIn.objects.filter(pk=second.pk).update(region="low_back", side="centre")
    observations = {o["id"]: o for o in _pain_ratings(_bundle(owner_client))}
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
    bundle = _bundle(owner_client)
    observations = _pain_ratings(bundle)
    # Only the owner's own check-up rating: none of the stranger's check-ins.
    assert len(observations) == 1
    owners_checkup = Assessment.objects.get(owner__username="owner")
    assert {o["derivedFrom"][0]["reference"] for o in _scores(bundle).values()} <= {
        e["fullUrl"] for e in bundle["entry"]
    }
    assert len(_scores(bundle)) == len(owners_checkup.questionnaires)
    theirs = {str(pk) for pk in CheckIn.objects.filter(owner=stranger).values_list("pk", flat=True)}
    assert theirs and not theirs & {o["id"] for o in observations}


def test_every_subject_is_the_one_patient_in_the_bundle(owner_client: Client, owner: User) -> None:
    one_of_each(owner)
    bundle = _bundle(owner_client)
    full_urls = [entry["fullUrl"] for entry in bundle["entry"]]
    assert len(set(full_urls)) == len(full_urls)
    for entry in bundle["entry"]:
        assert entry["fullUrl"] == f"urn:uuid:{entry['resource']['id']}"
    (patient,) = _resources(bundle, "Patient")
    patient_url = f"urn:uuid:{patient['id']}"
    assert patient_url in full_urls
    about = _resources(bundle, "QuestionnaireResponse") + _resources(bundle, "Observation")
    # The screen, four questionnaires, three pain ratings and four scores.
    assert len(about) == 12
    assert all(resource["subject"] == {"reference": patient_url} for resource in about)
    # Each score points back to the answers it was worked out from, in the same bundle.
    answers = {
        f"urn:uuid:{r['id']}": r["identifier"]["value"]
        for r in _resources(bundle, "QuestionnaireResponse")
    }
    for name, score in _scores(bundle).items():
        assert [answers[ref["reference"]] for ref in score["derivedFrom"]] == [name]


def test_the_patient_holds_only_what_the_person_entered(owner_client: Client, owner: User) -> None:
    assert Assessment.objects.get(owner=owner).person["sex"] == "female"
    (patient,) = _resources(_bundle(owner_client), "Patient")
    assert set(patient) == {"resourceType", "id", "gender"}
    assert patient["gender"] == "female"
    # The same person in every download.
    (again,) = _resources(_bundle(owner_client), "Patient")
    assert again["id"] == patient["id"]


def test_a_sex_not_stated_gives_no_gender(owner_client: Client, owner: User) -> None:
    assessment = Assessment.objects.get(owner=owner)
    assessment.person = {**assessment.person, "sex": "not_stated"}
    assessment.save()
    (patient,) = _resources(_bundle(owner_client), "Patient")
    assert set(patient) == {"resourceType", "id"}


def test_someone_with_no_records_is_a_patient_alone(client: Client, db: None) -> None:
    client.force_login(make_person("newcomer"))
    bundle = _bundle(client)
    assert [e["resource"]["resourceType"] for e in bundle["entry"]] == ["Patient"]
    assert "gender" not in bundle["entry"][0]["resource"]


def _quantity(observation: dict[str, Any]) -> float:
    return float(observation["valueQuantity"]["value"])


@pytest.mark.parametrize("case_name", CASES_WITH_EVERY_QUESTIONNAIRE)
def test_each_score_is_the_core_s_own(client: Client, db: None, case_name: str) -> None:
    person = make_person("scored", case_name)
    client.force_login(person)
    scores = _scores(_bundle(client))
    questionnaires = Assessment.objects.get(owner=person).questionnaires
    expected = api.score_all(questionnaires, content().instruments)
    assert expected and set(scores) == set(expected)
    for name, score in expected.items():
        observation = scores[name]
        assert observation["status"] == "final"
        # A score over a span (the 24-hour pain average) has a period; the rest a moment.
        assert observation.get("effectivePeriod") or observation["effectiveDateTime"]
        if score.value is None:
            # No total (the FABQ): said so, with the subscales as the scores.
            assert "valueQuantity" not in observation
            assert observation["dataAbsentReason"]["coding"][0]["code"] == "not-applicable"
        else:
            assert _quantity(observation) == score.value
            assert observation["valueQuantity"]["system"] == "http://unitsofmeasure.org"
        components = {
            (c["code"].get("coding") or [{"code": c["code"]["text"]}])[0]["code"]: c
            for c in observation.get("component", [])
        }
        for subscale in score.subscales:
            assert _quantity(components[f"{name}.{subscale.id}"]) == subscale.value
        if name == "psfs":
            # Each activity, in the person's own words, with its own rating.
            assert {k: _quantity(c) for k, c in components.items()} == score.items
        if score.band is not None:
            assert observation["interpretation"][0]["text"] == score.band_label


def test_loinc_codes_are_only_those_the_notes_list(owner_client: Client, owner: User) -> None:
    # Every questionnaire answered in one check-up.
    assessment = Assessment.objects.get(owner=owner)
    for case_name in CASES_WITH_EVERY_QUESTIONNAIRE[1:]:
        answers = example_case(case_name)["questionnaires"]
        assessment.questionnaires |= {k: v for k, v in answers.items() if k != "pain_nrs"}
    assessment.save()
    bundle = _bundle(owner_client)
    codes = {
        coding["code"]
        for observation in _resources(bundle, "Observation")
        for coding in observation["code"]["coding"]
        if coding["system"] == "http://loinc.org"
    }
    # Pain 0-10 and the ODI score (anchors-and-interop.md §5.2); none made up for the rest.
    assert codes == {"72514-3", "97909-6"}
    scores = _scores(bundle)
    assert set(scores) == set(content().instruments)
    assert scores["odi"]["valueQuantity"]["code"] == "%"
    for name in ("psfs", "rmdq", "startback", "fabq", "groc"):
        assert [c["system"] for c in scores[name]["code"]["coding"]] == [INSTRUMENT_SYSTEM]


def test_no_questionnaires_no_scores(owner_client: Client, owner: User) -> None:
    Assessment.objects.filter(owner=owner).update(questionnaires={})
    bundle = _bundle(owner_client)
    assert _scores(bundle) == {}
    assert _resources(bundle, "Observation") == []
    # The screen is still there, about the same person.
    (screen,) = _resources(bundle, "QuestionnaireResponse")
    assert screen["subject"]["reference"].startswith("urn:uuid:")


def test_anonymous_goes_to_log_in(client: Client) -> None:
    response = client.get(reverse("ownership:export_fhir"))
    assert response["Location"].startswith(reverse("accounts:login"))
