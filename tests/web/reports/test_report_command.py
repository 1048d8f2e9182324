"""``manage report``: the clinician report as a PDF file, from the command line."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
def test_the_report_is_written_as_a_pdf(owner: User, tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    call_command("report", "--user", owner.username, str(out))
    assert out.read_bytes().startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Back pain report for a clinician" in text
    assert "Safety screen" in text


def test_an_unknown_person_and_a_bad_range_are_named(owner: User, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="--user: nobody is called"):
        call_command("report", "--user", "nobody", str(tmp_path / "a.pdf"))
    with pytest.raises(CommandError, match="--to: The end date is before the start date"):
        call_command(
            "report",
            "--user",
            owner.username,
            str(tmp_path / "b.pdf"),
            "--from",
            "2026-11-20",
            "--to",
            "2026-11-01",
        )
    assert not list(tmp_path.iterdir())
