"""Every kind of record a person owns, found from the models, and turned to and from JSON.

Nothing here lists the models by hand: every concrete subclass of ``common.models.Owned``
that Django knows is a kind, with all of its fields. A model added later is exported and
imported with no change here (a test checks that every kind is in an export).

Each value is written as plain JSON a person can read: ids and dates as text, decimals as
text (exact), JSON fields as they are. Reading a value back goes through the model field's
own rules (length, choices, range), and every problem is named by its dotted path,
``records.journal.CheckIn.3.pain_now`` (records counted from 1, as elsewhere).
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models

from backbalance.core import api
from backbalance.web.common.models import Owned

# The field every record has and no file carries: the import gives it to the account
# that receives the file.
OWNER_FIELD = "owner"


def kind_of(model: type[models.Model]) -> str:
    """The name a kind of record has in a file: ``app_label.ModelName``."""
    return model._meta.label


def owned_models() -> list[type[Owned]]:
    """Every kind of owned record, each after the kinds it points to.

    A routine plan points to the check-up it was built from, a session to its plan: the
    import creates them in this order so every reference already exists.
    """
    found = sorted(
        (model for model in apps.get_models() if issubclass(model, Owned) and model.portable),
        key=kind_of,
    )
    ordered: list[type[Owned]] = []

    def place(model: type[Owned], seen: tuple[str, ...]) -> None:
        if model in ordered:
            return
        if kind_of(model) in seen:
            raise RuntimeError(f"owned records point at each other in a circle: {seen}")
        for target in references(model).values():
            # A record may point to another of its own kind (a re-test to the check-up it
            # repeats): both go in with one insert, and the database checks references
            # when the transaction ends, so that is no circle.
            if target is not model:
                place(target, (*seen, kind_of(model)))
        ordered.append(model)

    for model in found:
        place(model, ())
    return ordered


def data_fields(model: type[Owned]) -> list[models.Field[Any, Any]]:
    """The fields a file carries for ``model``: all of them but the owner."""
    return [field for field in model._meta.concrete_fields if field.name != OWNER_FIELD]


def references(model: type[Owned]) -> dict[str, type[Owned]]:
    """Field name -> the owned kind it points to."""
    pointing: dict[str, type[Owned]] = {}
    for field in data_fields(model):
        if not field.is_relation:
            continue
        target = field.related_model
        if not (isinstance(target, type) and issubclass(target, Owned)):
            # Only the owner may point outside a person's own records; anything else
            # could not be restored from the file alone.
            raise RuntimeError(f"{kind_of(model)}.{field.name} points outside owned records")
        pointing[field.name] = target
    return pointing


# --------------------------------------------------------------------------- to JSON


def value_to_json(field: models.Field[Any, Any], value: object) -> object:
    if value is None:
        return None
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def record_to_json(record: Owned) -> dict[str, object]:
    return {
        field.name: value_to_json(field, getattr(record, field.attname))
        for field in data_fields(type(record))
    }


# --------------------------------------------------------------------------- from JSON


@dataclass(frozen=True)
class ParsedRecord:
    """One record read from a file: its values by attribute name, and where it was."""

    model: type[Owned]
    path: str
    values: dict[str, Any]
    # Field name -> the id it points to (checked against the file afterwards).
    pointers: dict[str, uuid.UUID]


def _type_name(value: object) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true or false"}.get(
        type(value), "a number" if isinstance(value, int | float) else "null"
    )


def _holds_a_null_character(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list):
        return any(_holds_a_null_character(item) for item in value)
    if isinstance(value, dict):
        return any(
            _holds_a_null_character(key) or _holds_a_null_character(item)
            for key, item in value.items()
        )
    return False


def _field_value(field: models.Field[Any, Any], raw: object, path: str) -> Iterator[Any]:
    """The stored value for ``raw``; yields a FieldError instead when it is refused."""
    if _holds_a_null_character(raw):
        # The app's own forms never store one, and PostgreSQL refuses it in text and JSON.
        yield api.FieldError(path, "must not contain a null character (\\u0000)")
        return
    if raw is None:
        if not field.null:
            yield api.FieldError(path, "must have a value (null is not allowed here)")
        return
    if isinstance(field, models.UUIDField | models.ForeignKey):
        if not isinstance(raw, str):
            yield api.FieldError(path, "must be an id written as text")
            return
        try:
            yield uuid.UUID(raw)
        except ValueError:
            yield api.FieldError(path, f"{api.echo(raw)} is not an id")
        return
    if isinstance(field, models.DateTimeField):
        yield from _moment(raw, path)
        return
    if isinstance(field, models.DateField):
        if not isinstance(raw, str):
            yield api.FieldError(path, "must be a date written as text")
            return
        try:
            yield dt.date.fromisoformat(raw)
        except ValueError:
            yield api.FieldError(path, f"{api.echo(raw)} is not a date like 2026-03-01")
        return
    if isinstance(field, models.JSONField):
        wanted = type(field.get_default())
        if wanted in (dict, list) and not isinstance(raw, wanted):
            yield api.FieldError(path, f"must be {_type_name(wanted())}, not {_type_name(raw)}")
        else:
            yield raw
        return
    if isinstance(field, models.BooleanField):
        yield raw if isinstance(raw, bool) else api.FieldError(path, "must be true or false")
        return
    if isinstance(field, models.DecimalField):
        if isinstance(raw, bool) or not isinstance(raw, str | int):
            yield api.FieldError(path, 'must be a number written as text, like "2.5"')
            return
    elif isinstance(field, models.IntegerField):
        if isinstance(raw, bool) or not isinstance(raw, int):
            yield api.FieldError(path, "must be a whole number")
            return
    elif isinstance(field, models.TimeField) and not isinstance(raw, str):
        yield api.FieldError(path, "must be a time written as text, like 10:30:00")
        return
    elif isinstance(field, models.CharField | models.TextField) and not isinstance(raw, str):
        yield api.FieldError(path, "must be text")
        return
    try:
        value = field.to_python(raw)
        if field.choices and value not in {choice for choice, _label in field.flatchoices}:
            yield api.FieldError(path, f"{api.echo(raw)} is not one of the allowed values")
            return
        field.run_validators(value)
    except ValidationError as refused:
        yield api.FieldError(path, " ".join(str(message) for message in refused.messages))
        return
    yield value


def _moment(raw: object, path: str) -> Iterator[Any]:
    if not isinstance(raw, str):
        yield api.FieldError(path, "must be a date and time as text")
        return
    try:
        moment = dt.datetime.fromisoformat(raw)
    except ValueError:
        yield api.FieldError(path, f"{api.echo(raw)} is not a date and time")
        return
    if moment.tzinfo is None:
        yield api.FieldError(path, "needs its time zone offset, like 2026-03-01T08:00:00+00:00")
        return
    yield moment


def parse_record(model: type[Owned], raw: object, path: str) -> ParsedRecord | list[api.FieldError]:
    """One record of ``model`` from the file, or every problem with it."""
    if not isinstance(raw, dict):
        return [api.FieldError(path, f"must be an object, not {_type_name(raw)}")]
    fields = {field.name: field for field in data_fields(model)}
    errors = [api.FieldError(f"{path}.{name}", "missing") for name in fields if name not in raw] + [
        api.FieldError(f"{path}.{api.echo(name)}", "is not a field of this kind of record")
        for name in raw
        if name not in fields
    ]
    values: dict[str, Any] = {}
    pointers: dict[str, uuid.UUID] = {}
    for name, field in fields.items():
        if name not in raw:
            continue
        for item in _field_value(field, raw[name], f"{path}.{name}"):
            if isinstance(item, api.FieldError):
                errors.append(item)
            else:
                values[field.attname] = item
                if field.is_relation and item is not None:
                    pointers[name] = item
    if errors:
        return errors
    return ParsedRecord(model, path, values, pointers)
