"""What the routine templates show for each item: words and numbers from the core and the
content, arranged for a page (no rule or clinical number is made here)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from backbalance.core import api
from backbalance.web.routine.forms import SIDE_ORDER, SessionForm


@cache
def figure_svg(pose_id: str) -> SafeString:
    """The line figure for a pose, drawn once per process (it never changes)."""
    from backbalance.figures import render_pose

    # The SVG is made by our own renderer from the pose table, not from any user input.
    return mark_safe(render_pose(pose_id, size=280))


@dataclass(frozen=True)
class SideView:
    side: str
    label: str
    sets: int
    reps: int | None
    hold_s: float | None
    # This side gets more sets than the other: the deliberate imbalance.
    more: bool
    field: Any = None


@dataclass(frozen=True)
class ItemView:
    index: int
    item: api.RoutineItem
    name: str
    purpose: str
    steps: list[str]
    feel: str
    stop_if: list[str]
    gentle: bool
    figure: SafeString
    sides: list[SideView]
    rest_s: float
    activity: str | None
    done: Any = None
    pain: Any = None
    effort: Any = None
    reps: Any = None

    @property
    def more_than_one_set(self) -> bool:
        """A rest between sets only matters when some side has more than one."""
        return any(side.sets > 1 for side in self.sides)


def _side_label(side: str, content: api.Content) -> str:
    # Done with both sides at once: no side to name.
    words = content.engine.messages.side_words
    return str(words[side]).capitalize() if side in words else ""


def item_views(
    routine: api.Routine, content: api.Content, form: SessionForm | None = None
) -> list[ItemView]:
    fields = {f.item.exercise: f for f in form.item_fields} if form is not None else {}
    views: list[ItemView] = []
    for n, item in enumerate(routine.items):
        exercise = content.exercises[item.exercise]
        most = max(d.sets for d in item.dose.values())
        fewest = min(d.sets for d in item.dose.values())
        own = fields.get(item.exercise)
        named = dict(own.sets) if own is not None else {}
        sides = [
            SideView(
                side=side,
                label=_side_label(side, content),
                sets=dose.sets,
                reps=dose.reps,
                hold_s=dose.hold_s,
                more=dose.sets == most and most != fewest,
                field=form[named[side]] if form is not None and side in named else None,
            )
            for side in SIDE_ORDER
            if (dose := item.dose.get(side)) is not None
        ]
        views.append(
            ItemView(
                index=n,
                item=item,
                name=exercise.name,
                purpose=exercise.purpose,
                steps=list(exercise.steps),
                feel=exercise.feel,
                stop_if=list(exercise.stop_if),
                gentle=exercise.gentle,
                figure=figure_svg(exercise.figure),
                sides=sides,
                rest_s=item.rest_s,
                activity=exercise.activity,
                done=form[own.done] if form is not None and own is not None else None,
                pain=form[own.pain] if form is not None and own is not None else None,
                effort=form[own.effort] if form is not None and own is not None else None,
                reps=form[own.reps] if form is not None and own and own.reps else None,
            )
        )
    return views


@dataclass(frozen=True)
class DayView:
    number: int
    items: list[str]
    minutes: float
    today: bool
    done: bool


def week_view(
    routine: api.Routine, content: api.Content, today_index: int, done: set[int]
) -> list[DayView]:
    return [
        DayView(
            number=day + 1,
            items=[content.exercises[e].name for e in routine.schedule[day]],
            minutes=routine.minutes_by_day[day],
            today=day == today_index,
            done=day in done,
        )
        for day in range(len(routine.schedule))
    ]
