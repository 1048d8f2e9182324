"""Value objects shared by the core modules: inputs, findings and the result.

All are frozen dataclasses so a result cannot be changed after the engine made it,
and ``to_jsonable`` turns any of them into plain JSON data.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from datetime import date
from typing import Any, Literal

from msgspec import field
from msgspec.structs import replace

from backbalance.content.schema_adjuncts import EvidenceGrade, Verdict
from backbalance.content.schema_messages import EngineMessages
from backbalance.content.vocabulary import Answer as Answer
from backbalance.content.vocabulary import Confidence as Confidence
from backbalance.content.vocabulary import Irritability as Irritability
from backbalance.content.vocabulary import Level as Level
from backbalance.content.vocabulary import NormSex
from backbalance.content.vocabulary import Sex as Sex
from backbalance.content.vocabulary import Side as Side
from backbalance.content.vocabulary import Status as Status
from backbalance.content.wording import fill
from backbalance.core.errors import CaseError as CaseError
from backbalance.core.errors import FieldError as FieldError
from backbalance.core.value import Value

# What a finding is about: how long (tight, short, lax) or how strong (weak) a muscle is.
Aspect = Literal["length", "strength"]

LEVEL_ORDER: dict[Level, int] = {"none": 0, "routine": 1, "urgent": 2, "emergency": 3}
CONFIDENCE_ORDER: dict[Confidence, int] = {"low": 0, "moderate": 1, "high": 2}


def other_side(side: Side) -> Side:
    if side == "left":
        return "right"
    if side == "right":
        return "left"
    return "bilateral"


def finding_label(name: str, status: Status | None, side: Side, said: EngineMessages) -> str:
    """How a finding ("Hamstrings: short (left)") or a sign (no status) is named among what
    a pattern, an imbalance or a routine item is based on, in the content's words."""
    if status is None:
        if side == "bilateral":
            return fill(said.result.sign_on_both_sides, name=name)
        return fill(said.result.sign_on_side, name=name, side=said.side_words[side])
    status_word = said.status_words[status]
    if side == "bilateral":
        return fill(said.result.finding_on_both_sides, name=name, status=status_word)
    side_word = said.side_words[side]
    return fill(said.result.finding_on_side, name=name, status=status_word, side=side_word)


# --------------------------------------------------------------------------- inputs


class Person(Value, frozen=True):
    age: int
    sex: Sex


Reading = dict[str, float | str | bool]


class SideResult(Value, frozen=True):
    """What was recorded for one side (or the only reading of a one-sided test)."""

    values: Reading
    # None when the test was done; otherwise why not: "pain", "too_hard" or "other".
    could_not_do: str | None = None
    note: str | None = None


class TestResult(Value, frozen=True):
    test_id: str
    left: SideResult | None = None
    right: SideResult | None = None
    single: SideResult | None = None


class Context(Value, frozen=True):
    """What the routine must fit: time, kit, how the pain behaves, health conditions."""

    minutes_per_day: int
    equipment: frozenset[str]
    irritability: Irritability
    eases: frozenset[str]
    worsens: frozenset[str]
    conditions: frozenset[str]
    start_date: date | None = None
    weeks_done: int = 0


class Case(Value, frozen=True):
    """A person at one point in time: everything the engine needs, nothing it derives."""

    person: Person
    screening: dict[str, Answer]
    questionnaires: dict[str, Any]
    tests: dict[str, TestResult]
    case_id: str | None = None
    # None until the person has answered the routine questions (time, kit, conditions):
    # without the health conditions no routine can be offered safely.
    context: Context | None = None


# --------------------------------------------------------------------------- results


class TriageReason(Value, frozen=True):
    rule_id: str
    level: Level
    reason: str
    answers: tuple[str, ...]
    sources: tuple[str, ...]


class FindOut(Value, frozen=True):
    """A question answered "not sure", with the content's prompt for settling the doubt.

    ``counted_as`` is what the unsure answer was taken to mean meanwhile: "yes", or the
    level it raised the screen to on its own.
    """

    question_id: str
    counted_as: Literal["yes", "urgent", "routine"]
    prompt: str


class Triage(Value, frozen=True):
    level: Level
    reasons: tuple[TriageReason, ...]
    headline: str
    what_to_do: tuple[str, ...]
    continue_self_care: bool
    # Prompts for the questions answered "not sure", in screen order, so the report can say
    # what to find out before answering again.
    find_out: tuple[FindOut, ...] = ()


class CheckInTriage(Value, frozen=True):
    """A check-in read against the last full screen (see ``screening.triage_check_in``).

    ``answers`` is a full set of screen answers, and ``triage`` is exactly what the screen
    gives for them, so a caller can evaluate the case again with them and get the same level.
    """

    triage: Triage
    # The level of the last full screen, for comparison.
    last_level: Level
    answers: dict[str, Answer]
    # Questions not asked at a check-in: their answers come from the last full screen.
    carried: tuple[str, ...]
    # Check-in questions whose answer is stronger than at the last full screen (a new yes,
    # or a new not sure), in screen order.
    new: tuple[str, ...]
    # Check-in questions answered lower than at the last full screen while no clinician has
    # seen the person since: the earlier answer stands, in screen order.
    held: tuple[str, ...]

    @property
    def raised(self) -> bool:
        """True when the check-in gives a higher level than the last full screen."""
        return LEVEL_ORDER[self.triage.level] > LEVEL_ORDER[self.last_level]


class SubscaleScore(Value, frozen=True):
    id: str
    value: float
    band: str | None = None


class Score(Value, frozen=True):
    instrument: str
    name: str
    value: float | None
    score_range: tuple[float, float]
    band: str | None = None
    band_label: str | None = None
    items: dict[str, float] = field(default_factory=dict)
    subscales: tuple[SubscaleScore, ...] = ()
    answered: int = 0
    note: str | None = None


class Evidence(Value, frozen=True):
    """Why a finding says what it says: the test, the readings, the rule and its source."""

    test: str
    rule: str
    # The status this evidence argues for; None when it shows a sign, not a muscle status.
    status: Status | None
    readings: dict[str, float | str | bool]
    explain: str
    grade: Confidence
    sources: tuple[str, ...]
    # For a ratio of two tests (a McGill ratio): the test whose reading ``test``'s reading
    # is divided by. None for evidence from one test.
    divided_by: str | None = None

    def tests(self) -> tuple[str, ...]:
        """Every test this evidence rests on: one, or the two a ratio compares."""
        return (self.test,) if self.divided_by is None else (self.test, self.divided_by)


class Finding(Value, frozen=True):
    muscle: str
    side: Side
    aspect: Aspect
    status: Status
    confidence: Confidence
    why: str
    evidence: tuple[Evidence, ...]


class SignFinding(Value, frozen=True):
    sign: str
    side: Side
    confidence: Confidence
    evidence: tuple[Evidence, ...]


class MatchedElement(Value, frozen=True):
    element: str
    label: str
    matched_by: str
    confidence: Confidence
    # What matched: a muscle with its status, or a sign; and on which side.
    muscle: str | None = None
    status: Status | None = None
    sign: str | None = None
    side: Side = "bilateral"


# "pattern": a named pattern from patterns.yaml; "single": one muscle group (or one sign)
# that no named pattern explains, named on its own.
ImbalanceKind = Literal["pattern", "single"]


class PatternResult(Value, frozen=True):
    pattern: str
    name: str
    side: Side
    score: float
    confidence: Confidence
    matched: tuple[MatchedElement, ...]
    missing: tuple[str, ...]
    summary: str
    sources: tuple[str, ...]
    kind: ImbalanceKind = "pattern"
    # What the pattern cannot show, and why it may be wrong (None for a single imbalance).
    caveat: str | None = None


class PrimaryImbalance(Value, frozen=True):
    rank: int
    pattern: str
    name: str
    side: Side
    confidence: Confidence
    explanation: str
    evidence: tuple[str, ...]
    kind: ImbalanceKind = "pattern"
    # For a first hint (low confidence): the tests that would confirm it or rule it out.
    confirm_with: tuple[str, ...] = ()
    # What the pattern cannot show, and why it may be wrong; shown with it, always.
    caveat: str | None = None


class Reference(Value, frozen=True):
    """A figure a measure is read against: a target, a cut-off or a healthy average."""

    kind: Literal["target", "healthy_average", "counts_as_different", "measurement_error"]
    value: float
    unit: str
    # For a target or cut-off: the measure is flagged when it is "gt", "ge", "lt" or "le"
    # the value. None for figures shown for context only.
    flagged_when: Literal["gt", "ge", "lt", "le"] | None
    sources: tuple[str, ...]
    # Whom a healthy average describes ("female", "male"); None when it fits everyone.
    sex: NormSex | None = None


class Measure(Value, frozen=True):
    """A number the engine worked out (a McGill ratio, a left-right difference), shown
    with its reference values whether or not it was flagged."""

    id: str
    name: str
    # None when it could not be worked out; ``not_worked_out`` then says why.
    value: float | None
    unit: str
    # The readings it was worked out from: "left" and "right" for a difference,
    # "numerator" and "denominator" for a ratio; ``readings_unit`` is their unit.
    readings: dict[str, float]
    readings_unit: str
    references: tuple[Reference, ...]
    flagged: bool
    not_worked_out: str | None = None


class SelfTestOffer(Value, frozen=True):
    """Whether one self-test is offered to this person now, and if not, why not."""

    test: str
    name: str
    offered: bool
    # One plain reason per gate that holds the test back (core/gates.py); empty if offered.
    why_not: tuple[str, ...] = ()
    # The test's cautions for this person's conditions, to read before its steps.
    cautions: tuple[str, ...] = ()
    # For a test not offered: what no offered test can judge without it (muscle groups,
    # signs, ratios), and the offered tests that check some of the same muscles.
    cannot_judge: tuple[str, ...] = ()
    covered_by: tuple[str, ...] = ()


class DirectionResponse(Value, frozen=True):
    """One direction tried in a repeated-movement check, and what the answer means.

    ``movement`` is the movement id (movements.yaml) the direction stands for; ``means`` is
    "eases", "worsens" or "neither", read from the content's rule for ``answer``.
    """

    test: str
    field: str
    movement: str
    answer: str
    means: Literal["eases", "worsens", "neither"]
    sources: tuple[str, ...]


class Warning(Value, frozen=True):
    code: str
    message: str
    about: str | None = None


# --------------------------------------------------------------------------- routine


class SideDose(Value, frozen=True):
    sets: int
    reps: int | None
    hold_s: float | None


class RoutineItem(Value, frozen=True):
    exercise: str
    name: str
    kind: str
    # The side the findings call for, in the same words as everywhere else: "left" or
    # "right" when that side gets the fuller dose, "bilateral" when both sides get the
    # same. ``each_side`` says how it is done: one side at a time (the dose then has a
    # "left" and a "right" entry) or with both sides at once (one "bilateral" entry).
    side: Side
    each_side: bool
    dose: dict[str, SideDose]
    rest_s: float
    per_week: int
    days: tuple[int, ...]
    seconds: int
    reason: str
    addresses: tuple[str, ...]
    sources: tuple[str, ...]
    # The exercise's cautions for the conditions this person has, in plain words.
    cautions: tuple[str, ...] = ()


class LeftOut(Value, frozen=True):
    exercise: str
    reason: str
    # "safety": a gate removed it (condition, loose muscle, painful direction);
    # "time": it did not fit the minutes; "list_full": the daily list was long enough.
    why: Literal["safety", "time", "list_full"]


class Routine(Value, frozen=True):
    phase: str
    phase_name: str
    phase_reason: str
    items: tuple[RoutineItem, ...]
    schedule: tuple[tuple[str, ...], ...]
    minutes_budget: int
    minutes_by_day: tuple[float, ...]
    retest_date: str | None
    retest_after_days: int
    expect_change: str
    left_out: tuple[LeftOut, ...]
    notes: tuple[str, ...]

    def due_on(self, day: int) -> Routine:
        """The routine with only the items due on ``day`` of its week (0 = the day it
        started); all of them on a day with none, so a rest day still has a session."""
        due = tuple(item for item in self.items if day in item.days)
        return replace(self, items=due or self.items)


# -------------------------------------------------------- devices and the routine (adjuncts.py)


class ProtocolSetting(Value, frozen=True):
    id: str
    label: str
    value: float
    unit: str
    say: str | None
    note: str | None
    sources: tuple[str, ...]


class ProtocolStage(Value, frozen=True):
    id: str
    name: str
    when: str
    from_week: float | None
    settings: tuple[ProtocolSetting, ...]
    say: str
    sources: tuple[str, ...]


class ProtocolLimit(Value, frozen=True):
    id: str
    label: str
    # The capped quantity is the product of these settings of a stage.
    of: tuple[str, ...]
    value: float
    unit: str
    why: str
    note: str | None
    sources: tuple[str, ...]


class ProtocolStopRule(Value, frozen=True):
    id: str
    symptoms: tuple[str, ...]
    action: str
    seek_care: str | None
    sources: tuple[str, ...]


class AdjunctProtocol(Value, frozen=True):
    """How to start, how to build up, what never to do, and when to stop."""

    summary: str
    stages: tuple[ProtocolStage, ...]
    limits: tuple[ProtocolLimit, ...]
    always: tuple[str, ...]
    stop_rules: tuple[ProtocolStopRule, ...]
    # True when the verdict is "ask a clinician first": the plan is for after a yes.
    only_after_approval: bool
    approval_note: str | None
    sources: tuple[str, ...]


class VerdictCause(Value, frozen=True):
    """One thing that limited a therapy: the safety screen, or a health condition."""

    kind: Literal["triage", "routine_flag", "flare", "health_questions", "condition", "unsure"]
    # The triage level, the red-flag rule id, "flare", "health_questions", the condition id,
    # or (for "unsure") the screen question id whose answer to check.
    id: str
    verdict: Verdict
    reason: str
    sources: tuple[str, ...]


class TherapyInfo(Value, frozen=True):
    """What the therapy is, for the person reading the verdict and for the comparison row."""

    what_it_is: str
    may_help: tuple[str, ...]
    cannot_do: tuple[str, ...]
    purpose: str
    minutes_per_day: float
    minutes_unit: str
    time_words: str
    cost_and_kit: str
    equipment: str | None


class AdjunctVerdict(Value, frozen=True):
    therapy: str
    name: str
    verdict: Verdict
    reasons: tuple[str, ...]
    protocol: AdjunctProtocol | None
    evidence: str
    sources: tuple[str, ...]
    verdict_label: str
    evidence_grade: EvidenceGrade
    evidence_words: str
    # The routine under an urgent triage or a flare-up: only the gentle items may be offered.
    gentle_only: bool
    causes: tuple[VerdictCause, ...]
    about: TherapyInfo


class UnsureBasis(Value, frozen=True):
    """The screen question a condition rests on when it was answered "not sure"."""

    question: str
    # The question as the person saw it, so the reason can say which answer to check.
    text: str


class ComparisonRow(Value, frozen=True):
    therapy: str
    name: str
    purpose: str
    minutes_per_day: float
    minutes_unit: str
    time_words: str
    cost_and_kit: str
    evidence_grade: EvidenceGrade
    evidence_words: str
    verdict: Verdict
    verdict_label: str


class Result(Value, frozen=True):
    engine_version: str
    content_version: str
    case_id: str | None
    triage: Triage
    scores: dict[str, Score]
    findings: tuple[Finding, ...]
    signs: tuple[SignFinding, ...]
    patterns: tuple[PatternResult, ...]
    primary_imbalances: tuple[PrimaryImbalance, ...]
    warnings: tuple[Warning, ...]
    disclaimer: str
    routine: Routine | None = None
    adjuncts: dict[str, AdjunctVerdict] = field(default_factory=dict)
    # Every health condition that counts for this person: ticked, established by the
    # safety screen, or implied by another. Anything that gates later (progression, a
    # check-in) reads them from here, so a screen answer can never be forgotten.
    conditions: frozenset[str] = frozenset()
    # Every McGill ratio and left-right difference worked out, flagged or not.
    measures: tuple[Measure, ...] = ()
    # Every self-test, offered or not, in content order. A reading for a test not offered
    # is never used for a finding.
    self_tests: tuple[SelfTestOffer, ...] = ()
    # The movements that ease and that worsen the pain: the person's own answers joined to
    # a repeated-movement check's, the careful answer winning (core/repeated_movements.py).
    # The routine's gates read ``worsens`` from here as well as from the context, so a
    # direction the check found worsening can never be loaded by a later caller.
    eases: frozenset[str] = frozenset()
    worsens: frozenset[str] = frozenset()
    movement_responses: tuple[DirectionResponse, ...] = ()


def result_to_jsonable(result: Result) -> dict[str, Any]:
    """The result as plain JSON data, ready to store.

    It names the engine and content versions that made it (``engine_version``,
    ``content_version``), so a stored result can be told apart from what a later engine or
    a corrected content would give for the same case.
    """
    return {name: to_jsonable(getattr(result, name)) for name in result.__struct_fields__}


def to_jsonable(value: Any) -> Any:
    """Plain JSON data (dicts, lists, numbers, strings) for any result object."""
    if isinstance(value, Value):
        return {name: to_jsonable(getattr(value, name)) for name in value.__struct_fields__}
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, frozenset | set):
        return sorted(to_jsonable(v) for v in value)
    if isinstance(value, date):
        return value.isoformat()
    return value
