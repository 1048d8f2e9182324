"""The base of the core's value objects: immutable records with equality and a repr.

They are ``msgspec`` structs rather than standard-library dataclasses because a dataclass
writes and compiles its methods when its class is made, about half a millisecond each,
which every fresh ``backbalance evaluate`` paid for some sixty classes before doing any
work. A struct's class is made in microseconds and its instances are built faster too.

What changes for callers: ``msgspec.structs.replace`` stands in for
``dataclasses.replace``, and :func:`backbalance.core.types.to_jsonable` reads either kind.
"""

from __future__ import annotations

import msgspec


class Value(msgspec.Struct, frozen=True):
    """An immutable record: fields are set when it is made and compared by value."""
