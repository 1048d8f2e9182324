"""`backbalance figures` writes a picture for every self-test and exercise, and an index."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from backbalance.cli.main import main
from tests.strategies import CONTENT


def test_writes_one_figure_per_test_and_exercise_and_an_index(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["figures", str(tmp_path)]) == 0
    assert "index.html" in capsys.readouterr().out
    tests = {p.stem for p in (tmp_path / "tests").glob("*.svg")}
    exercises = {p.stem for p in (tmp_path / "exercises").glob("*.svg")}
    assert tests == {t.id for t in CONTENT.tests.values() if t.figure}
    assert tests == set(CONTENT.tests)
    assert exercises == set(CONTENT.exercises)
    index = (tmp_path / "index.html").read_text()
    for exercise in CONTENT.exercises.values():
        assert f'src="exercises/{exercise.id}.svg"' in index
    for path in [*(tmp_path / "tests").glob("*.svg"), *(tmp_path / "exercises").glob("*.svg")]:
        root = ET.fromstring(path.read_text())
        assert root.tag.endswith("svg")


def test_an_unwritable_folder_exits_2_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert main(["figures", str(blocker / "inside")]) == 2
    assert "cannot write" in capsys.readouterr().err
