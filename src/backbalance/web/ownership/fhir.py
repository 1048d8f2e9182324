"""A person's answers and pain ratings as a FHIR R4B Bundle, for a clinic's own systems.

* Each check-up's safety screen and each of its questionnaires is a QuestionnaireResponse
  holding the raw answers, as given.
* Each pain rating (a check-in's "pain now", a check-up's "now" rating) is an Observation
  coded LOINC 72514-3 (pain severity, 0–10 numeric rating, reported), with where it hurts
  as the body site and the side as its laterality (SNOMED CT qualifier values).

The codes are interchange identifiers, not clinical figures; they are the ones listed in
the project's interoperability notes (anchors-and-interop.md §5.1–5.2), which give their
sources: the HL7 Belgian patient-monitoring pain scale value set for 72514-3, and the FHIR
Extensions Pack's ``observation-structureLaterality`` with the body-structure laterality
value set for 7771000 / 24028007 / 51440002.

Every bundle is checked by ``fhir.resources`` (R4B models) before it leaves.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle

from backbalance.web.checkup.models import Assessment
from backbalance.web.common.bodymap import PAIN_REGION_LABELS
from backbalance.web.common.content import content
from backbalance.web.journal.models import CheckIn

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
PAIN_SEVERITY = {
    "system": LOINC,
    "code": "72514-3",
    "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
}
LATERALITY_EXTENSION = "http://hl7.org/fhir/StructureDefinition/observation-structureLaterality"
LATERALITY = {
    "left": {"system": SNOMED, "code": "7771000", "display": "Left"},
    "right": {"system": SNOMED, "code": "24028007", "display": "Right"},
    "both": {"system": SNOMED, "code": "51440002", "display": "Right and left"},
}
# The app's own region ids (the body map of the check-in); no standard code is claimed.
REGION_SYSTEM = "urn:backbalance:pain-region"
SURVEY = {
    "coding": [
        {
            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
            "code": "survey",
            "display": "Survey",
        }
    ]
}


def _reference(record_id: uuid.UUID, suffix: str = "") -> str:
    """A stable id in the bundle: the record's own id, or one derived from it."""
    if not suffix:
        return str(record_id)
    return str(uuid.uuid5(record_id, suffix))


def _answer(value: object) -> list[dict[str, Any]]:
    if value is None:
        return []
    if isinstance(value, bool):
        return [{"valueBoolean": value}]
    if isinstance(value, int):
        return [{"valueInteger": value}]
    if isinstance(value, float):
        return [{"valueDecimal": value}]
    return [{"valueString": str(value)}]


def _items(answers: object) -> list[dict[str, Any]]:
    """Answers as QuestionnaireResponse items: keys or positions (from 1) as link ids."""
    if isinstance(answers, dict):
        pairs = [(str(key), value) for key, value in answers.items()]
    elif isinstance(answers, list):
        pairs = [(str(number), value) for number, value in enumerate(answers, start=1)]
    else:
        return [{"linkId": "answer", "answer": _answer(answers)}]
    items: list[dict[str, Any]] = []
    for link_id, value in pairs:
        item: dict[str, Any] = {"linkId": link_id}
        if isinstance(value, dict | list):
            item["item"] = _items(value)
        else:
            answer = _answer(value)
            if answer:
                item["answer"] = answer
        items.append(item)
    return items


def _questionnaire_response(
    record_id: uuid.UUID, name: str, answers: object, authored: str
) -> dict[str, Any]:
    return {
        "resourceType": "QuestionnaireResponse",
        "id": _reference(record_id, name),
        "status": "completed",
        "authored": authored,
        "identifier": {"system": "urn:backbalance:questionnaire", "value": name},
        "item": _items(answers),
    }


def _pain_observation(
    observation_id: str, pain: int, at: str, region: str = "", side: str = ""
) -> dict[str, Any]:
    observation: dict[str, Any] = {
        "resourceType": "Observation",
        "id": observation_id,
        "status": "final",
        "category": [SURVEY],
        "code": {"coding": [PAIN_SEVERITY], "text": "Pain now (0 to 10)"},
        "effectiveDateTime": at,
        "valueInteger": pain,
    }
    if region:
        site: dict[str, Any] = {
            "coding": [
                {
                    "system": REGION_SYSTEM,
                    "code": region,
                    "display": str(PAIN_REGION_LABELS.get(region, region)),
                }
            ],
            "text": str(PAIN_REGION_LABELS.get(region, region)),
        }
        if side in LATERALITY:
            site["extension"] = [
                {
                    "url": LATERALITY_EXTENSION,
                    "valueCodeableConcept": {"coding": [LATERALITY[side]]},
                }
            ]
        observation["bodySite"] = site
    return observation


def _assessment_resources(assessment: Assessment) -> list[dict[str, Any]]:
    resources: list[dict[str, Any]] = []
    answered_at = (assessment.completed_at or assessment.created_at).isoformat()
    if assessment.screening:
        screened = (assessment.screened_at or assessment.created_at).isoformat()
        # In the screen's own order: a stored JSON object keeps no key order on PostgreSQL.
        order = {q.id: n for n, q in enumerate(content().red_flags.questions)}
        in_order = dict(
            sorted(assessment.screening.items(), key=lambda kv: order.get(kv[0], len(order)))
        )
        resources.append(
            _questionnaire_response(assessment.id, "safety_screen", in_order, screened)
        )
    for name, answers in sorted(assessment.questionnaires.items()):
        resources.append(_questionnaire_response(assessment.id, name, answers, answered_at))
    pain = assessment.questionnaires.get("pain_nrs")
    if isinstance(pain, dict) and isinstance(pain.get("now"), int):
        resources.append(
            _pain_observation(_reference(assessment.id, "pain_now"), pain["now"], answered_at)
        )
    return resources


def fhir_bundle(user: AbstractBaseUser | AnonymousUser) -> Bundle:
    """Every answer and pain rating of ``user`` as a validated R4B collection Bundle."""
    resources: list[dict[str, Any]] = []
    for assessment in Assessment.objects.filter(owner_id=user.pk).order_by("created_at", "id"):
        resources.extend(_assessment_resources(assessment))
    for check_in in CheckIn.objects.filter(owner_id=user.pk).order_by("at", "id"):
        resources.append(
            _pain_observation(
                _reference(check_in.id),
                check_in.pain_now,
                check_in.at.isoformat(),
                check_in.region,
                check_in.side,
            )
        )
    return Bundle.model_validate(
        {
            "resourceType": "Bundle",
            "type": "collection",
            "timestamp": timezone.now().isoformat(),
            "entry": [
                {"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource}
                for resource in resources
            ],
        }
    )
