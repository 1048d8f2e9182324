"""A person's answers, scores and pain ratings as a FHIR R4B Bundle, for a clinic's systems.

* One Patient stands for the person. It holds nothing the person did not enter: their sex
  as its ``gender`` when they gave one, and no name, birth date or identifier. Every other
  resource names it as its ``subject`` by its ``urn:uuid:`` full URL in the bundle.
* Each check-up's safety screen and each of its questionnaires is a QuestionnaireResponse
  holding the raw answers, as given.
* Each questionnaire score the core gives (``api.score_all``: the total, any subscales,
  and the items it judges one by one, such as each PSFS activity) is an Observation in
  the ``survey`` category that points back to its answers with ``derivedFrom``. It is
  coded with the project's own instrument code, plus a LOINC code only where the
  interoperability notes list one (§5.2: 72514-3 for the 0-10 pain rating, 97909-6 for
  the ODI score); the others (PSFS, global change, RMDQ, STarT Back, FABQ) have none
  listed there, so none is claimed.
* Each pain rating (a check-in's "pain now", a check-up's "now" rating) is an Observation
  coded LOINC 72514-3 (pain severity, 0–10 numeric rating, reported), with where it hurts
  as the body site and the side as its laterality (SNOMED CT qualifier values), at the
  moment it was given (``effectiveDateTime``).
* The pain rating's score is the average over the last 24 hours, rated on the same 0–10
  scale and so coded 72514-3 as well. A receiving system tells it from a rating of the
  moment in three standard ways: its ``effectivePeriod`` covers the span it averages,
  ending when it was given (the span is the item's ``recall_hours`` in the content); a
  coding in the project's own instrument system names the item it is,
  ``pain_nrs.average``; and its ``code.text`` says so in words.

The codes are interchange identifiers, not clinical figures; they are the ones listed in
the project's interoperability notes (anchors-and-interop.md §5.1–5.2), which give their
sources: the HL7 Belgian patient-monitoring pain scale value set for 72514-3, and the FHIR
Extensions Pack's ``observation-structureLaterality`` with the body-structure laterality
value set for 7771000 / 24028007 / 51440002.

Every bundle is checked by ``fhir.resources`` (R4B models) before it leaves.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle

from backbalance.core import api
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
# The app's own instrument ids (instruments.yaml), "<instrument>.<subscale>" for a
# subscale, and "<instrument>.<item>" for a score that is one of its items (the pain
# rating's 24-hour average); a score band ("moderate") is coded "<instrument>.<band>".
INSTRUMENT_SYSTEM = "urn:backbalance:instrument"
BAND_SYSTEM = "urn:backbalance:score-band"
# LOINC codes for a score, only those the interoperability notes list (§5.2), by the
# instrument id whose score they code.
SCORE_LOINC = {
    "pain_nrs": PAIN_SEVERITY,
    "odi": {"system": LOINC, "code": "97909-6"},
}
UCUM = "http://unitsofmeasure.org"
# A score is a count of points, written as UCUM's unit-less annotation; a score the core
# works out as a percentage of the most possible (``percent_of_max``, the ODI) is in %.
POINTS = {"unit": "score", "system": UCUM, "code": "{score}"}
PERCENT = {"unit": "%", "system": UCUM, "code": "%"}
NO_TOTAL = {
    "coding": [
        {
            "system": "http://terminology.hl7.org/CodeSystem/data-absent-reason",
            "code": "not-applicable",
            "display": "Not Applicable",
        }
    ],
    "text": "This questionnaire has no total score; its subscales are the scores.",
}
# FHIR's gender for each sex the person can give; "not stated" gives no gender at all.
GENDER = {"female": "female", "male": "male", "other": "other"}
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
    record_id: uuid.UUID, name: str, answers: object, authored: str, subject: dict[str, str]
) -> dict[str, Any]:
    return {
        "resourceType": "QuestionnaireResponse",
        "id": _reference(record_id, name),
        "status": "completed",
        "subject": subject,
        "authored": authored,
        "identifier": {"system": "urn:backbalance:questionnaire", "value": name},
        "item": _items(answers),
    }


def _pain_observation(
    observation_id: str,
    pain: int,
    at: str,
    subject: dict[str, str],
    region: str = "",
    side: str = "",
) -> dict[str, Any]:
    observation: dict[str, Any] = {
        "resourceType": "Observation",
        "id": observation_id,
        "status": "final",
        "category": [SURVEY],
        "code": {"coding": [PAIN_SEVERITY], "text": "Pain now (0 to 10)"},
        "subject": subject,
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


def _quantity(value: float, unit: dict[str, str]) -> dict[str, Any]:
    return {"value": value, **unit}


def _score_observation(
    observation_id: str,
    score: api.Score,
    at: str,
    subject: dict[str, str],
    answers_url: str,
) -> dict[str, Any]:
    """One questionnaire's score as the core gave it: total, subscales, items judged alone."""
    instrument = content().instruments[score.instrument]
    unit = PERCENT if instrument.scoring == "percent_of_max" else POINTS
    own_code = {"system": INSTRUMENT_SYSTEM, "code": score.instrument, "display": score.name}
    loinc = SCORE_LOINC.get(score.instrument)
    code: dict[str, Any] = {"coding": [own_code] + ([loinc] if loinc else []), "text": score.name}
    observation: dict[str, Any] = {
        "resourceType": "Observation",
        "id": observation_id,
        "status": "final",
        "category": [SURVEY],
        "code": code,
        "subject": subject,
        "effectiveDateTime": at,
        "derivedFrom": [{"reference": answers_url}],
    }
    item = _scored_item(instrument)
    if item is not None and item.recall_hours is not None:
        # A rating over a span (the 24-hour average): said by its period, its own code
        # and its words, so it is never read as a rating of the moment.
        hours = item.recall_hours.value
        words = f"{score.name}: average over the last {hours:g} hours"
        code["coding"].append(
            {"system": INSTRUMENT_SYSTEM, "code": f"{score.instrument}.{item.id}", "display": words}
        )
        code["text"] = words
        del observation["effectiveDateTime"]
        end = dt.datetime.fromisoformat(at)
        observation["effectivePeriod"] = {
            "start": (end - dt.timedelta(hours=hours)).isoformat(),
            "end": at,
        }
    if score.value is None:
        observation["dataAbsentReason"] = NO_TOTAL
    else:
        observation["valueQuantity"] = _quantity(score.value, unit)
    if score.band is not None:
        observation["interpretation"] = [
            {
                "coding": [{"system": BAND_SYSTEM, "code": f"{score.instrument}.{score.band}"}],
                "text": score.band_label or score.band,
            }
        ]
    names = {subscale.id: subscale.name for subscale in instrument.subscales}
    components = [
        {
            "code": {
                "coding": [
                    {
                        "system": INSTRUMENT_SYSTEM,
                        "code": f"{score.instrument}.{subscale.id}",
                        "display": names.get(subscale.id, subscale.id),
                    }
                ],
                "text": names.get(subscale.id, subscale.id),
            },
            "valueQuantity": _quantity(subscale.value, unit),
        }
        for subscale in score.subscales
    ]
    # Items the core judges one by one (each PSFS activity, named in the person's own
    # words) are results of their own; other items are only answers, already in the
    # QuestionnaireResponse.
    if instrument.mcid is not None and instrument.mcid.per_item_points is not None:
        components.extend(
            {"code": {"text": name}, "valueQuantity": _quantity(value, unit)}
            for name, value in score.items.items()
        )
    if components:
        observation["component"] = components
    if score.note:
        observation["note"] = [{"text": score.note}]
    return observation


def _scored_item(instrument: Any) -> Any | None:
    """The item an instrument's score is (the pain rating's average), if it is one."""
    return next((i for i in instrument.items if i.id == instrument.primary_item), None)


def _scores(assessment: Assessment) -> dict[str, api.Score]:
    """The core's scores of the check-up's questionnaires; none when they cannot be scored.

    The answers were checked by the core when they were given (and when imported); answers
    kept from an older content that no longer scores them give no score here rather than
    a download that fails. Their answers are still in the QuestionnaireResponse.
    """
    try:
        return api.score_all(assessment.questionnaires, content().instruments)
    except api.InputError:
        return {}


def _assessment_resources(assessment: Assessment, subject: dict[str, str]) -> list[dict[str, Any]]:
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
            _questionnaire_response(assessment.id, "safety_screen", in_order, screened, subject)
        )
    for name, answers in sorted(assessment.questionnaires.items()):
        resources.append(
            _questionnaire_response(assessment.id, name, answers, answered_at, subject)
        )
    pain = assessment.questionnaires.get("pain_nrs")
    if isinstance(pain, dict) and isinstance(pain.get("now"), int):
        resources.append(
            _pain_observation(
                _reference(assessment.id, "pain_now"), pain["now"], answered_at, subject
            )
        )
    for name, score in sorted(_scores(assessment).items()):
        resources.append(
            _score_observation(
                _reference(assessment.id, f"score:{name}"),
                score,
                answered_at,
                subject,
                f"urn:uuid:{_reference(assessment.id, name)}",
            )
        )
    return resources


def _patient(patient_id: str, assessments: list[Assessment]) -> dict[str, Any]:
    """The person, with only what they entered: their sex, from their latest check-up."""
    patient: dict[str, Any] = {"resourceType": "Patient", "id": patient_id}
    for assessment in reversed(assessments):
        sex = assessment.person.get("sex") if isinstance(assessment.person, dict) else None
        if sex:
            if sex in GENDER:
                patient["gender"] = GENDER[sex]
            break
    return patient


def fhir_bundle(user: AbstractBaseUser | AnonymousUser) -> Bundle:
    """Every answer, score and pain rating of ``user`` as a validated R4B collection Bundle."""
    assessments = list(Assessment.objects.filter(owner_id=user.pk).order_by("created_at", "id"))
    check_ins = list(CheckIn.objects.filter(owner_id=user.pk).order_by("at", "id"))
    # The same Patient id in every download of the same account (derived from its first
    # record), so a clinic's system sees one person; a random one when there is nothing.
    first = assessments[0].id if assessments else check_ins[0].id if check_ins else None
    patient_id = _reference(first, "patient") if first is not None else str(uuid.uuid4())
    subject = {"reference": f"urn:uuid:{patient_id}"}
    resources: list[dict[str, Any]] = [_patient(patient_id, assessments)]
    for assessment in assessments:
        resources.extend(_assessment_resources(assessment, subject))
    for check_in in check_ins:
        resources.append(
            _pain_observation(
                _reference(check_in.id),
                check_in.pain_now,
                check_in.at.isoformat(),
                subject,
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
