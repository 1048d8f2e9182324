"""The core's records are Value structs: cheap to define at every start, immutable, compared
by value. Timings are measured by ``python3 dev.py bench``; this holds the cause in place."""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil

import msgspec
import pytest

import backbalance.core
from backbalance.core.value import Value

CORE_MODULES = sorted(
    f"backbalance.core.{info.name}" for info in pkgutil.iter_modules(backbalance.core.__path__)
)

# The only standard dataclasses left in the core, each for a reason a struct cannot meet.
STANDARD_DATACLASSES = {
    # Its wording fields are left out of equality and hashing.
    "backbalance.core.gates.Gates",
    # Mutable while the routine is being built, then frozen into a RoutineItem.
    "backbalance.core.program._Draft",
}


def _classes_of(module_name: str) -> list[type]:
    module = importlib.import_module(module_name)
    return [
        value
        for value in vars(module).values()
        if isinstance(value, type) and value.__module__ == module_name
    ]


@pytest.mark.parametrize("module_name", CORE_MODULES)
def test_core_records_are_value_structs(module_name: str) -> None:
    classes = _classes_of(module_name)
    dataclasses_here = {
        f"{module_name}.{cls.__qualname__}" for cls in classes if dataclasses.is_dataclass(cls)
    }
    assert dataclasses_here <= STANDARD_DATACLASSES
    for cls in classes:
        if issubclass(cls, msgspec.Struct):
            assert issubclass(cls, Value), cls
            assert cls.__struct_config__.frozen, cls


def test_a_value_cannot_be_changed_once_made() -> None:
    from backbalance.core.types import SideDose

    dose = SideDose(sets=2, reps=10, hold_s=None)
    with pytest.raises(AttributeError):
        dose.sets = 3  # type: ignore[misc]
    assert msgspec.structs.replace(dose, sets=3) == SideDose(sets=3, reps=10, hold_s=None) != dose
