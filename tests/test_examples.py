"""The example cases as golden end-to-end tests: triage, primary imbalances, key findings.

Each example was run and read against the clinical reference before its row was written;
the rows pin what each example is there to show.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from backbalance.cli.main import main
from backbalance.core.engine import evaluate_raw
from backbalance.core.types import Result, to_jsonable
from tests.strategies import CONTENT

EXAMPLE_DIR = Path(__file__).resolve().parents[1] / "examples" / "cases"
EXAMPLE_FILES = sorted(p.name for p in EXAMPLE_DIR.glob("*.json"))


def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLE_DIR / name).read_text(encoding="utf-8"))
    return data


def run(name: str) -> Result:
    return evaluate_raw(load(name), CONTENT)


def status_of(result: Result, muscle: str, side: str, aspect: str) -> str | None:
    found = [
        f.status for f in result.findings if (f.muscle, f.side, f.aspect) == (muscle, side, aspect)
    ]
    return found[0] if found else None


# file, triage level, primary imbalances in rank order, key findings
# (muscle, side, aspect, status), key signs (sign, side), warning codes that must appear.
EXAMPLES = [
    pytest.param(
        "01_lower_crossed_office_worker.json",
        "none",
        [("lower_crossed", "bilateral"), ("trunk_endurance_imbalance", "bilateral")],
        [
            ("iliopsoas", "left", "length", "short"),
            ("rectus_femoris", "left", "length", "short"),
            ("gluteus_maximus", "right", "strength", "weak"),
            ("rectus_abdominis", "bilateral", "strength", "weak"),
            ("hamstrings", "left", "length", "normal"),
        ],
        [("anterior_pelvic_tilt", "bilateral")],
        # a woman's Biering-Sørensen hold has no cut-off
        ["no_norm"],
        id="01-lower-crossed",
    ),
    pytest.param(
        "02_flat_back_short_hamstrings.json",
        "none",
        [("posterior_pelvic_tilt", "bilateral"), ("hamstring_shortness", "bilateral")],
        [
            ("hamstrings", "left", "length", "short"),
            ("hamstrings", "right", "length", "short"),
            ("iliopsoas", "left", "length", "normal"),
            # 185 s is above the 176 s cut-off for men
            ("lumbar_erectors", "bilateral", "strength", "normal"),
        ],
        [("posterior_pelvic_tilt", "bilateral")],
        [],
        id="02-flat-back",
    ),
    pytest.param(
        "03_lateral_tilt_right.json",
        "routine",
        [("lateral_endurance_asymmetry", "right"), ("lateral_pelvic_tilt", "right")],
        [
            ("gluteus_medius", "right", "strength", "weak"),
            ("gluteus_medius", "left", "strength", "normal"),
            ("quadratus_lumborum", "right", "strength", "weak"),
            ("adductors", "right", "length", "tight"),
            ("tfl_itb", "left", "length", "normal"),
        ],
        [("pelvis_high_side", "right"), ("side_bridge_asymmetry", "right")],
        ["no_norm"],
        id="03-lateral-tilt-right",
    ),
    pytest.param(
        "04_cauda_equina_emergency.json",
        "emergency",
        [],
        [],
        [],
        ["emergency"],
        id="04-emergency",
    ),
    pytest.param(
        "05_urgent_past_cancer.json",
        "urgent",
        # An urgent screen switches every self-test off until a doctor has seen the
        # person: the readings given are set aside, so nothing is named from them.
        [],
        [
            ("gluteus_maximus", "left", "strength", None),
            ("gluteus_medius", "right", "strength", None),
        ],
        [],
        ["urgent", "test_not_offered"],
        id="05-urgent",
    ),
    pytest.param(
        "06_general_laxity.json",
        "none",
        [("general_laxity", "bilateral")],
        [
            ("hamstrings", "left", "length", "lax"),
            ("hamstrings", "right", "length", "lax"),
        ],
        [("aberrant_forward_bend", "bilateral"), ("pelvic_load_transfer_difficulty", "left")],
        [],
        id="06-general-laxity",
    ),
    pytest.param(
        "07_trunk_endurance_imbalance.json",
        "none",
        [("trunk_endurance_imbalance", "bilateral")],
        [
            ("lumbar_erectors", "bilateral", "strength", "weak"),
            ("rectus_abdominis", "bilateral", "strength", "normal"),
        ],
        [("trunk_extensor_endurance_low_relative", "bilateral")],
        [],
        id="07-trunk-endurance",
    ),
    pytest.param(
        "08_one_sided_hip_flexor_left.json",
        "none",
        [("one_sided_hip_flexor_tightness", "left")],
        [
            ("iliopsoas", "left", "length", "short"),
            ("tfl_itb", "left", "length", "short"),
            ("tfl_itb", "right", "length", "normal"),
            ("rectus_femoris", "right", "length", "normal"),
        ],
        [("hip_flexor_length_asymmetry", "left")],
        [],
        id="08-one-sided-hip-flexor",
    ),
    pytest.param(
        "09_invalid_and_painful_tests.json",
        "none",
        [],
        [
            ("iliopsoas", "left", "length", "inconclusive"),
            ("iliopsoas", "right", "length", "inconclusive"),
            ("quadratus_lumborum", "left", "strength", "inconclusive"),
            ("adductors", "left", "length", "normal"),
        ],
        [("hip_joint_pain_on_faber", "left")],
        ["invalid_test", "painful_test", "no_norm", "tell_clinician", "no_clear_imbalance"],
        id="09-invalid-and-painful",
    ),
    pytest.param(
        "10_first_visit_no_tests_yet.json",
        "routine",
        [],
        [],
        [],
        ["no_tests"],
        id="10-no-tests-yet",
    ),
    pytest.param(
        "11_flare_up_calm_phase.json",
        "none",
        # In a flare-up the one-leg bridge, done to failure, is not offered: its readings
        # are set aside, so the buttock weakness behind the lower crossed pattern is not
        # judged and only the short hip flexors are named.
        [("single_iliopsoas_short", "bilateral")],
        [
            ("iliopsoas", "left", "length", "short"),
            ("gluteus_maximus", "left", "strength", None),
            ("gluteus_maximus", "right", "strength", None),
            # knee angles 70 and 72 are above the 67 degree cut-off
            ("rectus_femoris", "left", "length", "normal"),
        ],
        [("anterior_pelvic_tilt", "bilateral")],
        ["test_not_offered"],
        id="11-flare-up",
    ),
    pytest.param(
        "12_hip_abductor_weakness_left.json",
        "none",
        # The named pattern first; then the left buttock weakness the one-leg bridge found
        # (15 reps), which no named pattern explains, on its own.
        [("hip_abductor_weakness", "left"), ("single_gluteus_maximus_weak", "left")],
        [
            ("gluteus_medius", "left", "strength", "weak"),
            ("gluteus_medius", "right", "strength", "normal"),
            # 15 reps is under the 20-rep cut-off; 24 on the right is not
            ("gluteus_maximus", "left", "strength", "weak"),
        ],
        [("posterior_chain_asymmetry", "left")],
        [],
        id="12-hip-abductor-weakness",
    ),
]


def test_every_example_file_has_a_golden_row() -> None:
    assert sorted(str(row.values[0]) for row in EXAMPLES) == EXAMPLE_FILES


@pytest.mark.parametrize(("name", "level", "primary", "findings", "signs", "warnings"), EXAMPLES)
def test_an_example_gives_its_expected_triage_imbalances_and_key_findings(
    name: str,
    level: str,
    primary: list[tuple[str, str]],
    findings: list[Any],
    signs: list[Any],
    warnings: list[Any],
) -> None:
    result = run(name)
    assert result.triage.level == level
    assert [(p.pattern, p.side) for p in result.primary_imbalances] == primary
    assert [p.rank for p in result.primary_imbalances] == list(range(1, len(primary) + 1))
    for muscle, side, aspect, status in findings:
        assert status_of(result, muscle, side, aspect) == status, (muscle, side, aspect)
    found_signs = {(s.sign, s.side) for s in result.signs}
    assert set(signs) <= found_signs
    codes = {w.code for w in result.warnings}
    assert set(warnings) <= codes
    assert result.case_id == load(name)["case_id"]


@pytest.mark.parametrize(
    ("name", "sign", "side"),
    [
        # The shorter hip is the left one only; the right must not carry the sign too.
        ("08_one_sided_hip_flexor_left.json", "hip_flexor_length_asymmetry", "right"),
        # The weaker side plank is the right one.
        ("03_lateral_tilt_right.json", "side_bridge_asymmetry", "left"),
        ("03_lateral_tilt_right.json", "pelvis_high_side", "left"),
    ],
)
def test_a_one_sided_example_does_not_show_its_sign_on_the_other_side(
    name: str, sign: str, side: str
) -> None:
    assert (sign, side) not in {(s.sign, s.side) for s in run(name).signs}


def test_every_triage_level_appears_among_the_examples() -> None:
    levels = {run(name).triage.level for name in EXAMPLE_FILES}
    assert levels == {"emergency", "urgent", "routine", "none"}


def test_every_pattern_appears_as_a_primary_imbalance_in_some_example() -> None:
    shown = {
        p.pattern
        for name in EXAMPLE_FILES
        for p in run(name).primary_imbalances
        if p.kind == "pattern"
    }
    assert shown == set(CONTENT.patterns)


def test_the_emergency_example_shows_no_findings_patterns_or_imbalances() -> None:
    result = run("04_cauda_equina_emergency.json")
    assert load("04_cauda_equina_emergency.json")["tests"], "it has tests that must be ignored"
    assert result.findings == ()
    assert result.signs == ()
    assert result.patterns == ()
    assert result.primary_imbalances == ()
    # The switched-off note and the answers that led to the emergency; nothing else.
    assert {w.code for w in result.warnings} == {"emergency", "emergency_answer"}
    assert result.triage.continue_self_care is False


def test_no_example_with_tests_names_an_imbalance_from_an_invalid_or_painful_test() -> None:
    result = run("09_invalid_and_painful_tests.json")
    assert result.patterns == ()
    for finding in result.findings:
        if finding.muscle in ("iliopsoas", "rectus_femoris", "tfl_itb"):
            assert finding.status == "inconclusive"


@pytest.mark.parametrize("name", EXAMPLE_FILES)
def test_an_example_round_trips_through_the_cli_json_output(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["evaluate", str(EXAMPLE_DIR / name)]) == 0
    printed = json.loads(capsys.readouterr().out)
    expected = json.loads(json.dumps(to_jsonable(run(name))))
    assert printed == expected
    assert printed["triage"]["level"] == run(name).triage.level


@pytest.mark.parametrize("name", EXAMPLE_FILES)
def test_an_example_renders_as_text_with_its_safety_screen(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["evaluate", str(EXAMPLE_DIR / name), "--format", "text"]) == 0
    out = capsys.readouterr().out
    assert "SAFETY SCREEN" in out
    assert run(name).triage.headline.split()[0] in out


def test_the_lateral_tilt_example_rests_on_a_pelvis_difference_a_block_confirmed() -> None:
    """The one-sided pelvis pattern needs the block check (issue 7); without it the same
    example names no sideways tilt and says why."""
    raw = load("03_lateral_tilt_right.json")
    assert raw["tests"]["standing_pelvis_height"]["block_check"] == "levelled"
    assert ("lateral_pelvic_tilt", "right") in {
        (p.pattern, p.side) for p in run("03_lateral_tilt_right.json").primary_imbalances
    }
    del raw["tests"]["standing_pelvis_height"]["block_check"]
    unchecked = evaluate_raw(raw, CONTENT)
    assert "lateral_pelvic_tilt" not in {p.pattern for p in unchecked.patterns}
    assert "not_confirmed" in {w.code for w in unchecked.warnings}


@pytest.mark.parametrize("name", EXAMPLE_FILES)
def test_every_example_straight_leg_raise_says_what_stopped_the_leg(name: str) -> None:
    readings = load(name).get("tests", {}).get("straight_leg_raise", {})
    for reading in readings.values():
        if "angle" in reading:
            assert reading["end_point"] in {
                "stretch_behind_thigh",
                "pain_or_tingling_down_leg",
                "other",
            }


def test_the_plan_text_gives_the_retest_time_from_content_once(
    capsys: pytest.CaptureFixture[str],
) -> None:
    name = "01_lower_crossed_office_worker.json"
    assert main(["plan", str(EXAMPLE_DIR / name)]) == 0
    flat = " ".join(capsys.readouterr().out.split())
    days = int(CONTENT.program.retest_after_days.value)
    assert f"{days} days" in flat
    assert flat.count("Re-test") == 1  # the date line and the reason do not repeat it
