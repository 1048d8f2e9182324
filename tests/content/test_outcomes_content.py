"""outcomes.yaml: each broken part fails loading and names the place."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from backbalance.content.loader import ContentError, check_content


def edit(data_dir: Path, change: Callable[[dict[str, Any]], None]) -> list[str]:
    path = data_dir / "outcomes.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError) as error:
        check_content(data_dir)
    return error.value.problems


def test_the_shipped_outcomes_load() -> None:
    rules = check_content().outcomes
    assert rules.checkpoints.early.days.value < rules.checkpoints.review.days.value


def test_checkpoints_out_of_order_fail(data_copy: Path) -> None:
    def swap(data: dict[str, Any]) -> None:
        data["checkpoints"]["review"]["visits"]["value"] = 9

    assert any("checkpoints" in p for p in edit(data_copy, swap))


def test_a_missing_verdict_fails(data_copy: Path) -> None:
    problems = edit(data_copy, lambda data: data["verdicts"].pop("rescreen_first"))
    assert any("rescreen_first" in p for p in problems)


def test_an_unknown_placeholder_fails(data_copy: Path) -> None:
    def add(data: dict[str, Any]) -> None:
        data["reasons"]["change"] += " {colour}"

    assert any("colour" in p for p in edit(data_copy, add))


def test_an_unknown_questionnaire_fails(data_copy: Path) -> None:
    def rename(data: dict[str, Any]) -> None:
        data["measures"]["odi"] = "odi_v9"

    assert any("odi_v9" in p for p in edit(data_copy, rename))


def test_an_unknown_source_fails(data_copy: Path) -> None:
    def cite(data: dict[str, Any]) -> None:
        data["natural_recovery_days"]["sources"].append("nobody2099")

    assert any("nobody2099" in p for p in edit(data_copy, cite))
