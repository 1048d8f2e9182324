"""Finding the sentences a module writes: string literals and f-strings of several words.

Shared by the scans that keep wording out of core (tests/core/test_no_sentences_in_core.py)
and out of the command line's pages (tests/cli/test_no_sentences_in_cli.py). Docstrings,
anything raised, and the arguments of the calls a scan names (error builders, the command
line's help text) are passed over; what is left of that length is wording.
"""

from __future__ import annotations

import ast
import re

# A word has a letter in it; "{}" (a value an f-string puts in), "—" and "×" are layout.
_WORD = re.compile(r"[^\W\d_]")


def word_count(text: str) -> int:
    return sum(1 for token in text.split() if _WORD.search(token.replace("{}", "")))


def _passed_over(tree: ast.Module, calls: frozenset[str]) -> set[int]:
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in calls:
                found.update(id(inner) for inner in ast.walk(node))
        if isinstance(node, ast.Raise):
            found.update(id(inner) for inner in ast.walk(node))
    return found


def _text(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            part.value if isinstance(part, ast.Constant) and isinstance(part.value, str) else "{}"
            for part in node.values
        )
    return None


def sentences_in(
    source: str, *, min_words: int, skip_calls: frozenset[str]
) -> list[tuple[int, str]]:
    """(line, text) of each string of ``min_words`` words or more that is not passed over."""
    tree = ast.parse(source)
    skip = _passed_over(tree, skip_calls)
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        text = _text(node)
        if text is not None and word_count(text) >= min_words:
            found.append((getattr(node, "lineno", 0), text))
            # The parts of an f-string are not reported again on their own.
            skip.update(id(inner) for inner in ast.walk(node))
    return sorted(found)
