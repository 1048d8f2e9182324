"""Content classes made by content_class behave as @dataclass(frozen=True, kw_only=True)."""

from __future__ import annotations

import pickle
from dataclasses import FrozenInstanceError, asdict, dataclass, field, fields, replace
from typing import TYPE_CHECKING

import pytest

from backbalance.content.frozen import content_class as runtime_content_class

if TYPE_CHECKING:  # as the schema modules do: type checkers see a frozen dataclass
    from dataclasses import dataclass as content_class
else:
    content_class = runtime_content_class
from tests.strategies import CONTENT


@content_class(frozen=True, kw_only=True)
class Made:
    name: str
    count: int = 1
    tags: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.count < 0:
            raise ValueError("count below zero")


@dataclass(frozen=True, kw_only=True)
class Generated:
    name: str
    count: int = 1
    tags: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.count < 0:
            raise ValueError("count below zero")


@content_class(frozen=True, kw_only=True)
class MadeChild(Made):
    extra: bool = False


def test_it_is_built_read_compared_and_shown_as_the_generated_dataclass_is() -> None:
    made, generated = Made(name="a", tags=["x"]), Generated(name="a", tags=["x"])
    assert [f.name for f in fields(made)] == [f.name for f in fields(generated)]
    assert asdict(made) == asdict(generated) == {"name": "a", "count": 1, "tags": ["x"]}
    assert repr(made) == repr(generated).replace("Generated", "Made")
    assert made == Made(name="a", tags=["x"])
    assert made != Made(name="a", count=2, tags=["x"])
    assert made != MadeChild(name="a", tags=["x"])  # another class is never equal
    assert Made(name="a").tags is not Made(name="a").tags  # a fresh default each time
    with pytest.raises(TypeError, match="unhashable"):
        hash(made)  # a list inside, as with the generated dataclass
    same = (Made(name="b", tags=()), Made(name="b", tags=()))  # type: ignore[arg-type]
    assert hash(same[0]) == hash(same[1]) == hash(Generated(name="b", tags=()))  # type: ignore[arg-type]
    assert len({*same, Made(name="c", tags=())}) == 2  # type: ignore[arg-type]


def test_it_refuses_what_the_generated_dataclass_refuses() -> None:
    with pytest.raises(TypeError, match="missing keyword argument 'name'"):
        Made()  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="unexpected keyword arguments \\['colour'\\]"):
        Made(name="a", colour="red")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Made("a")  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="count below zero"):
        Made(name="a", count=-1)
    made = Made(name="a")
    with pytest.raises(FrozenInstanceError):
        made.name = "b"  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        del made.name


def test_replace_builds_a_changed_copy_and_checks_it_again() -> None:
    child = MadeChild(name="a", extra=True)
    changed = replace(child, count=3)
    assert (changed.name, changed.count, changed.extra) == ("a", 3, True)
    assert child.count == 1
    with pytest.raises(ValueError, match="count below zero"):
        replace(child, count=-1)


def test_the_loaded_content_survives_a_pickle_round_trip_unchanged() -> None:
    again = pickle.loads(pickle.dumps(CONTENT, protocol=pickle.HIGHEST_PROTOCOL))
    assert again == CONTENT
    assert again.tests["ober"] == CONTENT.tests["ober"]


def test_only_frozen_keyword_only_classes_are_made() -> None:
    with pytest.raises(TypeError, match="frozen and keyword-only"):
        runtime_content_class(frozen=False, kw_only=True)
