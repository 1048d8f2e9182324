"""Adjunct therapies: is the routine, the inversion table or the vibration platform right for
this person now, and if so, how to start and when to stop.

Four ideas shape this module:

* **The gates are code, not content.** An emergency or urgent result on the red-flag screen
  makes both devices "not suitable" until a clinician clears it; an emergency also stops the
  routine, and an urgent result limits it to gentle items. A flare-up pauses both devices
  and keeps the routine gentle. Without the health-condition answers no device can be
  judged. The content supplies only the words. A level this module does not recognise is
  treated as the worst one, so a malformed triage fails closed.
* **A routine-level flag limits a device only where it bears on it.** The content says, per
  red-flag rule, whether it bears on each device (then: ask a clinician first) or on none.
  A routine-level flag the content has not reviewed asks for a clinician for both devices.
* **Unsure is never no.** A condition that rests only on a "not sure" screen answer counts
  as that condition, and the reason names the question to check.
* **The worst cause wins, and every cause is shown.** The verdict is the strictest of the
  gate and every matching condition rule (not suitable > ask a clinician > suitable); the
  reasons list all of them, with their sources, so the person and their clinician see why.
* **Nothing to follow when the answer is no.** A therapy that is not suitable still carries
  its evidence summary, but no protocol, so no screen can show a dose for it.

The module holds no clinical numbers or wording: all of it is in ``adjuncts.yaml``.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping
from typing import Final, TypeVar

from backbalance.content.schema_adjuncts import (
    THERAPY_IDS,
    Adjuncts,
    Limit,
    Protocol,
    Setting,
    Stage,
    StopRule,
    Therapy,
    Verdict,
)
from backbalance.content.wording import fill
from backbalance.core.errors import CaseError, FieldError, InputError
from backbalance.core.types import (
    LEVEL_ORDER,
    Level,
    Triage,
)
from backbalance.core.types import (
    AdjunctProtocol as AdjunctProtocol,
)
from backbalance.core.types import (
    AdjunctVerdict as AdjunctVerdict,
)
from backbalance.core.types import (
    ComparisonRow as ComparisonRow,
)
from backbalance.core.types import (
    ProtocolLimit as ProtocolLimit,
)
from backbalance.core.types import (
    ProtocolSetting as ProtocolSetting,
)
from backbalance.core.types import (
    ProtocolStage as ProtocolStage,
)
from backbalance.core.types import (
    ProtocolStopRule as ProtocolStopRule,
)
from backbalance.core.types import (
    TherapyInfo as TherapyInfo,
)
from backbalance.core.types import (
    UnsureBasis as UnsureBasis,
)
from backbalance.core.types import (
    VerdictCause as VerdictCause,
)
from backbalance.core.value import Value

# The corrective routine; every other therapy is gated as a device.
ROUTINE: Final = "muscle_balance"
# The comparison table always lists the therapies in this order: the routine first.
ORDER: Final[tuple[str, ...]] = THERAPY_IDS

VERDICT_RANK: Final[dict[Verdict, int]] = {
    "suitable": 0,
    "clinician_approval": 1,
    "not_suitable": 2,
}

CONDITIONS_PATH: Final = "context.conditions"


# --------------------------------------------------------------------------- checks


def check_conditions(conditions: Collection[str], adjuncts: Adjuncts) -> frozenset[str]:
    """The condition ids as a set, or a CaseError naming ``context.conditions``.

    An id the content does not know is refused rather than ignored: a misspelt "glaucoma"
    silently dropped would let the inversion table through.
    """
    # A bare string is a Collection[str] too; iterating it would check single letters.
    if isinstance(conditions, str | bytes) or not isinstance(conditions, Iterable):
        raise CaseError(
            [FieldError(CONDITIONS_PATH, "must be a list of condition ids, not a single value")]
        )
    known = set(adjuncts.screened_conditions)
    items = list(conditions)
    not_text = [repr(c) for c in items if not isinstance(c, str)]
    unknown = sorted(c for c in items if isinstance(c, str) and c not in known)
    errors: list[FieldError] = []
    if not_text:
        errors.append(FieldError(CONDITIONS_PATH, f"condition ids must be text: {not_text}"))
    if unknown:
        errors.append(
            FieldError(
                CONDITIONS_PATH,
                f"unknown condition ids {unknown}; known ids are {sorted(known)}",
            )
        )
    if errors:
        raise CaseError(errors)
    return frozenset(items)


# --------------------------------------------------------------------------- the gate


def _gate_level(level: object) -> Level:
    """The triage level to gate on. Anything unrecognised counts as an emergency."""
    for known in LEVEL_ORDER:
        if level == known:
            return known
    return "emergency"


def _triage_causes(
    therapy: Therapy, triage: Triage, adjuncts: Adjuncts
) -> tuple[list[VerdictCause], bool]:
    """The safety-screen causes for a therapy, and whether only gentle items may be used.

    Fixed here on purpose, not read from content: for a device, an emergency or urgent
    level blocks it; for the routine, only an emergency does. A routine level limits a
    device only through the flags the content says bear on it, and an unreviewed flag
    asks for a clinician.
    """
    level = _gate_level(triage.level)
    if level == "none":
        return [], False
    gate = therapy.triage_gate
    texts: dict[Level, str] = {
        "emergency": gate.emergency,
        "urgent": gate.urgent,
        "routine": gate.routine,
    }
    sources = tuple(gate.sources)
    if therapy.id == ROUTINE:
        if level == "emergency":
            return [VerdictCause("triage", level, "not_suitable", texts[level], sources)], False
        # urgent or routine: the routine stays open; urgent keeps it to the gentle items.
        cause = VerdictCause("triage", level, "suitable", texts[level], sources)
        return [cause], level == "urgent"
    if level != "routine":
        return [VerdictCause("triage", level, "not_suitable", texts[level], sources)], False
    return _routine_flag_causes(therapy, triage, adjuncts), False


def _routine_flag_causes(
    therapy: Therapy, triage: Triage, adjuncts: Adjuncts
) -> list[VerdictCause]:
    bearing = {r.flag: r for r in therapy.routine_flags}
    without_bearing = {f.flag for f in adjuncts.routine_flags_without_bearing}
    flags = [r.rule_id for r in triage.reasons if r.level == "routine"]
    causes: list[VerdictCause] = []
    unreviewed = not flags  # a routine level with no reason cannot be judged: fail closed
    for flag in flags:
        rule = bearing.get(flag)
        if rule is not None:
            causes.append(
                VerdictCause("routine_flag", flag, rule.verdict, rule.reason, tuple(rule.sources))
            )
        elif flag not in without_bearing:
            unreviewed = True
    if unreviewed:
        gate = therapy.triage_gate
        causes.append(
            VerdictCause(
                "triage", "routine", "clinician_approval", gate.routine, tuple(gate.sources)
            )
        )
    return causes


def _condition_causes(
    therapy: Therapy,
    conditions: frozenset[str],
    unsure: Mapping[str, UnsureBasis],
    adjuncts: Adjuncts,
) -> list[VerdictCause]:
    causes: list[VerdictCause] = []
    # Content order, so the reasons read the same way every time.
    for rule in therapy.rules:
        if rule.condition not in conditions:
            continue
        basis = unsure.get(rule.condition)
        if basis is None:
            causes.append(
                VerdictCause(
                    "condition", rule.condition, rule.verdict, rule.reason, tuple(rule.sources)
                )
            )
            continue
        # Counted as yes, and the reason says which answer to check.
        ask = adjuncts.unsure_answer
        causes.append(
            VerdictCause(
                "unsure",
                basis.question,
                rule.verdict,
                f"{fill(ask.text, question=basis.text)} {rule.reason}",
                (*rule.sources, *ask.sources),
            )
        )
    return causes


# --------------------------------------------------------------------------- conversion


def _setting(s: Setting) -> ProtocolSetting:
    f = s.figure
    return ProtocolSetting(s.id, s.label, f.value, f.unit, s.say, f.note, tuple(f.sources))


def _stage(s: Stage) -> ProtocolStage:
    return ProtocolStage(
        id=s.id,
        name=s.name,
        when=s.when,
        from_week=s.from_week.value if s.from_week is not None else None,
        settings=tuple(_setting(x) for x in s.settings),
        say=s.say,
        sources=tuple(s.sources),
    )


def _limit(lim: Limit) -> ProtocolLimit:
    f = lim.figure
    return ProtocolLimit(
        lim.id, lim.label, tuple(lim.of), f.value, f.unit, lim.why, f.note, tuple(f.sources)
    )


def _stop_rule(r: StopRule) -> ProtocolStopRule:
    return ProtocolStopRule(r.id, tuple(r.symptoms), r.action, r.seek_care, tuple(r.sources))


# ------------------------------------------------------------------ built once per content

_Source = TypeVar("_Source")
_Built = TypeVar("_Built")
# A value built from a content object, keyed by that object's identity (and any extra
# key), beside a weak reference to the object: a lookup is answered only for the very
# object it was built from, never for another one (an edited copy in a test, or a new
# object that happens to get a freed object's id). The built values are frozen, so
# sharing them between results is safe.
_BuiltFrom = dict[tuple[int, Hashable], tuple["weakref.ref[_Source]", _Built]]
_PROTOCOLS: _BuiltFrom[Protocol, AdjunctProtocol] = {}
_INFOS: _BuiltFrom[Therapy, TherapyInfo] = {}


def _once_per_object(
    memo: _BuiltFrom[_Source, _Built],
    source: _Source,
    extra: Hashable,
    build: Callable[[], _Built],
) -> _Built:
    key = (id(source), extra)
    hit = memo.get(key)
    if hit is not None and hit[0]() is source:
        return hit[1]
    value = build()
    # The entry goes when its object does, so the table never outgrows the live content.
    memo[key] = (weakref.ref(source, lambda _gone: memo.pop(key, None)), value)
    return value


def _protocol(p: Protocol, approval_note: str | None) -> AdjunctProtocol:
    """The device protocol as the result shows it; built once per protocol object."""
    return _once_per_object(_PROTOCOLS, p, approval_note, lambda: _build_protocol(p, approval_note))


def _build_protocol(p: Protocol, approval_note: str | None) -> AdjunctProtocol:
    return AdjunctProtocol(
        summary=p.summary,
        stages=tuple(_stage(s) for s in p.stages),
        limits=tuple(_limit(x) for x in p.limits),
        always=tuple(p.always),
        stop_rules=tuple(_stop_rule(r) for r in p.stop_rules),
        only_after_approval=approval_note is not None,
        approval_note=approval_note,
        sources=tuple(p.sources),
    )


def _info(t: Therapy) -> TherapyInfo:
    """What the comparison page says about a therapy; built once per therapy object."""
    return _once_per_object(_INFOS, t, None, lambda: _build_info(t))


def _build_info(t: Therapy) -> TherapyInfo:
    c = t.comparison
    return TherapyInfo(
        what_it_is=t.what_it_is,
        may_help=tuple(t.may_help),
        cannot_do=tuple(t.cannot_do),
        purpose=c.purpose,
        minutes_per_day=c.minutes_per_day.value,
        minutes_unit=c.minutes_per_day.unit,
        time_words=c.time_words,
        cost_and_kit=c.cost_and_kit,
        equipment=t.equipment,
    )


def _unique(ids: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(ids))


# --------------------------------------------------------------------------- verdicts


def _assess(
    therapy: Therapy,
    triage: Triage,
    facts: _Facts,
    adjuncts: Adjuncts,
) -> AdjunctVerdict:
    causes, gentle_only = _triage_causes(therapy, triage, adjuncts)
    is_device = therapy.id != ROUTINE
    if facts.flare:
        flare = therapy.flare_gate
        # Devices pause in a flare; the routine stays, gentle items only.
        pause: Verdict = "not_suitable" if is_device else "suitable"
        causes.append(VerdictCause("flare", "flare", pause, flare.text, tuple(flare.sources)))
        gentle_only = gentle_only or not is_device
    if is_device and not facts.health_answered:
        first = adjuncts.health_questions_first
        causes.append(
            VerdictCause(
                "health_questions",
                "health_questions",
                "not_suitable",
                first.text,
                tuple(first.sources),
            )
        )
    causes.extend(_condition_causes(therapy, facts.conditions, facts.unsure, adjuncts))
    verdict: Verdict = max(
        (c.verdict for c in causes), key=VERDICT_RANK.__getitem__, default="suitable"
    )
    reasons = tuple(c.reason for c in causes) or (adjuncts.no_limits_reason,)
    protocol: AdjunctProtocol | None
    if verdict == "not_suitable":
        protocol = None
    elif verdict == "clinician_approval":
        protocol = _protocol(therapy.protocol, therapy.approval_note)
    else:
        protocol = _protocol(therapy.protocol, None)
    evidence = therapy.evidence
    return AdjunctVerdict(
        therapy=therapy.id,
        name=therapy.name,
        verdict=verdict,
        reasons=reasons,
        protocol=protocol,
        evidence=evidence.summary,
        sources=_unique([*evidence.sources, *(s for c in causes for s in c.sources)]),
        verdict_label=adjuncts.verdict_labels.label(verdict, optional_extra=is_device),
        evidence_grade=evidence.grade,
        evidence_words=evidence.grade_words,
        gentle_only=gentle_only and verdict != "not_suitable",
        causes=tuple(causes),
        about=_info(therapy),
    )


class _Facts(Value, frozen=True):
    conditions: frozenset[str]
    unsure: Mapping[str, UnsureBasis]
    flare: bool
    health_answered: bool


def assess_adjuncts(
    triage: Triage,
    conditions: Collection[str],
    adjuncts: Adjuncts,
    *,
    flare: bool,
    health_answered: bool,
    unsure: Mapping[str, UnsureBasis] | None = None,
) -> dict[str, AdjunctVerdict]:
    """A verdict for each therapy, keyed ``muscle_balance``, ``inversion``, ``vibration``.

    ``conditions`` are the effective conditions (see :mod:`backbalance.core.conditions`);
    ``unsure`` maps a condition that rests only on a "not sure" screen answer to that
    question, and such a condition counts as present. ``flare`` is true while the pain is
    in a gentle-only phase; ``health_answered`` is false when the person has not answered
    the health-condition questions yet. Both are required on purpose, so no caller can
    leave a gate open by forgetting it.

    Raises :class:`CaseError` (path ``context.conditions``) for an unknown condition id.
    """
    held_on_unsure = dict(unsure or {})
    ticked = check_conditions(conditions, adjuncts) | check_conditions(
        list(held_on_unsure), adjuncts
    )
    facts = _Facts(ticked, held_on_unsure, flare, health_answered)
    return {tid: _assess(adjuncts.therapy(tid), triage, facts, adjuncts) for tid in ORDER}


def compare(verdicts: Mapping[str, AdjunctVerdict]) -> list[ComparisonRow]:
    """The side-by-side table: one row per therapy, always routine, inversion, vibration."""
    unknown = sorted(set(verdicts) - set(ORDER))
    if unknown:
        raise InputError(
            [
                FieldError(f"adjuncts.{t}", f"unknown therapy; expected {_listed(ORDER)}")
                for t in unknown
            ]
        )
    rows: list[ComparisonRow] = []
    for tid in ORDER:
        v = verdicts.get(tid)
        if v is None:
            continue
        rows.append(
            ComparisonRow(
                therapy=v.therapy,
                name=v.name,
                purpose=v.about.purpose,
                minutes_per_day=v.about.minutes_per_day,
                minutes_unit=v.about.minutes_unit,
                time_words=v.about.time_words,
                cost_and_kit=v.about.cost_and_kit,
                evidence_grade=v.evidence_grade,
                evidence_words=v.evidence_words,
                verdict=v.verdict,
                verdict_label=v.verdict_label,
            )
        )
    return rows


def _listed(ids: Iterable[str]) -> str:
    return ", ".join(ids)
