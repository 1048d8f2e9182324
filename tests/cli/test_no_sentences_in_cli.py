"""No sentence a person reads is written in the text renderer or the command's pages.

The same scan as for core (tests/core/test_no_sentences_in_core.py), over the command-line
adapter: its wording lives in the content's page messages, so a web page and a PDF can
share it. What stays here is the command line's own: its usage and help text (the
arguments of ``ArgumentParser``, ``add_parser`` and ``add_argument``), its error messages
on standard error (and the field errors it hands back), and how to do a thing with this
command (the core names no command).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import source_scan as scan
from tests.core.test_no_sentences_in_core import ERROR_CALLS, WORDS

CLI = Path(__file__).resolve().parents[2] / "src" / "backbalance" / "cli"
# Calls whose string arguments are the command line's usage and help text.
USAGE_CALLS = frozenset({"ArgumentParser", "add_parser", "add_argument", "add_subparsers"})

ALLOWED: dict[str, frozenset[str]] = {
    # How to find the tests with this command, added after the core's own note.
    "text.py": frozenset({"Run `backbalance tests` to see the tests you can do at home."}),
    "commands.py": frozenset(
        {
            # Error messages on standard error, about the command's own input and use.
            "backbalance: the case is not valid:",
            "  … and {} more problems not shown; fix these first",
            "backbalance: no {} {}; run `backbalance {}`",
            "backbalance: cannot write to {}: {}",
            # How to use this command.
            "Show one in full: backbalance exercises EXERCISE_ID",
            "wrote the figures and {}",
            # `backbalance content check`: a summary for whoever edits the content.
            "  {} muscle groups, {} self-tests, {} ratio rules, {} patterns",
            "  {} safety questions, {} triage rules, {} questionnaires",
            "  {} sourced figures from {} sources ({} sources marked unverified)",
        }
    ),
}


def sentences_in(source: str) -> list[tuple[int, str]]:
    return scan.sentences_in(source, min_words=WORDS, skip_calls=USAGE_CALLS | ERROR_CALLS)


@pytest.mark.parametrize("path", sorted(CLI.glob("*.py")), ids=lambda p: p.name)
def test_the_command_line_writes_no_page_sentence_of_its_own(path: Path) -> None:
    allowed = ALLOWED.get(path.name, frozenset())
    found = [
        (line, text) for line, text in sentences_in(path.read_text("utf-8")) if text not in allowed
    ]
    assert found == [], f"{path.name}: move these into the content's page messages: {found}"


def test_every_allowed_sentence_is_still_there() -> None:
    for name, allowed in ALLOWED.items():
        found = {text for _, text in sentences_in((CLI / name).read_text("utf-8"))}
        assert allowed <= found, f"{name}: no longer in the code: {sorted(allowed - found)}"


def test_the_scan_finds_page_words_and_passes_help_text_and_layout() -> None:
    source = '''
def f(parser, x):
    """A docstring of many words is for developers."""
    parser.add_argument("case", help="path to the case JSON file, or - for standard input")
    print(f"  {x}. {x}{x} — {x}")
    print("  Read before you start:")
    return f"Usual dose: {x} sets of {x}"
'''
    assert [text for _, text in sentences_in(source)] == [
        "  Read before you start:",
        "Usual dose: {} sets of {}",
    ]
