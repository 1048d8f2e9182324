"""Routine item states that tests start progression from."""

from __future__ import annotations

from backbalance.content.schema_program import Exercise
from backbalance.core.progression import ItemState


def default_state(exercise: Exercise) -> ItemState:
    """The exercise at its default dose, on the left if it is done one side at a time."""
    return ItemState(
        exercise_id=exercise.id,
        side="left" if exercise.unilateral else "bilateral",
        sets=exercise.dose.sets,
        reps=exercise.dose.reps,
        hold_s=exercise.dose.hold_s,
        level=exercise.level,
    )
