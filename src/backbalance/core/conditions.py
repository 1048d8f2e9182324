"""The health conditions that count for a case: one fact, one answer.

A person may state a condition twice: by ticking it in the routine questions, or by answering
a safety-screen question that already says it ("has a doctor told you that your bones are
thin?"). Both count everywhere the condition is gated, for the routine's exercises and for
the devices alike, so the same fact can never open one gate and close another.

Three rules, all read from ``conditions.yaml``:

* a condition ticked in the context counts;
* a condition whose ``established_by`` screen question is answered "yes" or "unsure" counts
  (an unsure answer is never read as no); where only an unsure answer holds it, the
  question is remembered so the device verdicts can say which answer to check;
* a condition counts with everything it ``implies`` (severe osteoporosis is osteoporosis).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from backbalance.content.schema_program import HealthCondition
from backbalance.core.types import Answer
from backbalance.core.value import Value


class EffectiveConditions(Value, frozen=True):
    """The conditions that count, and which of them rest only on an unsure answer."""

    ids: frozenset[str]
    # Condition id -> the screen question whose "yes" established it.
    from_screen: Mapping[str, str]
    # Condition id -> the screen question answered "unsure" that is its only basis.
    held_on_unsure: Mapping[str, str]


def implied_closure(ids: Collection[str], conditions: Mapping[str, HealthCondition]) -> set[str]:
    """The ids with everything they imply, directly or through another condition."""
    closed: set[str] = set()
    pending = list(ids)
    while pending:
        current = pending.pop()
        if current in closed:
            continue
        closed.add(current)
        known = conditions.get(current)
        if known is not None:
            pending.extend(known.implies)
    return closed


def effective_conditions(
    ticked: Collection[str],
    screening: Mapping[str, Answer],
    conditions: Mapping[str, HealthCondition],
) -> EffectiveConditions:
    """Context conditions ∪ conditions the screen established, with what they imply."""
    from_screen: dict[str, str] = {}
    unsure_basis: dict[str, str] = {}
    for condition in conditions.values():
        for question in condition.established_by:
            answer = screening.get(question)
            if answer == "yes":
                from_screen.setdefault(condition.id, question)
            elif answer == "unsure":
                unsure_basis.setdefault(condition.id, question)
    sure = implied_closure({*ticked, *from_screen}, conditions)
    held_on_unsure: dict[str, str] = {}
    for base, question in unsure_basis.items():
        for implied in sorted(implied_closure({base}, conditions) - sure):
            held_on_unsure.setdefault(implied, question)
    return EffectiveConditions(
        ids=frozenset(sure | set(held_on_unsure)),
        from_screen=from_screen,
        held_on_unsure=held_on_unsure,
    )
