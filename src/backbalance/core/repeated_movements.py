"""Repeated-movement check → the movements that ease or worsen the pain, and when to stop.

The reference's first branching rule is directional preference and centralisation: moving
the back one way again and again draws the pain in towards the spine (it *centralises*) or
eases it, while another way sends it further out into the buttock or leg (it
*peripheralises*) or makes it worse. A direction check in the content (tests.yaml, kind
``direction``) records the answer for each direction tried; its ``direction_check`` says
which movement (movements.yaml) each direction is and what each answer means.

The answers join the person's own answers about what eases and worsens the pain, and the
careful answer always wins:

* a movement the check or the person says worsens the pain worsens it;
* a movement eases the pain only if someone says so and nobody says that it, or any
  movement loading the spine the same way, worsens it.

An answer that the pain spread into a leg, or a new numb, tingly or weak leg or foot, asks
the person to stop and mention it to a clinician, and to answer the safety questions
about the legs again.
"""

from __future__ import annotations

from collections.abc import Iterable

from backbalance.content.loader import Content
from backbalance.content.schema import SelfTest
from backbalance.core.types import Case, DirectionResponse, Warning
from backbalance.core.value import Value


class MovementCheck(Value, frozen=True):
    """What the repeated-movement checks of one case say."""

    responses: tuple[DirectionResponse, ...]
    eases: frozenset[str]
    worsens: frozenset[str]
    warnings: tuple[Warning, ...]


def read_movement_checks(case: Case, content: Content) -> MovementCheck:
    """The direction responses of every direction check in the case, and what they mean."""
    responses: list[DirectionResponse] = []
    warnings: list[Warning] = []
    for test in content.tests.values():
        check = test.direction_check
        result = case.tests.get(test.id)
        if check is None or result is None or result.single is None:
            continue
        values = result.single.values
        stopped_by: list[str] = []
        for direction in check.directions:
            answer = values.get(direction.field)
            if not isinstance(answer, str):
                continue  # that direction was not tried
            rule = check.meaning(answer)
            responses.append(
                DirectionResponse(
                    test=test.id,
                    field=direction.field,
                    movement=direction.movement,
                    answer=answer,
                    means=rule.means,
                    sources=tuple(rule.sources),
                )
            )
            if rule.stop:
                stopped_by.append(direction.field)
        stopped_by += [f for f in check.stop_fields if values.get(f) is True]
        if stopped_by:
            warnings.extend(_stop_warnings(test, content))
    worsens = frozenset(r.movement for r in responses if r.means == "worsens")
    eases = frozenset(r.movement for r in responses if r.means == "eases") - worsens
    return MovementCheck(
        responses=tuple(responses), eases=eases, worsens=worsens, warnings=tuple(warnings)
    )


def combine_directions(
    stated_eases: Iterable[str],
    stated_worsens: Iterable[str],
    check: MovementCheck,
    content: Content,
) -> tuple[frozenset[str], frozenset[str]]:
    """(eases, worsens): the person's answers joined to the check's, the careful one winning.

    Whatever anyone says worsens the pain stays worsening. A movement eases the pain only
    if it is not itself worsening and the check did not find its direction worsening
    (standing eases but bending backward peripheralised: both load extension, so neither
    is offered as easing). Two of the person's own answers are not set against each other
    here: "walking eases, standing worsens" is a real and common picture, and the gates
    already keep every exercise that loads a worsening direction out of the routine.
    """
    worsens = frozenset(stated_worsens) | check.worsens
    worse_directions = {content.movements[m].direction for m in check.worsens} - {"none"}
    eases = {
        m
        for m in frozenset(stated_eases) | check.eases
        if m not in worsens and content.movements[m].direction not in worse_directions
    }
    return frozenset(eases), worsens


def _stop_warnings(test: SelfTest, content: Content) -> tuple[Warning, ...]:
    check = test.direction_check
    assert check is not None
    questions = {q.id: q for q in content.red_flags.questions}
    listed = " ".join(
        f"({n}) {' '.join(questions[q].question.split())}"
        for n, q in enumerate(check.screen_questions, start=1)
    )
    return (
        Warning(code="movement_check_stop", message=check.stop_message.strip(), about=test.id),
        Warning(
            code="movement_check_screen",
            message=f"{check.screen_message.strip()} {listed}",
            about=test.id,
        ),
    )
