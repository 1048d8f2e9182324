"""The text pages take their words from the content, so a web page or a PDF can share them.

A changed heading, label, day name or reliability word in the content shows up on the
page; a page template that asks for a value the code does not fill, or a word list that
misses an id, is refused when the content loads.
"""

from __future__ import annotations

import argparse
import io
import json
from contextlib import redirect_stdout
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from backbalance.cli.commands import _tests
from backbalance.cli.text import render_exercise, render_text
from backbalance.content.loader import Content
from backbalance.content.schema_messages import PageMessages
from backbalance.core.engine import evaluate_raw
from tests.strategies import CONTENT

EXAMPLE = (
    Path(__file__).resolve().parents[2]
    / "examples"
    / "cases"
    / "01_lower_crossed_office_worker.json"
)
ENGINE_YAML = (
    Path(__file__).resolve().parents[2] / "src" / "backbalance" / "content" / "data" / "engine.yaml"
)


def with_pages(**changes: Any) -> Content:
    pages = CONTENT.engine.messages.pages.model_copy(update=changes)
    messages = CONTENT.engine.messages.model_copy(update={"pages": pages})
    return replace(CONTENT, engine=CONTENT.engine.model_copy(update={"messages": messages}))


def pages_yaml() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(ENGINE_YAML.read_text("utf-8"))["messages"]["pages"]
    return data


def test_headings_labels_and_day_names_come_from_the_content() -> None:
    said = CONTENT.engine.messages.pages
    content = with_pages(
        headings={**said.headings, "numbers": "Figures measured"},
        labels={**said.labels, "your_week": "The week ahead:", "left": "Lft"},
        day_name="weekday {number}",
        routine_heading="Routine now ({phase})",
    )
    raw = EXAMPLE.read_text("utf-8")
    result = evaluate_raw(json.loads(raw), content)
    page = render_text(result, content)
    assert "FIGURES MEASURED" in page
    assert "The week ahead:" in page
    assert "weekday 7:" in page and "day 7:" not in page.replace("weekday 7:", "")
    assert "ROUTINE NOW (" in page
    assert "Lft" in page


def test_exercise_words_come_from_the_content() -> None:
    said = CONTENT.engine.messages.pages
    content = with_pages(
        action_words={key: f"<{key}>" for key in said.action_words},
        labels={**said.labels, "steps": "How to do it:"},
        usual_dose="Dose {sets}/{amount}/{rest}/{per_week}",
    )
    exercise = CONTENT.exercises["bridge"]
    page = render_exercise(exercise, content)
    assert "How to do it:" in page
    assert f"<{exercise.targets[0].action}>" in page
    assert f"Dose {exercise.dose.sets}/" in page


def test_the_self_test_page_words_come_from_the_content() -> None:
    said = CONTENT.engine.messages.pages
    content = with_pages(
        reliability_words={grade: f"[{grade} reliability]" for grade in said.reliability_words},
        who_words={who: f"({who})" for who in said.who_words},
        for_clinicians="Clinical figures: {summary}",
    )
    out = io.StringIO()
    with redirect_stdout(out):
        assert _tests(argparse.Namespace(test_id=None, case=None), content) == 0
    page = out.getvalue()
    grades = {test.reliability.grade for test in CONTENT.tests.values()}
    assert all(f"[{grade} reliability]" in page for grade in grades)
    assert "Who: (" in page
    assert "Clinical figures:" in page and "For clinicians:" not in page


@pytest.mark.parametrize(
    ("field", "broken"),
    [
        ("day_name", "day {nmber}"),
        ("usual_dose", "Usual dose: {sets} sets of {amout}"),
        ("who_and_kit", "Who: {who}. Kit: {equipment}."),
    ],
)
def test_a_page_template_with_an_unknown_placeholder_is_refused(field: str, broken: str) -> None:
    data = pages_yaml()
    data[field] = broken
    with pytest.raises(ValidationError, match=field):
        PageMessages.model_validate(data)


@pytest.mark.parametrize(
    ("field", "key"),
    [
        ("action_words", "endure"),
        ("reliability_words", "low"),
        ("who_words", "partner"),
        ("headings", "numbers"),
        ("labels", "stop_if"),
    ],
)
def test_a_word_list_missing_an_id_is_refused(field: str, key: str) -> None:
    data = pages_yaml()
    del data[field][key]
    with pytest.raises(ValidationError, match=field):
        PageMessages.model_validate(data)


def test_the_content_as_shipped_is_accepted() -> None:
    assert PageMessages.model_validate(pages_yaml()) == CONTENT.engine.messages.pages
