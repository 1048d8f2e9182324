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

import typing as _typing
from importlib import import_module as _import_module

from backbalance import ENGINE_VERSION
from backbalance.content.loader import Content, ContentError, load_content

if _typing.TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from backbalance.content.schema import Instrument

    # The tracking half of the core, imported on first use (see ``__getattr__`` below).
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
    from backbalance.core.retest import (
        ChangeVerdict,
        FindingChange,
        ReadingChange,
        better_direction,
        compare_findings,
        compare_tests,
    )
    from backbalance.core.what_helps import (
        HabitComparison,
        compare_habit,
        recent_since,
        what_helps,
    )
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
from backbalance.core.program import routine_for_state, routine_gates, session_state
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

# The tracking half of the core (progress, what helps, re-tests, the ledger) is imported
# the first time one of its names is used: a plain ``backbalance evaluate`` never needs
# it, and importing it up front cost about a tenth of a cold start.
_IMPORTED_ON_USE = {
    "ChecklistCount": "backbalance.core.ledger",
    "Course": "backbalance.core.ledger",
    "CourseReport": "backbalance.core.ledger",
    "JudgedMeasure": "backbalance.core.ledger",
    "LedgerError": "backbalance.core.ledger",
    "Totals": "backbalance.core.ledger",
    "TrendBeforeCare": "backbalance.core.ledger",
    "course_json_schema": "backbalance.core.ledger",
    "judge_course": "backbalance.core.ledger",
    "parse_course": "backbalance.core.ledger",
    "parse_course_json": "backbalance.core.ledger",
    "DailyPain": "backbalance.core.progress",
    "MeasureChange": "backbalance.core.progress",
    "PainTrend": "backbalance.core.progress",
    "change_kind": "backbalance.core.progress",
    "judge_change": "backbalance.core.progress",
    "judge_items": "backbalance.core.progress",
    "meaningful_target": "backbalance.core.progress",
    "pain_trend": "backbalance.core.progress",
    "rolling_mean": "backbalance.core.progress",
    "weekly_slope": "backbalance.core.progress",
    "window_mean": "backbalance.core.progress",
    "ChangeVerdict": "backbalance.core.retest",
    "FindingChange": "backbalance.core.retest",
    "ReadingChange": "backbalance.core.retest",
    "better_direction": "backbalance.core.retest",
    "compare_findings": "backbalance.core.retest",
    "compare_tests": "backbalance.core.retest",
    "HabitComparison": "backbalance.core.what_helps",
    "compare_habit": "backbalance.core.what_helps",
    "recent_since": "backbalance.core.what_helps",
    "what_helps": "backbalance.core.what_helps",
}


if not _typing.TYPE_CHECKING:  # mypy reads the imports above; an unknown name stays an error

    def __getattr__(name: str) -> object:
        """Import a tracking name's module on first use (PEP 562), then keep the name here."""
        module = _IMPORTED_ON_USE.get(name)
        if module is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(_import_module(module), name)
        globals()[name] = value
        return value


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
