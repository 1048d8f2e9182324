"""The command line: every command works, and bad input never ends in a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from backbalance.cli import main
from tests.strategies import CONTENT, all_no

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "cases" / "01_lower_crossed_office_worker.json"


def write_case(tmp_path: Path, data: object) -> str:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(data))
    return str(path)


def minimal_case(**changes: object) -> dict[str, object]:
    case: dict[str, object] = {"person": {"age": 40, "sex": "female"}, "screening": all_no()}
    case.update(changes)
    return case


def test_evaluate_prints_json_with_the_required_keys(capsys):
    assert main(["evaluate", str(EXAMPLE)]) == 0
    data = json.loads(capsys.readouterr().out)
    for key in (
        "engine_version",
        "content_version",
        "triage",
        "scores",
        "findings",
        "patterns",
        "primary_imbalances",
        "warnings",
    ):
        assert key in data
    assert set(data["triage"]) >= {"level", "reasons"}
    for finding in data["findings"]:
        assert set(finding) >= {"muscle", "side", "status", "confidence", "evidence"}


def test_evaluate_text_shows_the_screen_and_the_imbalances(capsys):
    assert main(["evaluate", str(EXAMPLE), "--format", "text"]) == 0
    out = capsys.readouterr().out
    assert "SAFETY SCREEN" in out
    assert "YOUR MAIN IMBALANCES" in out
    assert "left" in out and "right" in out


def test_evaluate_shows_what_to_find_out_after_a_not_sure_answer(tmp_path, capsys):
    screening = {**all_no(), "osteoporosis_known": "unsure", "steroids_long_term": "unsure"}
    case = write_case(tmp_path, minimal_case(screening=screening))

    assert main(["evaluate", case, "--format", "text"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    prompts = {q.id: " ".join(str(q.unsure.find_out).split()) for q in CONTENT.red_flags.questions}
    # The steroid prompt is the reason for the level; the bone prompt is listed to find out.
    assert prompts["steroids_long_term"] in text
    assert "to find out" in text
    assert prompts["osteoporosis_known"] in text.split("to find out", 1)[1]

    assert main(["evaluate", case]) == 0
    triage = json.loads(capsys.readouterr().out)["triage"]
    assert [item["question_id"] for item in triage["find_out"]] == [
        "osteoporosis_known",
        "steroids_long_term",
    ]


def test_evaluate_reads_standard_input(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", __import__("io").StringIO(json.dumps(minimal_case())))
    assert main(["evaluate", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["triage"]["level"] == "none"


@pytest.mark.parametrize(
    ("case", "path"),
    [
        (minimal_case(person={"age": "forty", "sex": "female"}), "person.age"),
        (minimal_case(person={"age": 40, "sex": "robot"}), "person.sex"),
        (minimal_case(person={"age": 12, "sex": "female"}), "person.age"),
        (
            minimal_case(tests={"modified_thomas": {"left": {"low_back_flat": "yes"}}}),
            "tests.modified_thomas.left.low_back_flat",
        ),
        (
            minimal_case(tests={"side_bridge": {"middle": {"hold_s": 30}}}),
            "tests.side_bridge.middle",
        ),
        (
            minimal_case(tests={"side_bridge": {"left": {"hold_s": -4}}}),
            "tests.side_bridge.left.hold_s",
        ),
        (minimal_case(tests={"no_such_test": {}}), "tests.no_such_test"),
        (
            minimal_case(questionnaires={"pain_nrs": {"now": 11, "average": 3, "worst": 5}}),
            "questionnaires.pain_nrs.now",
        ),
        (minimal_case(colour="blue"), "colour"),
    ],
)
def test_a_malformed_case_exits_2_naming_the_field(tmp_path, capsys, case, path):
    assert main(["evaluate", write_case(tmp_path, case)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:" in err
    assert "Traceback" not in err


def test_a_missing_safety_answer_is_refused_not_skipped(tmp_path, capsys):
    screening = all_no()
    skipped = next(iter(screening))
    del screening[skipped]
    assert main(["evaluate", write_case(tmp_path, minimal_case(screening=screening))]) == 2
    assert f"screening.{skipped}" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not valid JSON at line 1"),
        ("[]", "must be a JSON object"),
        ("", "not valid JSON"),
    ],
)
def test_unreadable_json_exits_2_with_a_plain_message(tmp_path, capsys, text, message):
    path = tmp_path / "case.json"
    path.write_text(text)
    assert main(["evaluate", str(path)]) == 2
    assert message in capsys.readouterr().err


def test_a_missing_file_exits_2(capsys):
    assert main(["evaluate", "/nonexistent/case.json"]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_schema_lists_every_test_and_safety_question(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert set(schema["properties"]["tests"]["properties"]) == set(CONTENT.tests)
    assert set(schema["properties"]["screening"]["required"]) == {
        q.id for q in CONTENT.red_flags.questions
    }


def test_content_check_reports_what_was_loaded(capsys):
    assert main(["content", "check"]) == 0
    out = capsys.readouterr().out
    assert f"content {CONTENT.version}: OK" in out
    assert f"{len(CONTENT.tests)} self-tests" in out


def test_tests_lists_every_self_test_with_steps(capsys):
    assert main(["tests"]) == 0
    out = capsys.readouterr().out
    for test in CONTENT.tests.values():
        assert f"[{test.id}]" in out
    assert "Steps:" in out and "How reliable:" in out


def test_tests_with_an_unknown_id_exits_2(capsys):
    assert main(["tests", "no_such_test"]) == 2


def test_the_installed_command_runs_without_a_traceback(tmp_path):
    bad = write_case(tmp_path, {"person": {}})
    proc = subprocess.run(
        [sys.executable, "-m", "backbalance", "evaluate", bad], capture_output=True, text=True
    )
    assert proc.returncode == 2
    assert "person.age" in proc.stderr
    assert "Traceback" not in proc.stderr
