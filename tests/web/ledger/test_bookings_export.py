"""Booked appointments leave in an export and come back with an import, field for field
(the time of day and the length included), and a bad time or length in a file is named by
its path."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date, time
from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from backbalance.core import api
from backbalance.web.ledger.models import Booking, Provider
from backbalance.web.ownership import services
from tests.web.conftest import make_person

KIND = "ledger.Booking"


def _bookings(owner: User) -> Provider:
    provider = Provider.objects.create(owner=owner, name="Riverside Physio", kind="physiotherapy")
    Booking.objects.create(
        owner=owner,
        provider=provider,
        date=date(2026, 12, 8),
        time=time(10, 30),
        length_minutes=45,
        cost=Decimal("65.00"),
        currency="EUR",
        notes="bring the scan",
    )
    Booking.objects.create(owner=owner, provider=provider, date=date(2026, 12, 22))
    Booking.objects.create(
        owner=owner, provider=provider, date=date(2026, 12, 1), status=Booking.CANCELLED
    )
    return provider


def _rows(export: dict[str, object]) -> list[dict[str, object]]:
    records = export["records"]
    assert isinstance(records, dict)
    rows: list[dict[str, object]] = records[KIND]
    return sorted(rows, key=lambda row: str(row["date"]))


def test_bookings_go_out_and_come_back_the_same(owner: User) -> None:
    _bookings(owner)
    exported = services.export_account(owner)
    rows = _rows(exported)
    assert [(r["date"], r["time"], r["length_minutes"], r["cost"], r["status"]) for r in rows] == [
        ("2026-12-01", None, None, None, "cancelled"),
        ("2026-12-08", "10:30:00", 45, "65.00", "booked"),
        ("2026-12-22", None, None, None, "booked"),
    ]
    newcomer = make_person("newcomer")
    services.import_account(newcomer, json.dumps(exported))
    again = _rows(services.export_account(newcomer))
    # A new account while the old one exists: new ids, everything else the same.
    strip = {"id", "provider"}
    assert [{k: v for k, v in r.items() if k not in strip} for r in again] == [
        {k: v for k, v in r.items() if k not in strip} for r in rows
    ]
    restored = Booking.objects.get(owner=newcomer, date=date(2026, 12, 8))
    assert restored.time == time(10, 30) and restored.provider.owner == newcomer
    assert restored.length_minutes == 45


def test_the_spreadsheet_export_has_the_length(owner: User) -> None:
    _bookings(owner)
    with zipfile.ZipFile(io.BytesIO(services.export_csv(owner))) as archive:
        sheet = archive.read(f"{KIND}.csv").decode()
    rows = sorted(csv.DictReader(io.StringIO(sheet)), key=lambda row: row["date"])
    assert [(row["time"], row["length_minutes"]) for row in rows] == [
        ("", ""),
        ("10:30:00", "45"),
        ("", ""),
    ]


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"length_minutes": 0}, "greater than or equal to 5"),
        ({"length_minutes": 1000}, "less than or equal to 480"),
        ({"length_minutes": "45"}, "must be a whole number"),
        ({"time": None}, "needs the time it starts at"),
    ],
)
def test_a_bad_length_in_a_file_is_named_by_its_path(
    owner: User, changes: dict[str, object], says: str
) -> None:
    _bookings(owner)
    exported = services.export_account(owner)
    rows = exported["records"][KIND]
    position = next(n for n, row in enumerate(rows, start=1) if row["length_minutes"] is not None)
    rows[position - 1].update(changes)
    with pytest.raises(api.CaseError) as refused:
        services.import_account(make_person("newcomer"), json.dumps(exported))
    problems = {error.path: error.message for error in refused.value.errors}
    assert says in problems[f"records.{KIND}.{position}.length_minutes"]
    assert not Booking.objects.filter(owner__username="newcomer").exists()


@pytest.mark.parametrize(
    ("raw", "says"),
    [(1030, "must be a time written as text"), ("half past ten", "invalid format")],
)
def test_a_bad_time_in_a_file_is_named_by_its_path(owner: User, raw: object, says: str) -> None:
    _bookings(owner)
    exported = services.export_account(owner)
    rows = exported["records"][KIND]
    position = next(n for n, row in enumerate(rows, start=1) if row["time"] is not None)
    rows[position - 1]["time"] = raw
    with pytest.raises(api.CaseError) as refused:
        services.import_account(make_person("newcomer"), json.dumps(exported))
    problems = {error.path: error.message for error in refused.value.errors}
    assert says in problems[f"records.{KIND}.{position}.time"]
    assert not Booking.objects.filter(owner__username="newcomer").exists()
