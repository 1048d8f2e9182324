"""The core's one public face: every adapter (the command line, later the web app) imports
this module and no other part of ``backbalance.core``.

It holds no logic of its own. Each name is a core function or type, re-exported as it is,
so an adapter and a test call exactly what the engine runs; the import-linter contracts in
``pyproject.toml`` keep adapters from reaching past it.

Errors: every function that reads input raises :class:`CaseError` (or another
:class:`InputError`) whose ``errors`` name each bad field by its dotted path, the same path
whether a part is checked on its own (``parse_context``) or inside a whole case.
"""

from __future__ import annotations

from typing import TYPE_CHECKING as _TYPE_CHECKING

from backbalance import ENGINE_VERSION
from backbalance.content.loader import Content, ContentError, load_content

if _TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from backbalance.content.schema import Instrument
from backbalance.core.adjuncts import (
    AdjunctProtocol,
    AdjunctVerdict,
    ComparisonRow,
    compare,
)
from backbalance.core.case import (
    case_json_schema,
    case_to_json,
    case_to_jsonable,
    parse_case,
    parse_context,
    parse_person,
    parse_questionnaires,
    parse_screening,
    parse_test,
)
from backbalance.core.engine import evaluate, evaluate_raw
from backbalance.core.errors import (
    BackbalanceError,
    CaseError,
    FieldError,
    InputError,
    ProgressionError,
    StaleProposalError,
)
from backbalance.core.gates import Block, Gates
from backbalance.core.instruments import ItemChange, item_changes, mcid_thresholds, score_all
from backbalance.core.ledger import (
    ChecklistCount,
    Course,
    CourseReport,
    JudgedMeasure,
    LedgerError,
    Totals,
    TrendBeforeCare,
    course_json_schema,
    judge_course,
    parse_course,
    parse_course_json,
)
from backbalance.core.program import routine_for_state, routine_gates, session_state
from backbalance.core.progress import (
    DailyPain,
    MeasureChange,
    PainTrend,
    change_kind,
    judge_change,
    judge_items,
    meaningful_target,
    pain_trend,
    rolling_mean,
    weekly_slope,
    window_mean,
)
from backbalance.core.progression import (
    ItemState,
    Proposal,
    ReadMark,
    SessionLog,
    apply,
    decide,
    flare_up_over,
    paused_reason,
    resume,
)
from backbalance.core.retest import (
    ChangeVerdict,
    FindingChange,
    ReadingChange,
    better_direction,
    compare_findings,
    compare_tests,
)
from backbalance.core.screening import (
    check_in_questions,
    triage,
    triage_check_in,
    unsure_answers,
)
from backbalance.core.strict_json import (
    MAX_ERRORS_SHOWN,
    MAX_INPUT_BYTES,
    echo,
    parse_json,
    too_large_message,
)
from backbalance.core.types import (
    Answer,
    Aspect,
    Case,
    CheckInTriage,
    Confidence,
    Context,
    DirectionResponse,
    Evidence,
    Finding,
    FindOut,
    LeftOut,
    Level,
    MatchedElement,
    Measure,
    PatternResult,
    Person,
    PrimaryImbalance,
    Reference,
    Result,
    Routine,
    RoutineItem,
    Score,
    SelfTestOffer,
    Sex,
    Side,
    SideDose,
    SideResult,
    SignFinding,
    Status,
    SubscaleScore,
    TestResult,
    Triage,
    TriageReason,
    Warning,
    result_to_jsonable,
    to_jsonable,
)
from backbalance.core.what_helps import HabitComparison, compare_habit, recent_since, what_helps


def load_licensed_wording(path: Path, instruments: Mapping[str, Instrument]) -> Instrument:
    """A licensed questionnaire with the wording from its licence holder's file filled in.

    Raises ``ValueError`` (``LicensedWordingError``) naming every problem with the file.
    Imported on use: most starts read no such file, and its models cost a start otherwise.
    """
    from backbalance.content.licensed import load_licensed_wording as load

    return load(path, instruments)


__all__ = [
    "ENGINE_VERSION",
    "MAX_ERRORS_SHOWN",
    "MAX_INPUT_BYTES",
    "AdjunctProtocol",
    "AdjunctVerdict",
    "Answer",
    "Aspect",
    "BackbalanceError",
    "Block",
    "Case",
    "CaseError",
    "ChangeVerdict",
    "CheckInTriage",
    "ChecklistCount",
    "ComparisonRow",
    "Confidence",
    "Content",
    "ContentError",
    "Context",
    "Course",
    "CourseReport",
    "DailyPain",
    "DirectionResponse",
    "Evidence",
    "FieldError",
    "FindOut",
    "Finding",
    "FindingChange",
    "Gates",
    "HabitComparison",
    "InputError",
    "ItemChange",
    "ItemState",
    "JudgedMeasure",
    "LedgerError",
    "LeftOut",
    "Level",
    "MatchedElement",
    "Measure",
    "MeasureChange",
    "PainTrend",
    "PatternResult",
    "Person",
    "PrimaryImbalance",
    "ProgressionError",
    "Proposal",
    "ReadMark",
    "ReadingChange",
    "Reference",
    "Result",
    "Routine",
    "RoutineItem",
    "Score",
    "SelfTestOffer",
    "SessionLog",
    "Sex",
    "Side",
    "SideDose",
    "SideResult",
    "SignFinding",
    "StaleProposalError",
    "Status",
    "SubscaleScore",
    "TestResult",
    "Totals",
    "TrendBeforeCare",
    "Triage",
    "TriageReason",
    "Warning",
    "apply",
    "better_direction",
    "case_json_schema",
    "case_to_json",
    "case_to_jsonable",
    "change_kind",
    "check_in_questions",
    "compare",
    "compare_findings",
    "compare_habit",
    "compare_tests",
    "course_json_schema",
    "decide",
    "echo",
    "evaluate",
    "evaluate_raw",
    "flare_up_over",
    "item_changes",
    "judge_change",
    "judge_course",
    "judge_items",
    "load_content",
    "load_licensed_wording",
    "mcid_thresholds",
    "meaningful_target",
    "pain_trend",
    "parse_case",
    "parse_context",
    "parse_course",
    "parse_course_json",
    "parse_json",
    "parse_person",
    "parse_questionnaires",
    "parse_screening",
    "parse_test",
    "paused_reason",
    "recent_since",
    "result_to_jsonable",
    "resume",
    "rolling_mean",
    "routine_for_state",
    "routine_gates",
    "score_all",
    "session_state",
    "to_jsonable",
    "too_large_message",
    "triage",
    "triage_check_in",
    "unsure_answers",
    "weekly_slope",
    "what_helps",
    "window_mean",
]
