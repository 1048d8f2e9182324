"""Typed model of the progression rules (``content/data/progression.yaml``).

The rules turn a person's logged sessions of one routine item into a proposal: move on,
stay, step back, or stop. Every threshold is a :class:`Figure` with sources; where a
number is the project's own choice its note says so and names the closest source.

Same conventions as :mod:`backbalance.content.schema`: strict, ids in snake_case, a
version, own words, and sources for every figure. The engine that applies the rules is
:mod:`backbalance.core.progression`.
"""

from __future__ import annotations

from dataclasses import fields
from functools import cache
from pathlib import Path
from string import Formatter
from typing import TYPE_CHECKING, Annotated, Literal

from backbalance.content.schema import Figure, Id, SourceIds, Strict, Text
from backbalance.content.schema_messages import ProgressionWording
from backbalance.content.schema_program import ExerciseKind

if TYPE_CHECKING:
    from dataclasses import dataclass as content_class

    from pydantic import Field
else:
    # The same classes, made without generating code for each (see frozen.py).
    from backbalance.content.frozen import content_class

# How an exercise is dosed: held positions ("hold": the default dose has a hold time)
# or moving repetitions ("reps": no hold time).
DoseStyle = Literal["hold", "reps"]
# What a progression step may raise. Sets are never raised: the routine sets them per
# side on purpose (extra sets for the side that needs them), and progression must not
# even that out.
Raise = Literal["reps", "hold_s"]

ALL_KINDS: tuple[ExerciseKind, ...] = (
    "release",
    "stretch",
    "activation",
    "strength",
    "endurance",
    "mobility",
    "integration",
)
ALL_STYLES: tuple[DoseStyle, ...] = ("hold", "reps")

# The placeholders each message may use; the engine fills exactly these.
MESSAGE_KEYS: frozenset[str] = frozenset(
    {
        "day",
        "days",
        "count",
        "needed",
        "pain",
        "usual",
        "ceiling",
        "difficulty",
        "change",
        "next",
        "why",
    }
)


def _count(figure: Figure, what: str, minimum: int = 1) -> None:
    if not figure.value.is_integer() or figure.value < minimum:
        raise ValueError(f"{what} must be a whole number of at least {minimum}")


def _pain_score(figure: Figure, what: str) -> None:
    if not figure.value.is_integer() or not 0 <= figure.value <= 10:
        raise ValueError(f"{what} must be a whole point on the 0-10 scale")


@content_class(frozen=True, kw_only=True)
class Message(Strict):
    """One rule's id, what the person is told, and the sources behind the rule.

    ``says`` is a template: ``{day}``, ``{pain}`` … are filled in by the engine with the
    sessions that led to the decision (see ``MESSAGE_KEYS``).
    """

    id: Id
    says: Text
    sources: SourceIds

    def __post_init__(self) -> None:
        self._known_placeholders()

    def _known_placeholders(self) -> None:
        names = {name for _, name, _, _ in Formatter().parse(self.says) if name is not None}
        unknown = names - MESSAGE_KEYS
        if unknown:
            raise ValueError(f"message {self.id!r} uses unknown placeholders {sorted(unknown)}")


@content_class(frozen=True, kw_only=True)
class StopRules(Strict):
    """Stop this item and send the person back to the safety check."""

    pain_during_at_least: Figure
    high_pain: Message
    new_symptoms: Message
    # Said for an item that is already paused and waiting for the safety check.
    paused: Message

    def __post_init__(self) -> None:
        self._valid()

    def _valid(self) -> None:
        _pain_score(self.pain_during_at_least, "stop.pain_during_at_least")


@content_class(frozen=True, kw_only=True)
class ToleranceRules(Strict):
    """How much pain during an exercise is acceptable at all."""

    pain_during_ceiling: Figure

    def __post_init__(self) -> None:
        self._valid()

    def _valid(self) -> None:
        _pain_score(self.pain_during_ceiling, "tolerance.pain_during_ceiling")


@content_class(frozen=True, kw_only=True)
class FlareUpRules(Strict):
    """When the whole routine drops to gentle items, and when it may come back."""

    worse_mornings_in_a_row: Figure
    # Pain during the exercise counts as a flare when it is above the acceptable ceiling
    # and at least this many points above the person's usual pain.
    pain_above_usual_by: Figure
    # The flare is over after this many logged days with pain back to usual …
    calm_days: Figure
    # … where "back to usual" allows this many points above the usual pain.
    calm_margin: Figure
    much_worse_morning: Message
    worse_mornings: Message
    pain_above_usual: Message

    def __post_init__(self) -> None:
        self._valid()

    def _valid(self) -> None:
        _count(self.worse_mornings_in_a_row, "flare_up.worse_mornings_in_a_row", minimum=2)
        _count(self.pain_above_usual_by, "flare_up.pain_above_usual_by")
        _count(self.calm_days, "flare_up.calm_days")
        _count(self.calm_margin, "flare_up.calm_margin", minimum=0)


@content_class(frozen=True, kw_only=True)
class RegressRules(Strict):
    """Step back one notch: less dose, or the easier variation."""

    difficulty_at_least: Figure
    worse_morning: Message
    pain_above_ceiling: Message
    too_hard: Message

    def __post_init__(self) -> None:
        self._valid()

    def _valid(self) -> None:
        if not self.difficulty_at_least.value.is_integer() or not (
            1 <= self.difficulty_at_least.value <= 10
        ):
            raise ValueError("regress.difficulty_at_least must be a whole point from 1 to 10")


@content_class(frozen=True, kw_only=True)
class LoadRules(Strict):
    """Loaded strength work (an item with a load): add a little load, per S50a."""

    reps_over_target: Figure
    sessions_in_a_row: Figure
    step_percent: Figure
    # The smallest change of load worth proposing, and the rounding of the new load.
    round_to_kg: Figure
    add_load: Message
    not_yet: Message

    def __post_init__(self) -> None:
        self._valid()

    def _valid(self) -> None:
        _count(self.reps_over_target, "load.reps_over_target")
        _count(self.sessions_in_a_row, "load.sessions_in_a_row")
        if not 0 < self.step_percent.value <= 50:
            raise ValueError("load.step_percent must be above 0 and at most 50")
        if self.round_to_kg.value <= 0:
            raise ValueError("load.round_to_kg must be above 0")


@content_class(frozen=True, kw_only=True)
class ProgressRules(Strict):
    """Move on: more reps or hold within the range, then the harder variation."""

    good_sessions_in_a_row: Figure
    difficulty_at_most: Figure
    # Sessions further apart than this do not count as "in a row".
    max_gap_days: Figure
    more_dose: Message
    harder_exercise: Message

    def __post_init__(self) -> None:
        self._valid()

    def _valid(self) -> None:
        _count(self.good_sessions_in_a_row, "progress.good_sessions_in_a_row")
        _count(self.max_gap_days, "progress.max_gap_days")
        if not self.difficulty_at_most.value.is_integer() or not (
            1 <= self.difficulty_at_most.value <= 10
        ):
            raise ValueError("progress.difficulty_at_most must be a whole point from 1 to 10")


@content_class(frozen=True, kw_only=True)
class HoldRules(Strict):
    """Stay with the current dose; each message says why."""

    too_few: Message
    missed: Message
    not_yet: Message
    top_reached: Message
    nothing_easier: Message


@content_class(frozen=True, kw_only=True)
class GateMessages(Strict):
    """What the person is told when the exercise gates (core/gates.py) hold a step back.

    Progression never hands out an exercise the routine would not give this person: a
    harder or easier version that fails a gate is not offered, and the person is told so.
    ``{next}`` is the name of the version held back, ``{why}`` the gate's reason.
    """

    # Ready for the harder version, but it is not one for this person: stay as you are.
    harder_held_back: Message
    # Stepping back skipped an easier version that is not one for this person.
    easier_held_back: Message
    # The exercise itself is not one for this person now (for example gentle items only
    # during a flare-up): it is left out, not changed.
    exercise_held_back: Message


@content_class(frozen=True, kw_only=True)
class DoseRange(Strict):
    """How far one kind of exercise may be dosed up before the harder variation is offered.

    Applies to the exercise kinds listed, dosed in the given style. ``raise_order`` lists
    what goes up, first to last; each named part needs its maximum and step. An empty
    ``raise_order`` means the dose stays as it is and progress goes straight to the harder
    variation.
    """

    id: Id
    kinds: Annotated[list[ExerciseKind], Field(min_length=1)]
    style: DoseStyle
    raise_order: list[Raise]
    reps_max: Figure | None = None
    reps_step: Figure | None = None
    hold_max_s: Figure | None = None
    hold_step_s: Figure | None = None
    note: Text
    sources: SourceIds

    def __post_init__(self) -> None:
        self._parts_fit()

    def _parts_fit(self) -> None:
        if len(set(self.raise_order)) != len(self.raise_order):
            raise ValueError(f"dose range {self.id!r}: raise_order repeats a part")
        if self.style == "reps" and "hold_s" in self.raise_order:
            raise ValueError(f"dose range {self.id!r}: a reps-style dose has no hold to raise")
        for part, top, step in (
            ("reps", self.reps_max, self.reps_step),
            ("hold_s", self.hold_max_s, self.hold_step_s),
        ):
            if part in self.raise_order and (top is None or step is None):
                raise ValueError(f"dose range {self.id!r}: raising {part} needs a max and a step")
            if step is not None and step.value <= 0:
                raise ValueError(f"dose range {self.id!r}: the {part} step must be above 0")
        for figure, what in ((self.reps_max, "reps_max"), (self.reps_step, "reps_step")):
            if figure is not None:
                _count(figure, f"dose range {self.id!r}: {what}")


@content_class(frozen=True, kw_only=True)
class Scale(Strict):
    """A rating scale for a logged session: whole numbers from minimum to maximum."""

    minimum: int
    maximum: int
    sources: SourceIds
    note: Text

    def __post_init__(self) -> None:
        self._ordered()

    def _ordered(self) -> None:
        if self.minimum >= self.maximum:
            raise ValueError("minimum must be below maximum")


@content_class(frozen=True, kw_only=True)
class LogScales(Strict):
    pain: Scale
    effort: Scale


@content_class(frozen=True, kw_only=True)
class ProgressionRules(Strict):
    version: Annotated[int, Field(ge=1)]
    tolerance: ToleranceRules
    stop: StopRules
    flare_up: FlareUpRules
    regress: RegressRules
    progress: ProgressRules
    load: LoadRules
    hold: HoldRules
    gates: GateMessages
    dose_ranges: Annotated[list[DoseRange], Field(min_length=1)]
    sources: SourceIds
    scales: LogScales
    wording: ProgressionWording

    def __post_init__(self) -> None:
        self._rules_fit_together()

    def _rules_fit_together(self) -> None:
        ceiling = self.tolerance.pain_during_ceiling.value
        if self.stop.pain_during_at_least.value <= ceiling:
            raise ValueError("the stop threshold must be above the acceptable pain ceiling")
        if self.progress.difficulty_at_most.value >= self.regress.difficulty_at_least.value:
            raise ValueError("progress difficulty must stay below the regress difficulty")
        covered: dict[tuple[str, str], str] = {}
        for dose_range in self.dose_ranges:
            for kind in dose_range.kinds:
                key = (kind, dose_range.style)
                if key in covered:
                    raise ValueError(
                        f"{kind}/{dose_range.style} is in both {covered[key]!r} "
                        f"and {dose_range.id!r}"
                    )
                covered[key] = dose_range.id
        missing = [
            f"{kind}/{style}"
            for kind in ALL_KINDS
            for style in ALL_STYLES
            if (kind, style) not in covered
        ]
        if missing:
            raise ValueError(f"no dose range for {missing}")
        ids = [m.id for m in self.messages()] + [d.id for d in self.dose_ranges]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate rule ids {duplicates}")

    def messages(self) -> list[Message]:
        """Every rule message, for checks that each one renders and names known sources."""
        found: list[Message] = []
        blocks = (
            self.stop,
            self.flare_up,
            self.regress,
            self.progress,
            self.load,
            self.hold,
            self.gates,
        )
        for block in blocks:
            for one in fields(block):
                value = getattr(block, one.name)
                if isinstance(value, Message):
                    found.append(value)
        return found

    def dose_range(self, kind: ExerciseKind, style: DoseStyle) -> DoseRange:
        for dose_range in self.dose_ranges:
            if kind in dose_range.kinds and dose_range.style == style:
                return dose_range
        raise LookupError(f"no dose range for {kind}/{style}")  # the validator prevents this


def default_rules_path() -> Path:
    return Path(__file__).resolve().parent / "data" / "progression.yaml"


@cache
def load_progression_rules(path: Path | None = None) -> ProgressionRules:
    """Parse ``progression.yaml`` (the packaged file by default), strictly."""
    import yaml  # here, not at the top: the packaged content is read by the loader

    text = (path or default_rules_path()).read_text(encoding="utf-8")
    from backbalance.content.validation import validate

    return validate(ProgressionRules, yaml.safe_load(text))
