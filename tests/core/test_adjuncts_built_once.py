"""Device protocols and therapy facts are built once per content object, never mixed.

The result shows each device's protocol and the comparison facts; both come from the
content alone, so they are built once per content object and reused. These tests check
that reuse is real, and that another content object, even one made by editing a copy,
always gets its own.
"""

from __future__ import annotations

import gc
from dataclasses import asdict
from typing import Any

from backbalance.content.loader import load_content
from backbalance.content.schema_adjuncts import Adjuncts
from backbalance.content.validation import validate
from backbalance.core import adjuncts as module
from backbalance.core.adjuncts import AdjunctVerdict, assess_adjuncts
from backbalance.core.types import Triage

CONTENT = load_content()
NO_GATES: dict[str, Any] = {"flare": False, "health_answered": True}
QUIET = Triage(
    level="none",
    reasons=(),
    headline="screen result: none",
    what_to_do=("see the advice for this level",),
    continue_self_care=True,
)


def _verdicts(adjuncts: Adjuncts) -> dict[str, AdjunctVerdict]:
    return assess_adjuncts(QUIET, (), adjuncts, **NO_GATES)


def test_the_same_content_reuses_the_built_protocols_and_facts() -> None:
    first, second = _verdicts(CONTENT.adjuncts), _verdicts(CONTENT.adjuncts)
    for therapy, verdict in first.items():
        assert verdict.protocol is not None
        assert second[therapy].protocol is verdict.protocol
        assert second[therapy].about is verdict.about


def _with_new_summaries(adjuncts: Adjuncts) -> Adjuncts:
    raw = asdict(adjuncts)
    for therapy in raw["therapies"]:
        therapy["protocol"]["summary"] = f"edited summary for {therapy['id']}"
        therapy["what_it_is"] = f"edited description of {therapy['id']}"
    return validate(Adjuncts, raw)


def test_an_edited_copy_gets_its_own_protocols_and_the_original_keeps_its_own() -> None:
    original = _verdicts(CONTENT.adjuncts)
    edited = _with_new_summaries(CONTENT.adjuncts)
    changed = _verdicts(edited)
    for therapy, verdict in changed.items():
        assert verdict.protocol is not None
        assert verdict.protocol.summary == f"edited summary for {therapy}"
        assert verdict.about.what_it_is == f"edited description of {therapy}"
    again = _verdicts(CONTENT.adjuncts)
    for therapy, verdict in again.items():
        assert verdict.protocol == original[therapy].protocol
        assert verdict.protocol is not None
        assert not verdict.protocol.summary.startswith("edited")


def test_an_equal_but_separate_content_object_is_not_answered_from_another() -> None:
    copy = validate(Adjuncts, asdict(CONTENT.adjuncts))
    assert copy == CONTENT.adjuncts and copy is not CONTENT.adjuncts
    ours, theirs = _verdicts(CONTENT.adjuncts), _verdicts(copy)
    for therapy, verdict in theirs.items():
        assert verdict.protocol == ours[therapy].protocol
        assert verdict.protocol is not ours[therapy].protocol


def test_the_tables_forget_content_that_is_gone() -> None:
    edited = _with_new_summaries(CONTENT.adjuncts)
    _verdicts(edited)
    ids = {id(therapy.protocol) for therapy in edited.therapies}
    assert ids & {key[0] for key in module._PROTOCOLS}
    del edited
    gc.collect()
    assert not ids & {key[0] for key in module._PROTOCOLS}
