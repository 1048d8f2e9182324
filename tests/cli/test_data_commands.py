"""``backbalance export|import|backup|report`` hand over to the web app's data commands."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from backbalance.cli.main import DATA_COMMANDS, main


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A migrated SQLite database in a folder of its own."""
    folder = tmp_path / "data"
    monkeypatch.setenv("BACKBALANCE_DATA_DIR", str(folder))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    subprocess.run(
        [sys.executable, "-m", "backbalance.web", "manage", "migrate", "-v", "0"],
        check=True,
        env=os.environ.copy(),
    )
    return folder


def test_every_data_command_is_listed_in_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    shown = capsys.readouterr().out
    assert all(name in shown for name in DATA_COMMANDS)


def test_backup_writes_a_whole_copy(data_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.sqlite3"
    assert main(["backup", str(copy)]) == 0
    with sqlite3.connect(copy) as opened:
        assert opened.execute("pragma integrity_check").fetchone() == ("ok",)


def test_a_problem_is_named_with_exit_code_2(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "export.json"
    assert main(["export", "--user", "nobody", str(out)]) == 2
    assert not out.exists()
