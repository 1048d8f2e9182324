"""What a person in pain reads: plain words, nothing hidden, no recommendation by accident.

Every example case is rendered as `evaluate --format text` and as `plan`, and the
`tests` command is rendered too; each output is scanned for content ids, stray
punctuation, doubled units and reliability statistics outside the part for clinicians.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Literal

import hypothesis
import pytest
from hypothesis import strategies as st

from backbalance.cli.main import main
from backbalance.cli.text import render_text
from backbalance.content.vocabulary import Answer
from backbalance.core.engine import evaluate_raw
from tests.strategies import CONTENT, all_no

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples" / "cases").glob("*.json"))
DEVICES = ("inversion", "vibration")

# A content id written the way the files write them (snake_case). A handle in square
# brackets ("[modified_thomas]") is there on purpose, to type into the next command.
SNAKE_CASE = re.compile(r"(?<![\[\w])[a-z0-9]+(?:_[a-z0-9]+)+(?![\]\w])")
STRAY_PUNCTUATION = re.compile(r"\.;|;\.|\.\.(?!\.)|,\.|\.,")
# "(degrees) (deg)": two brackets in a row read as a stutter, whatever is in them.
DOUBLED_BRACKETS = re.compile(r"\([^()]*\)\s*\([^()]*\)")
STATISTICS = re.compile(
    r"\bICC\b|\bkappa\b|\bsensitivity\b|\bspecificity\b|\bSEM\b|\bMDC\b|\br = -?\d"
    r"|95 ?% CI|confidence interval|test-retest \d",
    re.IGNORECASE,
)


def output(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def outside_clinician_parts(text: str) -> str:
    """The text without its "For clinicians" parts (each runs to the next blank line)."""
    kept: list[str] = []
    inside = False
    for line in text.splitlines():
        if line.strip().lower().startswith("for clinicians"):
            inside = True
        elif not line.strip():
            inside = False
        if not inside:
            kept.append(line)
    return "\n".join(kept)


def jargon(text: str) -> list[str]:
    problems = [f"content id {m!r}" for m in SNAKE_CASE.findall(text)]
    problems += [f"stray punctuation {m!r}" for m in STRAY_PUNCTUATION.findall(text)]
    problems += [f"doubled brackets {m!r}" for m in DOUBLED_BRACKETS.findall(text)]
    problems += [
        f"statistic {m!r} outside the clinician part"
        for m in STATISTICS.findall(outside_clinician_parts(text))
    ]
    return problems


OUTPUTS = [
    *[(f"evaluate {p.name}", ("evaluate", str(p), "--format", "text")) for p in EXAMPLES],
    *[(f"plan {p.name}", ("plan", str(p))) for p in EXAMPLES],
    ("tests", ("tests",)),
    *[(f"exercises {e}", ("exercises", e)) for e in sorted(CONTENT.exercises)],
]


@pytest.mark.parametrize(("name", "argv"), OUTPUTS, ids=[name for name, _ in OUTPUTS])
def test_what_a_person_reads_has_no_jargon(
    capsys: pytest.CaptureFixture[str], name: str, argv: list[str]
) -> None:
    assert jargon(output(capsys, *argv)) == []


def test_the_scan_finds_each_kind_of_jargon() -> None:
    # The checks above can fail: each kind of problem, as it used to appear, is caught.
    assert jargon("loads your back in a direction (side_bend) that makes it worse")
    assert jargon("Stop if: Sharp pain.; Low back pain.")
    assert jargon("How far the knee bent (degrees) (deg)")
    assert jargon("How reliable: moderate. Testers agreed (kappa 0.52).")
    assert jargon("Show it: backbalance tests [modified_thomas]") == []
    assert jargon("For clinicians: two testers agreed (ICC 0.30 to 0.65).\n") == []


def test_every_self_test_keeps_its_figures_for_clinicians(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = output(capsys, "tests")
    for test in CONTENT.tests.values():
        summary = " ".join(test.reliability.summary.split())
        assert summary[:40] in " ".join(text.split()), test.id


def case_from(name: str, **context: Any) -> dict[str, Any]:
    raw: dict[str, Any] = json.loads((ROOT / "examples" / "cases" / name).read_text())
    raw["context"].update(context)
    return raw


def write(tmp_path: Path, data: object) -> str:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


# --------------------------------------------------------------------------- a walk


def test_a_walk_reads_as_minutes_of_walking_not_a_hold(capsys: pytest.CaptureFixture[str]) -> None:
    text = output(
        capsys, "plan", str(ROOT / "examples" / "cases" / "01_lower_crossed_office_worker.json")
    )
    assert "minutes of walking" in text
    assert not re.search(r"\d+ s hold", text.split("Short, easy walks")[1].split("\n  2.")[0])


# --------------------------------------------------------------------------- the emergency page


def emergency_answers() -> list[tuple[str, Literal["yes", "unsure"]]]:
    """Each safety question and answer that on its own, in example 01, makes an emergency.

    "Not sure" is in the list only where the content counts it as yes for an emergency
    rule; elsewhere it raises a lower level, which another page covers.
    """
    found: list[tuple[str, Literal["yes", "unsure"]]] = []
    answers: tuple[Literal["yes", "unsure"], ...] = ("yes", "unsure")
    for question in CONTENT.red_flags.questions:
        for answer in answers:
            raw = case_from("01_lower_crossed_office_worker.json")
            raw["screening"][question.id] = answer
            if evaluate_raw(raw, CONTENT).triage.level == "emergency":
                found.append((question.id, answer))
    return found


EMERGENCY_ANSWERS = emergency_answers()


def test_some_answers_alone_make_an_emergency_both_yes_and_not_sure() -> None:
    assert len({q for q, a in EMERGENCY_ANSWERS if a == "yes"}) >= 3
    assert len({q for q, a in EMERGENCY_ANSWERS if a == "unsure"}) >= 3


@pytest.mark.parametrize(("question_id", "answer"), EMERGENCY_ANSWERS)
def test_the_emergency_page_lists_the_answers_behind_it_and_nothing_else(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    question_id: str,
    answer: Literal["yes", "unsure"],
) -> None:
    raw = case_from("01_lower_crossed_office_worker.json")
    raw["screening"][question_id] = answer
    assert evaluate_raw(raw, CONTENT).triage.level == "emergency"
    path = write(tmp_path, raw)
    page = output(capsys, "evaluate", path, "--format", "text")
    flat = " ".join(page.split())
    question = next(q for q in CONTENT.red_flags.questions if q.id == question_id)
    words = CONTENT.engine.emergency_page.answer_words[answer]
    assert f"{' '.join(question.question.split())} You answered: {words}." in flat
    # Only the answers behind the emergency: "no" answers are never listed.
    assert flat.count("You answered:") == 1
    # Nothing else: no questionnaires, findings, routine, devices or notes.
    for other in ("QUESTIONNAIRES", "IMBALANCES", "ROUTINE", "Inversion table —", "NOTES"):
        assert other not in page
    assert page == output(capsys, "plan", path)


def test_the_emergency_example_lists_both_answers(capsys: pytest.CaptureFixture[str]) -> None:
    page = output(
        capsys, "plan", str(ROOT / "examples" / "cases" / "04_cauda_equina_emergency.json")
    )
    flat = " ".join(page.split())
    assert "Has your bladder changed recently?" in flat
    assert "You answered: yes." in flat and "You answered: not sure." in flat
    assert "QUESTIONNAIRES" not in page


def test_plan_after_an_urgent_result_shows_the_reasons(capsys: pytest.CaptureFixture[str]) -> None:
    path = ROOT / "examples" / "cases" / "05_urgent_past_cancer.json"
    result = evaluate_raw(json.loads(path.read_text()), CONTENT)
    assert result.triage.level == "urgent"
    flat = " ".join(output(capsys, "plan", str(path)).split())
    for reason in result.triage.reasons:
        assert " ".join(reason.reason.split()) in flat
    for step in result.triage.what_to_do:
        assert " ".join(step.split()) in flat


# --------------------------------------------------------------------------- the devices


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_a_device_is_never_ticked_or_called_suitable(
    capsys: pytest.CaptureFixture[str], path: Path
) -> None:
    result = evaluate_raw(json.loads(path.read_text()), CONTENT)
    text = output(capsys, "evaluate", str(path), "--format", "text")
    for therapy in DEVICES:
        verdict = result.adjuncts.get(therapy)
        if verdict is None:
            continue
        assert "fine to try" not in verdict.verdict_label.lower()
        assert "suitable" not in verdict.verdict_label.lower()
        for line in text.splitlines():
            if f" {verdict.name} — " in line:
                assert "✓" not in line, line
        if verdict.verdict == "suitable":
            assert verdict.verdict_label == CONTENT.adjuncts.verdict_labels.allowed_optional_extra


def test_a_device_nothing_rules_out_is_allowed_never_advised() -> None:
    result = evaluate_raw(
        json.loads(
            (ROOT / "examples" / "cases" / "02_flat_back_short_hamstrings.json").read_text()
        ),
        CONTENT,
    )
    for therapy in DEVICES:
        verdict = result.adjuncts[therapy]
        assert verdict.verdict == "suitable"
        label = verdict.verdict_label.lower()
        assert "allowed" in label and "not advised" in label
        assert "not advised" in verdict.protocol.summary if verdict.protocol else False


# --------------------------------------------------------------------------- left out for time


@pytest.mark.parametrize("minutes", [5, 8, 12, 20])
def test_everything_left_out_is_listed_with_its_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], minutes: int
) -> None:
    raw = case_from("12_hip_abductor_weakness_left.json", minutes_per_day=minutes)
    result = evaluate_raw(raw, CONTENT)
    assert result.routine is not None
    text = " ".join(output(capsys, "plan", write(tmp_path, raw)).split())
    left_out = result.routine.left_out
    assert any(o.why == "time" for o in left_out)
    for out in left_out:
        name = CONTENT.exercises[out.exercise].name
        assert f"{name}: {' '.join(out.reason.split())}" in text


QUESTION_IDS = [q.id for q in CONTENT.red_flags.questions]


@hypothesis.settings(max_examples=200, deadline=None)
@hypothesis.given(
    flagged=st.dictionaries(
        st.sampled_from(QUESTION_IDS), st.sampled_from(["yes", "unsure"]), min_size=1, max_size=3
    )
)
def test_an_emergency_page_lists_exactly_the_answers_behind_it(flagged: dict[str, Answer]) -> None:
    answers = {**all_no(), **flagged}
    result = evaluate_raw({"person": {"age": 40, "sex": "female"}, "screening": answers}, CONTENT)
    hypothesis.event(f"gate: triage {result.triage.level}")
    listed = {w.about for w in result.warnings if w.code == "emergency_answer"}
    if result.triage.level != "emergency":
        assert not listed
        return
    behind = {q for r in result.triage.reasons if r.level == "emergency" for q in r.answers}
    assert listed == {q for q in behind if answers.get(q) in ("yes", "unsure")}
    assert listed, "an emergency always names at least one answer"
    page = " ".join(render_text(result, CONTENT).split())
    questions = {q.id: q for q in CONTENT.red_flags.questions}
    for question_id in listed:
        assert question_id is not None
        assert " ".join(questions[question_id].question.split()) in page
    assert page.count("You answered:") == len(listed)
