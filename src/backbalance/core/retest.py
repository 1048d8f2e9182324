"""A re-test compared with the check-up before it: each reading and each finding.

A reading is called better or worse only when it moved by more than the test's
measurement error from the content (``measurement_error``: in the reading's own unit, or
in % of the earlier reading). Inside that error it is unchanged, because two honest
repeats of the same test can differ that much with nothing real behind it. Which way is
better is read from the test's own rules: a threshold that fires above a cut-off makes a
lower reading the better one, and the other way round; with no rule that says which way
is better, a reading beyond the error is "changed". A reading that moved on a test with no
measurement error in the content (or none usable for this reading) is never called better
or worse: it is "moved_error_unknown", because nobody can say whether the move is bigger
than a repeat of the test gives by itself.

A finding (a muscle group's status) is better when it went from a problem to normal,
worse the other way, and unchanged when the status is the same.

Pure: no files, no clock; the plain words for each verdict live in the content
(``messages.retest``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from backbalance.content.loader import Content
from backbalance.content.schema import SelfTest, SideDifferenceRule, ThresholdRule
from backbalance.content.vocabulary import ChangeVerdict as ChangeVerdict
from backbalance.content.vocabulary import Side, Status
from backbalance.core.types import Finding, SideResult, TestResult

ReadingSide = Literal["left", "right", "single"]

_DECIMALS = 1


@dataclass(frozen=True)
class ReadingChange:
    """One recorded field of one test on one side, then and now."""

    test: str
    side: ReadingSide
    field: str
    before: float | str | bool | None
    after: float | str | bool | None
    # after - before, for numbers read both times.
    difference: float | None
    # The measurement error in the reading's unit (a % error worked out from ``before``).
    error: float | None
    change: ChangeVerdict


@dataclass(frozen=True)
class FindingChange:
    """One muscle group's status on one side, at the earlier check-up and now."""

    muscle: str
    side: Side
    aspect: str
    before: Status | None
    after: Status | None
    change: ChangeVerdict


def better_direction(test: SelfTest, field: str) -> Literal["higher", "lower"] | None:
    """Which way a reading of ``field`` is better, from the test's own rules.

    A threshold rule that fires above its cut-off (``gt``/``ge``) marks high readings as
    the problem, so lower is better; ``lt``/``le`` the reverse; a side-difference rule
    names its worse side directly. Rules that disagree, or none: None (not judged).
    """
    ways: set[Literal["higher", "lower"]] = set()
    for rule in test.rules:
        if rule.field != field:
            continue
        if isinstance(rule, ThresholdRule):
            ways.add("lower" if rule.op in ("gt", "ge") else "higher")
        elif isinstance(rule, SideDifferenceRule):
            ways.add("higher" if rule.worse == "lower" else "lower")
    return ways.pop() if len(ways) == 1 else None


def error_for(test: SelfTest, field: str, before: float) -> float | None:
    """The test's measurement error for ``field``, in the field's unit, or None.

    A % error of a zero reading is None, not 0: a share of nothing says nothing about how
    far a repeat can move, and a 0 error would call every move real.
    """
    error = test.measurement_error
    if error is None:
        return None
    if error.unit == "%":
        return abs(before) * error.value / 100 if before != 0 else None
    if error.unit == test.field(field).unit:
        return error.value
    return None


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def compare_reading(
    test: SelfTest,
    side: ReadingSide,
    field: str,
    before: float | str | bool | None,
    after: float | str | bool | None,
) -> ReadingChange:
    """One field then and now, judged against the test's measurement error."""
    old, new = _number(before), _number(after)
    if old is None or new is None:
        # A choice, a yes/no, or a reading missing one of the times.
        if before is None or after is None:
            verdict: ChangeVerdict = "not_judged"
        else:
            verdict = "unchanged" if before == after else "changed"
        return ReadingChange(test.id, side, field, before, after, None, None, verdict)
    difference = new - old
    error = error_for(test, field, old)
    if error is None:
        # Without an error nothing can be said to be beyond it: only the same number
        # twice is plainly unchanged.
        verdict = "unchanged" if difference == 0 else "moved_error_unknown"
    elif abs(difference) <= error:
        # Reaching the error exactly is still within what a repeat can do by itself.
        verdict = "unchanged"
    else:
        way = better_direction(test, field)
        if way is None:
            verdict = "changed"
        else:
            went_up = difference > 0
            verdict = "better" if went_up == (way == "higher") else "worse"
    return ReadingChange(
        test.id,
        side,
        field,
        before,
        after,
        round(difference, _DECIMALS),
        None if error is None else round(error, _DECIMALS),
        verdict,
    )


def _sides(result: TestResult) -> Iterable[tuple[ReadingSide, SideResult | None]]:
    if result.single is not None:
        yield "single", result.single
    else:
        yield "left", result.left
        yield "right", result.right


def compare_tests(
    previous: Mapping[str, TestResult], current: Mapping[str, TestResult], content: Content
) -> tuple[ReadingChange, ...]:
    """Every test done both times, field by field and side by side, in content order.

    A side the person could not do one of the times has no number to compare: each of its
    fields is ``not_judged``.
    """
    changes: list[ReadingChange] = []
    for test in content.tests.values():
        if test.id not in previous or test.id not in current:
            continue
        before_sides = dict(_sides(previous[test.id]))
        for side, after_side in _sides(current[test.id]):
            before_side = before_sides.get(side)
            for spec in test.record:
                before = before_side.values.get(spec.id) if before_side else None
                after = after_side.values.get(spec.id) if after_side else None
                if before is None and after is None:
                    continue
                changes.append(compare_reading(test, side, spec.id, before, after))
    return tuple(changes)


def _problem(status: Status) -> bool:
    return status not in ("normal", "inconclusive")


def compare_findings(
    previous: Iterable[Finding], current: Iterable[Finding]
) -> tuple[FindingChange, ...]:
    """Each muscle group judged at either check-up, its status then and now.

    Problem to normal is better, normal to a problem is worse, the same status is
    unchanged, one problem turned into another is changed; inconclusive at either time, or
    judged only once, is not judged.
    """
    before = {(f.muscle, f.side, f.aspect): f.status for f in previous}
    after = {(f.muscle, f.side, f.aspect): f.status for f in current}
    changes: list[FindingChange] = []
    for key in sorted(before.keys() | after.keys()):
        old, new = before.get(key), after.get(key)
        if old is None or new is None or "inconclusive" in (old, new):
            verdict: ChangeVerdict = "not_judged"
        elif old == new:
            verdict = "unchanged"
        elif _problem(old) and not _problem(new):
            verdict = "better"
        elif not _problem(old) and _problem(new):
            verdict = "worse"
        else:
            verdict = "changed"
        muscle, side, aspect = key
        changes.append(FindingChange(muscle, side, aspect, old, new, verdict))
    return tuple(changes)
