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

Some findings exist only when a rule fires (a left-right difference, a ratio): at the
check-up where it did not fire there is no finding at all. When every reading behind such
a finding was taken both times, the time without it counts as normal (``not_found`` says
which time); when any of them is missing, the finding was judged only once: not judged.

A finding (a muscle group's status) is better when it went from a problem to normal,
worse the other way, changed when one problem turned into another, and unchanged when the
status is the same. A status can flip because a reading crossed a cut-off by less than a
repeat of the test moves by itself, so a flipped status is weighed against the readings
behind it (the fields of the rules its evidence names, at either time, on its side; for a
ratio, both operands), as ``compare_tests`` judged them:

- at least one of them moved beyond its measurement error the way the status went:
  better, worse or changed, as the status says;
- otherwise, when one of them moved with no measurement error to weigh it (none in the
  content, a choice or a yes/no, a reading missing one of the times), or none of them was
  repeated: the status verdict stands, with ``error_unknown`` set, so it is never shown
  as beyond a measurement error nobody has a figure for;
- otherwise (every one of them stayed within its error, or went beyond it only the other
  way): ``within_error``, the status changed but a repeat of the test could give that by
  itself.

Pure: no files, no clock; the plain words for each verdict live in the content
(``messages.retest``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Literal

from backbalance.content.loader import Content
from backbalance.content.schema import SelfTest, SideDifferenceRule, ThresholdRule
from backbalance.content.vocabulary import ChangeVerdict as ChangeVerdict
from backbalance.content.vocabulary import Side, Status
from backbalance.core.assessment import ASPECT_OF
from backbalance.core.types import Evidence, Finding, SideResult, TestResult
from backbalance.core.value import Value

ReadingSide = Literal["left", "right", "single"]

_DECIMALS = 1


class ReadingChange(Value, frozen=True):
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


class FindingChange(Value, frozen=True):
    """One muscle group's status on one side, at the earlier check-up and now."""

    muscle: str
    side: Side
    aspect: str
    before: Status | None
    after: Status | None
    change: ChangeVerdict
    # A status that flipped with no reading behind it weighed against a measurement
    # error: better or worse from the status alone, never "beyond the error".
    error_unknown: bool = False
    # The readings behind the finding at either time, as compare_tests judged them.
    readings: tuple[ReadingChange, ...] = ()
    # Found only one of the times although every reading behind it was taken both times:
    # at the other time ("before" or "now") the same tests showed nothing unusual about
    # this muscle group (a rule that names it did not fire), so that time counts as normal.
    not_found: Literal["before", "now"] | None = None


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


def _status_verdict(old: Status | None, new: Status | None) -> ChangeVerdict:
    if old is None or new is None or "inconclusive" in (old, new):
        return "not_judged"
    if old == new:
        return "unchanged"
    if _problem(old) and not _problem(new):
        return "better"
    if not _problem(old) and _problem(new):
        return "worse"
    return "changed"


Way = Literal["higher", "lower"]


class _Behind(Value, frozen=True):
    """A reading a finding rests on, and which way of it leads towards normal."""

    test: str
    field: str
    sides: tuple[ReadingSide, ...]
    # None when either way can lead there (a left-right difference) or nobody says.
    towards_normal: Way | None


def _reading_sides(side: Side) -> tuple[ReadingSide, ...]:
    # A one-sided finding rests on that side's reading or on a test done once for both;
    # a midline (bilateral) finding on every reading of the test.
    if side == "bilateral":
        return ("left", "right", "single")
    return (side, "single")


def _rule_way(rule: object) -> Way | None:
    """The way a rule's reading moves away from firing (towards normal)."""
    if isinstance(rule, ThresholdRule):
        return "lower" if rule.op in ("gt", "ge") else "higher"
    return None


def _behind(finding: Finding, evidence: Evidence, content: Content) -> Iterator[_Behind]:
    if evidence.divided_by is not None:
        # A ratio: both holds behind it. Above a "gt" cut-off is the problem, so a
        # shorter top hold and a longer bottom hold lead towards normal.
        for ratio in content.ratios:
            if ratio.id != evidence.rule or ratio.op is None:
                continue
            high_is_problem = ratio.op in ("gt", "ge")
            top: Way = "lower" if high_is_problem else "higher"
            bottom: Way = "higher" if high_is_problem else "lower"
            for operand, way in ((ratio.numerator, top), (ratio.denominator, bottom)):
                side: ReadingSide = operand.side or "single"
                yield _Behind(operand.test, operand.field, (side,), way)
        return
    test = content.tests.get(evidence.test)
    if test is None:
        return
    for rule in test.rules:
        if evidence.rule == "no_rule_fired":
            # Normal because none of the rules about this muscle fired: all of them.
            about_it = not isinstance(rule, SideDifferenceRule) and any(
                e.muscle == finding.muscle
                and e.status is not None
                and ASPECT_OF[e.status] == finding.aspect
                for e in rule.effects
            )
            if not about_it:
                continue
        elif rule.id != evidence.rule:
            continue
        if isinstance(rule, SideDifferenceRule):
            # Left against right: both sides are behind it, and either can close the gap.
            yield _Behind(test.id, rule.field, ("left", "right"), None)
        else:
            yield _Behind(test.id, rule.field, _reading_sides(finding.side), _rule_way(rule))


def _moved_beyond_error(change: ReadingChange) -> bool:
    return change.error is not None and change.change in ("better", "worse", "changed")


def _moved_unweighed(change: ReadingChange) -> bool:
    """A reading that moved, or was missing once, with no measurement error to weigh it."""
    return change.error is None and change.change in (
        "moved_error_unknown",
        "changed",
        "not_judged",
    )


def _towards_normal(change: ReadingChange, way: Way | None) -> bool | None:
    old, new = _number(change.before), _number(change.after)
    if way is None or old is None or new is None:
        return None
    return (new > old) == (way == "higher")


def _weigh(
    verdict: ChangeVerdict, behind: list[tuple[ReadingChange, Way | None]]
) -> tuple[ChangeVerdict, bool]:
    """A flipped status's verdict and its ``error_unknown`` flag, from the readings."""
    for change, way in behind:
        if not _moved_beyond_error(change):
            continue
        towards = _towards_normal(change, way)
        if verdict == "changed" or towards is None or towards == (verdict == "better"):
            return verdict, False
    if any(_moved_unweighed(change) for change, _ in behind):
        return verdict, True
    if any(change.error is not None for change, _ in behind):
        return "within_error", False
    # Nothing behind it was repeated, or nothing that moved: no figure to weigh it with.
    return verdict, True


def _readings_behind(
    findings: Iterable[Finding],
    judged: Mapping[tuple[str, str, ReadingSide], ReadingChange],
    content: Content,
) -> list[tuple[ReadingChange, Way | None]]:
    """Each judged reading behind these findings (one muscle group then and now), with
    the way of it that leads towards normal; a reading can come twice with two ways (its
    own test's rule and a ratio)."""
    behind: dict[tuple[str, str, ReadingSide, Way | None], ReadingChange] = {}
    for finding in findings:
        for evidence in finding.evidence:
            for reading in _behind(finding, evidence, content):
                for side in reading.sides:
                    found = judged.get((reading.test, reading.field, side))
                    if found is not None:
                        behind[(reading.test, reading.field, side, reading.towards_normal)] = found
    return [(change, key[3]) for key, change in behind.items()]


def compare_findings(
    previous: Iterable[Finding],
    current: Iterable[Finding],
    readings: Iterable[ReadingChange],
    content: Content,
) -> tuple[FindingChange, ...]:
    """Each muscle group judged at either check-up, its status then and now.

    Problem to normal is better, normal to a problem is worse, the same status is
    unchanged, one problem turned into another is changed; inconclusive at either time, or
    judged only once, is not judged (a finding absent once although its readings were all
    taken both times counts as normal that time: ``not_found``). A flipped status is then
    weighed against the ``readings`` (``compare_tests``) behind it, as the module
    docstring says.
    """
    before = {(f.muscle, f.side, f.aspect): f for f in previous}
    after = {(f.muscle, f.side, f.aspect): f for f in current}
    judged = {(r.test, r.field, r.side): r for r in readings}
    changes: list[FindingChange] = []
    for key in sorted(before.keys() | after.keys()):
        old, new = before.get(key), after.get(key)
        old_status = old.status if old else None
        new_status = new.status if new else None
        behind = _readings_behind([f for f in (old, new) if f is not None], judged, content)
        not_found: Literal["before", "now"] | None = None
        if (old is None) != (new is None) and _taken_both_times(behind):
            not_found = "before" if old is None else "now"
        verdict = _status_verdict(
            "normal" if not_found == "before" else old_status,
            "normal" if not_found == "now" else new_status,
        )
        error_unknown = False
        if verdict in ("better", "worse", "changed"):
            verdict, error_unknown = _weigh(verdict, behind)
        muscle, side, aspect = key
        changes.append(
            FindingChange(
                muscle,
                side,
                aspect,
                old_status,
                new_status,
                verdict,
                error_unknown,
                tuple(dict.fromkeys(change for change, _ in behind)),
                not_found,
            )
        )
    return tuple(changes)


def _taken_both_times(behind: list[tuple[ReadingChange, Way | None]]) -> bool:
    """Every reading behind a finding was recorded at both check-ups (none missing, none
    "could not do"): then a finding present only once means the other time's readings
    showed nothing unusual, not that nobody looked."""
    return bool(behind) and all(
        change.before is not None and change.after is not None for change, _ in behind
    )
