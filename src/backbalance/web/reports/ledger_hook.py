"""LEDGER HOOK: therapist visits for the report and the calendar, once the ledger exists.

The therapist value ledger (``backbalance.web.ledger``) is being built at the same time as
the reports. Until its ``models`` module with ``Provider`` and ``Visit`` is there, both
functions here return None and the report and the calendar simply leave visits out; no
other module in this app names the ledger. When the ledger lands, this is the one file to
adjust: check that :data:`VISIT_FIELDS` names its fields, and that ``Visit`` has a foreign
key to ``Provider``.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models
from django.utils import timezone

LEDGER_MODELS = "backbalance.web.ledger.models"

# The ledger's visit fields this app reads, each with the names it may have there; the
# first name the model has is used. The date is required, every other one optional.
VISIT_FIELDS: dict[str, tuple[str, ...]] = {
    "day": ("date", "visited_on", "on", "day", "at"),
    "cost": ("cost", "price", "amount"),
    "reimbursed": ("reimbursed", "amount_reimbursed", "refund"),
    "pain_before": ("pain_before",),
    "pain_after": ("pain_after",),
    "pain_next_day": ("pain_next_day",),
}
# Visits shown at most (the newest), so the report stays a fixed size.
MOST_VISITS = 60


@dataclass(frozen=True)
class LedgerVisit:
    day: date
    provider: str
    cost: Decimal | None = None
    reimbursed: Decimal | None = None
    pain_before: int | None = None
    pain_after: int | None = None
    pain_next_day: int | None = None


def ledger_models() -> tuple[type[models.Model], type[models.Model]] | None:
    """The ledger's Provider and Visit models, or None while they do not exist."""
    try:
        module = importlib.import_module(LEDGER_MODELS)
    except ImportError:
        return None
    provider, visit = getattr(module, "Provider", None), getattr(module, "Visit", None)
    if not (
        isinstance(provider, type)
        and issubclass(provider, models.Model)
        and isinstance(visit, type)
        and issubclass(visit, models.Model)
    ):
        return None
    return provider, visit


def _field(model: type[models.Model], key: str) -> str | None:
    names = {f.name for f in model._meta.get_fields()}
    return next((name for name in VISIT_FIELDS[key] if name in names), None)


def _provider_field(visit: type[models.Model], provider: type[models.Model]) -> str | None:
    for field in visit._meta.get_fields():
        if isinstance(field, models.ForeignKey) and field.related_model is provider:
            return field.name
    return None


def _as_day(value: Any) -> date:
    return timezone.localdate(value) if isinstance(value, datetime) else value


def visits_between(
    user: AbstractBaseUser | AnonymousUser, first: date, last: date
) -> list[LedgerVisit] | None:
    """The person's visits from ``first`` to ``last``, oldest first; None without a ledger.

    One query whatever the number of visits (the provider is joined).
    """
    found = ledger_models()
    if found is None:
        return None
    provider_model, visit_model = found
    day_field = _field(visit_model, "day")
    provider_field = _provider_field(visit_model, provider_model)
    if day_field is None or provider_field is None:
        return None
    rows = (
        visit_model._default_manager.filter(
            owner_id=user.pk,
            **{f"{day_field}__gte": first, f"{day_field}__lte": last},
        )
        .select_related(provider_field)
        .order_by(f"-{day_field}")[:MOST_VISITS]
    )
    optional = {key: _field(visit_model, key) for key in VISIT_FIELDS if key != "day"}
    visits = [
        LedgerVisit(
            day=_as_day(getattr(row, day_field)),
            provider=str(getattr(row, provider_field)),
            **{key: getattr(row, name) for key, name in optional.items() if name is not None},
        )
        for row in rows
    ]
    return list(reversed(visits))
