"""``backbalance ledger``: text, JSON, the schema, the examples, and bad input (exit 2)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from backbalance.cli.main import main
from tests.core.ledger_cases import course, weekly
from tests.strategies import CONTENT

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "ledger"
LABELS = CONTENT.outcomes.labels
VERDICTS = CONTENT.outcomes.verdicts


def write(tmp_path: Path, data: object) -> str:
    path = tmp_path / "ledger.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["ledger", *args])
    out, err = capsys.readouterr()
    return code, out, err


# Each example and the verdict it is there to show, on the day it is judged.
EXAMPLE_VERDICTS = [
    ("01_improving_physiotherapy.json", "2026-10-12", "improving_meaningfully"),
    ("02_not_meaningful_after_four_visits.json", "2026-09-22", "review_recommended"),
    ("03_worse_rescreen_first.json", "2026-10-19", "rescreen_first"),
]


@pytest.mark.parametrize(("name", "on", "expected"), EXAMPLE_VERDICTS)
def test_each_example_gives_its_verdict(
    capsys: pytest.CaptureFixture[str], name: str, on: str, expected: str
) -> None:
    code, out, _ = run(capsys, str(EXAMPLES / name), "--as-of", on, "--format", "json")
    assert code == 0
    assert json.loads(out)["verdict"] == expected


def test_every_example_is_in_the_table() -> None:
    assert sorted(p.name for p in EXAMPLES.glob("*.json")) == sorted(
        row[0] for row in EXAMPLE_VERDICTS
    )


def test_text_shows_verdict_reason_money_caveats_and_questions(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = course(weekly([7, 6.5, 6, 5.5]), currency="EUR", episode_started="2026-08-20")
    data["visits"][0]["checklist"] = {"home_plan": False}
    code, out, err = run(capsys, write(tmp_path, data), "--as-of", "2026-09-22")
    assert (code, err) == (0, "")
    assert f"{LABELS['verdict']}: {VERDICTS['review_recommended'].label}" in out
    assert f"{LABELS['why']}: After 21 days and 4 visits" in out
    assert f"{LABELS['spent']}: 200.00 EUR" in out
    assert f"{LABELS['reimbursed']}: 80.00 EUR" in out
    assert f"{LABELS['net']}: 120.00 EUR" in out
    assert LABELS["no_cost_per_point"] in " ".join(out.split())
    assert f"{LABELS['caveats']}:" in out
    assert "This episode began 33 days ago." in " ".join(out.split())
    assert CONTENT.outcomes.checklist["home_plan"].question in " ".join(out.split())
    assert "7 → 5.5, not yet meaningful" in out


def test_json_has_the_verdict_totals_and_cost_per_point(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(
        capsys,
        write(tmp_path, course(weekly([8, 7, 5]))),
        "--as-of",
        "2026-09-15",
        "--format",
        "json",
    )
    report = json.loads(out)
    assert code == 0
    assert report["verdict"] == "improving_meaningfully"
    assert report["totals"] == {
        "visits": 3,
        "spent": 150.0,
        "reimbursed": 60.0,
        "net": 90.0,
        "currency": "",
    }
    assert report["cost_per_point"] == 30.0
    assert report["as_of"] == "2026-09-15"
    assert set(report) >= {"reason", "caveats", "questions", "measures", "checklist"}


def test_schema_flag_prints_the_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--schema")
    schema = json.loads(out)
    assert code == 0
    assert set(schema["properties"]) >= {"provider", "visits", "pain_diary", "red_flags"}
    assert "Visit" in schema["$defs"]


def test_the_examples_follow_the_schema_s_shape(capsys: pytest.CaptureFixture[str]) -> None:
    """Every key an example uses is one the schema names (a cheap check, no validator)."""
    _, out, _ = run(capsys, "--schema")
    schema = json.loads(out)
    for path in EXAMPLES.glob("*.json"):
        data: dict[str, Any] = json.loads(path.read_text("utf-8"))
        assert set(data) <= set(schema["properties"]), path.name
        for visit in data["visits"]:
            assert set(visit) <= set(schema["$defs"]["Visit"]["properties"]), path.name


@pytest.mark.parametrize(
    ("content", "paths"),
    [
        (
            json.dumps(course(weekly([7, 12]), red_flags=[{"date": "2026-13-01", "what": "x"}])),
            ["visits.2.pain_before", "red_flags.1.date"],
        ),
        (
            '{"provider": {"name": "A", "name": "B", "kind": "physio"}, "visits": []}',
            ["provider.name"],
        ),
        ("not json", ["ledger"]),
        (json.dumps(course([(0, 5)], extra=1)), ["extra"]),
    ],
    ids=["out of range and a bad date", "duplicate key", "not JSON", "unknown field"],
)
def test_bad_input_exits_2_naming_each_field(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str, paths: list[str]
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    code, out, err = run(capsys, str(path), "--as-of", "2026-10-01")
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    named = [line.removeprefix("  - ").split(":")[0] for line in err.splitlines()[1:]]
    for expected in paths:
        assert expected in named, err


@pytest.mark.parametrize(
    ("args", "path"),
    [
        (["--as-of", "2026-02-30"], "as_of"),
        (["--as-of", "2026-08-01"], "as_of"),
        ([], None),
    ],
)
def test_bad_as_of_or_missing_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str], path: str | None
) -> None:
    ledger = write(tmp_path, course([(0, 5)]))
    if path is None:
        code, _, err = run(capsys, str(tmp_path / "missing.json"), "--as-of", "2026-09-01")
        assert code == 2
        assert "episode: cannot read" in err
        code, _, err = run(capsys)
        assert code == 2
        assert "episode:" in err
        return
    code, _, err = run(capsys, ledger, *args)
    assert code == 2
    assert f"  - {path}:" in err


def test_an_oversized_file_is_refused_before_it_is_read_in_full(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "huge.json"
    path.write_bytes(b" " * (2_000_001))
    code, out, err = run(capsys, str(path), "--as-of", "2026-10-01")
    assert (code, out) == (2, "")
    assert "  - episode: larger than" in err
