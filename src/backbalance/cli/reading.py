"""Reading an input file (or standard input) for a command, safely.

At most one byte more than the size limit is ever read, so an endless stream
(``/dev/zero``) or a huge file is refused at once instead of filling memory.
"""

from __future__ import annotations

import sys
from pathlib import Path

from backbalance.core.api import MAX_INPUT_BYTES, echo, too_large_message


class Unreadable(Exception):
    """The input could not be read as text; the message says why, in plain words."""


def read_text(source: str, what: str) -> str:
    """The text of ``source`` (a path, or ``-`` for standard input); ``what`` names it."""
    try:
        if source == "-":
            data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        else:
            with Path(source).open("rb") as file:
                data = file.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        raise Unreadable(f"cannot read {source}: {exc.strerror}") from exc
    if len(data) > MAX_INPUT_BYTES:
        raise Unreadable(too_large_message(what))
    try:
        # utf-8-sig: a byte-order mark, which some editors write, is skipped.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Unreadable(f"{echo(source)} is not UTF-8 text") from exc
