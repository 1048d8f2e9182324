"""Frozen, keyword-only dataclasses that cost next to nothing to create.

``dataclasses.dataclass`` writes out and compiles an ``__init__``, ``__repr__``,
``__eq__``, ``__hash__``, ``__setattr__`` and ``__delattr__`` for every class it makes:
about half a millisecond a class, some fifty milliseconds at every start for the
hundred-odd content classes. :func:`content_class` lets ``dataclasses`` record the fields
(so ``fields``, ``replace``, ``asdict`` and pydantic's checks work as on any dataclass)
but generate nothing, and gives every class the same six methods, written once here,
that behave as ``@dataclass(frozen=True, kw_only=True)`` would make them.

The schema modules use the real ``dataclasses.dataclass`` for type checkers, which then
see every content class exactly as a frozen keyword-only dataclass, and this one at
runtime.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar

C = TypeVar("C", bound=type)


def content_class(*, frozen: bool, kw_only: bool) -> Callable[[C], C]:
    """Decorator: the class as a frozen, keyword-only dataclass (see the module's note)."""
    if not (frozen and kw_only):
        raise TypeError("content classes are always frozen and keyword-only")

    def make(cls: C) -> C:
        if cls.__doc__ is None:
            # Else dataclasses writes one from the signature, which costs more than the rest.
            cls.__doc__ = cls.__name__
        dataclasses.dataclass(init=False, repr=False, eq=False, kw_only=True, match_args=False)(cls)
        cls._init_fields_ = tuple(  # type: ignore[attr-defined]
            one for one in dataclasses.fields(cls) if one.init
        )
        cls._field_names_ = tuple(one.name for one in dataclasses.fields(cls))  # type: ignore[attr-defined]
        for name, method in _METHODS.items():
            if name not in vars(cls):  # as dataclasses does: a method the class has stays
                setattr(cls, name, method)
        return cls

    return make


def _init(self: Any, **values: Any) -> None:
    cls = type(self)
    for one in cls._init_fields_:
        if one.name in values:
            value = values.pop(one.name)
        elif one.default is not dataclasses.MISSING:
            value = one.default
        elif one.default_factory is not dataclasses.MISSING:
            value = one.default_factory()
        else:
            raise TypeError(f"{cls.__qualname__}() missing keyword argument {one.name!r}")
        object.__setattr__(self, one.name, value)
    if values:
        raise TypeError(f"{cls.__qualname__}() got unexpected keyword arguments {sorted(values)}")
    post_init = getattr(self, "__post_init__", None)
    if post_init is not None:
        post_init()


def _values(self: Any) -> tuple[Any, ...]:
    return tuple(getattr(self, name) for name in type(self)._field_names_)


def _eq(self: Any, other: object) -> object:  # a bool, or NotImplemented
    if other.__class__ is not self.__class__:
        return NotImplemented
    return bool(_values(self) == _values(other))


def _hash(self: Any) -> int:
    return hash(_values(self))


def _repr(self: Any) -> str:
    shown = ", ".join(
        f"{one.name}={getattr(self, one.name)!r}" for one in dataclasses.fields(self) if one.repr
    )
    return f"{type(self).__qualname__}({shown})"


def _setattr(self: Any, name: str, value: Any) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")


def _delattr(self: Any, name: str) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")


_METHODS: dict[str, Callable[..., Any]] = {
    "__init__": _init,
    "__repr__": _repr,
    "__eq__": _eq,
    "__hash__": _hash,
    "__setattr__": _setattr,
    "__delattr__": _delattr,
}
