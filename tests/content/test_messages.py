"""The wording lives in the content, every placeholder is filled, and no core text names a
command.

The sentences a person reads are templates in the content (engine.yaml, program.yaml,
progression.yaml messages); the code fills them through one helper. These tests check
that every output of the examples and of generated cases is fully filled, that a template
asking for something the code never fills is refused when the content loads, and that the
core's own words never tell the person to type a command (each adapter adds that).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import event, given, settings
from pydantic import ValidationError

from backbalance.cli.text import render_plan, render_text
from backbalance.content.schema_messages import (
    AssessmentMessages,
    GateWording,
    PageMessages,
    ProgramMessages,
    ProgressionWording,
    ResultMessages,
    RetestWording,
)
from backbalance.content.validation import validate
from backbalance.content.wording import UnfilledPlaceholder, fill, placeholders
from backbalance.core.engine import evaluate_raw
from backbalance.core.types import Result, to_jsonable
from tests.strategies import CONTENT, cases

EXAMPLE_DIR = Path(__file__).resolve().parents[2] / "examples" / "cases"
DATA_DIR = Path(__file__).resolve().parents[2] / "src" / "backbalance" / "content" / "data"
EXAMPLES = sorted(EXAMPLE_DIR.glob("*.json"))
LEFT_IN = re.compile(r"\{\w+\}")


def every_text(value: Any) -> list[str]:
    """Every string inside a JSON-like value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for k, v in value.items() for t in (*every_text(k), *every_text(v))]
    if isinstance(value, list | tuple):
        return [t for v in value for t in every_text(v)]
    return []


def unfilled(result: Result) -> list[str]:
    outputs = [
        *every_text(to_jsonable(result)),
        render_text(result, CONTENT),
        render_plan(result, CONTENT),
    ]
    return [text for text in outputs if LEFT_IN.search(text)]


# --------------------------------------------------------------------------- the helper


def test_fill_puts_in_every_value_and_tidies_spaces() -> None:
    said = fill("{test}:  not used\n ({why}).", test="Side plank", why="it hurt")
    assert said == "Side plank: not used (it hurt)."


def test_fill_refuses_a_placeholder_without_a_value() -> None:
    with pytest.raises(UnfilledPlaceholder, match="why"):
        fill("{test}: not used ({why}).", test="Side plank")


def test_a_value_holding_braces_is_put_in_as_written_not_filled_again() -> None:
    assert fill("You said: {answer}.", answer="{why} {x}", why="no") == "You said: {why} {x}."


# --------------------------------------------------------------------------- the content


def message_groups() -> list[tuple[str, Any]]:
    messages = CONTENT.engine.messages
    return [
        ("engine.result", messages.result),
        ("engine.assessment", messages.assessment),
        ("engine.gates", messages.gates),
        ("engine.pages", messages.pages),
        ("engine.retest", messages.retest),
        ("program", CONTENT.program.messages),
        ("progression.wording", CONTENT.progression.wording),
    ]


def test_every_template_uses_only_the_placeholders_its_code_fills() -> None:
    for name, group in message_groups():
        for field, value in asdict(group).items():
            texts = every_text(value)
            used = {p for text in texts for p in placeholders(text)}
            allowed = type(group).PLACEHOLDERS.get(field, frozenset())
            assert used <= allowed, f"{name}.{field}"


@pytest.mark.parametrize(
    ("model", "group"),
    [
        (ResultMessages, CONTENT.engine.messages.result),
        (AssessmentMessages, CONTENT.engine.messages.assessment),
        (GateWording, CONTENT.engine.messages.gates),
        (ProgramMessages, CONTENT.program.messages),
        (ProgressionWording, CONTENT.progression.wording),
        (PageMessages, CONTENT.engine.messages.pages),
        (RetestWording, CONTENT.engine.messages.retest),
    ],
)
def test_a_misspelt_placeholder_is_refused_when_the_content_loads(model: Any, group: Any) -> None:
    raw = asdict(group)
    field = next(k for k, v in raw.items() if isinstance(v, str))
    raw[field] = raw[field] + " {misspelt}"
    with pytest.raises(ValidationError, match="misspelt"):
        validate(model, raw)


COMMAND = re.compile(r"`|\bbackbalance (evaluate|schema|content|plan|exercises|figures|tests)\b")


def test_no_core_message_names_a_command() -> None:
    """How to do a thing belongs to the adapter (a command here, a button on a page)."""
    assert COMMAND.search("Run `backbalance tests` to see them.")  # the check can fire
    for name, group in message_groups():
        for text in every_text(asdict(group)):
            assert not COMMAND.search(text), f"{name}: {text}"
    for message in CONTENT.progression.messages():
        assert not COMMAND.search(message.says), f"progression {message.id}"
    for path in sorted(DATA_DIR.glob("*.yaml")):
        for text in every_text(yaml.safe_load(path.read_text("utf-8"))):
            assert not COMMAND.search(text), f"{path.name}: {text}"


# --------------------------------------------------------------------------- the outputs


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_no_example_output_leaves_a_placeholder_unfilled(path: Path) -> None:
    result = evaluate_raw(json.loads(path.read_text(encoding="utf-8")), CONTENT)
    assert unfilled(result) == []


@settings(max_examples=60, deadline=None)
@given(cases(with_context=True))
def test_no_generated_output_leaves_a_placeholder_unfilled(raw: dict[str, Any]) -> None:
    result = evaluate_raw(raw, CONTENT)
    event(f"triage: {result.triage.level}")
    assert unfilled(result) == []


def test_the_no_tests_note_names_no_command_but_the_text_output_says_how() -> None:
    raw = json.loads((EXAMPLE_DIR / "10_first_visit_no_tests_yet.json").read_text("utf-8"))
    result = evaluate_raw(raw, CONTENT)
    note = next(w.message for w in result.warnings if w.code == "no_tests")
    assert note == CONTENT.engine.messages.result.no_tests
    assert "backbalance" not in note
    assert "`backbalance tests`" in " ".join(render_text(result, CONTENT).split())


@pytest.mark.parametrize("days", [42, 56])
def test_the_retest_wording_follows_the_routine_retest_interval(days: int) -> None:
    """'No clear imbalance' says the routine's own re-test time, not a fixed 'few weeks'."""
    interval = replace(CONTENT.program.retest_after_days, value=days)
    program = replace(CONTENT.program, retest_after_days=interval)
    content = replace(CONTENT, program=program)
    raw = json.loads((EXAMPLE_DIR / "09_invalid_and_painful_tests.json").read_text("utf-8"))
    result = evaluate_raw(raw, content)
    notes = [w.message for w in result.warnings if w.code == "no_clear_imbalance"]
    assert len(notes) == 1
    assert f"a re-test in about {days // 7} weeks helps" in notes[0]
