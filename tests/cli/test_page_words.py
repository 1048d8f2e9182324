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

from backbalance.cli.commands import _exercises, _tests
from backbalance.cli.text import render_exercise, render_text
from backbalance.content.loader import Content
from backbalance.content.schema_messages import EngineMessages, PageMessages
from backbalance.content.validation import validate
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
    pages = replace(CONTENT.engine.messages.pages, **changes)
    messages = replace(CONTENT.engine.messages, pages=pages)
    return replace(CONTENT, engine=replace(CONTENT.engine, messages=messages))


def with_messages(**changes: Any) -> Content:
    """The content with some of ``messages`` itself changed (not a page message)."""
    messages = replace(CONTENT.engine.messages, **changes)
    return replace(CONTENT, engine=replace(CONTENT.engine, messages=messages))


def messages_yaml() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(ENGINE_YAML.read_text("utf-8"))["messages"]
    return data


def page_of(case: Path, content: Content) -> str:
    return render_text(evaluate_raw(json.loads(case.read_text("utf-8")), content), content)


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
        validate(PageMessages, data)


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
        validate(PageMessages, data)


def test_the_muscle_table_writes_each_status_in_the_content_s_words() -> None:
    said = CONTENT.engine.messages
    content = with_messages(
        status_words={status: f"<{status}>" for status in said.status_words},
        pages=replace(said.pages, finding_cell="{status} / {confidence}"),
    )
    page = page_of(EXAMPLE, content)
    # The table runs from its heading to the first blank line.
    table = page.split(said.pages.headings["muscle_table"].upper())[1].split("\n\n")[0]
    assert "<normal>" in table
    assert "<short> / " in table or "<weak> / " in table or "<tight> / " in table
    for status in said.status_words:
        assert f" {status} (" not in table and f" {status}\n" not in table


def test_exercise_kinds_are_written_in_the_content_s_words() -> None:
    said = CONTENT.engine.messages
    content = with_messages(kind_words={kind: f"kind-{kind}" for kind in said.kind_words})
    routine = page_of(EXAMPLE, content)
    assert "— kind-" in routine  # each routine line names its kind
    exercise = CONTENT.exercises["bridge"]
    assert f"kind-{exercise.kind}," in render_exercise(exercise, content)
    out = io.StringIO()
    with redirect_stdout(out):
        assert _exercises(argparse.Namespace(exercise_id=None), content) == 0
    headings = [line for line in out.getvalue().splitlines() if line[:1].isalpha()]
    assert headings[0].startswith("KIND-")  # the library's headings, in capitals
    assert all(line.startswith("KIND-") for line in headings[:-1])


def test_the_device_settings_are_laid_out_by_the_content() -> None:
    content = with_pages(
        device_row="[{verdict}] {name}",
        device_verdict="{verdict} for {name}",
        device_stage="Stage {name} · {when} · {say}",
        device_setting="{label} = {value}{unit}",
        device_limit="{label} at most {value}{unit}",
        device_stop_rule="{action} when {symptoms}",
    )
    page = page_of(EXAMPLE, content)
    protocols = [
        v.protocol
        for v in evaluate_raw(json.loads(EXAMPLE.read_text("utf-8")), content).adjuncts.values()
        if v.protocol is not None and v.therapy != "muscle_balance"
    ]
    assert protocols, "the example shows no device protocol"
    assert " for " in page and "Stage " in page
    limit = protocols[0].limits[0]
    assert f"{limit.label} at most {limit.value:g}{limit.unit}" in " ".join(page.split())
    rule = protocols[0].stop_rules[0]
    assert f"{rule.action} when" in " ".join(page.split())
    unsaid = [s for p in protocols for st in p.stages for s in st.settings if not s.say]
    if unsaid:
        assert f"{unsaid[0].label} = {unsaid[0].value:g}" in " ".join(page.split())


@pytest.mark.parametrize(("field", "key"), [("status_words", "normal"), ("kind_words", "stretch")])
def test_a_status_or_kind_without_words_is_refused(field: str, key: str) -> None:
    data = messages_yaml()
    del data[field][key]
    with pytest.raises(ValidationError, match=field):
        validate(EngineMessages, data)


def test_the_content_as_shipped_is_accepted() -> None:
    assert validate(PageMessages, pages_yaml()) == CONTENT.engine.messages.pages
