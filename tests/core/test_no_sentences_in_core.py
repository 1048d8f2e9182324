"""No sentence a person reads is written in core Python: it lives in the content.

Scans every core module for string literals (and f-strings) of several words. Docstrings
are for developers, and so are the messages of errors raised for a bug or handed back as a
field error (validation wording stays beside its check until the case model is rebuilt);
everything else of that length is wording and belongs in the content's message templates.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import source_scan as scan

CORE = Path(__file__).resolve().parents[2] / "src" / "backbalance" / "core"
# Four words or more reads as a sentence or a phrase; shorter strings are ids, units and
# joiners (" and ", ", ").
WORDS = 4
# Calls whose text is for a developer, or a field error that names the dotted path.
ERROR_CALLS = frozenset(
    {"ValueError", "KeyError", "TypeError", "CaseError", "FieldError", "UnfilledPlaceholder"}
)


# Known wording still in core, each for a stated reason. A new sentence anywhere in core,
# these files included, fails the scan. "{}" stands for each value an f-string puts in.
ALLOWED: dict[str, frozenset[str]] = {
    # Field-level validation messages, shown beside the dotted field path. They stay next
    # to the check they explain until the case model is rebuilt from the content.
    "case.py": frozenset(
        {
            "must be a date like 2026-11-20, between 2000 and 2100",
            "must be a number ({})",
            "must be a whole number ({})",
            "must be between {} and {} {}",
            "must be true or false",
            "must be one of {}",
            # Descriptions inside the generated JSON Schema, read by developers.
            "One person at one point in time: safety answers, questionnaires, self-tests.",
            "What the routine must fit. Needed for a routine; conditions are required.",
        }
    ),
    "instruments.py": frozenset(
        {
            "a whole number from {} to {}",
            "; use null for an unanswered item",
        }
    ),
    "screening.py": frozenset(
        {
            "this safety question has no answer; please answer yes, no or not sure "
            "(the safety screen cannot be skipped)",
            "this check-in question has no answer; please answer yes, no or not sure "
            "(the check-in safety questions cannot be skipped)",
            "this question belongs to the full safety screen, not to a check-in; answer it "
            "when the full screen is asked again",
            "this is not a question in the current safety screen; check that the answers "
            "match the content version",
        }
    ),
    # Messages about a file that is not valid JSON, before any content applies.
    "strict_json.py": frozenset(
        {
            "holds a broken character (a lone UTF-16 surrogate); type this text again",
            "larger than {} MB; a {} file is a few KB, so this is probably not the right file",
            "{} is not a number JSON allows",
            "not valid JSON at line {}, column {}: {}",
            "a number {} digits long is far outside any reading",
        }
    ),
}


def sentences_in(source: str) -> list[tuple[int, str]]:
    """Each string of ``WORDS`` words or more that is neither a docstring nor an error."""
    return scan.sentences_in(source, min_words=WORDS, skip_calls=ERROR_CALLS)


@pytest.mark.parametrize("path", sorted(CORE.glob("*.py")), ids=lambda p: p.name)
def test_core_writes_no_sentence_of_its_own(path: Path) -> None:
    allowed = ALLOWED.get(path.name, frozenset())
    found = [
        (line, text) for line, text in sentences_in(path.read_text("utf-8")) if text not in allowed
    ]
    assert found == [], f"{path.name}: move these into the content's messages: {found}"


def test_every_allowed_sentence_is_still_there() -> None:
    """An allowance that no longer matches anything is removed, so the list stays honest."""
    for name, allowed in ALLOWED.items():
        found = {text for _, text in sentences_in((CORE / name).read_text("utf-8"))}
        assert allowed <= found, f"{name}: no longer in the code: {sorted(allowed - found)}"


def test_the_scan_finds_a_sentence_and_passes_docstrings_and_errors() -> None:
    source = '''
def f(x):
    """A docstring of many words is for developers."""
    if x:
        raise ValueError(f"the value {x} is not one we know")
    errors.append(FieldError("person.age", "must be between these two numbers"))
    note = "Please see a doctor within days."
    return f"Your pain is {x} out of 10."
'''
    assert [text for _, text in sentences_in(source)] == [
        "Please see a doctor within days.",
        "Your pain is {} out of 10.",
    ]
