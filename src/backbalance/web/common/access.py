"""The one way a view reaches a stored record: through its owner, or a 404."""

from __future__ import annotations

from typing import TypeVar
from uuid import UUID

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.http import Http404

from backbalance.web.common.models import Owned

Record = TypeVar("Record", bound=Owned)


def owned_or_404(
    model: type[Record], user: AbstractBaseUser | AnonymousUser, pk: UUID | str
) -> Record:
    """The record ``pk`` of ``model`` if ``user`` owns it.

    A stranger gets the same 404 as for an address that does not exist, so nobody can
    learn which records exist.
    """
    try:
        return model._default_manager.get(pk=pk, owner_id=user.pk)
    except (model.DoesNotExist, ValidationError, ValueError) as missing:
        raise Http404 from missing
