"""A person's data, theirs to take away, bring back or remove.

* :func:`export_account`: everything the person owns, every kind found from the models
  (:mod:`.records`), with the format, engine and content versions; JSON that
  :func:`import_account` reads back into an identical account.
* :func:`import_account`: one transaction; a bad file changes nothing and every problem is
  named by its dotted path. Ids are kept, or, when any of them is already taken in this
  database (the file came from this very app), all are given new ids in the same order.
  What the app derives (a check-up's result, a check-in's standing level) is derived
  again here, never taken from the file, so an edited file cannot lower a safety level.
* :func:`delete_account`: the account and every record it owns.
* :func:`backup_sqlite`: a consistent copy of the database file while the app runs.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import uuid
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection, models, transaction
from django.utils import timezone

from backbalance.core import api
from backbalance.web.checkup.models import Assessment
from backbalance.web.checkup.services import result_for
from backbalance.web.common.content import content
from backbalance.web.common.models import Owned
from backbalance.web.journal.safety import judge_every_check_in_again
from backbalance.web.ownership.meaning import meaning_errors
from backbalance.web.ownership.records import (
    ParsedRecord,
    data_fields,
    kind_of,
    owned_models,
    parse_record,
    record_to_json,
    references,
)

FORMAT = "backbalance-account-export"
FORMAT_VERSION = 1
# A technical limit, not a clinical one. An account holds far more than one case (a
# check-up with its result is about 70 KB, a check-in about 2 KB): two years of several
# check-ins a day and a check-up every few weeks is a few MB, so this leaves ample room
# while keeping a hostile upload from costing much memory.
MAX_EXPORT_BYTES = 50_000_000
Person = AbstractBaseUser | AnonymousUser


def _owner_id(user: Person) -> int:
    assert user.pk is not None, "only a logged-in person owns data"
    return int(user.pk)


# --------------------------------------------------------------------------- export


def export_account(user: Person) -> dict[str, Any]:
    """Everything ``user`` owns, as JSON-ready data. One query per kind of record."""
    records: dict[str, list[dict[str, object]]] = {}
    for model in owned_models():
        rows = model._default_manager.filter(owner_id=_owner_id(user)).order_by("created_at", "id")
        records[kind_of(model)] = [record_to_json(row) for row in rows]
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "engine_version": api.ENGINE_VERSION,
        "content_version": content().version,
        "exported_at": timezone.now().isoformat(),
        "account": {"username": user.get_username()},
        "records": records,
    }


def export_text(user: Person) -> str:
    """The export as JSON text, ready to download and to import again."""
    return json.dumps(export_account(user), ensure_ascii=False, indent=1)


def export_csv(user: Person) -> bytes:
    """A zip holding one CSV file per kind of record (header row: the field names).

    For a spreadsheet: lists and objects (a screen's answers, a session's items) are
    written as JSON text in their cell. The JSON export is the one to import.
    """
    data = export_account(user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for model in owned_models():
            sheet = io.StringIO()
            names = [field.name for field in data_fields(model)]
            writer = csv.DictWriter(sheet, fieldnames=names, lineterminator="\r\n")
            writer.writeheader()
            for row in data["records"][kind_of(model)]:
                writer.writerow({name: _cell(row[name]) for name in names})
            archive.writestr(f"{kind_of(model)}.csv", sheet.getvalue())
    return buffer.getvalue()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    # A cell a spreadsheet would run as a formula starts with a quote instead.
    return "'" + text if text[:1] in {"=", "+", "-", "@"} and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def too_large_message() -> str:
    return f"larger than {MAX_EXPORT_BYTES // 1_000_000} MB, more than this app reads in one file"


def owns_anything(user: Person) -> bool:
    return any(
        model._default_manager.filter(owner_id=_owner_id(user)).exists() for model in owned_models()
    )


# --------------------------------------------------------------------------- import


class AccountNotEmpty(Exception):
    """The receiving account already holds records; an import never mixes two histories."""


@dataclass(frozen=True)
class ImportSummary:
    # Kind -> how many records arrived.
    counts: dict[str, int]
    ids_kept: bool


def _envelope_errors(data: object) -> tuple[dict[str, Any], list[api.FieldError]]:
    if not isinstance(data, dict):
        return {}, [api.FieldError("export", "must be an object, as an export from this app is")]
    errors: list[api.FieldError] = []
    if data.get("format") != FORMAT:
        errors.append(api.FieldError("format", f"must be {FORMAT!r}: is this an export file?"))
    if "format_version" not in data:
        errors.append(
            api.FieldError("format_version", f"missing; this app reads version {FORMAT_VERSION}")
        )
    elif data["format_version"] != FORMAT_VERSION:
        errors.append(
            api.FieldError(
                "format_version",
                f"is {api.echo(data['format_version'])}; this app reads version {FORMAT_VERSION}",
            )
        )
    records = data.get("records")
    if not isinstance(records, dict):
        errors.append(api.FieldError("records", "missing, or not an object of record kinds"))
        return {}, errors
    return records, errors


def parse_export(text: str) -> list[ParsedRecord]:
    """Every record in an export file, checked; raises ``api.CaseError`` naming each problem."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_EXPORT_BYTES:
        raise api.CaseError([api.FieldError("export", too_large_message())])
    data = api.parse_json(text, "export", MAX_EXPORT_BYTES)
    records, errors = _envelope_errors(data)
    models_by_kind = {kind_of(model): model for model in owned_models()}
    parsed: list[ParsedRecord] = []
    for kind, rows in records.items():
        path = f"records.{api.echo(kind)}"
        model = models_by_kind.get(kind)
        if model is None:
            errors.append(api.FieldError(path, "is not a kind of record this app keeps"))
            continue
        if not isinstance(rows, list):
            errors.append(api.FieldError(path, "must be a list of records"))
            continue
        for number, raw in enumerate(rows, start=1):
            outcome = parse_record(model, raw, f"records.{kind}.{number}")
            if isinstance(outcome, list):
                errors.extend(outcome)
            else:
                parsed.append(outcome)
    if not errors:
        errors = _link_errors(parsed)
    if not errors:
        # Only records whose fields and links all read well can be read for their meaning.
        errors = meaning_errors(parsed)
    if errors:
        raise api.CaseError(errors[: api.MAX_ERRORS_SHOWN])
    # Created in the order the kinds point to each other.
    order = {model: index for index, model in enumerate(owned_models())}
    return sorted(parsed, key=lambda record: order[record.model])


def _link_errors(parsed: list[ParsedRecord]) -> list[api.FieldError]:
    """Ids used twice, references to records not in the file, unique values repeated."""
    errors: list[api.FieldError] = []
    kinds_by_id: dict[uuid.UUID, type[Owned]] = {}
    for record in parsed:
        pk = record.values["id"]
        if pk in kinds_by_id:
            errors.append(api.FieldError(f"{record.path}.id", "is used by another record too"))
        kinds_by_id[pk] = record.model
    seen_unique: dict[tuple[object, ...], str] = {}
    for record in parsed:
        for name, target in references(record.model).items():
            pointed = record.pointers.get(name)
            if pointed is not None and kinds_by_id.get(pointed) is not target:
                errors.append(
                    api.FieldError(
                        f"{record.path}.{name}",
                        f"points to no {kind_of(target)} record in this file",
                    )
                )
        for fields in _unique_sets(record.model):
            key = (kind_of(record.model), *(record.values[f] for f in fields))
            if key in seen_unique:
                errors.append(
                    api.FieldError(
                        f"{record.path}.{fields[0]}", f"repeats the value of {seen_unique[key]}"
                    )
                )
            seen_unique[key] = record.path
    return errors


def _unique_sets(model: type[Owned]) -> list[tuple[str, ...]]:
    """Attribute names that must be unique within one account (the owner is implied)."""
    sets: list[tuple[str, ...]] = [
        (field.attname,) for field in data_fields(model) if field.unique and not field.primary_key
    ]
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.condition is None:
            names = tuple(_attname(model, name) for name in constraint.fields if name != "owner")
            if names:
                sets.append(names)
    return sets


def _attname(model: type[Owned], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field), f"{name} is a concrete field"
    return field.attname


def import_account(user: Person, text: str) -> ImportSummary:
    """Restore an export into ``user``'s account, which must hold nothing yet.

    Raises ``api.CaseError`` for a bad file and :class:`AccountNotEmpty`; either way
    nothing is stored.
    """
    parsed = parse_export(text)
    owner_id = _owner_id(user)
    with transaction.atomic():
        if owns_anything(user):
            raise AccountNotEmpty
        new_ids = _fresh_ids(parsed)
        by_model: dict[type[Owned], list[Owned]] = defaultdict(list)
        for record in parsed:
            values = dict(record.values)
            values["id"] = new_ids.get(values["id"], values["id"])
            for name in record.pointers:
                attname = _attname(record.model, name)
                values[attname] = new_ids.get(values[attname], values[attname])
            by_model[record.model].append(record.model(owner_id=owner_id, **values))
        for model, rows in by_model.items():
            # Saving stamps "created" and "updated" with the time now; the file's own
            # times are put back afterwards (an update writes them as given).
            stamped = [
                field.attname
                for field in data_fields(model)
                if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
            ]
            times = [[getattr(row, name) for name in stamped] for row in rows]
            model._default_manager.bulk_create(rows)
            if stamped:
                for row, kept in zip(rows, times, strict=True):
                    for name, moment in zip(stamped, kept, strict=True):
                        setattr(row, name, moment)
                model._default_manager.bulk_update(rows, stamped, batch_size=500)
        _derive_again(user, parsed, new_ids)
    counts = {kind_of(model): 0 for model in owned_models()}
    for record in parsed:
        counts[kind_of(record.model)] += 1
    return ImportSummary(counts, ids_kept=not new_ids)


def _fresh_ids(parsed: list[ParsedRecord]) -> dict[uuid.UUID, uuid.UUID]:
    """Nothing when every id in the file is free here; else new ids for all, in order.

    New ids are handed out in the same sorted order as the old ones, so records listed by
    time and then id come back in the same order.
    """
    taken = False
    for model in owned_models():
        ids = [record.values["id"] for record in parsed if record.model is model]
        if ids and model._default_manager.filter(pk__in=ids).exists():
            taken = True
            break
    if not taken:
        return {}
    old = sorted(record.values["id"] for record in parsed)
    new = sorted(uuid.uuid4() for _ in old)
    return dict(zip(old, new, strict=True))


def _derive_again(
    user: Person, parsed: list[ParsedRecord], new_ids: dict[uuid.UUID, uuid.UUID]
) -> None:
    """Derive the check-up results and the check-ins' safety levels from the inputs."""
    paths = {new_ids.get(r.values["id"], r.values["id"]): r.path for r in parsed}
    for assessment in Assessment.objects.filter(owner_id=_owner_id(user), result__isnull=False):
        try:
            assessment.result = None
            result_for(assessment)
        except api.InputError as refused:
            path = paths.get(assessment.pk, "records.checkup.Assessment")
            raise api.CaseError(
                [api.FieldError(f"{path}.{e.path}", e.message) for e in refused.errors]
            ) from refused
    try:
        judge_every_check_in_again(user)
    except (api.InputError, KeyError, TypeError, ValueError) as refused:
        raise api.CaseError(
            [
                api.FieldError(
                    "records.journal.CheckIn",
                    "the safety answers of a check-in or of its screen cannot be judged "
                    f"({api.echo(str(refused))})",
                )
            ]
        ) from refused


# --------------------------------------------------------------------------- delete


def delete_account(user: Person) -> None:
    """The account and everything it owns, in one transaction."""
    with transaction.atomic():
        owner_id = _owner_id(user)
        # Records that point to other records go first (a session before its plan).
        for model in reversed(owned_models()):
            model._default_manager.filter(owner_id=owner_id).delete()
        get_user_model()._default_manager.filter(pk=owner_id).delete()


# --------------------------------------------------------------------------- backup


class NotSqlite(Exception):
    """The backup command copies a SQLite file; PostgreSQL has its own tools."""


def backup_sqlite(destination: Path) -> int:
    """Copy the running database to ``destination`` with SQLite's online backup.

    Safe while the app writes: SQLite copies a consistent snapshot, page by page, and
    starts again if a write lands in the middle. Returns the size of the copy in bytes.
    """
    if connection.vendor != "sqlite":
        raise NotSqlite
    source_name = str(settings.DATABASES["default"]["NAME"])
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    source = sqlite3.connect(source_name, timeout=20)
    try:
        copy = sqlite3.connect(partial)
        try:
            with copy:
                source.backup(copy)
            # The copy is one self-contained file, with no write-ahead log beside it.
            copy.execute("PRAGMA journal_mode=DELETE")
        finally:
            copy.close()
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        source.close()
    # Only a whole copy takes the final name.
    partial.replace(destination)
    return destination.stat().st_size
