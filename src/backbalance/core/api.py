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

from backbalance.content.loader import Content, ContentError, load_content
from backbalance.core.adjuncts import (
    AdjunctProtocol,
    AdjunctVerdict,
    ComparisonRow,
    compare,
)
from backbalance.core.case import (
    case_json_schema,
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
from backbalance.core.program import routine_gates
from backbalance.core.progression import (
    ItemState,
    Proposal,
    ReadMark,
    SessionLog,
    apply,
    decide,
    flare_up_over,
    resume,
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
    to_jsonable,
)

__all__ = [
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
    "ComparisonRow",
    "Confidence",
    "Content",
    "ContentError",
    "Context",
    "DirectionResponse",
    "Evidence",
    "FieldError",
    "FindOut",
    "Finding",
    "Gates",
    "InputError",
    "ItemState",
    "LeftOut",
    "Level",
    "MatchedElement",
    "Measure",
    "PatternResult",
    "Person",
    "PrimaryImbalance",
    "ProgressionError",
    "Proposal",
    "ReadMark",
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
    "Triage",
    "TriageReason",
    "Warning",
    "apply",
    "case_json_schema",
    "compare",
    "decide",
    "echo",
    "evaluate",
    "evaluate_raw",
    "flare_up_over",
    "load_content",
    "parse_case",
    "parse_context",
    "parse_json",
    "parse_person",
    "parse_questionnaires",
    "parse_screening",
    "parse_test",
    "resume",
    "routine_gates",
    "to_jsonable",
    "too_large_message",
]

# --------------------------------------------------------------------------- to be added
#
# Check-in triage (core.screening), the session state of a routine (core.progression) and
# storing a case and reading it back (core.case) are being built alongside this module;
# their functions are re-exported here, and listed in ``__all__``, once they land.
