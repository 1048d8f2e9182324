"""Download the tables: a zip with one CSV per kind of record."""

from __future__ import annotations

import csv
import io
import zipfile

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from backbalance.web.journal.models import CheckIn
from backbalance.web.ownership.records import data_fields, kind_of, owned_models
from tests.web.ownership.conftest import one_of_each


def _sheets(content: bytes) -> dict[str, list[dict[str, str]]]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {
            name: list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8"))))
            for name in archive.namelist()
        }


def test_one_table_per_kind_with_every_field(owner_client: Client, owner: User) -> None:
    one_of_each(owner)
    response = owner_client.get(reverse("ownership:export_csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    sheets = _sheets(response.content)
    assert set(sheets) == {f"{kind_of(model)}.csv" for model in owned_models()}
    for model in owned_models():
        rows = sheets[f"{kind_of(model)}.csv"]
        assert len(rows) == model._default_manager.filter(owner=owner).count()
        assert all(set(row) == {f.name for f in data_fields(model)} for row in rows)
    check_ins = sheets["journal.CheckIn.csv"]
    stored = CheckIn.objects.filter(owner=owner).order_by("created_at", "id")
    assert [row["pain_now"] for row in check_ins] == [str(c.pain_now) for c in stored]
    assert check_ins[0]["note"] == "a note with ünïcode"


def test_a_note_that_looks_like_a_formula_is_not_run_by_a_spreadsheet(
    owner_client: Client, owner: User
) -> None:
    one_of_each(owner)
    CheckIn.objects.filter(owner=owner).update(note='=HYPERLINK("x")')
    sheets = _sheets(owner_client.get(reverse("ownership:export_csv")).content)
    assert all(row["note"].startswith("'=") for row in sheets["journal.CheckIn.csv"])


def test_anonymous_goes_to_log_in(client: Client) -> None:
    response = client.get(reverse("ownership:export_csv"))
    assert response["Location"].startswith(reverse("accounts:login"))
