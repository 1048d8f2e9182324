"""Check raw content data and build it into the schema's classes, with pydantic.

The content classes are frozen dataclasses (made by frozen.py). Their constraints are
pydantic ``Field`` markers written inside string annotations (the schema modules use
``from __future__ import annotations``), and the schema modules import pydantic only for
type checkers. So a start served from the checked-content cache, which only unpickles
the classes' instances, never imports pydantic, nor builds a single validator.

Only when data is checked (the YAML files, a test's variant of them) is pydantic imported
here, the names those annotations use lent to the schema modules, and a validator built
once per class.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any, TypeVar, cast

if TYPE_CHECKING:
    from pydantic import TypeAdapter

T = TypeVar("T")

# Every module whose classes content is built into.
SCHEMA_MODULES = (
    "backbalance.content.schema",
    "backbalance.content.schema_adjuncts",
    "backbalance.content.schema_messages",
    "backbalance.content.schema_outcomes",
    "backbalance.content.schema_program",
    "backbalance.content.schema_progression",
)

_VALIDATORS: dict[Any, TypeAdapter[Any]] = {}


def validate(model: type[T], data: Any) -> T:
    """``data`` checked against ``model`` and built into it.

    Raises :class:`pydantic.ValidationError` naming every problem, as a pydantic model's
    ``model_validate`` does.
    """
    validator = _VALIDATORS.get(model)
    if validator is None:
        from pydantic import TypeAdapter

        _lend_annotation_names()
        validator = _VALIDATORS[model] = TypeAdapter(model)
    return cast(T, validator.validate_python(data))


def _lend_annotation_names() -> None:
    """Give each schema module the pydantic names its string annotations use.

    The schema modules import ``Field`` only under ``TYPE_CHECKING`` (so that importing
    them costs no pydantic); pydantic evaluates the annotations in each class's module,
    so the name must be there, at runtime, before a validator is built.
    """
    from pydantic import Field

    for name in SCHEMA_MODULES:
        vars(import_module(name)).setdefault("Field", Field)
