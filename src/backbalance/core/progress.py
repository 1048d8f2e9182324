"""Judge change against the minimal clinically important difference (MCID).

Every measure (pain, PSFS, ODI, RMDQ) is judged with the MCID its questionnaire carries in
the content, by :func:`~backbalance.core.instruments.mcid_reached` and
:func:`~backbalance.core.instruments.mcid_worsened`: either the change in points or the
change as a percent of the start is enough, and reaching the figure exactly counts. A daily
pain diary is smoothed into a rolling mean first, so one good or bad day decides nothing.

Pure functions: no files, no clock. The plain words come from ``outcomes.yaml``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from backbalance.content.schema import Instrument
from backbalance.content.schema_outcomes import ChangeKind, ChangeWords
from backbalance.core.instruments import ItemChange, item_changes, mcid_reached, mcid_worsened
from backbalance.core.types import Score
from backbalance.core.value import Value

# Shown numbers: one decimal, as the questionnaires' scores are.
_DECIMALS = 1


class MeasureChange(Value, frozen=True):
    """How one measure changed from ``before`` to ``after``, judged against its MCID."""

    measure: str
    before: float
    after: float
    change: ChangeKind
    # The plain statement from the content, e.g. "not yet meaningful".
    says: str
    # For the PSFS: each activity rated both times, judged against the per-activity MCID.
    items: tuple[ItemChange, ...] = ()


class DailyPain(Value, frozen=True):
    """One pain rating (0 to 10) on one day."""

    day: date
    pain: float


class PainTrend(Value, frozen=True):
    """A pain diary smoothed into a rolling mean, with its first and latest windows judged."""

    window_days: int
    rolling: tuple[DailyPain, ...]
    change: MeasureChange | None


def change_kind(instrument: Instrument, before: float, after: float) -> ChangeKind:
    """Improved or worse by at least the MCID, or neither.

    Worse is checked first: should a questionnaire's figures ever allow both, safety wins.
    """
    if mcid_worsened(instrument, before, after):
        return "worse_meaningfully"
    if mcid_reached(instrument, before, after):
        return "improved_meaningfully"
    return "not_yet_meaningful"


def judge_change(
    instrument: Instrument, before: float, after: float, words: ChangeWords
) -> MeasureChange:
    """One measure's change from ``before`` to ``after``, with its plain statement."""
    kind = change_kind(instrument, before, after)
    return MeasureChange(
        measure=instrument.id,
        before=round(before, _DECIMALS),
        after=round(after, _DECIMALS),
        change=kind,
        says=words.of(kind),
    )


def judge_items(
    instrument: Instrument, before: Score, after: Score, words: ChangeWords
) -> MeasureChange:
    """A questionnaire scored as the mean of several ratings (the PSFS).

    The mean is judged against its MCID, and each activity rated both times against the
    per-activity MCID. One activity worse by its MCID makes the whole measure worse (safety
    first); otherwise the mean or any one activity reaching its MCID is an improvement.
    """
    if before.value is None or after.value is None:
        raise ValueError("judge_items needs two scores with a value")
    items = item_changes(instrument, before, after)
    kind = change_kind(instrument, before.value, after.value)
    if kind != "worse_meaningfully":
        if any(item.worsened for item in items):
            kind = "worse_meaningfully"
        elif any(item.reached for item in items):
            kind = "improved_meaningfully"
    return MeasureChange(
        measure=instrument.id,
        before=round(before.value, _DECIMALS),
        after=round(after.value, _DECIMALS),
        change=kind,
        says=words.of(kind),
        items=items,
    )


def window_mean(diary: Sequence[DailyPain], end: date, window_days: int) -> float | None:
    """The mean of the ratings in the ``window_days`` days up to and including ``end``.

    None when there is no rating in that window. Several ratings on one day each count.
    """
    start = end - timedelta(days=window_days - 1)
    inside = [reading.pain for reading in diary if start <= reading.day <= end]
    if not inside:
        return None
    return sum(inside) / len(inside)


def rolling_mean(diary: Sequence[DailyPain], window_days: int) -> tuple[DailyPain, ...]:
    """For every day with a rating, the mean of the window that ends on that day."""
    days = sorted({reading.day for reading in diary})
    means: list[DailyPain] = []
    for day in days:
        mean = window_mean(diary, day, window_days)
        if mean is not None:
            means.append(DailyPain(day, mean))
    return tuple(means)


def pain_trend(
    diary: Sequence[DailyPain],
    instrument: Instrument,
    words: ChangeWords,
    window_days: int,
    *,
    since: date | None = None,
    as_of: date | None = None,
) -> PainTrend:
    """The diary's rolling mean, and the change from the first window to the latest one.

    The first window ends ``window_days - 1`` days after the first rating on or after
    ``since`` (so it is a full window of the start), the latest one ends on ``as_of`` (the
    last rating by default). Ratings after ``as_of`` are left out. No change is judged when
    the two windows overlap: a week compared with itself says nothing.
    """
    kept = [r for r in diary if (as_of is None or r.day <= as_of)]
    if since is not None:
        kept = [r for r in kept if r.day >= since]
    rolling = rolling_mean(kept, window_days)
    if not kept:
        return PainTrend(window_days, rolling, None)
    first_day = min(r.day for r in kept)
    last_day = as_of if as_of is not None else max(r.day for r in kept)
    first_end = first_day + timedelta(days=window_days - 1)
    if last_day - timedelta(days=window_days - 1) <= first_end:
        return PainTrend(window_days, rolling, None)
    before = window_mean(kept, first_end, window_days)
    after = window_mean(kept, last_day, window_days)
    if before is None or after is None:
        return PainTrend(window_days, rolling, None)
    return PainTrend(window_days, rolling, judge_change(instrument, before, after, words))


def weekly_slope(diary: Sequence[DailyPain]) -> float | None:
    """The least-squares slope of the ratings, in points a week; None for fewer than two days."""
    if len({r.day for r in diary}) < 2:
        return None
    origin = min(r.day for r in diary)
    xs = [(r.day - origin).days for r in diary]
    ys = [r.pain for r in diary]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    slope_per_day = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread
    return slope_per_day * 7


def meaningful_target(instrument: Instrument, before: float) -> float | None:
    """The score at which a change from ``before`` becomes a meaningful improvement.

    Either MCID rule is enough, so the target is the nearer of the two: ``before`` moved
    by the points, or by the percent of ``before``, in the instrument's better direction.
    None when the instrument has no MCID, or when the target lies beyond the end of the
    scale (from 9 of 10, a 2-point gain cannot be made). Charts draw
    it as the line a person's scores have to pass; :func:`change_kind` stays the judge.
    """
    mcid = instrument.mcid
    if mcid is None:
        return None
    steps = []
    if mcid.points is not None:
        steps.append(mcid.points.value)
    if mcid.percent is not None and before != 0:
        steps.append(abs(before) * mcid.percent.value / 100)
    if not steps:
        return None
    low, high = instrument.score_range
    target = before - min(steps) if instrument.better == "lower" else before + min(steps)
    return target if low <= target <= high else None
