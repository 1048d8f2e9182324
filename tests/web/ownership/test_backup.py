"""``manage backup DEST``: a whole, consistent copy of the SQLite file while the app writes.

The app and a writer run as separate processes on a real database file, as they would
on a server: the writer keeps adding check-ins while the backup copies, and the copy
opens cleanly with the rows it caught.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

WRITER = """
import datetime, sys, time
import django
django.setup()
from django.contrib.auth.models import User
from backbalance.web.journal.models import CheckIn
user = User.objects.create_user("writer")
print("writing", flush=True)
deadline = time.monotonic() + float(sys.argv[1])
while time.monotonic() < deadline:
    CheckIn.objects.create(
        owner=user, at=datetime.datetime.now(datetime.UTC), pain_now=3,
        safety={}, standing_answers={}, level="none", content_version="test",
    )
print("done", CheckIn.objects.count(), flush=True)
"""


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "backbalance.web", "manage", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_backup_taken_while_check_ins_are_written_is_whole(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "BACKBALANCE_DATA_DIR": str(tmp_path / "data"),
        "DJANGO_SETTINGS_MODULE": "backbalance.web.settings",
    }
    env.pop("DATABASE_URL", None)
    assert _manage(env, "migrate", "-v0").returncode == 0
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, "8"], env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "writing"
        time.sleep(0.5)
        copy = tmp_path / "backups" / "copy.sqlite3"
        backup = _manage(env, "backup", str(copy))
        assert backup.returncode == 0, backup.stderr
        assert "Backup written" in backup.stdout
        still_writing = writer.poll() is None
    finally:
        out, _ = writer.communicate(timeout=60)
    assert still_writing, "the writer was still writing while the backup ran"
    written = int(out.split()[-1])
    with sqlite3.connect(copy) as opened:
        assert opened.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        caught = opened.execute("SELECT count(*) FROM journal_checkin").fetchone()[0]
    assert 0 < caught < written
    assert not copy.with_name("copy.sqlite3.partial").exists()


def test_postgresql_is_pointed_at_pg_dump(
    db: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(connection, "vendor", "postgresql")
    with pytest.raises(CommandError, match="pg_dump") as refused:
        call_command("backup", str(tmp_path / "copy.sqlite3"))
    assert refused.value.returncode == 2
    assert not (tmp_path / "copy.sqlite3").exists()


def test_a_folder_as_destination_is_named(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="DEST"):
        call_command("backup", str(tmp_path))
