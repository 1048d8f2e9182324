"""Typed models of the corrective-programme content: conditions, equipment, movements,
exercises and the routine settings.

Same conventions as :mod:`backbalance.content.schema`: strict, ids in snake_case, a
version per item, own words, and sources for every figure.
"""

from __future__ import annotations

from dataclasses import field
from typing import TYPE_CHECKING, Annotated, Literal

from backbalance.content.schema import (
    Figure,
    Id,
    SourceIds,
    Strict,
    Text,
)
from backbalance.content.schema_messages import ProgramMessages
from backbalance.content.vocabulary import AbnormalStatus, Irritability

if TYPE_CHECKING:
    from dataclasses import dataclass as content_class

    from pydantic import Field
else:
    # The same classes, made without generating code for each (see frozen.py).
    from backbalance.content.frozen import content_class

# --------------------------------------------------------------------------- the person


@content_class(frozen=True, kw_only=True)
class HealthCondition(Strict):
    """Something about a person's health that rules out or limits an exercise or device."""

    id: Id
    version: Annotated[int, Field(ge=1)]
    name: Text
    # The question the person answers, in plain words.
    question: Text
    group: Literal[
        "heart_and_circulation",
        "eyes_and_ears",
        "nerves_and_brain",
        "bones_and_joints",
        "spine",
        "surgery_and_implants",
        "pregnancy",
        "other",
    ]
    # Safety-screen question ids (red_flags.yaml) whose answer already states this
    # condition: one fact, one answer, counted everywhere the condition is gated.
    established_by: list[Id] = field(default_factory=list)
    # Milder conditions this one includes, so their gates apply too (severe osteoporosis is
    # still osteoporosis for every exercise that names osteoporosis).
    implies: list[Id] = field(default_factory=list)


@content_class(frozen=True, kw_only=True)
class Equipment(Strict):
    id: Id
    name: Text
    # Kit every home has (a wall, a chair, the floor) needs no answer from the person.
    always_available: bool = False


# Where the body is while an exercise is done.
Position = Literal[
    "standing",
    "sitting",
    "kneeling",
    "half_kneeling",
    "hands_and_knees",
    "lying_on_back",
    "lying_on_front",
    "lying_on_side",
    "on_a_device",
    # Walking is its own position: it is gated by the person's answer about walking, not
    # by their answer about standing still (see movements.yaml).
    "walking",
]


@content_class(frozen=True, kw_only=True)
class Movement(Strict):
    """A movement or position that may ease or worsen the person's pain.

    Every movement must bear on some exercise, through its direction, its positions or
    both: a choice that changes nothing is not worth asking (the content check enforces
    it).
    """

    id: Id
    label: Text
    # The spinal direction this movement loads; exercises loading the same direction are
    # held back while that movement makes the pain worse.
    direction: Literal["flexion", "extension", "rotation", "side_bend", "load", "none"]
    # The body positions this movement is: exercises done in one of them are held back
    # while it makes the pain worse, and a gentle one is offered while it eases the pain.
    positions: list[Position] = field(default_factory=list)
    # Offered as an answer to "what eases your pain?". False where easing would offer
    # nothing (no gentle exercise moves that way), so the question is not asked.
    can_ease: bool = True
    # Why the positions are the ones listed, or why it cannot ease the pain.
    note: str | None = None

    def __post_init__(self) -> None:
        self._bears_on_something()

    def _bears_on_something(self) -> None:
        if self.direction == "none" and not self.positions:
            raise ValueError(
                f"movement {self.id!r} has no direction and no positions, so choosing it "
                "would change nothing"
            )


# --------------------------------------------------------------------------- exercises

ExerciseKind = Literal[
    "release", "stretch", "activation", "strength", "endurance", "mobility", "integration"
]
Action = Literal[
    "release", "lengthen", "activate", "strengthen", "endure", "mobilise", "coordinate"
]
Direction = Literal["flexion", "extension", "rotation", "side_bend", "load", "none"]


@content_class(frozen=True, kw_only=True)
class Target(Strict):
    muscle: Id
    action: Action


@content_class(frozen=True, kw_only=True)
class Addresses(Strict):
    """A finding this exercise is chosen for: a muscle status or a sign."""

    muscle: Id | None = None
    status: Annotated[list[AbnormalStatus], Field(min_length=1)] | None = None
    sign: Id | None = None

    def __post_init__(self) -> None:
        self._muscle_or_sign()

    def _muscle_or_sign(self) -> None:
        if (self.muscle is None) == (self.sign is None):
            raise ValueError("addresses names either a muscle (with statuses) or a sign")
        if self.muscle is not None and not self.status:
            raise ValueError(f"addresses {self.muscle!r} needs statuses")


@content_class(frozen=True, kw_only=True)
class Dose(Strict):
    """The default dose for one side (or both, for a two-sided exercise)."""

    sets: Annotated[int, Field(ge=1, le=10)]
    reps: Annotated[int | None, Field(ge=1, le=50)] = None
    hold_s: Annotated[float | None, Field(gt=0, le=300)] = None
    # Roughly how long one repetition takes, so a session's length can be estimated.
    seconds_per_rep: Annotated[float | None, Field(gt=0, le=30)] = None
    rest_s: Annotated[float, Field(ge=0, le=300)]
    per_week: Annotated[int, Field(ge=1, le=7)]
    sources: SourceIds
    note: str | None = None

    def __post_init__(self) -> None:
        self._reps_or_hold()

    def _reps_or_hold(self) -> None:
        if self.reps is None and self.hold_s is None:
            raise ValueError("a dose needs reps, a hold time, or both")
        if self.reps is not None and self.hold_s is None and self.seconds_per_rep is None:
            raise ValueError("a dose in reps needs seconds_per_rep to estimate its time")


@content_class(frozen=True, kw_only=True)
class Caution(Strict):
    condition: Id
    note: Text


@content_class(frozen=True, kw_only=True)
class Exercise(Strict):
    id: Id
    version: Annotated[int, Field(ge=1)]
    name: Text
    kind: ExerciseKind
    targets: Annotated[list[Target], Field(min_length=1)]
    # Empty for general items (breathing, walking) that a phase offers to everyone.
    addresses: list[Addresses] = field(default_factory=list)
    unilateral: bool
    position: Position
    equipment: list[Id] = field(default_factory=list)
    level: Annotated[int, Field(ge=1, le=5)]
    easier: Id | None = None
    harder: Id | None = None
    dose: Dose
    # For a timed activity rather than a held position (walking, resting): what the person
    # does for the dose's time, so the routine says "2 minutes of walking", not "hold".
    activity: Text | None = None
    # Gentle items are the only ones offered during a flare-up or while a doctor's visit
    # is pending (urgent triage).
    gentle: bool
    # Every way the exercise moves or loads the spine; a movement that worsens the pain in
    # any one of them holds it back. ``[none]`` for an item that keeps the spine still.
    directions: Annotated[list[Direction], Field(min_length=1)]
    contraindications: list[Id] = field(default_factory=list)
    cautions: list[Caution] = field(default_factory=list)
    purpose: Text
    steps: Annotated[list[Text], Field(min_length=3)]
    mistakes: Annotated[list[Text], Field(min_length=1)]
    feel: Text
    stop_if: Annotated[list[Text], Field(min_length=1)]
    figure: Id
    sources: SourceIds

    def __post_init__(self) -> None:
        self._links_are_not_self()
        self._directions_are_a_set()

    def _links_are_not_self(self) -> None:
        if self.id in (self.easier, self.harder):
            raise ValueError(f"exercise {self.id!r} links to itself")

    def _directions_are_a_set(self) -> None:
        if len(set(self.directions)) != len(self.directions):
            raise ValueError(f"exercise {self.id!r} lists a direction twice")
        if "none" in self.directions and len(self.directions) > 1:
            raise ValueError(f"exercise {self.id!r} loads no direction and some directions")


# --------------------------------------------------------------------------- routine settings


@content_class(frozen=True, kw_only=True)
class Phase(Strict):
    """A stage of the programme. Phases are tried in order; the first that fits is chosen.

    A phase fits when every ``requires_*`` test holds and, if it has ``enter_if_*`` tests,
    at least one of them holds. The last phase is the default.
    """

    id: Literal["calm", "correct", "strengthen", "maintain"]
    name: Text
    purpose: Text
    enter_if_pain_at_least: Figure | None = None
    enter_if_irritability: list[Irritability] = field(default_factory=list)
    enter_if_weeks_below: Figure | None = None
    requires_weeks_at_least: Figure | None = None
    requires_pain_below: Figure | None = None
    kinds: Annotated[list[ExerciseKind], Field(min_length=1)]
    gentle_only: bool
    # Items always offered in this phase, whatever the findings (breathing, walking …).
    base_items: list[Id] = field(default_factory=list)
    # Offer a gentle movement in each direction the person says eases their pain.
    offer_easing_movements: bool = False
    # A lower weekly frequency for stretches, e.g. to keep a gain once it is made.
    stretch_per_week: Figure | None = None
    sources: SourceIds


@content_class(frozen=True, kw_only=True)
class SideBias(Strict):
    """How unbalanced the routine is on purpose: more work for the side that needs it.

    The side a finding names gets the exercise's full dose; the other side of a one-sided
    exercise gets ``other_side_share`` of the sets (at least one), so it is not neglected.
    A side singled out by an asymmetry sign gets ``asymmetry_extra_sets`` on top.
    """

    other_side_share: Figure
    asymmetry_extra_sets: Figure
    note: Text


@content_class(frozen=True, kw_only=True)
class ProgramSettings(Strict):
    version: Annotated[int, Field(ge=1)]
    # The order of kinds within a session: release before stretch before activation …
    order: Annotated[list[ExerciseKind], Field(min_length=7, max_length=7)]
    phases: Annotated[list[Phase], Field(min_length=4, max_length=4)]
    side_bias: SideBias
    # Seconds to allow for getting into position and switching sides, per item and side.
    setup_s: Figure
    min_minutes: Figure
    max_minutes: Figure
    # The ages the app is for, and the most weeks a person can have followed it: the
    # bounds a case is checked against.
    min_age: Figure
    max_age: Figure
    max_weeks_done: Figure
    # Exercises in a routine, at most, so a day stays simple to follow.
    max_items: Figure
    retest_after_days: Figure
    flexibility_change_weeks: Figure
    strength_change_weeks: Figure
    # Which weekdays (0 = first day) an item done n times a week falls on; spreads
    # strength work onto alternate days.
    weekly_days: dict[int, list[int]]
    sources: SourceIds
    messages: ProgramMessages

    def __post_init__(self) -> None:
        self._one_phase_is_gentle()
        self._days_cover_every_frequency()

    def _one_phase_is_gentle(self) -> None:
        # An urgent screen builds its routine in the gentle phase, so one must exist.
        if not any(phase.gentle_only for phase in self.phases):
            raise ValueError("one phase must be gentle_only")

    def _days_cover_every_frequency(self) -> None:
        for per_week in range(1, 8):
            days = self.weekly_days.get(per_week)
            if days is None or len(days) != per_week or not all(0 <= d < 7 for d in days):
                raise ValueError(f"weekly_days[{per_week}] must list {per_week} distinct days 0–6")
            if len(set(days)) != per_week:
                raise ValueError(f"weekly_days[{per_week}] repeats a day")
