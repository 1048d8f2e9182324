"""Typed models of the adjunct-therapy content (``adjuncts.yaml``).

Three therapies sit side by side: the corrective routine itself (``muscle_balance``), the
inversion table and the vibration platform. For each the content gives a plain description,
an honest evidence summary, suitability rules per health condition, a starting protocol with
its progression and stop rules, and a row for the side-by-side comparison.

Same conventions as :mod:`backbalance.content.schema`: strict, frozen, extra keys forbidden,
ids in snake_case, own words, and a sourced :class:`Figure` for every clinical number.

What the content can *not* do is switch off a gate: which triage levels block a therapy,
that a flare-up pauses the devices, that a device needs the health answers, and that an
unsure answer counts as yes are fixed in :mod:`backbalance.core.adjuncts`; the content only
supplies the words shown to the person. Which routine-level red flags bear on a device is
content, but a routine-level flag the content has not reviewed still asks for a clinician.
"""

from __future__ import annotations

import math
from dataclasses import field
from typing import TYPE_CHECKING, Annotated, Final, Literal

from backbalance.content.schema import Figure, Id, SourceIds, Strict, Text

if TYPE_CHECKING:
    from dataclasses import dataclass as content_class

    from pydantic import Field
else:
    # The same classes, made without generating code for each (see frozen.py).
    from backbalance.content.frozen import content_class

# The therapy ids are fixed: the engine and the comparison table name exactly these.
THERAPY_IDS: Final[tuple[str, ...]] = ("muscle_balance", "inversion", "vibration")

Verdict = Literal["not_suitable", "clinician_approval", "suitable"]
# A condition rule can only limit a therapy; "suitable" is what is left when nothing limits.
RuleVerdict = Literal["not_suitable", "clinician_approval"]
EvidenceGrade = Literal["weak", "limited", "moderate", "strong"]


@content_class(frozen=True, kw_only=True)
class SuitabilityRule(Strict):
    """What one health condition means for one therapy."""

    condition: Id
    verdict: RuleVerdict
    # Shown to the person, in plain words.
    reason: Text
    # For the clinician reviewing the content: why this level was chosen where the sources
    # differ (a maker asks for a doctor's approval, a study says avoid altogether …).
    decision: str | None = None
    sources: SourceIds


@content_class(frozen=True, kw_only=True)
class RoutineFlagRule(Strict):
    """What one routine-level red flag (a red_flags.yaml rule id) means for one device."""

    flag: Id
    verdict: RuleVerdict
    reason: Text
    decision: str | None = None
    sources: SourceIds


@content_class(frozen=True, kw_only=True)
class FlagWithoutBearing(Strict):
    """A routine-level red flag reviewed and found to say nothing about device safety."""

    flag: Id
    why: Text
    sources: SourceIds


@content_class(frozen=True, kw_only=True)
class GateText(Strict):
    """The words shown when a gate fixed in code applies."""

    text: Text
    sources: SourceIds


@content_class(frozen=True, kw_only=True)
class UnsureText(Strict):
    """The words for an unsure screen answer; ``{question}`` is replaced by the question."""

    text: Text
    sources: SourceIds

    def __post_init__(self) -> None:
        self._names_the_question()

    def _names_the_question(self) -> None:
        # The person must see which answer to check, so the placeholder is required, and
        # no other braces may appear (they would break the formatting).
        if self.text.count("{question}") != 1 or self.text.count("{") != 1:
            raise ValueError("unsure_answer.text must contain {question} exactly once")


@content_class(frozen=True, kw_only=True)
class TriageGate(Strict):
    """The words shown when the safety screen found something, one text per level.

    Text only, on purpose: whether a level blocks the therapy is decided in code, so no edit
    to the content can let a device through while an urgent or emergency flag is open. The
    ``routine`` text is shown for a routine-level flag the content has not reviewed (see
    ``RoutineFlagRule`` and ``FlagWithoutBearing`` for the reviewed ones).
    """

    emergency: Text
    urgent: Text
    routine: Text
    sources: SourceIds


@content_class(frozen=True, kw_only=True)
class Setting(Strict):
    """One number of a protocol stage: an angle, a time, a frequency."""

    id: Id
    label: Text
    figure: Figure
    say: Text | None = None


@content_class(frozen=True, kw_only=True)
class Stage(Strict):
    """A step of the protocol. The first stage is where everyone starts."""

    id: Id
    name: Text
    # When to move on to this stage, in plain words ("only if the last stage felt fine").
    when: Text
    # The earliest week (counted from the first session) this stage may start.
    from_week: Figure | None = None
    settings: Annotated[list[Setting], Field(min_length=1)]
    say: Text
    sources: SourceIds

    def __post_init__(self) -> None:
        self._settings_unique()

    def _settings_unique(self) -> None:
        ids = [s.id for s in self.settings]
        if len(set(ids)) != len(ids):
            raise ValueError(f"stage {self.id!r} repeats a setting")

    def setting(self, setting_id: str) -> Setting | None:
        for s in self.settings:
            if s.id == setting_id:
                return s
        return None


@content_class(frozen=True, kw_only=True)
class Limit(Strict):
    """A ceiling no stage may pass.

    The capped quantity is the product of the named settings of a stage: one id for a plain
    cap (the angle), several for a total (bouts × seconds per bout = vibration time a day).
    The limit's figure is in the unit of that product.
    """

    id: Id
    label: Text
    of: Annotated[list[Id], Field(min_length=1)]
    figure: Figure
    why: Text


@content_class(frozen=True, kw_only=True)
class StopRule(Strict):
    id: Id
    symptoms: Annotated[list[Text], Field(min_length=1)]
    action: Text
    # When to get medical help, if the symptom does not settle or is severe.
    seek_care: Text | None = None
    sources: SourceIds


@content_class(frozen=True, kw_only=True)
class Protocol(Strict):
    summary: Text
    stages: Annotated[list[Stage], Field(min_length=1)]
    limits: list[Limit] = field(default_factory=list)
    # Safety rules for every session, whatever the stage.
    always: Annotated[list[Text], Field(min_length=1)]
    stop_rules: Annotated[list[StopRule], Field(min_length=1)]
    sources: SourceIds

    def __post_init__(self) -> None:
        self._stages_respect_limits()

    def _stages_respect_limits(self) -> None:
        stage_ids = [s.id for s in self.stages]
        if len(set(stage_ids)) != len(stage_ids):
            raise ValueError("protocol stages must have distinct ids")
        stop_ids = [r.id for r in self.stop_rules]
        if len(set(stop_ids)) != len(stop_ids):
            raise ValueError("protocol stop rules must have distinct ids")
        weeks = [s.from_week.value for s in self.stages if s.from_week is not None]
        if weeks != sorted(weeks):
            raise ValueError("protocol stages must not go back in time (from_week)")
        for limit in self.limits:
            checked = False
            for stage in self.stages:
                found = [stage.setting(name) for name in limit.of]
                values = [s.figure.value for s in found if s is not None]
                if len(values) != len(limit.of):
                    continue
                checked = True
                total = math.prod(values)
                if total > limit.figure.value:
                    raise ValueError(
                        f"stage {stage.id!r} passes limit {limit.id!r}: "
                        f"{total:g} > {limit.figure.value:g} {limit.figure.unit}"
                    )
            if not checked:
                # A limit no stage can be measured against protects nothing; it is a typo.
                raise ValueError(f"limit {limit.id!r} names settings no stage has: {limit.of}")


@content_class(frozen=True, kw_only=True)
class KeyFigure(Strict):
    """A number quoted in an evidence summary, with its source."""

    id: Id
    label: Text
    figure: Figure


@content_class(frozen=True, kw_only=True)
class EvidenceSummary(Strict):
    grade: EvidenceGrade
    # The grade in plain words, as shown in the comparison table.
    grade_words: Text
    summary: Text
    key_figures: list[KeyFigure] = field(default_factory=list)
    sources: SourceIds


@content_class(frozen=True, kw_only=True)
class Comparison(Strict):
    """One row of the side-by-side table."""

    purpose: Text
    # Typical time on a day the therapy is used, for the table.
    minutes_per_day: Figure
    time_words: Text
    cost_and_kit: Text


@content_class(frozen=True, kw_only=True)
class Therapy(Strict):
    id: Id
    version: Annotated[int, Field(ge=1)]
    name: Text
    what_it_is: Text
    may_help: Annotated[list[Text], Field(min_length=1)]
    cannot_do: Annotated[list[Text], Field(min_length=1)]
    evidence: EvidenceSummary
    triage_gate: TriageGate
    # Shown while the pain is in a flare-up (a gentle-only phase): devices pause, the
    # routine keeps to gentle items.
    flare_gate: GateText
    rules: list[SuitabilityRule] = field(default_factory=list)
    # Routine-level red flags that bear on this device (devices only).
    routine_flags: list[RoutineFlagRule] = field(default_factory=list)
    # Shown when the verdict is "ask a clinician first": what to bring and ask.
    approval_note: Text
    protocol: Protocol
    comparison: Comparison
    # The equipment id the therapy needs (None for the routine, which needs no device).
    equipment: Id | None = None
    figure: Id | None = None
    sources: SourceIds

    def __post_init__(self) -> None:
        self._one_rule_per_condition()

    def _one_rule_per_condition(self) -> None:
        conditions = [r.condition for r in self.rules]
        if len(set(conditions)) != len(conditions):
            raise ValueError(f"therapy {self.id!r} has two rules for the same condition")
        flags = [r.flag for r in self.routine_flags]
        if len(set(flags)) != len(flags):
            raise ValueError(f"therapy {self.id!r} has two rules for the same routine flag")


@content_class(frozen=True, kw_only=True)
class VerdictLabels(Strict):
    not_suitable: Text
    clinician_approval: Text
    suitable: Text
    # A device that nothing rules out is still no recommendation: it may be tried as an
    # optional extra, and the label says so instead of "suitable".
    allowed_optional_extra: Text

    def label(self, verdict: Verdict, *, optional_extra: bool = False) -> str:
        if verdict == "suitable" and optional_extra:
            return self.allowed_optional_extra
        labels: dict[Verdict, str] = {
            "not_suitable": self.not_suitable,
            "clinician_approval": self.clinician_approval,
            "suitable": self.suitable,
        }
        return labels[verdict]


@content_class(frozen=True, kw_only=True)
class Adjuncts(Strict):
    version: Annotated[int, Field(ge=1)]
    # Every health condition a person may tick (the ids of conditions.yaml). Each therapy's
    # rules were reviewed against this whole list: a condition with no rule for a therapy
    # means "no limit for this therapy" by decision, not by oversight. An id a person sends
    # that is not here is refused.
    screened_conditions: Annotated[list[Id], Field(min_length=1)]
    verdict_labels: VerdictLabels
    # Shown as the only reason when nothing limits a therapy.
    no_limits_reason: Text
    # Shown for every therapy when the health-condition answers are missing.
    health_questions_first: GateText
    unsure_answer: UnsureText
    routine_flags_without_bearing: list[FlagWithoutBearing] = field(default_factory=list)
    therapies: Annotated[list[Therapy], Field(min_length=3, max_length=3)]
    sources: SourceIds

    def __post_init__(self) -> None:
        self._fixed_therapies_known_conditions()

    def _fixed_therapies_known_conditions(self) -> None:
        ids = tuple(t.id for t in self.therapies)
        if sorted(ids) != sorted(THERAPY_IDS):
            raise ValueError(f"therapies must be exactly {list(THERAPY_IDS)}, got {list(ids)}")
        screened = set(self.screened_conditions)
        if len(screened) != len(self.screened_conditions):
            raise ValueError("screened_conditions lists a condition twice")
        for therapy in self.therapies:
            unknown = sorted({r.condition for r in therapy.rules} - screened)
            if unknown:
                raise ValueError(f"therapy {therapy.id!r} has rules for unknown {unknown}")
        without = [f.flag for f in self.routine_flags_without_bearing]
        if len(set(without)) != len(without):
            raise ValueError("routine_flags_without_bearing lists a flag twice")
        for therapy in self.therapies:
            flags = {r.flag for r in therapy.routine_flags}
            if flags and therapy.id == THERAPY_IDS[0]:
                raise ValueError("routine flags are for the devices; the routine has its gate")
            both = sorted(flags & set(without))
            if both:
                raise ValueError(f"{therapy.id!r}: flags {both} are also listed without bearing")

    def routine_flag_ids(self) -> set[str]:
        """Every red-flag rule id named here, for the cross-check against red_flags.yaml."""
        named = {f.flag for f in self.routine_flags_without_bearing}
        return named | {r.flag for t in self.therapies for r in t.routine_flags}

    def therapy(self, therapy_id: str) -> Therapy:
        for t in self.therapies:
            if t.id == therapy_id:
                return t
        raise KeyError(therapy_id)
