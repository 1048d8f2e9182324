"""`backbalance tests`: which self-tests a person is offered, and cautions before the steps."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from backbalance.cli.main import main
from backbalance.cli.text import render_text
from backbalance.core.engine import evaluate_raw
from tests.strategies import CONTENT, all_no


def write_case(tmp_path: Path, conditions: list[str], **screen: str) -> str:
    raw: dict[str, Any] = {
        "person": {"age": 60, "sex": "female"},
        "screening": {**all_no(), **screen},
        "questionnaires": {"pain_nrs": {"now": 3, "average": 3, "worst": 3}},
        "tests": {},
        "context": {
            "minutes_per_day": 20,
            "equipment": [],
            "irritability": "low",
            "conditions": conditions,
        },
    }
    path = tmp_path / "case.json"
    path.write_text(json.dumps(raw))
    return str(path)


def section(out: str, test_id: str) -> str:
    """The lines printed for one test, up to the next test."""
    start = out.index(f"[{test_id}]")
    rest = out[start:]
    end = rest.find("\n\n")
    return rest if end < 0 else rest[:end]


def test_without_a_case_every_test_is_listed_as_before(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tests"]) == 0
    out = capsys.readouterr().out
    for test in CONTENT.tests.values():
        assert f"[{test.id}]" in out
    assert out.count("Steps:") == len(CONTENT.tests)


def test_without_a_case_a_test_shows_who_it_is_not_for_and_its_cautions_before_the_steps(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["tests", "biering_sorensen"]) == 0
    out = capsys.readouterr().out
    steps = out.index("Steps:")
    assert -1 < out.index("Not offered with: pregnancy") < steps
    assert -1 < out.index("Not offered during a flare-up") < steps
    assert -1 < out.index("never hold your breath") < steps


def test_with_a_case_a_test_not_offered_says_why_and_shows_no_steps(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_case(tmp_path, ["hip_replacement"])
    assert main(["tests", "--case", path]) == 0
    out = capsys.readouterr().out
    assert "Offered to you now: 15 of 20 self-tests." in out
    for test_id in ("modified_thomas", "ober", "faber", "piriformis_length", "sit_and_reach"):
        text = section(out, test_id)
        assert "Not offered to you now: not safe with hip replacement." in text
        assert "Steps:" not in text
    thomas = section(out, "modified_thomas")
    assert "Without it, these cannot be judged:" in thomas
    assert "Checked instead by:" in thomas
    assert "Steps:" in section(out, "prone_knee_bend")


def test_with_a_case_an_offered_test_shows_only_this_persons_cautions_before_the_steps(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_case(tmp_path, ["high_blood_pressure"])
    assert main(["tests", "side_bridge", "--case", path]) == 0
    out = capsys.readouterr().out
    caution = out.index("never hold your breath")
    assert caution < out.index("Steps:")
    assert "Painful shoulder" not in out
    assert "Not offered with" not in out


def test_with_an_urgent_case_no_test_is_offered(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_case(tmp_path, [], cancer_history="yes")
    assert main(["tests", "--case", path]) == 0
    out = capsys.readouterr().out
    assert "Offered to you now: 0 of 20 self-tests." in out
    assert "Steps:" not in out
    assert out.count("no self-tests until a doctor has seen you") == len(CONTENT.tests)


def test_a_bad_case_exits_2_naming_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps({"person": {"age": "old"}}))
    assert main(["tests", "--case", str(path)]) == 2
    err = capsys.readouterr().err
    assert "person.age" in err
    assert main(["tests", "--case", str(tmp_path / "missing.json")]) == 2


def test_the_text_report_lists_the_tests_not_offered_and_the_cautions(tmp_path: Path) -> None:
    raw = json.loads(Path(write_case(tmp_path, ["hip_replacement", "heart_condition"])).read_text())
    out = render_text(evaluate_raw(raw, CONTENT), CONTENT)
    part = out[out.index("YOUR SELF-TESTS") : out.index("YOUR MAIN IMBALANCES")]
    assert "Offered to you now: 15 of 20." in part
    assert "Figure-4 hip test (FABER)" in part
    assert "not safe with hip replacement" in part
    assert "never hold your breath" in " ".join(part.split())
