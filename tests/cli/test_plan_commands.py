"""The `plan` and `exercises` commands: what a person sees, and bad input never a traceback."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from backbalance.cli.main import main
from tests.strategies import CONTENT, all_no

ROOT = Path(__file__).resolve().parents[2]
EMERGENCY_EXAMPLE = ROOT / "examples" / "cases" / "04_cauda_equina_emergency.json"
START = "2026-11-20"
RETEST = "2027-01-01"  # START + 42 days (program.yaml retest_after_days)


def plan_case(**context_changes: Any) -> dict[str, Any]:
    """Outer hip tight on the left, hip flexor short on the left: a lopsided routine."""
    return {
        "person": {"age": 40, "sex": "female"},
        "screening": all_no(),
        "questionnaires": {"pain_nrs": {"now": 2, "average": 2, "worst": 3}},
        "tests": {
            "ober": {"left": {"leg_rest": "above_level"}, "right": {"leg_rest": "below_level"}},
            "modified_thomas": {
                "left": {
                    "low_back_flat": True,
                    "hip_angle": 15,
                    "knee_angle": 82,
                    "thigh_drifts_out": False,
                },
                "right": {
                    "low_back_flat": True,
                    "hip_angle": 0,
                    "knee_angle": 82,
                    "thigh_drifts_out": False,
                },
            },
        },
        "context": {
            "minutes_per_day": 30,
            "equipment": ["mat"],
            "irritability": "low",
            "conditions": [],
            "start_date": START,
            "weeks_done": 3,
            **context_changes,
        },
    }


def write_case(tmp_path: Path, data: object, name: str = "case.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def flat(text: str) -> str:
    """Text with its line wrapping undone, so wrapped sentences can be found."""
    return " ".join(text.split())


def plan_json(path: str, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    assert main(["plan", path, "--format", "json"]) == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return data


# --------------------------------------------------------------------------- plan


def test_plan_prints_the_phase_each_item_with_its_side_doses_the_week_and_the_retest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_case(tmp_path, plan_case())
    routine = plan_json(path, capsys)["routine"]
    assert main(["plan", path]) == 0
    out = capsys.readouterr().out
    assert routine["phase_name"] in out
    assert flat(routine["phase_reason"]) in flat(out)
    one_sided = [i for i in routine["items"] if set(i["dose"]) == {"left", "right"}]
    assert one_sided, "this case should give one-sided items"
    for item in routine["items"]:
        assert item["name"] in out
    for item in one_sided:
        for side in ("left", "right"):
            sets = item["dose"][side]["sets"]
            assert re.search(rf"^\s+{side}\s+{sets} ×", out, re.MULTILINE), (item["exercise"], side)
    lopsided = [i for i in one_sided if i["dose"]["left"]["sets"] != i["dose"]["right"]["sets"]]
    assert lopsided
    assert "Your week" in out
    for day in range(1, 8):
        assert f"day {day}:" in out
    assert f"Re-test on {RETEST}" in out


def test_plan_json_has_the_triage_the_routine_and_the_adjuncts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = plan_json(write_case(tmp_path, plan_case()), capsys)
    assert set(data) >= {"triage", "routine", "adjuncts"}
    assert data["triage"]["level"] == "none"
    routine = data["routine"]
    assert routine["phase"] in {p.id for p in CONTENT.program.phases}
    assert routine["items"]
    assert len(routine["schedule"]) == 7
    assert routine["retest_date"] == RETEST
    for item in routine["items"]:
        assert item["exercise"] in CONTENT.exercises
        assert set(item["dose"]) in ({"left", "right"}, {"bilateral"})
    assert set(data["adjuncts"]) == {"muscle_balance", "inversion", "vibration"}
    for verdict in data["adjuncts"].values():
        assert {"verdict", "reasons", "protocol"} <= set(verdict)


def test_plan_json_shows_a_device_blocked_by_a_condition_without_a_protocol(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = plan_json(write_case(tmp_path, plan_case(conditions=["glaucoma"])), capsys)
    inversion = data["adjuncts"]["inversion"]
    assert inversion["verdict"] == "not_suitable"
    assert inversion["protocol"] is None


def test_plan_on_the_emergency_example_says_there_is_no_routine(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["plan", str(EMERGENCY_EXAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "EMERGENCY" in out
    assert "No routine" in out
    assert "Your week" not in out
    data = plan_json(str(EMERGENCY_EXAMPLE), capsys)
    assert data["triage"]["level"] == "emergency"
    assert data["routine"] is None


def test_plan_without_context_says_there_is_no_routine_yet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = plan_case()
    del case["context"]
    path = write_case(tmp_path, case)
    assert main(["plan", path]) == 0
    out = capsys.readouterr().out
    assert "No routine yet" in out
    assert "Your week" not in out
    assert plan_json(path, capsys)["routine"] is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"minutes_per_day": 3}, "context.minutes_per_day"),
        ({"equipment": ["trampoline"]}, "context.equipment.1"),
        ({"worsens": ["juggling"]}, "context.worsens.1"),
        ({"conditions": ["flu"]}, "context.conditions.1"),
        ({"irritability": "extreme"}, "context.irritability"),
        ({"start_date": "next tuesday"}, "context.start_date"),
    ],
)
def test_plan_rejects_a_malformed_context_naming_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], change: dict[str, Any], field: str
) -> None:
    path = write_case(tmp_path, plan_case(**change))
    assert main(["plan", path]) == 2
    captured = capsys.readouterr()
    assert field in captured.err
    assert "Traceback" not in captured.err
    assert captured.out == ""


def test_plan_rejects_a_context_without_conditions_naming_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = plan_case()
    del case["context"]["conditions"]
    assert main(["plan", write_case(tmp_path, case)]) == 2
    assert "context.conditions" in capsys.readouterr().err


def test_plan_rejects_a_file_that_is_not_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    assert main(["plan", str(path)]) == 2
    assert "not valid JSON" in capsys.readouterr().err


# --------------------------------------------------------------------------- exercises


def _groups(out: str) -> dict[str, list[str]]:
    """The exercise ids listed under each kind heading."""
    groups: dict[str, list[str]] = {}
    current: str | None = None
    for line in out.splitlines():
        heading = re.match(r"^([A-Z]+) \((\d+)\)$", line)
        if heading:
            current = heading.group(1).lower()
            groups[current] = []
        elif current is not None and line.startswith("  ") and line.strip():
            groups[current].append(line.split()[0])
    return groups


def test_exercises_lists_every_exercise_grouped_by_kind_in_routine_order(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["exercises"]) == 0
    groups = _groups(capsys.readouterr().out)
    expected_kinds = [
        k for k in CONTENT.program.order if any(e.kind == k for e in CONTENT.exercises.values())
    ]
    assert list(groups) == expected_kinds
    for kind, listed in groups.items():
        assert listed == [e.id for e in CONTENT.exercises.values() if e.kind == kind]
    assert sorted(i for ids in groups.values() for i in ids) == sorted(CONTENT.exercises)


@pytest.mark.parametrize(
    "exercise_id",
    [
        "clamshell",
        *sorted(e.id for e in CONTENT.exercises.values() if e.contraindications)[:4],
    ],
)
def test_exercises_id_shows_steps_mistakes_stop_signs_and_contraindications(
    capsys: pytest.CaptureFixture[str], exercise_id: str
) -> None:
    exercise = CONTENT.exercises[exercise_id]
    assert main(["exercises", exercise_id]) == 0
    out = capsys.readouterr().out
    text = flat(out)
    assert exercise.name in out
    for step in exercise.steps:
        assert flat(step) in text
    for mistake in exercise.mistakes:
        assert flat(mistake) in text
    assert "Stop if" in out
    for sign in exercise.stop_if:
        assert flat(sign) in text
    for condition in exercise.contraindications:
        assert CONTENT.conditions[condition].name.lower() in text.lower()
    if not exercise.contraindications:
        assert "Not offered with" not in out


def test_exercises_with_an_unknown_id_exits_2_and_names_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["exercises", "no_such_exercise"]) == 2
    captured = capsys.readouterr()
    assert "no_such_exercise" in captured.err
    assert captured.out == ""
