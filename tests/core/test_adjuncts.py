"""Adjunct therapies: the verdict table, the safety-screen gate, the protocols and the table.

The content is read straight from ``adjuncts.yaml`` with its own models (not through the
full content loader), so these tests depend only on the adjunct data, the condition list
and the source files. The expected verdicts are written out here by hand: a change to a
clinical rule in the content must be made twice, on purpose.
"""

from __future__ import annotations

import json
import math
from functools import cache
from importlib import resources
from typing import Any

import pytest
import yaml
from hypothesis import event, given
from hypothesis import strategies as st
from pydantic import ValidationError

from backbalance.content.schema import Figure, Source
from backbalance.content.schema_adjuncts import THERAPY_IDS, Adjuncts, Verdict
from backbalance.content.schema_program import HealthCondition
from backbalance.content.validation import validate
from backbalance.core.adjuncts import (
    ORDER,
    ROUTINE,
    VERDICT_RANK,
    AdjunctVerdict,
    UnsureBasis,
    assess_adjuncts,
    compare,
)
from backbalance.core.case import parse_case
from backbalance.core.engine import evaluate
from backbalance.core.types import (
    LEVEL_ORDER,
    Answer,
    CaseError,
    Level,
    Result,
    Triage,
    TriageReason,
    to_jsonable,
)
from tests.strategies import CONTENT, calm_case

DATA = resources.files("backbalance.content") / "data"
DEVICES = ("inversion", "vibration")
LEVELS: list[Level] = list(LEVEL_ORDER)
RED_FLAG_LEVELS: list[Level] = [lv for lv in LEVELS if lv != "none"]
# The levels that block both devices outright; a routine level only asks for a clinician
# where a flag bears on the device.
BLOCKING_LEVELS: list[Level] = ["urgent", "emergency"]


def raw_adjuncts() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((DATA / "adjuncts.yaml").read_text())
    return data


@cache
def load_adjuncts() -> Adjuncts:
    return validate(Adjuncts, raw_adjuncts())


@cache
def load_sources() -> dict[str, Source]:
    sources: dict[str, Source] = {}
    for path in sorted((DATA / "sources").iterdir(), key=lambda p: p.name):
        if not path.name.endswith(".yaml"):
            continue
        for item in yaml.safe_load(path.read_text()) or []:
            source = validate(Source, item)
            assert source.id not in sources, f"source {source.id!r} is defined twice"
            sources[source.id] = source
    return sources


@cache
def condition_ids() -> tuple[str, ...]:
    raw = yaml.safe_load((DATA / "conditions.yaml").read_text())
    return tuple(validate(HealthCondition, c).id for c in raw)


ADJ = load_adjuncts()
# No flare-up, and the health questions answered: the gates fixed in code stay quiet.
NO_GATES: dict[str, Any] = {"flare": False, "health_answered": True}


def triage(level: Level) -> Triage:
    return Triage(
        level=level,
        reasons=(),
        headline=f"screen result: {level}",
        what_to_do=("see the advice for this level",),
        continue_self_care=level != "emergency",
    )


def verdicts(conditions: tuple[str, ...] = (), level: Level = "none") -> dict[str, AdjunctVerdict]:
    return assess_adjuncts(triage(level), conditions, ADJ, **NO_GATES)


def rule_reason(therapy: str, condition: str) -> str:
    for rule in ADJ.therapy(therapy).rules:
        if rule.condition == condition:
            return rule.reason
    raise AssertionError(f"no rule for {condition!r} on {therapy!r}")


# --------------------------------------------------------------------------- expected table
# The clinical decisions, written out. Conditions missing from a therapy's two lists have no
# rule for it (suitable as far as that condition goes).

NOT_SUITABLE: dict[str, tuple[str, ...]] = {
    "muscle_balance": (),
    "inversion": (
        "glaucoma",
        "retina_problem",
        "high_blood_pressure",
        "heart_condition",
        "stroke_history",
        "pregnancy",
        "recent_fracture",
        "recent_surgery",
        "spinal_surgery_or_implant",
        "bone_metastases",
        "acute_inflammation",
        "over_device_weight_limit",
        "joint_replacement_recent",
        "diabetes_nerve_or_vessel",
        "osteoporosis_severe",
        "fracture_still_healing",
        "migraine_attack",
        "spasticity",
        "venous_leg_ulcer",
        "spondylolisthesis_unstable",
    ),
    "vibration": (
        "pregnancy",
        "blood_clot",
        "recent_surgery",
        "joint_replacement_recent",
        "spinal_surgery_or_implant",
        "acute_disc_problem",
        "spondylolisthesis_unstable",
        "fracture_still_healing",
        "osteoporosis_severe",
        "acute_inflammation",
        "eye_or_ear_infection",
        "bone_metastases",
        "dizziness",
        "heart_condition",
        "over_device_weight_limit",
        # The suppliers' do-not-use list (reference §3.1); CRPS by the stricter of its stages.
        "migraine_attack",
        "crps",
        "spasticity",
    ),
}
CLINICIAN_APPROVAL: dict[str, tuple[str, ...]] = {
    "muscle_balance": (),
    "inversion": (
        "eye_or_ear_infection",
        "hernia_or_reflux",
        "osteoporosis",
        "blood_thinners",
        "blood_clot",
        "pacemaker_or_implant",
        "dizziness",
        "hip_replacement",
        "acute_disc_problem",
        "spondylolisthesis",
        "high_blood_pressure_any",
        "epilepsy",
        "bone_or_joint_implant",
        "crps",
        "parkinsons",
        "lymphoedema",
    ),
    "vibration": (
        "pacemaker_or_implant",
        "epilepsy",
        "kidney_or_gall_stones",
        "retina_problem",
        "glaucoma",
        "diabetes_nerve_or_vessel",
        "osteoporosis",
        "blood_thinners",
        "hernia_or_reflux",
        "stroke_history",
        "spondylolisthesis",
        "hip_replacement",
        "knee_problem",
        "recent_fracture",
        "bone_or_joint_implant",
        # The suppliers' caution list (reference §3.1).
        "parkinsons",
        "lymphoedema",
        "venous_leg_ulcer",
    ),
}
NO_RULE: dict[str, tuple[str, ...]] = {
    t: tuple(
        c for c in condition_ids() if c not in NOT_SUITABLE[t] and c not in CLINICIAN_APPROVAL[t]
    )
    for t in THERAPY_IDS
}

SINGLE_CASES = (
    [(t, c, "not_suitable") for t in DEVICES for c in NOT_SUITABLE[t]]
    + [(t, c, "clinician_approval") for t in DEVICES for c in CLINICIAN_APPROVAL[t]]
    + [(t, c, "suitable") for t in THERAPY_IDS for c in NO_RULE[t]]
)


# --------------------------------------------------------------------------- content


def test_the_content_names_exactly_the_three_therapies() -> None:
    assert [t.id for t in ADJ.therapies] == list(THERAPY_IDS)
    assert ORDER == ("muscle_balance", "inversion", "vibration")


def test_every_condition_in_conditions_yaml_was_screened_and_no_other() -> None:
    assert sorted(ADJ.screened_conditions) == sorted(condition_ids())


@pytest.mark.parametrize("therapy", THERAPY_IDS)
def test_the_content_rules_match_the_expected_table(therapy: str) -> None:
    rules = {r.condition: r.verdict for r in ADJ.therapy(therapy).rules}
    expected = {c: "not_suitable" for c in NOT_SUITABLE[therapy]}
    expected |= {c: "clinician_approval" for c in CLINICIAN_APPROVAL[therapy]}
    assert rules == expected


def test_every_cited_source_exists_and_manufacturer_claims_are_marked() -> None:
    sources = load_sources()
    cited: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "sources":
                    cited.update(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(raw_adjuncts())
    assert cited - set(sources) == set()
    for maker in ("teeter_manual", "teeter_faq", "lifegear_manual", "dialinginforhealth_wbv"):
        assert sources[maker].kind == "manufacturer", maker
    for weak in ("consumer_inversion_cautions", "lymphable_wbv", "wbv_protocol_example"):
        assert sources[weak].verified is False, weak


def test_every_source_in_the_adjunct_sources_file_is_cited() -> None:
    own = {s["id"] for s in yaml.safe_load((DATA / "sources" / "adjuncts.yaml").read_text())}
    text = (DATA / "adjuncts.yaml").read_text()
    assert [s for s in sorted(own) if s not in text] == []


def test_every_rule_gives_a_plain_reason_with_sources() -> None:
    for therapy in ADJ.therapies:
        for rule in therapy.rules:
            assert rule.sources, (therapy.id, rule.condition)
            assert 30 <= len(rule.reason) <= 320, (therapy.id, rule.condition)


def test_a_rule_resting_on_project_policy_explains_the_decision() -> None:
    for therapy in ADJ.therapies:
        for rule in therapy.rules:
            if "backbalance_adjunct_policy" in rule.sources:
                assert rule.decision and len(rule.decision) > 40, (therapy.id, rule.condition)


def all_protocol_figures(therapy_id: str) -> list[tuple[str, Figure]]:
    p = ADJ.therapy(therapy_id).protocol
    figures = [(f"{s.id}.{x.id}", x.figure) for s in p.stages for x in s.settings]
    figures += [(f"{s.id}.from_week", s.from_week) for s in p.stages if s.from_week]
    figures += [(f"limit.{lim.id}", lim.figure) for lim in p.limits]
    return figures


@pytest.mark.parametrize("therapy", THERAPY_IDS)
def test_every_protocol_figure_has_known_sources(therapy: str) -> None:
    sources = load_sources()
    figures = all_protocol_figures(therapy)
    assert figures
    for where, figure in figures:
        assert figure.sources, where
        assert set(figure.sources) <= set(sources), where
        if "backbalance_adjunct_policy" in figure.sources or "backbalance_derived" in (
            figure.sources
        ):
            assert figure.note, f"{where}: a project figure must say how it was chosen"


def test_the_inversion_protocol_rests_on_the_makers_instructions() -> None:
    sources = load_sources()
    for where, figure in all_protocol_figures("inversion"):
        kinds = {sources[s].kind for s in figure.sources}
        assert "manufacturer" in kinds, where


def setting(therapy: str, stage_id: str, setting_id: str) -> float:
    for stage in ADJ.therapy(therapy).protocol.stages:
        if stage.id == stage_id:
            found = stage.setting(setting_id)
            assert found is not None, (stage_id, setting_id)
            return found.figure.value
    raise AssertionError(stage_id)


def limit(therapy: str, limit_id: str) -> float:
    for lim in ADJ.therapy(therapy).protocol.limits:
        if lim.id == limit_id:
            return lim.figure.value
    raise AssertionError(limit_id)


def test_inversion_starts_small_short_and_within_the_makers_range() -> None:
    first = ADJ.therapy("inversion").protocol.stages[0]
    assert first.id == "first_sessions"
    assert 15 <= setting("inversion", "first_sessions", "angle") <= 30
    assert 1 <= setting("inversion", "first_sessions", "session_minutes") <= 2
    assert 1 <= setting("inversion", "first_sessions", "sessions_per_day") <= 2
    assert limit("inversion", "max_angle") == 60
    assert limit("inversion", "max_session") <= 5
    assert limit("inversion", "max_angle_step") == 5


def test_no_inversion_stage_passes_the_angle_or_session_caps() -> None:
    for stage in ADJ.therapy("inversion").protocol.stages:
        for setting_id, cap in (
            ("angle", limit("inversion", "max_angle")),
            ("session_minutes", limit("inversion", "max_session")),
            ("sessions_per_day", limit("inversion", "max_sessions_per_day")),
        ):
            found = stage.setting(setting_id)
            if found is not None:
                assert found.figure.value <= cap, (stage.id, setting_id)


def test_no_vibration_stage_has_a_daily_total_above_the_cap() -> None:
    cap_s = limit("vibration", "daily_vibration_seconds")
    assert cap_s == 600  # ten minutes: Abercromby 2007 shows even this passes ISO 2631-1
    for stage in ADJ.therapy("vibration").protocol.stages:
        bouts = stage.setting("bouts")
        seconds = stage.setting("bout_seconds")
        assert bouts is not None and seconds is not None, stage.id
        assert bouts.figure.value * seconds.figure.value <= cap_s, stage.id


def test_vibration_rests_are_at_least_as_long_as_the_bouts() -> None:
    for stage in ADJ.therapy("vibration").protocol.stages:
        bout = setting("vibration", stage.id, "bout_seconds")
        rest = setting("vibration", stage.id, "rest_seconds")
        assert 30 <= bout <= 60, stage.id
        assert rest >= bout, stage.id


def test_vibration_starts_low_and_progresses_by_adding_bouts() -> None:
    stages = ADJ.therapy("vibration").protocol.stages
    first = stages[0].id
    assert 25 <= setting("vibration", first, "frequency") <= 30
    assert 2 <= setting("vibration", first, "amplitude") <= 4
    bouts = [setting("vibration", s.id, "bouts") for s in stages]
    totals = [
        setting("vibration", s.id, "bouts") * setting("vibration", s.id, "bout_seconds")
        for s in stages
    ]
    assert bouts == sorted(bouts) and bouts[-1] > bouts[0]
    assert totals == sorted(totals)
    for s in stages:
        assert 2 <= setting("vibration", s.id, "sessions_per_week") <= 3


def test_a_stage_above_a_limit_is_refused_by_the_schema() -> None:
    raw = raw_adjuncts()
    vibration = next(t for t in raw["therapies"] if t["id"] == "vibration")
    last = vibration["protocol"]["stages"][-1]
    bouts = next(s for s in last["settings"] if s["id"] == "bouts")
    bouts["figure"]["value"] = 20  # 20 × 60 s = 20 minutes, over the 10-minute cap
    with pytest.raises(ValidationError, match="daily_vibration_seconds"):
        validate(Adjuncts, raw)


def test_a_rule_for_an_unscreened_condition_is_refused_by_the_schema() -> None:
    raw = raw_adjuncts()
    raw["therapies"][1]["rules"].append(
        {"condition": "made_up", "verdict": "not_suitable", "reason": "a reason", "sources": ["x"]}
    )
    with pytest.raises(ValidationError, match="made_up"):
        validate(Adjuncts, raw)


def test_an_unknown_key_is_refused_by_the_schema() -> None:
    raw = raw_adjuncts()
    raw["therapies"][2]["triage_gate"]["none"] = "blocks nothing"
    with pytest.raises(ValidationError):
        validate(Adjuncts, raw)


@pytest.mark.parametrize("therapy", DEVICES)
def test_each_device_has_stop_rules_for_its_warning_symptoms(therapy: str) -> None:
    symptoms = " ".join(
        s for r in ADJ.therapy(therapy).protocol.stop_rules for s in r.symptoms
    ).lower()
    for word in ("dizz", "sick", "headache", "vision", "leg", "numb", "chest"):
        assert word in symptoms, (therapy, word)
    if therapy == "inversion":
        assert "eyes" in symptoms and "pounding" in symptoms


def test_the_evidence_summaries_keep_the_honest_numbers() -> None:
    inversion = {k.id: k.figure.value for k in ADJ.therapy("inversion").evidence.key_figures}
    assert inversion["traction_trials"] == 32 and inversion["pilot_people"] == 24
    assert ADJ.therapy("inversion").evidence.grade == "weak"
    assert "nice_ng59" in ADJ.therapy("inversion").evidence.sources
    vibration = {k.id: k.figure.value for k in ADJ.therapy("vibration").evidence.key_figures}
    assert vibration["extra_disability_relief"] < vibration["disability_mcid"]
    assert math.isclose(vibration["extra_pain_relief"], 1.0)
    assert ADJ.therapy("vibration").evidence.grade == "limited"
    routine = ADJ.therapy("muscle_balance").evidence
    assert {"S69a", "S69b", "S72"} <= set(routine.sources)


# --------------------------------------------------------------------------- verdicts


@pytest.mark.parametrize("therapy", THERAPY_IDS)
def test_no_conditions_and_a_clear_screen_make_every_therapy_suitable(therapy: str) -> None:
    v = verdicts()[therapy]
    assert v.verdict == "suitable"
    assert v.reasons == (ADJ.no_limits_reason,)
    assert v.protocol is not None and not v.protocol.only_after_approval
    assert not v.gentle_only


@pytest.mark.parametrize(("therapy", "condition", "expected"), SINGLE_CASES)
def test_one_condition_alone_gives_its_verdict_with_its_reason(
    therapy: str, condition: str, expected: Verdict
) -> None:
    v = verdicts((condition,))[therapy]
    assert v.verdict == expected
    if expected == "suitable":
        assert v.reasons == (ADJ.no_limits_reason,)
    else:
        assert v.reasons == (rule_reason(therapy, condition),)
        assert [c.id for c in v.causes] == [condition]
        rule = next(r for r in ADJ.therapy(therapy).rules if r.condition == condition)
        assert set(rule.sources) <= set(v.sources)


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ("migraine_attack", {"inversion": "not_suitable", "vibration": "not_suitable"}),
        ("crps", {"inversion": "clinician_approval", "vibration": "not_suitable"}),
        ("parkinsons", {"inversion": "clinician_approval", "vibration": "clinician_approval"}),
        ("spasticity", {"inversion": "not_suitable", "vibration": "not_suitable"}),
        ("lymphoedema", {"inversion": "clinician_approval", "vibration": "clinician_approval"}),
        ("venous_leg_ulcer", {"inversion": "not_suitable", "vibration": "clinician_approval"}),
    ],
)
def test_the_added_vibration_conditions_limit_both_devices_and_leave_the_routine(
    condition: str, expected: dict[str, Verdict]
) -> None:
    result = verdicts((condition,))
    assert {d: result[d].verdict for d in DEVICES} == expected
    assert result[ROUTINE].verdict == "suitable"
    for device in DEVICES:
        assert result[device].reasons == (rule_reason(device, condition),)


@pytest.mark.parametrize(
    ("therapy", "conditions", "expected"),
    [
        ("inversion", ("hernia_or_reflux", "glaucoma"), "not_suitable"),
        ("inversion", ("osteoporosis", "blood_thinners"), "clinician_approval"),
        ("inversion", ("knee_problem", "dizziness"), "clinician_approval"),
        ("vibration", ("epilepsy", "osteoporosis"), "clinician_approval"),
        ("vibration", ("epilepsy", "pregnancy", "knee_problem"), "not_suitable"),
        ("vibration", ("shoulder_problem",), "suitable"),
    ],
)
def test_with_several_conditions_the_worst_wins_and_every_cause_is_listed(
    therapy: str, conditions: tuple[str, ...], expected: Verdict
) -> None:
    v = verdicts(conditions)[therapy]
    assert v.verdict == expected
    ruled = [c for c in conditions if c not in NO_RULE[therapy]]
    assert sorted(c.id for c in v.causes) == sorted(ruled)
    for condition in ruled:
        assert rule_reason(therapy, condition) in v.reasons


@pytest.mark.parametrize("level", BLOCKING_LEVELS)
@pytest.mark.parametrize("therapy", DEVICES)
def test_an_urgent_or_emergency_flag_makes_a_device_not_suitable_and_says_why(
    therapy: str, level: Level
) -> None:
    v = verdicts((), level)[therapy]
    assert v.verdict == "not_suitable"
    assert v.protocol is None
    gate_text = getattr(ADJ.therapy(therapy).triage_gate, level)
    assert v.reasons[0] == gate_text
    assert "clinician" in gate_text and "clear" in gate_text
    assert v.causes[0].kind == "triage" and v.causes[0].id == level


@pytest.mark.parametrize("level", BLOCKING_LEVELS)
@pytest.mark.parametrize("therapy", DEVICES)
def test_a_blocking_flag_keeps_a_device_blocked_whatever_the_conditions(
    therapy: str, level: Level
) -> None:
    for conditions in [(), ("shoulder_problem",), ("knee_problem",), tuple(NO_RULE[therapy])]:
        assert verdicts(conditions, level)[therapy].verdict == "not_suitable"


def test_emergency_stops_the_routine_as_well() -> None:
    v = verdicts((), "emergency")["muscle_balance"]
    assert v.verdict == "not_suitable"
    assert v.protocol is None
    assert v.reasons == (ADJ.therapy("muscle_balance").triage_gate.emergency,)


def test_urgent_keeps_the_routine_to_gentle_items() -> None:
    v = verdicts((), "urgent")["muscle_balance"]
    assert v.verdict == "suitable"
    assert v.gentle_only
    assert v.reasons == (ADJ.therapy("muscle_balance").triage_gate.urgent,)
    assert "gentle" in v.reasons[0]


def test_a_routine_flag_leaves_the_routine_open_with_a_note() -> None:
    v = verdicts((), "routine")["muscle_balance"]
    assert v.verdict == "suitable"
    assert not v.gentle_only
    assert v.reasons == (ADJ.therapy("muscle_balance").triage_gate.routine,)


def test_an_unrecognised_triage_level_is_treated_as_an_emergency() -> None:
    odd = Triage("maybe", (), "?", ("?",), True)  # type: ignore[arg-type]
    result = assess_adjuncts(odd, (), ADJ, **NO_GATES)
    assert {v.verdict for v in result.values()} == {"not_suitable"}


def test_content_without_any_rules_still_cannot_open_a_device_past_a_red_flag() -> None:
    raw = raw_adjuncts()
    for therapy in raw["therapies"]:
        therapy["rules"] = []
    bare = validate(Adjuncts, raw)
    for level in BLOCKING_LEVELS:
        result = assess_adjuncts(triage(level), (), bare, **NO_GATES)
        assert result["inversion"].verdict == "not_suitable"
        assert result["vibration"].verdict == "not_suitable"
    # A routine level whose flag nobody reviewed still asks for a clinician.
    raw["routine_flags_without_bearing"] = []
    result = assess_adjuncts(triage("routine"), (), validate(Adjuncts, raw), **NO_GATES)
    assert result["inversion"].verdict == "clinician_approval"
    assert result["vibration"].verdict == "clinician_approval"


def test_a_not_suitable_device_keeps_its_evidence_but_has_no_protocol() -> None:
    v = verdicts(("glaucoma",))["inversion"]
    assert v.verdict == "not_suitable"
    assert v.protocol is None
    assert v.evidence == ADJ.therapy("inversion").evidence.summary
    assert v.evidence_words and v.about.what_it_is


def test_clinician_approval_keeps_the_plan_but_marks_it_for_after_a_yes() -> None:
    v = verdicts(("epilepsy",))["vibration"]
    assert v.verdict == "clinician_approval"
    assert v.protocol is not None
    assert v.protocol.only_after_approval
    assert v.protocol.approval_note == ADJ.therapy("vibration").approval_note
    assert v.verdict_label == ADJ.verdict_labels.clinician_approval


@pytest.mark.parametrize(
    "bad",
    [("glacoma",), ("glaucoma", "GLAUCOMA"), ("",)],
)
def test_an_unknown_condition_is_refused_and_named(bad: tuple[str, ...]) -> None:
    with pytest.raises(CaseError) as info:
        verdicts(bad)
    assert [e.path for e in info.value.errors] == ["context.conditions"]
    assert "unknown condition" in str(info.value)


@pytest.mark.parametrize("bad", ["glaucoma", [1], [None], [["glaucoma"]]])
def test_conditions_that_are_not_a_list_of_ids_are_refused(bad: Any) -> None:
    with pytest.raises(CaseError) as info:
        assess_adjuncts(triage("none"), bad, ADJ, **NO_GATES)
    assert all(e.path == "context.conditions" for e in info.value.errors)


def test_verdicts_turn_into_plain_json() -> None:
    result = verdicts(("hernia_or_reflux",), "none")
    text = json.dumps(to_jsonable(result))
    assert '"clinician_approval"' in text and '"stop_rules"' in text


# --------------------------------------------------------------------------- comparison


def test_the_comparison_lists_the_three_therapies_in_a_fixed_order() -> None:
    rows = compare(verdicts(("pregnancy",)))
    assert [r.therapy for r in rows] == ["muscle_balance", "inversion", "vibration"]
    by_id = {r.therapy: r for r in rows}
    assert by_id["inversion"].verdict == "not_suitable"
    assert by_id["muscle_balance"].verdict == "suitable"
    assert by_id["inversion"].verdict_label == ADJ.verdict_labels.not_suitable
    for row in rows:
        therapy = ADJ.therapy(row.therapy)
        assert row.evidence_grade == therapy.evidence.grade
        assert row.minutes_per_day == therapy.comparison.minutes_per_day.value
        assert row.purpose and row.cost_and_kit and row.time_words


def test_the_comparison_order_does_not_depend_on_the_input_order() -> None:
    result = verdicts()
    shuffled = {k: result[k] for k in reversed(list(result))}
    assert [r.therapy for r in compare(shuffled)] == list(ORDER)


def test_the_comparison_refuses_an_unknown_therapy() -> None:
    result = dict(verdicts())
    result["magnets"] = result["vibration"]
    with pytest.raises(ValueError, match="magnets"):
        compare(result)


# --------------------------------------------------------------------------- properties


@given(
    chosen=st.sets(st.sampled_from(condition_ids())),
    level=st.sampled_from(LEVELS),
)
def test_a_device_is_never_suitable_with_a_red_flag_or_a_barring_condition(
    chosen: set[str], level: Level
) -> None:
    result = assess_adjuncts(triage(level), chosen, ADJ, **NO_GATES)
    for therapy in DEVICES:
        v = result[therapy]
        barred = level in BLOCKING_LEVELS or bool(chosen & set(NOT_SUITABLE[therapy]))
        if barred:
            assert v.verdict == "not_suitable"
            assert v.protocol is None
        else:
            assert v.verdict != "not_suitable"
            assert v.protocol is not None
        assert v.verdict != "suitable" or (
            level == "none"
            and not (chosen & (set(NOT_SUITABLE[therapy]) | set(CLINICIAN_APPROVAL[therapy])))
        )
    routine = result["muscle_balance"]
    assert (routine.verdict == "not_suitable") == (level == "emergency")


@given(
    chosen=st.sets(st.sampled_from(condition_ids())),
    extra=st.sampled_from(condition_ids()),
    level=st.sampled_from(LEVELS),
    worse=st.sampled_from(LEVELS),
)
def test_another_condition_or_a_higher_triage_level_never_improves_a_verdict(
    chosen: set[str], extra: str, level: Level, worse: Level
) -> None:
    if LEVEL_ORDER[worse] < LEVEL_ORDER[level]:
        level, worse = worse, level
    before = assess_adjuncts(triage(level), chosen, ADJ, **NO_GATES)
    after = assess_adjuncts(triage(worse), chosen | {extra}, ADJ, **NO_GATES)
    for therapy in THERAPY_IDS:
        assert VERDICT_RANK[after[therapy].verdict] >= VERDICT_RANK[before[therapy].verdict]


# --------------------------------------------------------------------------- routine flags,
# flare-ups, missing health answers and unsure answers (issue 6, §1.1, §1.6-§1.8)


def routine_triage(*flags: str) -> Triage:
    reasons = tuple(TriageReason(f, "routine", f"reason for {f}", (), ("x",)) for f in flags)
    return Triage("routine", reasons, "mention it", ("mention it",), True)


ROUTINE_FLAG_TABLE = [
    (therapy.id, rule.flag, rule.verdict)
    for therapy in ADJ.therapies
    for rule in therapy.routine_flags
]
FLAGS_WITHOUT_BEARING = [f.flag for f in ADJ.routine_flags_without_bearing]


def test_the_routine_flag_table_is_the_reviewed_one() -> None:
    # Written out by hand on purpose: a change to which flag bears on a device is made twice.
    bearing = {
        "non_mechanical_pain",
        "weight_loss",
        "leg_numbness",
        "inflammatory_pattern",
        "radicular_leg_pain",
        "spondyloarthritis_referral_features",
        "spondyloarthritis_three_features",
        "spondyloarthritis_linked_condition",
        "feeling_unwell",
        "tummy_lump",
        "saddle_numbness_known",
    }
    for device in DEVICES:
        rules = {r.flag: r.verdict for r in ADJ.therapy(device).routine_flags}
        assert rules == dict.fromkeys(bearing, "clinician_approval"), device
    assert ADJ.therapy(ROUTINE).routine_flags == []
    assert sorted(FLAGS_WITHOUT_BEARING) == [
        "age_over_50",
        "age_under_20",
        "first_ever_episode",
        "slow_to_improve",
    ]


def test_every_routine_level_rule_of_the_screen_was_reviewed_for_each_device() -> None:
    # An unreviewed flag fails closed (asks for a clinician), but every flag in the shipped
    # screen should carry its own reviewed reason rather than the generic one.
    raw = yaml.safe_load((DATA / "red_flags.yaml").read_text())
    routine_rules = {r["id"] for r in raw["rules"] if r["level"] == "routine"}
    for device in DEVICES:
        reviewed = {r.flag for r in ADJ.therapy(device).routine_flags} | set(FLAGS_WITHOUT_BEARING)
        assert routine_rules - reviewed == set(), device


@pytest.mark.parametrize(("therapy", "flag", "expected"), ROUTINE_FLAG_TABLE)
def test_a_routine_flag_that_bears_on_a_device_gives_its_verdict_and_names_the_flag(
    therapy: str, flag: str, expected: Verdict
) -> None:
    v = assess_adjuncts(routine_triage(flag), (), ADJ, **NO_GATES)[therapy]
    assert v.verdict == expected
    assert [(c.kind, c.id) for c in v.causes] == [("routine_flag", flag)]
    rule = next(r for r in ADJ.therapy(therapy).routine_flags if r.flag == flag)
    assert v.reasons == (rule.reason,)
    assert v.protocol is not None and v.protocol.only_after_approval


@pytest.mark.parametrize("flag", FLAGS_WITHOUT_BEARING)
def test_a_routine_flag_without_bearing_leaves_the_devices_open(flag: str) -> None:
    result = assess_adjuncts(routine_triage(flag), (), ADJ, **NO_GATES)
    for device in DEVICES:
        assert result[device].verdict == "suitable"
        assert result[device].causes == ()
    assert result[ROUTINE].verdict == "suitable"


@pytest.mark.parametrize("flags", [("brand_new_flag",), ("age_over_50", "brand_new_flag"), ()])
def test_an_unreviewed_routine_flag_asks_for_a_clinician_for_both_devices(
    flags: tuple[str, ...],
) -> None:
    result = assess_adjuncts(routine_triage(*flags), (), ADJ, **NO_GATES)
    for device in DEVICES:
        v = result[device]
        assert v.verdict == "clinician_approval"
        assert [(c.kind, c.id) for c in v.causes] == [("triage", "routine")]
        assert v.reasons == (ADJ.therapy(device).triage_gate.routine,)


def test_routine_flags_combine_with_conditions_and_the_worst_wins() -> None:
    v = assess_adjuncts(routine_triage("leg_numbness"), ("pregnancy",), ADJ, **NO_GATES)[
        "vibration"
    ]
    assert v.verdict == "not_suitable"
    assert [c.id for c in v.causes] == ["leg_numbness", "pregnancy"]


@pytest.mark.parametrize("level", LEVELS)
def test_a_flare_up_pauses_both_devices_and_keeps_the_routine_gentle(level: Level) -> None:
    result = assess_adjuncts(triage(level), (), ADJ, flare=True, health_answered=True)
    for device in DEVICES:
        v = result[device]
        assert v.verdict == "not_suitable" and v.protocol is None
        assert ADJ.therapy(device).flare_gate.text in v.reasons
        assert "flare" in [c.kind for c in v.causes]
    routine = result[ROUTINE]
    assert routine.gentle_only == (level != "emergency")
    assert ADJ.therapy(ROUTINE).flare_gate.text in routine.reasons


def test_without_the_health_answers_no_device_can_be_judged() -> None:
    result = assess_adjuncts(triage("none"), (), ADJ, flare=False, health_answered=False)
    for device in DEVICES:
        v = result[device]
        assert v.verdict == "not_suitable" and v.protocol is None
        assert v.reasons == (ADJ.health_questions_first.text,)
    assert result[ROUTINE].verdict == "suitable"


UNSURE_QUESTION = UnsureBasis("osteoporosis_known", "Are your bones thin?")


@pytest.mark.parametrize(("therapy", "condition", "expected"), SINGLE_CASES)
def test_a_condition_held_only_on_an_unsure_answer_counts_as_yes_and_names_the_answer(
    therapy: str, condition: str, expected: Verdict
) -> None:
    v = assess_adjuncts(triage("none"), (), ADJ, unsure={condition: UNSURE_QUESTION}, **NO_GATES)[
        therapy
    ]
    assert v.verdict == expected
    if expected != "suitable":
        assert [(c.kind, c.id) for c in v.causes] == [("unsure", "osteoporosis_known")]
        assert "Are your bones thin?" in v.reasons[0]
        assert rule_reason(therapy, condition) in v.reasons[0]


def test_the_unsure_text_must_name_the_question() -> None:
    raw = raw_adjuncts()
    raw["unsure_answer"]["text"] = "You were not sure about something."
    with pytest.raises(ValidationError, match="question"):
        validate(Adjuncts, raw)


def test_routine_flags_belong_to_the_devices_and_not_also_to_the_no_bearing_list() -> None:
    raw = raw_adjuncts()
    raw["therapies"][0]["routine_flags"] = [
        {
            "flag": "leg_numbness",
            "verdict": "clinician_approval",
            "reason": "a reason here",
            "sources": ["x"],
        }
    ]
    with pytest.raises(ValidationError, match="devices"):
        validate(Adjuncts, raw)
    raw = raw_adjuncts()
    raw["routine_flags_without_bearing"].append(
        {"flag": "leg_numbness", "why": "no bearing at all", "sources": ["x"]}
    )
    with pytest.raises(ValidationError, match="leg_numbness"):
        validate(Adjuncts, raw)


@given(
    chosen=st.sets(st.sampled_from(condition_ids()), max_size=4),
    unsure=st.sets(st.sampled_from(condition_ids()), max_size=2),
    # Routine is drawn more often: it is the level where the flags decide.
    level=st.sampled_from([*LEVELS, "routine", "routine"]),
    flare=st.booleans(),
    health_answered=st.sampled_from([True, True, True, False]),
    flags=st.lists(
        st.sampled_from([*FLAGS_WITHOUT_BEARING, "leg_numbness", "weight_loss", "new_flag"]),
        min_size=1,
        max_size=2,
    ),
)
def test_no_device_is_ever_suitable_past_a_gate(
    chosen: set[str],
    unsure: set[str],
    level: Level,
    flare: bool,
    health_answered: bool,
    flags: list[str],
) -> None:
    the_triage = routine_triage(*flags) if level == "routine" else triage(level)
    result = assess_adjuncts(
        the_triage,
        chosen,
        ADJ,
        flare=flare,
        health_answered=health_answered,
        unsure=dict.fromkeys(unsure, UNSURE_QUESTION),
    )
    for device in DEVICES:
        v = result[device]
        ruled = {r.condition for r in ADJ.therapy(device).rules}
        gates = {
            "blocking triage": level in BLOCKING_LEVELS,
            "flare": flare,
            "no health answers": not health_answered,
        }
        for gate, fired in gates.items():
            if fired:
                event(f"gate: {gate}")
        if any(gates.values()):
            assert v.verdict == "not_suitable" and v.protocol is None
        if unsure & ruled:
            event("gate: bearing unsure answer")
            assert v.verdict != "suitable"
            assert "unsure" in [c.kind for c in v.causes]
        if level == "routine" and {"leg_numbness", "weight_loss", "new_flag"} & set(flags):
            event("gate: routine flag with bearing")
            assert v.verdict != "suitable"
        if v.verdict == "suitable":
            assert level in ("none", "routine") and not (chosen | unsure) & ruled


@given(
    chosen=st.sets(st.sampled_from(condition_ids()), max_size=4),
    unsure=st.sets(st.sampled_from(condition_ids()), max_size=2),
    level=st.sampled_from([*LEVELS, "routine"]),
    flags=st.lists(
        st.sampled_from([*FLAGS_WITHOUT_BEARING, "leg_numbness", "new_flag"]), max_size=2
    ),
    gate=st.sampled_from(["flare", "no health answers", "unsure", "routine flag"]),
)
def test_adding_a_gate_never_improves_a_verdict(
    chosen: set[str], unsure: set[str], level: Level, flags: list[str], gate: str
) -> None:
    event(f"added gate: {gate}")
    the_triage = routine_triage(*flags) if level == "routine" else triage(level)
    held = dict.fromkeys(unsure - chosen, UNSURE_QUESTION)
    before = assess_adjuncts(the_triage, chosen, ADJ, unsure=held, **NO_GATES)
    options: dict[str, Any] = {"unsure": held, **NO_GATES}
    after_triage, after_chosen = the_triage, set(chosen)
    if gate == "flare":
        options["flare"] = True
    elif gate == "no health answers":
        options["health_answered"] = False
    elif gate == "unsure":
        extra = next(iter(sorted(set(condition_ids()) - chosen - unsure)))
        options["unsure"] = {**held, extra: UNSURE_QUESTION}
    elif level == "routine":
        after_triage = routine_triage(*flags, "leg_numbness")
    after = assess_adjuncts(after_triage, after_chosen, ADJ, **options)
    for therapy in THERAPY_IDS:
        assert VERDICT_RANK[after[therapy].verdict] >= VERDICT_RANK[before[therapy].verdict]


# --------------------------------------------------------------------------- new screen
# answers, end to end (issue 7, §3): what the screen now asks reaches the devices. These run
# the whole engine on the full content, unlike the table tests above.


def _case_with(age: int = 30, **screen: Answer) -> dict[str, Any]:
    return calm_case("screen-to-devices", age=age, screen=screen)


def _evaluate(raw: dict[str, Any]) -> Result:
    return evaluate(parse_case(raw, CONTENT), CONTENT)


@pytest.mark.parametrize(
    ("answer", "cause"),
    [
        ("yes", ("condition", "high_blood_pressure_any")),
        # Not sure counts as the condition, and the verdict names the answer to check.
        ("unsure", ("unsure", "blood_pressure_high")),
    ],
)
def test_high_blood_pressure_on_the_screen_counts_for_the_inversion_table(
    answer: Answer, cause: tuple[str, str]
) -> None:
    # One fact, one answer: the artery question states the condition the table gates on.
    result = _evaluate(_case_with(blood_pressure_high=answer))
    inversion = result.adjuncts["inversion"]
    assert inversion.verdict == "clinician_approval"
    assert [(c.kind, c.id) for c in inversion.causes] == [cause]
    assert result.adjuncts["vibration"].verdict == "suitable"


@pytest.mark.parametrize(
    ("screen", "flag"),
    [
        ({"saddle_numbness_known": "yes"}, "saddle_numbness_known"),
        ({"generally_unwell": "yes"}, "feeling_unwell"),
        ({"tummy_lump_throbbing": "yes"}, "tummy_lump"),
    ],
)
def test_a_new_routine_flag_asks_for_a_clinician_for_both_devices_with_its_own_reason(
    screen: dict[str, Answer], flag: str
) -> None:
    result = _evaluate(_case_with(30, **screen))
    assert result.triage.level == "routine"
    for device in DEVICES:
        verdict = result.adjuncts[device]
        assert verdict.verdict == "clinician_approval"
        assert [(c.kind, c.id) for c in verdict.causes] == [("routine_flag", flag)]
        rule = next(r for r in ADJ.therapy(device).routine_flags if r.flag == flag)
        assert verdict.reasons == (rule.reason,)


def test_age_under_20_alone_is_mentioned_and_leaves_both_devices_open() -> None:
    result = _evaluate(_case_with(age=19))
    assert [r.rule_id for r in result.triage.reasons] == ["age_under_20"]
    assert {result.adjuncts[d].verdict for d in DEVICES} == {"suitable"}
