"""Typed models of the clinical content files.

Every YAML file under ``content/data`` is parsed into these models at load time.
Unknown keys, wrong types and out-of-range values fail loudly (``extra="forbid"``),
and cross-file references are checked by :mod:`backbalance.content.loader`.

Conventions that hold for every item:

* ``id`` is stable and lowercase (``snake_case``); ``version`` increases when the
  clinical meaning of the item changes.
* Text is written in the project's own words.
* Every number that carries clinical meaning is a :class:`Figure` with sources.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import field
from itertools import pairwise
from typing import TYPE_CHECKING, Annotated, ClassVar, ForwardRef, Literal, TypeAlias

from backbalance.content.schema_messages import EngineMessages
from backbalance.content.vocabulary import (
    AbnormalStatus,
    Confidence,
    FlagLevel,
    Level,
    OneSide,
    Sex,
)
from backbalance.content.wording import unknown_placeholders

if TYPE_CHECKING:
    from dataclasses import dataclass as content_class

    from pydantic import ConfigDict, Field
else:
    # The same classes, made without generating code for each (see frozen.py).
    from backbalance.content.frozen import content_class

Id: TypeAlias = 'Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]'
Text: TypeAlias = "Annotated[str, Field(min_length=3)]"
SourceIds: TypeAlias = "Annotated[list[str], Field(min_length=1)]"
if not TYPE_CHECKING:
    # Kept unevaluated, as the field annotations are (see validation.py): pydantic, which
    # alone reads them, resolves them when the content is checked. A forward reference,
    # unlike a bare string, can also be written ``Text | None``.
    Id, Text, SourceIds = ForwardRef(Id), ForwardRef(Text), ForwardRef(SourceIds)


@content_class(frozen=True, kw_only=True)
class Strict:
    # Read by pydantic when the content is checked: an unknown key is an error.
    __pydantic_config__: ClassVar[ConfigDict] = {"extra": "forbid"}


# --------------------------------------------------------------------------- sources


@content_class(frozen=True, kw_only=True)
class Source(Strict):
    """A citation. ``verified`` is false where the reference notes mark it UNVERIFIED."""

    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]+$")]
    citation: Text
    url: str | None = None
    kind: Literal["primary", "review", "guideline", "secondary", "weak", "manufacturer", "derived"]
    verified: bool = True
    note: str | None = None


@content_class(frozen=True, kw_only=True)
class Figure(Strict):
    """A number with a unit and the sources it comes from."""

    value: float
    unit: str
    sources: SourceIds
    note: str | None = None


@content_class(frozen=True, kw_only=True)
class SexFigures(Strict):
    """A figure that differs by sex. A missing sex means: no valid norm exists for it."""

    female: Figure | None = None
    male: Figure | None = None


# --------------------------------------------------------------------------- muscles


@content_class(frozen=True, kw_only=True)
class Muscle(Strict):
    id: Id
    version: Annotated[int, Field(ge=1)]
    name: Text
    also_called: list[str] = field(default_factory=list)
    region: Literal["hip", "thigh", "pelvis", "trunk"]
    # Sided muscles are judged left and right; midline groups (abdominals) as one.
    sided: bool
    tendency: Literal["tightness", "weakness", "mixed"]
    what_it_does: Text
    tendency_note: Text
    sources: SourceIds


# --------------------------------------------------------------------------- signs


@content_class(frozen=True, kw_only=True)
class Sign(Strict):
    """A finding that is not about one muscle: a posture, a pain response, an asymmetry."""

    id: Id
    version: Annotated[int, Field(ge=1)]
    name: Text
    sided: bool
    meaning: Text
    # Signs that may point to something other than muscle imbalance (a painful hip joint,
    # say) are passed on as a note to mention to a clinician.
    tell_clinician: bool = False
    # A sign that is a clear finding on its own (not a posture hint, not a pointer away
    # from muscles) is named as an imbalance of its own when no pattern explains it.
    stands_alone: bool = False
    sources: SourceIds


# --------------------------------------------------------------------------- self-tests


@content_class(frozen=True, kw_only=True)
class Choice(Strict):
    id: Id
    label: Text
    # For choices that name a side ("left_higher"): which side, and the choice that names
    # the other side, so a case can be mirrored left-for-right.
    names_side: OneSide | None = None
    mirror: Id | None = None

    def __post_init__(self) -> None:
        self._side_and_mirror_together()

    def _side_and_mirror_together(self) -> None:
        if (self.names_side is None) != (self.mirror is None):
            raise ValueError(f"choice {self.id!r}: names_side and mirror go together")


@content_class(frozen=True, kw_only=True)
class RecordField(Strict):
    """One thing the person writes down for a test."""

    id: Id
    label: Text
    kind: Literal["number", "choice", "yes_no"]
    unit: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    integer: bool = False
    choices: list[Choice] = field(default_factory=list)
    required: bool = True
    help: str | None = None

    def __post_init__(self) -> None:
        self._kind_matches_details()

    def _kind_matches_details(self) -> None:
        if self.kind == "choice" and len(self.choices) < 2:
            raise ValueError(f"choice field {self.id!r} needs at least two choices")
        if self.kind != "choice" and self.choices:
            raise ValueError(f"field {self.id!r} has choices but is not a choice field")
        if self.kind == "number" and (
            self.minimum is None or self.maximum is None or not self.unit
        ):
            raise ValueError(f"number field {self.id!r} needs minimum, maximum and unit")


@content_class(frozen=True, kw_only=True)
class ValidityCheck(Strict):
    """A reading that must hold for the test to count at all.

    Either ``must_be`` (the one value that lets the test count) or ``must_not_be`` (a value
    that stops it counting). A check on an optional field runs only when it was recorded.
    ``tell_clinician`` passes a failed check on as a note to mention to a clinician (a leg
    stopped by nerve-type pain, say), not only as a test to repeat.
    """

    field: Id
    must_be: str | bool | float | None = None
    must_not_be: str | bool | float | None = None
    message: Text
    tell_clinician: bool = False

    def __post_init__(self) -> None:
        self._one_condition()

    def _one_condition(self) -> None:
        if (self.must_be is None) == (self.must_not_be is None):
            raise ValueError(f"validity check on {self.field!r}: give must_be or must_not_be")

    def passes(self, value: float | str | bool | None) -> bool:
        if self.must_be is not None:
            return value == self.must_be
        return value != self.must_not_be


@content_class(frozen=True, kw_only=True)
class Reliability(Strict):
    grade: Confidence
    summary: Text
    sources: SourceIds


EffectSide = Literal["tested", "opposite", "bilateral", "from_field"]


@content_class(frozen=True, kw_only=True)
class Effect(Strict):
    """What a fired rule says: a status for a muscle, or the presence of a sign."""

    muscle: Id | None = None
    status: AbnormalStatus | None = None
    sign: Id | None = None
    # "tested": the side of the reading; "opposite": the other side; "bilateral": both or
    # midline; "from_field": the side named by the value of the rule's side_field.
    side: EffectSide = "tested"

    def __post_init__(self) -> None:
        self._muscle_or_sign()

    def _muscle_or_sign(self) -> None:
        if (self.muscle is None) == (self.sign is None):
            raise ValueError("an effect names either a muscle (with a status) or a sign")
        if self.muscle is not None and self.status is None:
            raise ValueError(f"effect on {self.muscle!r} needs a status")
        if self.sign is not None and self.status is not None:
            raise ValueError("a sign effect has no status")


@content_class(frozen=True, kw_only=True)
class AgeSexBand(Strict):
    """One age band of a norm table that differs by age and by sex (whole years, inclusive).

    A missing sex means: the table has no norm for it. A person outside every band, or
    whose sex is not given, cannot be judged against the table.
    """

    min_age: Annotated[int, Field(ge=0)]
    max_age: Annotated[int, Field(ge=0)]
    female: Figure | None = None
    male: Figure | None = None

    def __post_init__(self) -> None:
        self._ages_in_order()

    def _ages_in_order(self) -> None:
        if self.min_age > self.max_age:
            raise ValueError(f"age band {self.min_age}-{self.max_age}: min_age is above max_age")
        if self.female is None and self.male is None:
            raise ValueError(f"age band {self.min_age}-{self.max_age} gives no figure")


@content_class(frozen=True, kw_only=True)
class OnlyIf(Strict):
    """A rule counts only when another reading confirms it (a check that backs up a rough
    measurement). When the rule would fire but the check is missing or says otherwise,
    ``message`` tells the person why nothing was concluded."""

    field: Id
    values: Annotated[list[str | bool], Field(min_length=1)]
    message: Text


@content_class(frozen=True, kw_only=True)
class RuleBase(Strict):
    id: Id
    explain: Text
    effects: Annotated[list[Effect], Field(min_length=1)]
    # Where the effect side comes from for "from_field" effects (a choice naming a side).
    side_field: Id | None = None
    # A rule resting on a weaker norm than the test's own reliability (a cut-off taken from
    # another population, say) gives evidence of at most this grade.
    grade: Confidence | None = None
    only_if: OnlyIf | None = None


@content_class(frozen=True, kw_only=True)
class ThresholdRule(RuleBase):
    """Fires when a numeric reading passes a sourced threshold."""

    kind: Literal["threshold"]
    field: Id
    op: Literal["gt", "ge", "lt", "le"]
    threshold: Figure | None = None
    by_sex: SexFigures | None = None
    # A norm table by age band and sex (e.g. the YMCA sit-and-reach norms).
    by_age_and_sex: list[AgeSexBand] | None = None
    # Move the cut-off outwards by the test's measurement error, so a reading that the
    # test cannot tell apart from the cut-off is not a finding.
    beyond_measurement_error: bool = False

    def __post_init__(self) -> None:
        self._one_threshold()

    def _one_threshold(self) -> None:
        given = [self.threshold, self.by_sex, self.by_age_and_sex]
        if sum(g is not None for g in given) != 1:
            raise ValueError(
                f"rule {self.id!r}: give exactly one of threshold, by_sex or by_age_and_sex"
            )
        bands = sorted(self.by_age_and_sex or [], key=lambda b: b.min_age)
        if self.by_age_and_sex is not None and not bands:
            raise ValueError(f"rule {self.id!r}: by_age_and_sex needs at least one age band")
        for lower, upper in pairwise(bands):
            if upper.min_age <= lower.max_age:
                raise ValueError(f"rule {self.id!r}: age bands overlap at {upper.min_age}")


@content_class(frozen=True, kw_only=True)
class MatchRule(RuleBase):
    """Fires when a choice or yes/no reading takes one of the listed values."""

    kind: Literal["match"]
    field: Id
    values: Annotated[list[str | bool], Field(min_length=1)]
    sources: SourceIds


@content_class(frozen=True, kw_only=True)
class SideDifferenceRule(RuleBase):
    """Fires on the worse side when left and right differ beyond both thresholds.

    A difference counts only if it exceeds the relative asymmetry threshold *and*
    the test's measurement error; the effects apply to the worse side.
    """

    kind: Literal["side_difference"]
    field: Id
    worse: Literal["lower", "higher"]
    relative_threshold: Figure


Rule: TypeAlias = (
    'Annotated[ThresholdRule | MatchRule | SideDifferenceRule, Field(discriminator="kind")]'
)


@content_class(frozen=True, kw_only=True)
class SelfTestCaution(Strict):
    """What to take care with during a test, for one health condition."""

    condition: Id
    note: Text


@content_class(frozen=True, kw_only=True)
class SelfTestSafety(Strict):
    """Who must not do a test now, and what to take care with.

    Read against the exercises done in the same position (a test that crosses the leg
    over the body is not offered where the matching stretch is not). The test passes the
    same gates as the exercises (core/gates.py): conditions, the safety screen and a
    flare-up.
    """

    # False for a test held to failure or done at full effort: during a flare-up (or a
    # calming phase) only gentle tests are offered, as only gentle exercises are.
    gentle: bool
    contraindications: list[Id] = field(default_factory=list)
    cautions: list[SelfTestCaution] = field(default_factory=list)
    # Why these were chosen, in a sentence or two, so a reviewer can check the reading.
    note: Text
    sources: SourceIds

    def __post_init__(self) -> None:
        self._no_condition_twice()

    def _no_condition_twice(self) -> None:
        cautioned = [c.condition for c in self.cautions]
        both = sorted(set(cautioned) & set(self.contraindications))
        if both:
            raise ValueError(f"conditions {both} are both a contraindication and a caution")
        if len(set(cautioned)) != len(cautioned):
            raise ValueError("a condition has more than one caution")


# --------------------------------------------------------------------------- direction checks

# What one answer of a direction check says about the movement it was tried in.
ResponseMeaning = Literal["eases", "worsens", "neither"]


@content_class(frozen=True, kw_only=True)
class CheckedDirection(Strict):
    """One direction of a repeated-movement check: the answer field and the movement it tries.

    ``movement`` is a movement id (movements.yaml), the same ids a person names as easing
    or worsening their pain, so the check's answers join the person's own.
    """

    field: Id
    movement: Id


@content_class(frozen=True, kw_only=True)
class ResponseRule(Strict):
    """What one answer choice means for the movement it was given for."""

    choice: Id
    means: ResponseMeaning
    # The answer asks the person to stop the check and mention it to a clinician.
    stop: bool = False
    sources: SourceIds


@content_class(frozen=True, kw_only=True)
class DirectionCheck(Strict):
    """How a repeated-movement check turns its answers into easing and worsening movements.

    Every direction field is a choice field, and every choice it offers has exactly one
    meaning, so no answer can fall through unread. A yes to a ``stop_fields`` question, or
    an answer whose rule says ``stop``, gives ``stop_message``; the same stop also names the
    safety-screen questions in ``screen_questions``, with ``screen_message``, because what
    was noticed may change their answers.
    """

    repetitions: Figure
    directions: Annotated[list[CheckedDirection], Field(min_length=1)]
    responses: Annotated[list[ResponseRule], Field(min_length=2)]
    stop_fields: list[Id] = field(default_factory=list)
    stop_message: Text
    screen_questions: Annotated[list[Id], Field(min_length=1)]
    screen_message: Text

    def meaning(self, choice: str) -> ResponseRule:
        for rule in self.responses:
            if rule.choice == choice:
                return rule
        raise KeyError(choice)


@content_class(frozen=True, kw_only=True)
class SelfTest(Strict):
    id: Id
    version: Annotated[int, Field(ge=1)]
    name: Text
    # "direction": not a muscle test but a repeated-movement check of which ways of moving
    # ease or worsen the pain; it has no target muscles and carries a ``direction_check``.
    kind: Literal["length", "strength", "endurance", "control", "observation", "direction"]
    targets: list[Id]
    who: Literal["solo", "partner", "solo_or_partner"]
    equipment: list[str] = field(default_factory=list)
    figure: Id | None = None
    per_side: bool
    side_meaning: str | None = None
    purpose: Text
    steps: Annotated[list[Text], Field(min_length=3)]
    record: Annotated[list[RecordField], Field(min_length=1)]
    validity: list[ValidityCheck] = field(default_factory=list)
    interpretation: Text
    reliability: Reliability
    # How much a reading can move between repeat tests with no real change. A left/right
    # difference smaller than this is treated as noise. ``unit`` is the field's unit or "%".
    measurement_error: Figure | None = None
    rules: list[Rule] = field(default_factory=list)
    # What "I could not do this" means when the reason is that it was too hard:
    # a status for the targets on that side (endurance tests), or None = inconclusive.
    if_too_hard: AbnormalStatus | None = None
    stop_if: list[Text] = field(default_factory=list)
    # Required: every test states who must not do it, even when nobody is left out.
    safety: SelfTestSafety
    direction_check: DirectionCheck | None = None
    sources: SourceIds

    def __post_init__(self) -> None:
        self._fields_exist()

    def _fields_exist(self) -> None:
        names = {f.id for f in self.record}
        if len(names) != len(self.record):
            raise ValueError(f"test {self.id!r} has duplicate record fields")
        self._check_direction_parts()
        if self.per_side and not self.side_meaning:
            raise ValueError(f"per-side test {self.id!r} must say which side is which")
        for check in self.validity:
            if check.field not in names:
                raise ValueError(
                    f"test {self.id!r}: validity field {check.field!r} is not recorded"
                )
            wanted = check.must_be if check.must_be is not None else check.must_not_be
            self._check_value(check.field, [wanted], "validity check")
        for rule in self.rules:
            if rule.field not in names:
                raise ValueError(
                    f"test {self.id!r}: rule {rule.id!r} reads unknown field {rule.field!r}"
                )
            if rule.side_field is not None and rule.side_field not in names:
                raise ValueError(f"test {self.id!r}: rule {rule.id!r} side_field is not recorded")
            if rule.only_if is not None:
                if rule.only_if.field not in names:
                    raise ValueError(f"test {self.id!r}: rule {rule.id!r} only_if is not recorded")
                self._check_value(rule.only_if.field, rule.only_if.values, f"rule {rule.id!r}")
            if isinstance(rule, ThresholdRule) and rule.beyond_measurement_error:
                unit = self.field(rule.field).unit
                if self.measurement_error is None or self.measurement_error.unit != unit:
                    raise ValueError(
                        f"test {self.id!r}: rule {rule.id!r} needs a measurement_error in {unit}"
                    )
            uses_field_side = any(e.side == "from_field" for e in rule.effects)
            if uses_field_side and rule.side_field is None:
                raise ValueError(f"test {self.id!r}: rule {rule.id!r} needs side_field")
            if isinstance(rule, SideDifferenceRule):
                if not self.per_side:
                    raise ValueError(f"test {self.id!r}: side_difference needs a per-side test")
                if self.measurement_error is None:
                    raise ValueError(
                        f"test {self.id!r}: side_difference needs the test's measurement_error"
                    )
        self._check_measurement_error_unit()

    def _check_measurement_error_unit(self) -> None:
        """A measurement error must fit a number the test records, or a re-test cannot use
        it and the reading would silently read as having no known error."""
        error = self.measurement_error
        if error is None:
            return
        units = {f.unit for f in self.record if f.kind == "number"}
        if not units or (error.unit != "%" and error.unit not in units):
            raise ValueError(
                f"test {self.id!r}: measurement_error is in {error.unit!r}, but no number "
                f"field is recorded in it (units: {sorted(u or '' for u in units)})"
            )

    def _check_value(
        self, field_id: str, values: Sequence[str | bool | float | None], what: str
    ) -> None:
        """A value a check looks for must be one the field can take, or the check is dead."""
        spec = self.field(field_id)
        for value in values:
            fits = (
                value in {c.id for c in spec.choices}
                if spec.kind == "choice"
                else isinstance(value, bool)
                if spec.kind == "yes_no"
                else isinstance(value, int | float) and not isinstance(value, bool)
            )
            if not fits:
                raise ValueError(
                    f"test {self.id!r}: {what} looks for {value!r}, which {field_id!r} never takes"
                )

    def _check_direction_parts(self) -> None:
        """A direction check has no muscles and reads its own fields; a muscle test the reverse."""
        check = self.direction_check
        if self.kind != "direction":
            if check is not None:
                raise ValueError(f"test {self.id!r}: only a direction test has a direction_check")
            if not self.targets:
                raise ValueError(f"test {self.id!r}: a muscle test needs target muscles")
            return
        if check is None:
            raise ValueError(f"direction test {self.id!r} needs a direction_check")
        if self.targets or self.rules or self.per_side:
            raise ValueError(
                f"direction test {self.id!r}: no target muscles, no rules and not per side; "
                "its answers are read through direction_check"
            )
        fields = {f.id: f for f in self.record}
        meanings = [rule.choice for rule in check.responses]
        if len(set(meanings)) != len(meanings):
            raise ValueError(f"test {self.id!r}: a response choice is given two meanings")
        for direction in check.directions:
            spec = fields.get(direction.field)
            if spec is None or spec.kind != "choice":
                raise ValueError(
                    f"test {self.id!r}: direction field {direction.field!r} must be a "
                    "recorded choice"
                )
            offered = {c.id for c in spec.choices}
            if offered != set(meanings):
                raise ValueError(
                    f"test {self.id!r}: the choices of {direction.field!r} must be exactly "
                    f"the response choices {sorted(meanings)}"
                )
        for stop_field in check.stop_fields:
            spec = fields.get(stop_field)
            if spec is None or spec.kind != "yes_no":
                raise ValueError(
                    f"test {self.id!r}: stop field {stop_field!r} must be a recorded yes/no"
                )

    def field(self, field_id: str) -> RecordField:
        for f in self.record:
            if f.id == field_id:
                return f
        raise KeyError(field_id)


# --------------------------------------------------------------------------- cross-test rules


@content_class(frozen=True, kw_only=True)
class Operand(Strict):
    test: Id
    field: Id
    side: OneSide | None = None


@content_class(frozen=True, kw_only=True)
class RatioRule(Strict):
    """Compares two readings from different tests, e.g. McGill's endurance ratios."""

    id: Id
    kind: Literal["ratio"]
    # How the ratio is named to the person, e.g. "Front hold : back hold".
    name: Text | None = None
    numerator: Operand
    denominator: Operand
    # How the ratio is compared with its cut-off; only a judged ratio has one.
    op: Literal["gt", "ge", "lt", "le"] | None = None
    threshold: Figure | None = None
    by_sex: SexFigures | None = None
    # The healthy average ratio by sex, shown next to the person's ratio for context.
    reference_by_sex: SexFigures | None = None
    # A ratio with no effects is only shown, never judged (McGill's right-to-left side
    # plank ratio, whose side gap a per-test rule judges); its target is shown as such.
    target: Figure | None = None
    explain: Text
    effects: list[Effect] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._one_threshold()

    def _one_threshold(self) -> None:
        if not self.effects:
            if self.threshold is not None or self.by_sex is not None or self.op is not None:
                raise ValueError(f"rule {self.id!r}: a ratio that is only shown has no cut-off")
            return
        if self.op is None:
            raise ValueError(f"rule {self.id!r}: a judged ratio needs op")
        if (self.threshold is None) == (self.by_sex is None):
            raise ValueError(f"rule {self.id!r}: give either threshold or by_sex")
        sided_effect = any(e.side in ("tested", "opposite", "from_field") for e in self.effects)
        if sided_effect and self.numerator.side is None:
            raise ValueError(f"rule {self.id!r}: a sided effect needs a sided numerator")


# --------------------------------------------------------------------------- patterns


@content_class(frozen=True, kw_only=True)
class Evidence(Strict):
    """One piece of evidence a pattern looks for: a muscle status or a sign."""

    muscle: Id | None = None
    status: Annotated[list[AbnormalStatus], Field(min_length=1)] | None = None
    sign: Id | None = None
    # "pattern": must be on the side the pattern is judged for; "any": either side.
    side: Literal["pattern", "any"] = "any"

    def __post_init__(self) -> None:
        self._muscle_or_sign()

    def _muscle_or_sign(self) -> None:
        if (self.muscle is None) == (self.sign is None):
            raise ValueError("evidence names either a muscle (with statuses) or a sign")
        if self.muscle is not None and not self.status:
            raise ValueError(f"evidence on {self.muscle!r} needs statuses")


@content_class(frozen=True, kw_only=True)
class PatternElement(Strict):
    id: Id
    label: Text
    any_of: Annotated[list[Evidence], Field(min_length=1)]
    weight: Annotated[float, Field(gt=0)]
    required: bool = False


@content_class(frozen=True, kw_only=True)
class Pattern(Strict):
    id: Id
    version: Annotated[int, Field(ge=1)]
    name: Text
    sided: bool
    summary: Text
    # A paragraph for a lay reader. ``{side}`` is replaced by "left", "right" or "both".
    explanation: Text
    elements: Annotated[list[PatternElement], Field(min_length=1)]
    min_score: Annotated[float, Field(gt=0)]
    # Patterns that cannot both be primary; the stronger one wins.
    excludes: list[Id] = field(default_factory=list)
    priority: Annotated[int, Field(ge=1)]
    sources: SourceIds
    # What the pattern cannot show and why it may be wrong; shown with it, always.
    caveat: Text


# --------------------------------------------------------------------------- red flags


@content_class(frozen=True, kw_only=True)
class UnsureAnswer(Strict):
    """What a "not sure" answer to one safety question counts as, and why.

    * ``counts_as: "yes"``: the answer is read exactly as a yes by every rule. Used where a
      miss could do lasting harm, and for facts that only matter in combination.
    * ``counts_as: urgent`` or ``routine``: the answer raises the level to at least this
      named level on its own and adds ``find_out``, a plain prompt saying how to settle the
      doubt. Used where the fact is easy to check and a yes alone would send many people to a
      doctor for nothing. The loader checks that a yes to the question alone always gives at
      least this level, so changing "not sure" into "yes" can never lower the result.

    ``why`` records the reason for the choice; ``find_out`` may also be given with "yes" when
    finding out would let the person answer properly next time.
    """

    # "yes" must be quoted in YAML (a bare yes is read as true); the loader then names the field.
    counts_as: Literal["yes", "urgent", "routine"]
    find_out: Text | None = None
    why: Text
    sources: SourceIds

    def __post_init__(self) -> None:
        self._level_needs_a_prompt()

    def _level_needs_a_prompt(self) -> None:
        if self.counts_as != "yes" and self.find_out is None:
            raise ValueError(
                f"counts_as {self.counts_as!r} needs a find_out prompt "
                "saying how to settle the doubt"
            )


@content_class(frozen=True, kw_only=True)
class RedFlagQuestion(Strict):
    id: Id
    version: Annotated[int, Field(ge=1)]
    group: Literal[
        "cauda_equina",
        "neurological",
        "fracture",
        "cancer",
        "infection",
        "aaa",
        "inflammatory",
        "general",
    ]
    question: Text
    help: str | None = None
    # What "not sure" means for this question. Required: an unsure answer is never read as no.
    unsure: UnsureAnswer
    # Asked again at every daily check-in, not only at the first screen.
    every_check_in: bool = False
    # The question in a few words, for the check-in's list: the person answered the full
    # question at the screen, and at a check-in it stays one tap away (with its help), so
    # ten questions fit on a phone screen or two instead of eight.
    check_in_wording: Annotated[str, Field(min_length=3, max_length=120)] | None = None
    sources: SourceIds

    def __post_init__(self) -> None:
        self._check_in_wording_for_check_in_questions()

    def _check_in_wording_for_check_in_questions(self) -> None:
        if self.every_check_in and self.check_in_wording is None:
            raise ValueError(
                f"question {self.id!r}: asked at every check-in, so it needs check_in_wording"
            )
        if not self.every_check_in and self.check_in_wording is not None:
            raise ValueError(
                f"question {self.id!r}: check_in_wording is only for every_check_in questions"
            )


@content_class(frozen=True, kw_only=True)
class AnswerIs(Strict):
    answer: Id


@content_class(frozen=True, kw_only=True)
class AgeIs(Strict):
    age: Annotated[dict[Literal["gt", "ge", "lt", "le"], Figure], Field(min_length=1)]


@content_class(frozen=True, kw_only=True)
class SexIs(Strict):
    """The person's sex is one of these (a case may give "other" or "not_stated")."""

    sex: Annotated[list[Sex], Field(min_length=1)]


@content_class(frozen=True, kw_only=True)
class AllOf(Strict):
    all: Annotated[list[Condition], Field(min_length=1)]


@content_class(frozen=True, kw_only=True)
class AnyOf(Strict):
    any: Annotated[list[Condition], Field(min_length=1)]


@content_class(frozen=True, kw_only=True)
class CountOf(Strict):
    count: Annotated[list[Condition], Field(min_length=2)]
    at_least: Annotated[int, Field(ge=1)]


# The nested conditions name ``Condition`` before it exists; with deferred building,
# pydantic resolves the name from this module when a model is first validated.
Condition = AnswerIs | AgeIs | SexIs | AllOf | AnyOf | CountOf


@content_class(frozen=True, kw_only=True)
class TriageRule(Strict):
    id: Id
    level: FlagLevel
    when: Condition
    reason: Text
    sources: SourceIds
    # A rule that says the same as a stronger one (for example "three features" beside "four
    # features") is not shown when that stronger rule fires too. The loader checks that the
    # stronger rule exists and has at least this level, so the triage level never changes.
    superseded_by: Id | None = None


@content_class(frozen=True, kw_only=True)
class TriageAdvice(Strict):
    level: Level
    headline: Text
    what_to_do: Annotated[list[Text], Field(min_length=1)]
    continue_self_care: bool


@content_class(frozen=True, kw_only=True)
class RedFlags(Strict):
    version: Annotated[int, Field(ge=1)]
    questions: Annotated[list[RedFlagQuestion], Field(min_length=1)]
    rules: Annotated[list[TriageRule], Field(min_length=1)]
    advice: Annotated[list[TriageAdvice], Field(min_length=4, max_length=4)]


# --------------------------------------------------------------------------- instruments

# The scoring algorithms, by the short key each one is registered under in core.instruments.
ScoringKey = Literal[
    "nrs_set",
    "mean_of_ratings",
    "single_rating",
    "percent_of_max",
    "count_true",
    "startback",
    "subscale_sums",
]


@content_class(frozen=True, kw_only=True)
class Band(Strict):
    id: Id
    label: Text
    # Inclusive lower bound of the band on the instrument's score.
    from_score: float
    # When set, the band is reached when that subscale's score is at least ``from_score``,
    # and it wins over the bands on the total (STarT Back: high risk comes from the
    # psychosocial subscale, whatever the total).
    subscale: Id | None = None
    sources: SourceIds
    note: str | None = None


@content_class(frozen=True, kw_only=True)
class InstrumentItem(Strict):
    id: Id
    # Own wording for instruments we may ship; None for licensed instruments, whose
    # wording is supplied by the licence holder's definition file.
    text: str | None = None
    minimum: int
    maximum: int
    anchors: dict[int, str] = field(default_factory=dict)
    # The time the answer looks back over, ending when it is given ("the last 24 hours");
    # None for a rating of this moment. An export says which span a rating covers.
    recall_hours: Figure | None = None


@content_class(frozen=True, kw_only=True)
class Mcid(Strict):
    points: Figure | None = None
    percent: Figure | None = None
    # For instruments scored as the mean of several ratings (PSFS): the change one item on
    # its own must reach, in points, to count as more than measurement noise.
    per_item_points: Figure | None = None


@content_class(frozen=True, kw_only=True)
class Subscale(Strict):
    id: Id
    name: Text
    items: Annotated[list[Id], Field(min_length=1)]
    score_range: tuple[float, float]
    bands: list[Band] = field(default_factory=list)
    mcid: Mcid | None = None


@content_class(frozen=True, kw_only=True)
class Instrument(Strict):
    id: Id
    version: Annotated[int, Field(ge=1)]
    name: Text
    licensed: bool
    licence_note: Text
    recall: str | None = None
    purpose: Text
    # The scoring algorithm, by a short key registered in core.instruments.
    scoring: ScoringKey
    items: Annotated[list[InstrumentItem], Field(min_length=1)]
    # For a set of ratings (pain NRS now/average/worst): the item that is the score.
    primary_item: Id | None = None
    min_items: Annotated[int, Field(ge=1)] = 1
    max_items: int | None = None
    max_missing: Annotated[int, Field(ge=0)] = 0
    # The note a score carries when items were left blank, for a scoring that then scores
    # the answered items only (percent_of_max); {blanks} and {total} are filled in.
    blanks_note: Text | None = None
    # For STarT Back: the value at or above which item 9 counts as 1 point.
    item_cutoff: Figure | None = None
    subscales: list[Subscale] = field(default_factory=list)
    bands: list[Band] = field(default_factory=list)
    score_range: tuple[float, float]
    # Which way is improvement; decides the direction of an MCID.
    better: Literal["lower", "higher"]
    mcid: Mcid | None = None
    notes: list[Text] = field(default_factory=list)
    sources: SourceIds

    def __post_init__(self) -> None:
        self._parts_fit_together()

    def _parts_fit_together(self) -> None:
        item_ids = [item.id for item in self.items]
        if len(set(item_ids)) != len(item_ids):
            raise ValueError(f"instrument {self.id!r} has duplicate item ids")
        if self.max_missing >= len(self.items):
            raise ValueError(f"instrument {self.id!r}: max_missing must leave an item to score")
        if self.scoring == "nrs_set" and self.primary_item is None:
            raise ValueError(f"instrument {self.id!r}: nrs_set needs primary_item")
        if self.primary_item is not None and self.primary_item not in item_ids:
            raise ValueError(f"instrument {self.id!r}: primary_item is not an item")
        if self.scoring == "startback" and self.item_cutoff is None:
            raise ValueError(f"instrument {self.id!r}: startback scoring needs item_cutoff")
        if self.scoring == "percent_of_max" and self.max_missing and self.blanks_note is None:
            raise ValueError(
                f"instrument {self.id!r}: items may be left blank, so it needs blanks_note"
            )
        unknown = unknown_placeholders([self.blanks_note or ""], {"blanks", "total"})
        if unknown:
            raise ValueError(f"instrument {self.id!r}: blanks_note: unknown placeholders {unknown}")
        if self.scoring == "subscale_sums" and not self.subscales:
            raise ValueError(f"instrument {self.id!r}: subscale_sums needs subscales")
        subscale_ids = {s.id for s in self.subscales}
        for subscale in self.subscales:
            unknown = [i for i in subscale.items if i not in item_ids]
            if unknown:
                raise ValueError(f"subscale {subscale.id!r} names unknown items {unknown}")
        total_bands = [b.from_score for b in self.bands if b.subscale is None]
        if total_bands != sorted(total_bands) or len(set(total_bands)) != len(total_bands):
            raise ValueError(f"instrument {self.id!r}: bands must rise strictly by from_score")
        for band in self.bands:
            if band.subscale is not None and band.subscale not in subscale_ids:
                raise ValueError(f"band {band.id!r} names unknown subscale {band.subscale!r}")


# --------------------------------------------------------------------------- engine settings


@content_class(frozen=True, kw_only=True)
class EvidenceWeighting(Strict):
    weight: dict[Confidence, float]
    note: Text


SINGLE_IMBALANCE_PLACEHOLDERS = frozenset(
    {
        "muscle",
        "the_muscle",
        "where",
        "what_it_does",
        "sign",
        "meaning",
        "tests",
        "confirm",
        "retest_weeks",
    }
)


@content_class(frozen=True, kw_only=True)
class SingleImbalanceTexts(Strict):
    """Words for an imbalance named from one muscle group, or one sign, alone.

    Used when a clear finding is explained by no named pattern. Placeholders in braces
    are filled by the engine: {muscle} (the group's name as written), {the_muscle} (the
    same inside a sentence), {where}, {what_it_does}, {sign}, {meaning}, {tests} (the
    tests that found it) and {confirm} (the tests that would confirm it).
    """

    names: dict[AbnormalStatus, Text]
    explanations: dict[AbnormalStatus, Text]
    where: dict[Literal["left", "right", "bilateral", "midline"], Text]
    sign_explanation: Text
    # Added when the imbalance is only a first hint (low confidence).
    confirm_with_other_test: Text
    confirm_by_repeating: Text
    sources: SourceIds
    note: Text

    def __post_init__(self) -> None:
        self._complete_and_known_placeholders()

    def _complete_and_known_placeholders(self) -> None:
        statuses = {"tight", "short", "lax", "weak"}
        if set(self.names) != statuses or set(self.explanations) != statuses:
            raise ValueError("single-imbalance names and explanations need every status")
        if set(self.where) != {"left", "right", "bilateral", "midline"}:
            raise ValueError("single-imbalance 'where' needs left, right, bilateral, midline")
        texts = [
            *self.names.values(),
            *self.explanations.values(),
            self.sign_explanation,
            self.confirm_with_other_test,
            self.confirm_by_repeating,
        ]
        for text in texts:
            unknown = set(re.findall(r"\{(\w+)\}", text)) - SINGLE_IMBALANCE_PLACEHOLDERS
            if unknown:
                raise ValueError(f"unknown placeholders {sorted(unknown)} in {text[:40]!r}")


@content_class(frozen=True, kw_only=True)
class ConfidenceSteps(Strict):
    """Grades a finding's confidence moves when tests agree, or when one disagrees."""

    tests_agree: Annotated[int, Field(ge=0, le=2)]
    test_disagrees: Annotated[int, Field(ge=0, le=2)]
    sources: SourceIds
    note: Text


@content_class(frozen=True, kw_only=True)
class ConfidenceCeiling(Strict):
    """How sure a named imbalance may sound, given how reliable its tests are.

    For each required part of a pattern (or a single imbalance's finding), the best
    reliability grade among the tests behind it sets a ceiling; the imbalance's confidence
    is at most the lowest of those ceilings. Two unreliable tests that agree stay unreliable.
    """

    ceiling_by_test_grade: dict[Confidence, Confidence]
    sources: SourceIds
    note: Text

    def __post_init__(self) -> None:
        self._every_grade()

    def _every_grade(self) -> None:
        if set(self.ceiling_by_test_grade) != {"low", "moderate", "high"}:
            raise ValueError("ceiling_by_test_grade needs low, moderate and high")


@content_class(frozen=True, kw_only=True)
class EmergencyPage(Strict):
    """Words for the emergency page, which lists the answers that led to it.

    ``answer_line`` has the placeholders {question} and {answer}; ``answer_words`` says how
    each answer is written back to the person.
    """

    answers_heading: Text
    answer_line: Text
    answer_words: dict[Literal["yes", "unsure"], Text]
    switched_off: Text

    def __post_init__(self) -> None:
        self._known_placeholders()

    def _known_placeholders(self) -> None:
        found = set(re.findall(r"\{(\w+)\}", self.answer_line))
        if found != {"question", "answer"}:
            raise ValueError("answer_line needs exactly {question} and {answer}")
        if set(self.answer_words) != {"yes", "unsure"}:
            raise ValueError("answer_words needs yes and unsure")


@content_class(frozen=True, kw_only=True)
class EngineSettings(Strict):
    version: Annotated[int, Field(ge=1)]
    evidence_weight: EvidenceWeighting
    confidence_steps: ConfidenceSteps
    # How confident an imbalance may be named, by the reliability of the tests behind it.
    confidence_ceiling: ConfidenceCeiling
    # The words a person reads for each confidence: "possible", "likely" …
    confidence_words: dict[Confidence, Text]
    max_primary_imbalances: Annotated[int, Field(ge=1, le=3)]
    single_imbalance: SingleImbalanceTexts
    emergency_page: EmergencyPage
    disclaimer: Text
    messages: EngineMessages


@content_class(frozen=True, kw_only=True)
class Manifest(Strict):
    version: str
    title: Text
    notes: str | None = None
