"""Typed model of the outcome rules (``content/data/outcomes.yaml``).

How change is judged against the minimal clinically important difference (the MCIDs
themselves stay with each questionnaire in ``instruments.yaml``), the checkpoints at which
a course of care with a therapist is judged, the ledger's plain words, and the minimums
of the "what helps me" comparison. Every number is a :class:`Figure` with sources; where a
number is the project's own choice its note says so.

The engines that apply these rules are :mod:`backbalance.core.progress` and
:mod:`backbalance.core.ledger`.
"""

from __future__ import annotations

from dataclasses import field
from itertools import pairwise
from typing import TYPE_CHECKING, Annotated, Literal, get_args

from backbalance.content.schema import Figure, Id, SourceIds, Strict, Text
from backbalance.content.wording import unknown_placeholders

if TYPE_CHECKING:
    from dataclasses import dataclass as content_class

    from pydantic import Field
else:
    # The same classes, made without generating code for each (see frozen.py).
    from backbalance.content.frozen import content_class

# How one measure changed, judged against its MCID.
ChangeKind = Literal["improved_meaningfully", "not_yet_meaningful", "worse_meaningfully"]
# The verdict on one course of care.
CourseVerdict = Literal[
    "too_early",
    "improving_meaningfully",
    "not_yet_meaningful",
    "review_recommended",
    "change_recommended",
    "rescreen_first",
]
# What a good appointment contains. The ids are the keys of a visit's checklist in the
# ledger file; their wording is in the content.
ChecklistItem = Literal[
    "assessed_hands_on",
    "worked_on_findings",
    "explained_findings",
    "home_plan",
    "retested",
]
# The measures a ledger file may carry, each judged by one questionnaire of the content.
LedgerMeasure = Literal["pain", "psfs", "odi", "rmdq", "global_change"]
# Why a verdict was given: each reason has its own wording.
ReasonKey = Literal[
    "worse",
    "worse_measure",
    "worse_overall",
    "rescreen",
    "red_flag",
    "too_early",
    "improving",
    "early_soft_flag",
    "review",
    "review_but_better_overall",
    "change",
]
CaveatKey = Literal["natural_recovery", "few_data_points", "improving_before_care"]
# The placeholders the ledger's wording may use; the engine fills exactly these.
LEDGER_KEYS: frozenset[str] = frozenset(
    {
        "measure",
        "measures",
        "before",
        "after",
        "days",
        "visits",
        "date",
        "what",
        "needed_days",
        "needed_visits",
        "before_week",
        "during_week",
        "readings",
    }
)

# The placeholders of the "what helps me" wording.
WHAT_HELPS_KEYS: frozenset[str] = frozenset(
    {"habit", "difference", "low", "high", "interval", "with_days", "without_days", "needed"}
)


def _whole(figure: Figure, what: str, minimum: int = 1) -> None:
    if not figure.value.is_integer() or figure.value < minimum:
        raise ValueError(f"{what} must be a whole number of at least {minimum}")


@content_class(frozen=True, kw_only=True)
class ChangeWords(Strict):
    """The plain statement for each way a measure can have changed."""

    improved_meaningfully: Text
    not_yet_meaningful: Text
    worse_meaningfully: Text

    def of(self, kind: ChangeKind) -> str:
        return str(getattr(self, kind))


@content_class(frozen=True, kw_only=True)
class Checkpoint(Strict):
    """A point at which a course of care is judged: whichever comes first, days or visits."""

    days: Figure
    visits: Figure

    def __post_init__(self) -> None:
        self._whole_numbers()

    def _whole_numbers(self) -> None:
        _whole(self.days, "checkpoint days")
        _whole(self.visits, "checkpoint visits")


@content_class(frozen=True, kw_only=True)
class Checkpoints(Strict):
    early: Checkpoint
    review: Checkpoint
    change: Checkpoint

    def __post_init__(self) -> None:
        self._in_order()

    def _in_order(self) -> None:
        order = (self.early, self.review, self.change)
        for first, then in pairwise(order):
            if not (first.days.value < then.days.value and first.visits.value < then.visits.value):
                raise ValueError(
                    "checkpoints must come later in days and visits: early, review, change"
                )


@content_class(frozen=True, kw_only=True)
class Verdict(Strict):
    label: Text
    # Questions worth asking the therapist when this is the verdict.
    questions: list[Text] = field(default_factory=list)


@content_class(frozen=True, kw_only=True)
class ChecklistWording(Strict):
    label: Text
    # Asked when no visit so far ticked this item.
    question: Text


@content_class(frozen=True, kw_only=True)
class TrendBeforeCare(Strict):
    """The person's own pain trend before the care started, compared with the trend since."""

    days: Figure
    min_readings: Figure
    # A fall at least this steep (points a week) before care means: already improving.
    improving_per_week: Figure
    says: Text

    def __post_init__(self) -> None:
        self._whole_numbers()

    def _whole_numbers(self) -> None:
        _whole(self.days, "trend_before_care.days")
        _whole(self.min_readings, "trend_before_care.min_readings", 2)


@content_class(frozen=True, kw_only=True)
class WhatHelps(Strict):
    """Minimums and settings for comparing days with a habit and days without it."""

    min_days_with: Figure
    min_days_without: Figure
    trend_window_days: Figure
    # Only the most recent stretch of the diary is read: what helps now.
    recent_days: Figure
    interval_percent: Figure
    resamples: Figure
    says: Text
    not_enough: Text

    def __post_init__(self) -> None:
        self._whole_numbers()

    def _whole_numbers(self) -> None:
        _whole(self.min_days_with, "min_days_with", 2)
        _whole(self.min_days_without, "min_days_without", 2)
        _whole(self.trend_window_days, "trend_window_days", 3)
        _whole(self.resamples, "resamples", 100)
        _whole(self.recent_days, "recent_days", 14)
        if not 50 < self.interval_percent.value < 100:
            raise ValueError("interval_percent must be between 50 and 100")


@content_class(frozen=True, kw_only=True)
class OutcomeRules(Strict):
    version: Annotated[int, Field(ge=1)]
    # Which questionnaire (instruments.yaml) judges each measure, and so gives its MCID.
    measures: dict[LedgerMeasure, Id]
    change_words: ChangeWords
    # Days in the rolling mean of a daily pain diary.
    pain_window_days: Figure
    # A global rating of change at or above this counts as "much improved".
    much_improved_from: Figure
    checkpoints: Checkpoints
    # An episode of back pain younger than this is still in its fast natural recovery.
    natural_recovery_days: Figure
    # Fewer pain readings than this in a course of care: the verdict rests on little.
    min_pain_readings: Figure
    trend_before_care: TrendBeforeCare
    verdicts: dict[CourseVerdict, Verdict]
    reasons: dict[ReasonKey, Text]
    caveats: dict[CaveatKey, Text]
    checklist: dict[ChecklistItem, ChecklistWording]
    # Words of the ledger's text page, keyed by what they label.
    labels: dict[Id, Text]
    what_helps: WhatHelps
    sources: SourceIds

    def __post_init__(self) -> None:
        self._complete()

    def _complete(self) -> None:
        for name, keys in (
            ("measures", LedgerMeasure),
            ("verdicts", CourseVerdict),
            ("reasons", ReasonKey),
            ("caveats", CaveatKey),
            ("checklist", ChecklistItem),
        ):
            missing = set(get_args(keys)) - set(getattr(self, name))
            if missing:
                raise ValueError(f"{name} must cover {sorted(missing)}")
        _whole(self.pain_window_days, "pain_window_days", 2)
        _whole(self.natural_recovery_days, "natural_recovery_days")
        _whole(self.min_pain_readings, "min_pain_readings", 2)
        texts = [
            *self.reasons.values(),
            *self.caveats.values(),
            self.trend_before_care.says,
            self.what_helps.says,
            self.what_helps.not_enough,
        ]
        unknown = unknown_placeholders(texts, LEDGER_KEYS | WHAT_HELPS_KEYS)
        if unknown:
            raise ValueError(f"unknown placeholders {unknown}; known: {sorted(LEDGER_KEYS)}")
