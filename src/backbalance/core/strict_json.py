"""Parse JSON text strictly: the one reader every JSON input goes through.

Python's own ``json`` module quietly accepts things that would mislead the engine or
crash it later:

- a key given twice, where the last one silently wins (``"ces_saddle_numbness": "yes"``
  followed by ``"no"`` would hide a warning sign);
- ``NaN`` and ``Infinity``, which are not JSON;
- whole numbers far too large for any reading, which overflow when compared;
- text holding a lone surrogate (``"\\ud800"``), which cannot be written back out.

Each is refused here with the dotted path of the field (list items counted from 1, as
elsewhere in the case), so the person or program that sent the file knows what to fix.
This module only parses a string; reading a file or a stream belongs to the adapter.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator

from backbalance.core.types import CaseError, FieldError
from backbalance.core.value import Value

# Limits on input, so that hostile or mistaken input costs neither time nor memory. These
# are technical limits, not clinical figures.
#
# A full case (30 safety answers, every questionnaire, all self-tests on both sides, with
# notes) is about 5 KB. One megabyte leaves room for two hundred times that, for long notes
# and for future imports, yet parses and checks in a fraction of a second.
MAX_INPUT_BYTES = 1_000_000
# Enough problems to fix a case in one go; a longer list only buries the first ones.
MAX_ERRORS_SHOWN = 50
# A value shown back in a message (an unknown key, an unknown id): enough characters to
# recognise it, never a whole pasted document.
MAX_ECHO_CHARS = 60
# Whole numbers beyond 2**53 cannot be held exactly by most JSON readers (RFC 7493, I-JSON)
# and no reading comes anywhere near; a number this long is refused before it is converted.
MAX_WHOLE_NUMBER = 2**53
_MAX_DIGITS = len(str(MAX_WHOLE_NUMBER))
BROKEN_TEXT = "holds a broken character (a lone UTF-16 surrogate); type this text again"


class _Refused(Value, frozen=True):
    """Stands in for a number that is refused, so the problem can be named by its path."""

    problem: str


def parse_json(text: str, what: str = "case", max_bytes: int = MAX_INPUT_BYTES) -> object:
    """Parse ``text``; raise :class:`CaseError` naming every field the strict rules refuse.

    ``what`` names the whole document in messages that are about all of it. ``max_bytes``
    is raised only for documents that hold a whole history (an account export); their
    reader checks the size first with its own message.
    """
    if len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        raise CaseError([FieldError(what, too_large_message(what, max_bytes))])
    repeated: dict[int, list[tuple[str, int]]] = {}

    def keep_pairs(pairs: list[tuple[str, object]]) -> dict[str, object]:
        obj: dict[str, object] = {}
        counts: dict[str, int] = {}
        for key, value in pairs:
            counts[key] = counts.get(key, 0) + 1
            obj[key] = value
        twice = [(key, n) for key, n in counts.items() if n > 1]
        if twice:
            # Keyed by identity: every parsed object stays alive until the walk below.
            repeated[id(obj)] = twice
        return obj

    try:
        data = json.loads(
            text,
            object_pairs_hook=keep_pairs,
            parse_int=_whole_number,
            parse_constant=_not_json_constant,
        )
    except json.JSONDecodeError as exc:
        message = f"not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        raise CaseError([FieldError(what, message)]) from exc
    except RecursionError as exc:
        raise CaseError([FieldError(what, "nested too deeply to be a real file")]) from exc
    errors = list(_problems(data, repeated, what))
    if errors:
        raise CaseError(errors)
    return data


def too_large_message(what: str, max_bytes: int = MAX_INPUT_BYTES) -> str:
    return (
        f"larger than {max_bytes // 1_000_000} MB; a {what} file is a few KB, "
        "so this is probably not the right file"
    )


def echo(value: object) -> str:
    """A value from the input, made safe to show back: escaped and cut short."""
    text = value if isinstance(value, str) else repr(value)
    kept = text[:MAX_ECHO_CHARS]
    # Lone surrogates and control characters are shown as escapes, never written raw.
    safe = "".join(c if c.isprintable() else _escaped(c) for c in kept)
    if len(text) <= MAX_ECHO_CHARS:
        return safe
    return f"{safe}… ({len(text) - MAX_ECHO_CHARS} more characters)"


def _escaped(character: str) -> str:
    return character.encode("unicode_escape").decode("ascii")


def has_lone_surrogate(text: str) -> bool:
    """True if ``text`` cannot be written as UTF-8 (``"\\ud800"`` standing alone)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _whole_number(digits: str) -> int | _Refused:
    if len(digits.lstrip("-")) > _MAX_DIGITS or abs(int(digits)) > MAX_WHOLE_NUMBER:
        return _Refused(f"a number {len(digits)} digits long is far outside any reading")
    return int(digits)


def _not_json_constant(name: str) -> _Refused:
    return _Refused(f"{name} is not a number JSON allows")


def _problems(
    data: object, repeated: dict[int, list[tuple[str, int]]], what: str
) -> Iterator[FieldError]:
    """Every refused value, duplicated key and unwritable text, each with its path."""
    stack: list[tuple[object, str]] = [(data, "")]
    while stack:
        value, path = stack.pop()
        if isinstance(value, dict):
            for key, times in repeated.get(id(value), []):
                said = "given twice" if times == 2 else f"given {times} times"
                yield FieldError(_join(path, key), f"{said}; give each field once")
            for key in value:
                if has_lone_surrogate(key):
                    yield FieldError(_join(path, key), f"this name {BROKEN_TEXT}")
            stack.extend(reversed([(child, _join(path, key)) for key, child in value.items()]))
        elif isinstance(value, list):
            stack.extend(
                reversed([(item, _join(path, str(n))) for n, item in enumerate(value, start=1)])
            )
        elif isinstance(value, str):
            if has_lone_surrogate(value):
                yield FieldError(path or what, BROKEN_TEXT)
        elif isinstance(value, _Refused):
            yield FieldError(path or what, value.problem)
        elif isinstance(value, float) and not math.isfinite(value):
            yield FieldError(path or what, "too large to be a number")


def _join(path: str, key: str) -> str:
    shown = echo(key)
    return f"{path}.{shown}" if path else shown
