"""``manage export`` and ``manage import``: the same data without the browser."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from fhir.resources.R4B.bundle import Bundle

from backbalance.web.journal.models import CheckIn
from backbalance.web.ownership import services
from tests.web.ownership.conftest import one_of_each


def test_export_then_import_into_a_new_account(owner: User, tmp_path: Path) -> None:
    one_of_each(owner)
    out = tmp_path / "owner.json"
    call_command("export", "--user", "owner", str(out), stdout=io.StringIO())
    said = io.StringIO()
    call_command("import", "--user", "restored", str(out), stdout=said)
    assert "changepassword restored" in said.getvalue()
    restored = User.objects.get(username="restored")
    assert not restored.has_usable_password()
    first = json.loads(out.read_text())["records"]
    again = services.export_account(restored)["records"]
    assert {k: len(v) for k, v in again.items()} == {k: len(v) for k, v in first.items()}
    assert CheckIn.objects.filter(owner=restored).count() == 2


def test_the_csv_and_fhir_formats(owner: User, tmp_path: Path) -> None:
    one_of_each(owner)
    call_command("export", "--user", "owner", "--format", "csv", str(tmp_path / "t.zip"))
    with zipfile.ZipFile(tmp_path / "t.zip") as archive:
        assert "journal.CheckIn.csv" in archive.namelist()
    call_command("export", "--user", "owner", "--format", "fhir", str(tmp_path / "f.json"))
    Bundle.model_validate_json((tmp_path / "f.json").read_text())


def test_an_unknown_user_is_named(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="--user") as refused:
        call_command("export", "--user", "nobody", str(tmp_path / "x.json"))
    assert refused.value.returncode == 2


def test_a_bad_file_names_each_problem_and_makes_no_account(owner: User, tmp_path: Path) -> None:
    data = services.export_account(owner)
    data["records"]["checkup.Assessment"][0].pop("screening")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    problems = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported") as refused:
        call_command("import", "--user", "restored", str(bad), stderr=problems)
    assert refused.value.returncode == 2
    assert "records.checkup.Assessment.1.screening: missing" in problems.getvalue()
    assert not User.objects.filter(username="restored").exists()


def test_an_account_with_data_is_refused(owner: User, tmp_path: Path) -> None:
    out = tmp_path / "owner.json"
    out.write_text(services.export_text(owner))
    with pytest.raises(CommandError, match="already holds data"):
        call_command("import", "--user", "owner", str(out))


def test_a_file_over_the_size_limit_is_refused_by_name(
    db: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "MAX_EXPORT_BYTES", 100)
    big = tmp_path / "big.json"
    big.write_text(json.dumps({"records": {}, "padding": "x" * 200}))
    problems = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", "--user", "restored", str(big), stderr=problems)
    assert problems.getvalue().startswith("export: larger than")
