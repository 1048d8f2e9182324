"""The results of one check-up: triage, the body map, the imbalances and their evidence.

Everything shown comes from the core's result (``services.result_for``) and the content
(names, source titles, field labels); this module only arranges it for the page. An
emergency, in the check-up or standing since a later check-in, shows where to go now and
nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from backbalance.core import api
from backbalance.figures import POSES, render_pose
from backbalance.web.checkup import services
from backbalance.web.checkup.models import Assessment
from backbalance.web.common import bodymap
from backbalance.web.common.access import owned_or_404
from backbalance.web.common.content import content
from backbalance.web.common.context import safety_for

# Findings are shown in these groups, in this order.
_GROUPS: tuple[tuple[str, frozenset[str]], ...] = (
    ("tight", frozenset({"short", "tight"})),
    ("weak", frozenset({"weak", "lax"})),
    ("inconclusive", frozenset({"inconclusive"})),
    ("normal", frozenset({"normal"})),
)


@login_required
def results_page(request: HttpRequest, pk: UUID) -> HttpResponse:
    # The owner check comes before the method check, so a stranger gets the same 404
    # whatever the method and cannot learn that the check-up exists.
    assessment = owned_or_404(Assessment, request.user, pk)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    safety = safety_for(request)
    try:
        result = services.result_for(assessment)
    except api.CaseError:
        return render(
            request,
            "checkup/results_not_ready.html",
            {"nav": "checkup", "assessment": assessment},
        )
    if result["triage"]["level"] == "emergency":
        return render(
            request,
            "checkup/results_emergency.html",
            {"nav": "checkup", "triage": result["triage"]},
        )
    if getattr(safety, "emergency", False):
        # A red flag reported since this check-up outranks everything in it.
        return render(
            request,
            "checkup/results_emergency.html",
            {"nav": "checkup", "triage": safety.triage},  # type: ignore[attr-defined]
        )
    return render(request, "checkup/results.html", results_context(assessment, result, safety))


def results_context(
    assessment: Assessment, result: Mapping[str, Any], safety: Any
) -> dict[str, Any]:
    """What the results template shows, arranged from the result and the content."""
    loaded = content()
    names = {muscle_id: muscle.name for muscle_id, muscle in loaded.muscles.items()}
    findings: Sequence[Mapping[str, Any]] = result["findings"]
    return {
        "nav": "checkup",
        "assessment": assessment,
        "triage": result["triage"],
        "body_map": bodymap.findings_map(findings, names, prefix="bm"),
        "legend": bodymap.legend("bm"),
        "map_rows": _map_rows(findings, names),
        "imbalances": [_imbalance(item) for item in result["primary_imbalances"]],
        "finding_groups": _finding_groups(findings, assessment),
        "signs": [_sign(sign) for sign in result["signs"]],
        "warnings": result["warnings"],
        "measures": [_measure(measure) for measure in result["measures"]],
        "devices": [_device(adjunct) for adjunct in result["adjuncts"].values()],
        "has_routine": result.get("routine") is not None,
        "devices_allowed": getattr(safety, "devices_allowed", False),
        "disclaimer": result["disclaimer"],
        "versions": (result["engine_version"], result["content_version"]),
    }


# --------------------------------------------------------------------------- wording


def confidence_words(confidence: str) -> str:
    return {
        "low": _("a first hint"),
        "moderate": _("fairly likely"),
        "high": _("clear"),
    }.get(confidence, confidence)


def status_words(status: str) -> str:
    return {
        "short": _("short"),
        "tight": _("tight"),
        "weak": _("weak"),
        "lax": _("lax (too loose)"),
        "normal": _("in the usual range"),
        "inconclusive": _("could not be judged"),
    }.get(status, status)


def _group_title(group: str) -> str:
    return {
        "tight": _("Short or tight"),
        "weak": _("Weak or lax"),
        "inconclusive": _("Could not be judged: worth redoing"),
        "normal": _("In the usual range"),
    }[group]


def _aspect_words(aspect: str) -> str:
    return {"length": _("length"), "strength": _("strength and endurance")}.get(aspect, aspect)


def _test_name(test_id: str) -> str:
    test = content().tests.get(test_id)
    return test.name if test is not None else test_id


def _reading_text(test_id: str, field_id: str, value: object) -> tuple[str, str]:
    """A reading as (label, value) in the words the test's form used."""
    test = content().tests.get(test_id)
    field = next((f for f in test.record if f.id == field_id), None) if test else None
    if field is None:
        return field_id.replace("_", " "), str(value)
    if isinstance(value, bool):
        return field.label, _("yes") if value else _("no")
    if field.kind == "choice":
        choice = next((c for c in field.choices if c.id == value), None)
        return field.label, choice.label if choice else str(value)
    number = f"{value:g}" if isinstance(value, (int, float)) else str(value)
    return field.label, f"{number} {field.unit}" if field.unit else number


def _sources(source_ids: Sequence[str]) -> list[dict[str, Any]]:
    loaded = content().sources
    found = []
    for source_id in source_ids:
        source = loaded.get(source_id)
        if source is None:
            continue
        found.append(
            {
                "id": source_id,
                "title": source.citation,
                "url": source.url,
                "verified": source.verified,
            }
        )
    return found


def _evidence(evidence: Mapping[str, Any]) -> dict[str, Any]:
    test_id = evidence["test"]
    tests = [_test_name(test_id)]
    if evidence.get("divided_by"):
        tests.append(_test_name(evidence["divided_by"]))
    return {
        "tests": tests,
        "readings": [
            _reading_text(test_id, field_id, value)
            for field_id, value in evidence["readings"].items()
        ],
        "rule": evidence["rule"],
        "explain": evidence["explain"],
        "grade": confidence_words(evidence["grade"]),
        "sources": _sources(evidence["sources"]),
    }


def _redo_url(assessment: Assessment, test_id: str) -> str:
    """The test's own page in this check-up."""
    return reverse("checkup:self_test", kwargs={"pk": assessment.pk, "test_id": test_id})


def _figure(test_id: str) -> str | None:
    test = content().tests.get(test_id)
    if test is None or test.figure is None or test.figure not in POSES:
        return None
    return render_pose(test.figure, size=200)


def _finding_groups(
    findings: Sequence[Mapping[str, Any]], assessment: Assessment
) -> list[dict[str, Any]]:
    loaded = content()
    order = {muscle_id: index for index, muscle_id in enumerate(loaded.muscles)}
    groups = []
    for group, statuses in _GROUPS:
        chosen = sorted(
            (f for f in findings if f["status"] in statuses),
            key=lambda f: (order.get(f["muscle"], len(order)), f["side"]),
        )
        if not chosen:
            continue
        rows = []
        for finding in chosen:
            muscle = loaded.muscles.get(finding["muscle"])
            redo = (
                sorted({e["test"] for e in finding["evidence"]}) if group == "inconclusive" else []
            )
            rows.append(
                {
                    "muscle": muscle.name if muscle else finding["muscle"],
                    "muscle_id": finding["muscle"],
                    "side": bodymap.side_words(finding["side"]),
                    "aspect": _aspect_words(finding["aspect"]),
                    "status": finding["status"],
                    "status_words": status_words(finding["status"]),
                    "confidence": confidence_words(finding["confidence"]),
                    # A finding from one piece of evidence says the same as its rule;
                    # say it once, in the trail.
                    "why": ""
                    if [e["explain"] for e in finding["evidence"]] == [finding["why"]]
                    else finding["why"],
                    "evidence": [_evidence(e) for e in finding["evidence"]],
                    "redo": [
                        {
                            "name": _test_name(test_id),
                            "url": _redo_url(assessment, test_id),
                            "figure": _figure(test_id),
                        }
                        for test_id in redo
                    ],
                }
            )
        groups.append({"id": group, "title": _group_title(group), "rows": rows})
    return groups


def _map_rows(
    findings: Sequence[Mapping[str, Any]], names: Mapping[str, str]
) -> list[dict[str, Any]]:
    """The body map as a table: each judged muscle group, its left and right (or both)."""
    states = bodymap.region_states(findings)
    rows = []
    for muscle_id, region in bodymap.MUSCLE_REGIONS.items():
        sides: tuple[bodymap.MapSide, ...] = ("left", "right") if region.sided else ("centre",)
        cells = []
        for side in sides:
            state = states.get((muscle_id, side))
            if state is None:
                cells.append({"fill": "untested", "words": bodymap.fill_words("untested")})
                continue
            words = bodymap.fill_words(state.fill)
            if state.unsure:
                words = _("%(words)s; a test to redo") % {"words": words}
            cells.append({"fill": state.fill, "words": words})
        if not any((muscle_id, side) in states for side in sides):
            continue  # no test judged this group
        rows.append(
            {"muscle": names.get(muscle_id, muscle_id), "midline": not region.sided, "cells": cells}
        )
    return rows


def _imbalance(item: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "rank": item["rank"],
        "name": item["name"],
        "side": bodymap.side_words(item["side"]),
        "confidence": confidence_words(item["confidence"]),
        "explanation": item["explanation"],
        "evidence": item["evidence"],
        "caveat": item.get("caveat"),
        "confirm_with": [_test_name(test_id) for test_id in item.get("confirm_with", [])],
    }


def _sign(sign: Mapping[str, Any]) -> dict[str, Any]:
    known = content().signs.get(sign["sign"])
    return {
        "name": known.name if known else sign["sign"],
        "meaning": known.meaning if known else "",
        "side": bodymap.side_words(sign["side"]),
        "confidence": confidence_words(sign["confidence"]),
        "evidence": [_evidence(e) for e in sign["evidence"]],
    }


def _reference_words(reference: Mapping[str, Any]) -> str:
    value = f"{reference['value']:g} {_unit(reference['unit'])}".strip()
    kind = reference["kind"]
    when = reference.get("flagged_when")
    if kind == "target":
        bound = {
            "gt": _("at most %(value)s"),
            "ge": _("under %(value)s"),
            "lt": _("at least %(value)s"),
            "le": _("over %(value)s"),
        }.get(when or "", _("about %(value)s"))
        return _("Target: %(bound)s") % {"bound": bound % {"value": value}}
    if kind == "healthy_average":
        who = {"female": _("women"), "male": _("men")}.get(reference.get("sex") or "", "")
        if who:
            return _("Healthy average for %(who)s: %(value)s") % {"who": who, "value": value}
        return _("Healthy average: %(value)s") % {"value": value}
    if kind == "counts_as_different":
        return _("Counts as a real difference above %(value)s") % {"value": value}
    return _("The test's own measuring error: %(value)s") % {"value": value}


def _unit(unit: str) -> str:
    # A ratio has no unit worth printing next to its number.
    return "" if unit == "ratio" else unit


def _measure(measure: Mapping[str, Any]) -> dict[str, Any]:
    readings = measure["readings"]
    unit = _unit(measure["readings_unit"])

    def reading(key: str) -> str:
        return f"{readings[key]:g} {unit}".strip() if key in readings else "?"

    if "left" in readings or "right" in readings:
        from_readings = _("left %(left)s, right %(right)s") % {
            "left": reading("left"),
            "right": reading("right"),
        }
    elif readings:
        from_readings = _("%(top)s against %(bottom)s") % {
            "top": reading("numerator"),
            "bottom": reading("denominator"),
        }
    else:
        from_readings = ""
    value = measure["value"]
    return {
        "name": measure["name"],
        "value": None if value is None else f"{value:g} {_unit(measure['unit'])}".strip(),
        "from_readings": from_readings,
        "references": [_reference_words(r) for r in measure["references"]],
        "flagged": measure["flagged"],
        # A measure shown for context only (no reference it is flagged against) gets no
        # "within" or "outside" badge.
        "judged": any(r.get("flagged_when") for r in measure["references"]),
        "not_worked_out": measure.get("not_worked_out"),
        "sources": _sources(sorted({s for r in measure["references"] for s in r["sources"]})),
    }


def _device(adjunct: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "name": adjunct["name"],
        "verdict": adjunct["verdict"],
        "verdict_words": {
            "suitable": _("Suits you now"),
            "clinician_approval": _("Ask a clinician first"),
            "not_suitable": _("Not for you now"),
        }.get(adjunct["verdict"], adjunct["verdict"]),
        "reason": adjunct["reasons"][0] if adjunct["reasons"] else "",
        "more_reasons": len(adjunct["reasons"]) - 1,
    }
