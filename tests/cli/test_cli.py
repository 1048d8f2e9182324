"""The command line: every command works, and bad input never ends in a traceback."""

from __future__ import annotations

import io
import json
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from backbalance.cli.main import main
from backbalance.core.strict_json import MAX_ECHO_CHARS, MAX_ERRORS_SHOWN, MAX_INPUT_BYTES
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


def test_evaluate_prints_json_with_the_required_keys(capsys: pytest.CaptureFixture[str]) -> None:
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


def test_evaluate_text_shows_the_screen_and_the_imbalances(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["evaluate", str(EXAMPLE), "--format", "text"]) == 0
    out = capsys.readouterr().out
    assert "SAFETY SCREEN" in out
    assert "YOUR MAIN IMBALANCES" in out
    assert "left" in out and "right" in out


def test_evaluate_shows_what_to_find_out_after_a_not_sure_answer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
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


def test_evaluate_reads_standard_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Standard input is read as bytes, like a file, so that its size can be capped.
    stdin = io.TextIOWrapper(io.BytesIO(json.dumps(minimal_case()).encode()))
    monkeypatch.setattr(sys, "stdin", stdin)
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
def test_a_malformed_case_exits_2_naming_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: Any, path: str
) -> None:
    assert main(["evaluate", write_case(tmp_path, case)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:" in err
    assert "Traceback" not in err


def test_a_missing_safety_answer_is_refused_not_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
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
def test_unreadable_json_exits_2_with_a_plain_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    path = tmp_path / "case.json"
    path.write_text(text)
    assert main(["evaluate", str(path)]) == 2
    assert message in capsys.readouterr().err


def test_a_missing_file_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", "/nonexistent/case.json"]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_schema_lists_every_test_and_safety_question(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert set(schema["properties"]["tests"]["properties"]) == set(CONTENT.tests)
    assert set(schema["properties"]["screening"]["required"]) == {
        q.id for q in CONTENT.red_flags.questions
    }


def test_content_check_reports_what_was_loaded(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["content", "check"]) == 0
    out = capsys.readouterr().out
    assert f"content {CONTENT.version}: OK" in out
    assert f"{len(CONTENT.tests)} self-tests" in out


def test_tests_lists_every_self_test_with_steps(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tests"]) == 0
    out = capsys.readouterr().out
    for test in CONTENT.tests.values():
        assert f"[{test.id}]" in out
    assert "Steps:" in out and "How reliable:" in out


def test_tests_with_an_unknown_id_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tests", "no_such_test"]) == 2


def test_the_installed_command_runs_without_a_traceback(tmp_path: Path) -> None:
    bad = write_case(tmp_path, {"person": {}})
    proc = subprocess.run(
        [sys.executable, "-m", "backbalance", "evaluate", bad], capture_output=True, text=True
    )
    assert proc.returncode == 2
    assert "person.age" in proc.stderr
    assert "Traceback" not in proc.stderr


# --------------------------------------------------------------------------- hostile input


def run_cli(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """The real command, in its own process, as a person would run it."""
    proc: subprocess.CompletedProcess[str] = subprocess.run(
        [sys.executable, "-m", "backbalance", *args],
        capture_output=True,
        text=True,
        timeout=60,
        **kwargs,  # type: ignore[call-overload]
    )
    return proc


def write_text(tmp_path: Path, text: str, encoding: str = "utf-8") -> str:
    path = tmp_path / "case.json"
    path.write_text(text, encoding=encoding)
    return str(path)


def case_text(**changes: object) -> str:
    """A valid case as JSON text without its closing brace, so fields can be appended."""
    return json.dumps(minimal_case(**changes))[:-1]


FIRST_QUESTION = next(iter(all_no()))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # The safety answer "yes" must not be overwritten by a later "no".
        (
            json.dumps(minimal_case(screening={**all_no(), FIRST_QUESTION: "yes"}))[:-2]
            + f', "{FIRST_QUESTION}": "no"}}}}',
            f"screening.{FIRST_QUESTION}: given twice",
        ),
        # A list of conditions must not be emptied by a second one.
        (
            case_text(context={"minutes_per_day": 15, "conditions": ["pregnancy"]})[:-1]
            + ', "conditions": []}}',
            "context.conditions: given twice",
        ),
        (
            case_text()
            + ', "questionnaires": {"psfs": [{"activity": "walk", "rating": 3},'
            + ' {"activity": "sit", "rating": 4, "rating": 9}, {"activity": "run", "rating": 5}]}}',
            "questionnaires.psfs.2.rating: given twice",
        ),
        (case_text() + ', "person": {"age": 40, "sex": "male"}}', "person: given twice"),
    ],
)
def test_a_key_given_twice_exits_2_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    assert main(["evaluate", write_text(tmp_path, text)]) == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "path"),
    [
        (
            case_text(tests={"side_bridge": {"left": {"hold_s": 1}}}).replace(
                '"hold_s": 1', '"hold_s": ' + "9" * 310
            )
            + "}",
            "tests.side_bridge.left.hold_s",
        ),
        (case_text() + ', "case_id": "case-\\ud800"}', "case_id"),
        (
            case_text()
            + ', "questionnaires": {"psfs": [{"activity": "walk\\ud800", "rating": 3},'
            + ' {"activity": "sit", "rating": 4}, {"activity": "run", "rating": 5}]}}',
            "questionnaires.psfs.1.activity",
        ),
        (
            case_text(
                tests={"standing_pelvis_height": {"higher_side": "level", "difference_cm": 5}}
            )
            + "}",
            "tests.standing_pelvis_height.higher_side",
        ),
        (
            case_text(
                tests={"standing_pelvis_height": {"higher_side": "left_higher", "difference_cm": 0}}
            )
            + "}",
            "tests.standing_pelvis_height.higher_side",
        ),
    ],
)
def test_input_that_used_to_crash_or_mislead_exits_2_naming_the_field(
    tmp_path: Path, text: str, path: str
) -> None:
    proc = run_cli("evaluate", write_text(tmp_path, text))
    assert proc.returncode == 2, proc.stdout
    assert f"{path}:" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_file_just_over_the_size_limit_is_refused_at_once(tmp_path: Path) -> None:
    # Unknown keys, as in the 61 MB file that once took 90 s: now one byte over the limit.
    body = case_text()
    filler = ", ".join(f'"unknown_{n}": 0' for n in range(MAX_INPUT_BYTES // 10))
    text = (body + ", " + filler)[:MAX_INPUT_BYTES].ljust(MAX_INPUT_BYTES + 1)
    path = write_text(tmp_path, text)
    assert Path(path).stat().st_size == MAX_INPUT_BYTES + 1
    proc = run_cli("evaluate", path)
    assert proc.returncode == 2
    assert "case: larger than 1 MB" in proc.stderr
    assert len(proc.stderr) < 300


# A process that writes zero bytes for as long as anyone reads them: an endless stdin on
# any system.
ENDLESS_WRITER = (
    "import sys\n"
    "try:\n"
    "    while True:\n"
    "        sys.stdout.buffer.write(bytes(65536))\n"
    "except (BrokenPipeError, OSError):\n"
    "    pass\n"
)


def test_an_endless_stream_on_stdin_is_refused_not_read_for_ever() -> None:
    writer = subprocess.Popen([sys.executable, "-c", ENDLESS_WRITER], stdout=subprocess.PIPE)
    try:
        proc = run_cli("evaluate", "-", stdin=writer.stdout)
    finally:
        writer.kill()
        writer.wait()
        assert writer.stdout is not None
        writer.stdout.close()
    assert proc.returncode == 2
    assert "case: larger than 1 MB" in proc.stderr


@pytest.mark.skipif(
    not Path("/dev/zero").exists(),
    reason="an endless file given by path needs a device such as /dev/zero (Linux, macOS)",
)
def test_an_endless_file_is_refused_not_read_for_ever() -> None:
    proc = run_cli("evaluate", "/dev/zero")
    assert proc.returncode == 2
    assert "case: larger than 1 MB" in proc.stderr


def test_only_the_first_errors_are_listed_and_the_rest_counted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    extra = MAX_ERRORS_SHOWN + 25
    case = minimal_case(**{f"unknown_{n}": 0 for n in range(extra)})
    assert main(["evaluate", write_case(tmp_path, case)]) == 2
    lines = capsys.readouterr().err.splitlines()
    listed = [line for line in lines if line.startswith("  - ")]
    assert len(listed) == MAX_ERRORS_SHOWN
    assert lines[-1] == "  … and 25 more problems not shown; fix these first"


def test_a_long_value_is_never_echoed_back_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    long = "z" * (MAX_INPUT_BYTES - 2000)
    case = minimal_case(context={"minutes_per_day": 15, "conditions": [long]})
    assert main(["evaluate", write_case(tmp_path, case)]) == 2
    err = capsys.readouterr().err
    assert "context.conditions.1: unknown id" in err
    assert err.count("z") < 2 * MAX_ECHO_CHARS


def test_a_file_that_starts_with_a_byte_order_mark_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_text(tmp_path, json.dumps(minimal_case()), encoding="utf-8-sig")
    assert Path(path).read_bytes().startswith(b"\xef\xbb\xbf")
    assert main(["evaluate", path]) == 0
    assert json.loads(capsys.readouterr().out)["triage"]["level"] == "none"


def test_a_file_that_is_not_utf8_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "case.json"
    path.write_bytes(json.dumps(minimal_case(case_id="café"), ensure_ascii=False).encode("latin-1"))
    assert main(["evaluate", str(path)]) == 2
    assert "is not UTF-8 text" in capsys.readouterr().err


def test_a_reader_that_stops_early_gets_no_traceback() -> None:
    # `backbalance tests | head -2`: the pipe closes long before the listing ends.
    proc = subprocess.run(
        f"{shlex.quote(sys.executable)} -m backbalance tests | head -2",
        shell=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert len(proc.stdout.splitlines()) == 2
    assert "Traceback" not in proc.stderr
    assert "BrokenPipeError" not in proc.stderr
