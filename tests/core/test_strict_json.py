"""The strict JSON reader: what Python's json module lets through is refused, by path."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from backbalance.core.strict_json import (
    MAX_ECHO_CHARS,
    MAX_INPUT_BYTES,
    MAX_WHOLE_NUMBER,
    echo,
    parse_json,
)
from backbalance.core.types import CaseError


def refusals(text: str) -> list[str]:
    with pytest.raises(CaseError) as caught:
        parse_json(text)
    return [str(e) for e in caught.value.errors]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": 1, "a": 2}', "a: given twice"),
        (
            '{"screening": {"ces_saddle_numbness": "yes", "ces_saddle_numbness": "no"}}',
            "screening.ces_saddle_numbness: given twice",
        ),
        (
            '{"context": {"conditions": ["pregnancy"], "conditions": []}}',
            "context.conditions: given twice",
        ),
        # In a list of objects, items are counted from 1 as everywhere else in a case.
        (
            '{"q": {"psfs": [{"activity": "walk"}, {"activity": "sit", "activity": "run"}]}}',
            "q.psfs.2.activity: given twice",
        ),
        ('[[{"deep": {"x": 1, "x": 1, "x": 1}}]]', "1.1.deep.x: given 3 times"),
    ],
)
def test_a_key_given_twice_is_refused_with_its_path(text: str, expected: str) -> None:
    assert any(error.startswith(expected) for error in refusals(text))


def test_the_same_key_in_different_objects_is_fine() -> None:
    assert parse_json('{"a": {"x": 1}, "b": {"x": 2}}') == {"a": {"x": 1}, "b": {"x": 2}}


# --------------------------------------------------------------------------- property

_keys = st.text(alphabet="abcxyz_", min_size=1, max_size=4)
_leaves = st.one_of(st.none(), st.booleans(), st.integers(-1000, 1000), st.text(max_size=5))
_values = st.recursive(
    _leaves,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(_keys, inner, min_size=1, max_size=4)
    ),
    max_leaves=20,
)
# A document is an object, as a case or an import is.
_documents = st.dictionaries(_keys, _values, min_size=1, max_size=4)


def _objects(tree: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """The path of every object in the tree (list items counted from 1)."""
    found: list[tuple[str, ...]] = []
    if isinstance(tree, dict):
        found.append(path)
        for key, child in tree.items():
            found += _objects(child, (*path, key))
    elif isinstance(tree, list):
        for number, child in enumerate(tree, start=1):
            found += _objects(child, (*path, str(number)))
    return found


def _dump(tree: Any, path: tuple[str, ...], target: tuple[str, ...]) -> str:
    """JSON text of the tree, with the first key of the object at ``target`` written twice."""
    if isinstance(tree, dict):
        pairs = [f"{json.dumps(k)}: {_dump(v, (*path, k), target)}" for k, v in tree.items()]
        if path == target:
            first = next(iter(tree))
            pairs.append(f"{json.dumps(first)}: {json.dumps(tree[first])}")
        return "{" + ", ".join(pairs) + "}"
    if isinstance(tree, list):
        items = [_dump(v, (*path, str(n)), target) for n, v in enumerate(tree, start=1)]
        return "[" + ", ".join(items) + "]"
    return json.dumps(tree)


@given(tree=_documents, data=st.data())
def test_a_duplicate_anywhere_is_found_at_its_exact_path(tree: Any, data: st.DataObject) -> None:
    objects = _objects(tree)
    target = data.draw(st.sampled_from(objects))
    event(
        "duplicate inside a list" if any(p.isdigit() for p in target) else "duplicate in an object"
    )
    event(f"duplicate at depth {min(len(target), 3)}{'+' if len(target) >= 3 else ''}")
    # Without the duplicate the reader agrees with json.loads.
    assert parse_json(_dump(tree, (), ("never",))) == tree
    first_key = next(iter(_node(tree, target)))
    expected = ".".join((*target, first_key)) + ": given twice"
    assert any(error.startswith(expected) for error in refusals(_dump(tree, (), target)))


def _node(tree: Any, path: tuple[str, ...]) -> Any:
    for part in path:
        tree = tree[int(part) - 1] if isinstance(tree, list) else tree[part]
    return tree


# --------------------------------------------------------------------------- numbers, text, size


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"hold_s": ' + "9" * 310 + "}", "hold_s: a number 310 digits long"),
        ('{"hold_s": ' + "1" + "0" * 5000 + "}", "hold_s: a number 5001 digits long"),
        ('{"hold_s": ' + str(MAX_WHOLE_NUMBER + 1) + "}", "hold_s: a number"),
        ('{"hold_s": 1e400}', "hold_s: too large to be a number"),
        ('{"a": [1, NaN]}', "a.2: NaN is not a number JSON allows"),
        ('{"a": -Infinity}', "a: -Infinity is not a number JSON allows"),
    ],
)
def test_numbers_no_reading_could_be_are_refused_with_their_path(text: str, expected: str) -> None:
    assert any(error.startswith(expected) for error in refusals(text))


def test_the_largest_exact_whole_number_is_still_read() -> None:
    assert parse_json(f"[{MAX_WHOLE_NUMBER}, -{MAX_WHOLE_NUMBER}]") == [
        MAX_WHOLE_NUMBER,
        -MAX_WHOLE_NUMBER,
    ]


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ('{"case_id": "\\ud800"}', "case_id"),
        ('{"q": {"psfs": [{"activity": "walk\\udfff"}]}}', "q.psfs.1.activity"),
        ('{"\\ud800": 1}', "\\ud800"),
    ],
)
def test_a_lone_surrogate_is_refused_with_its_path(text: str, path: str) -> None:
    errors = refusals(text)
    assert any(error.startswith(f"{path}:") for error in errors)
    for error in errors:
        error.encode("utf-8")  # every message can itself be printed


def test_a_pair_of_surrogates_is_an_ordinary_character() -> None:
    assert parse_json('"\\ud83d\\ude00"') == "\U0001f600"


def test_text_over_the_size_limit_is_refused_before_parsing() -> None:
    just_over = '"' + "x" * (MAX_INPUT_BYTES - 1) + '"'
    assert refusals(just_over) == [refusals(just_over)[0]]
    assert "larger than" in refusals(just_over)[0]
    assert parse_json('"' + "x" * (MAX_INPUT_BYTES - 2) + '"') == "x" * (MAX_INPUT_BYTES - 2)


def test_nesting_too_deep_for_the_parser_is_refused_not_crashed() -> None:
    assert "nested too deeply" in refusals("[" * 100_000)[0]


def test_an_echoed_value_is_short_escaped_and_says_how_much_was_left_out() -> None:
    shown = echo("x" * 5_000_000)
    assert len(shown) < MAX_ECHO_CHARS + 40
    assert "4999940 more characters" in shown
    assert echo("a\nb\ud800") == "a\\nb\\ud800"
    assert echo("left_higher") == "left_higher"
