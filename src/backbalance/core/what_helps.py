"""What helps me: next-day pain after days with a habit, against days without it.

For each habit (an exercise, a device session, a kind of appointment) the days it was
done are compared with the days it was not, on the pain rated the day after. The
person's own trend is taken out first: each next-day rating is compared with a centred
moving mean of the diary around it, so a general recovery (pain falling week by week) is
not credited to whatever habit was started most recently. The difference comes with a
bootstrap interval from a fixed seed, so the same diary always gives the same range.

The wording shows what went together, never what caused what. Below the content's
minimum number of days with and without the habit, the answer is "not enough data yet".
Pure: no files, no clock.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from backbalance.content.schema_outcomes import WhatHelps
from backbalance.content.wording import fill
from backbalance.core.progress import DailyPain

# Shown to one decimal, as pain ratings are.
_DECIMALS = 1
# The bootstrap's seed: fixed so that a diary always gives the same interval. Any number
# would do; it carries no meaning.
_SEED = 20261129


@dataclass(frozen=True)
class HabitComparison:
    """Next-day pain after days with ``habit`` minus after days without it (negative: lower).

    ``difference``, ``low`` and ``high`` are None when there are not enough days yet.
    """

    habit: str
    with_days: int
    without_days: int
    difference: float | None
    low: float | None
    high: float | None
    says: str


def detrended_next_day(diary: Sequence[DailyPain], window_days: int) -> dict[date, float]:
    """For each day whose next day has a rating: that rating minus the trend around it.

    The trend is the mean of the other ratings in a window centred on the next day. Days whose
    window would reach past either end of the diary are left out, because a window cut
    short is no longer centred and would follow the trend late.
    """
    by_day: dict[date, list[float]] = {}
    for reading in diary:
        by_day.setdefault(reading.day, []).append(reading.pain)
    if not by_day:
        return {}
    first, last = min(by_day), max(by_day)
    half = window_days // 2
    residuals: dict[date, float] = {}
    for day, ratings in by_day.items():
        start, end = day - timedelta(days=half), day + timedelta(days=window_days - 1 - half)
        if start < first or end > last:
            continue
        # The day itself is left out of its own trend: were it in, a day's effect would be
        # partly taken out with the trend, and every difference would shrink towards 0.
        around = [
            pain
            for offset in range(window_days)
            if start + timedelta(days=offset) != day
            for pain in by_day.get(start + timedelta(days=offset), [])
        ]
        if not around:
            continue
        trend = sum(around) / len(around)
        residuals[day - timedelta(days=1)] = sum(ratings) / len(ratings) - trend
    return residuals


def compare_habit(
    habit: str,
    done_on: Collection[date],
    diary: Sequence[DailyPain],
    settings: WhatHelps,
) -> HabitComparison:
    """Next-day pain, trend taken out, after days with the habit against days without it."""
    return _compare(habit, done_on, _recent_residuals(diary, settings), settings)


def _recent_residuals(diary: Sequence[DailyPain], settings: WhatHelps) -> dict[date, float]:
    """The detrended next-day pain over the recent stretch of the diary only."""
    if not diary:
        return {}
    since = max(entry.day for entry in diary) - timedelta(days=int(settings.recent_days.value))
    recent = [entry for entry in diary if entry.day > since]
    return detrended_next_day(recent, int(settings.trend_window_days.value))


def _compare(
    habit: str,
    done_on: Collection[date],
    residuals: Mapping[date, float],
    settings: WhatHelps,
) -> HabitComparison:
    done = set(done_on)
    with_habit = [value for day, value in residuals.items() if day in done]
    without = [value for day, value in residuals.items() if day not in done]
    counts = {"habit": habit, "with_days": len(with_habit), "without_days": len(without)}
    if (
        len(with_habit) < settings.min_days_with.value
        or len(without) < settings.min_days_without.value
    ):
        needed = int(max(settings.min_days_with.value, settings.min_days_without.value))
        says = fill(settings.not_enough, needed=needed, **counts)
        return HabitComparison(habit, len(with_habit), len(without), None, None, None, says)
    difference = _mean(with_habit) - _mean(without)
    days_in_order = [(value, day in done) for day, value in sorted(residuals.items())]
    low, high = _block_bootstrap_interval(
        days_in_order,
        int(settings.trend_window_days.value),
        int(settings.resamples.value),
        settings.interval_percent.value,
    )
    difference, low, high = (round(v, _DECIMALS) for v in (difference, low, high))
    says = fill(
        settings.says,
        difference=_signed(difference),
        low=_signed(low),
        high=_signed(high),
        interval=f"{settings.interval_percent.value:g}",
        **counts,
    )
    return HabitComparison(habit, len(with_habit), len(without), difference, low, high, says)


def what_helps(
    habits: Mapping[str, Collection[date]], diary: Sequence[DailyPain], settings: WhatHelps
) -> tuple[HabitComparison, ...]:
    """Every habit compared, in the order given (the diary is detrended once for all)."""
    residuals = _recent_residuals(diary, settings)
    return tuple(_compare(name, days, residuals, settings) for name, days in habits.items())


def _signed(value: float) -> str:
    """+0.3, -0.2, and a plain 0 (never "+0" or "-0", which read as a change)."""
    return "0" if value == 0 else f"{value:+g}"


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def _totals(days: Sequence[tuple[float, bool]]) -> tuple[float, int, float, int]:
    """Sum and count of the days with the habit, then of the days without it."""
    with_habit = [value for value, done in days if done]
    without = [value for value, done in days if not done]
    return sum(with_habit), len(with_habit), sum(without), len(without)


def _block_bootstrap_interval(
    days: Sequence[tuple[float, bool]], block: int, resamples: int, percent: float
) -> tuple[float, float]:
    """A percentile interval for the difference, from a moving-block bootstrap.

    Neighbouring days share part of their trend window, so their residuals are not
    independent; resampling runs of ``block`` consecutive days keeps that dependence, where
    resampling single days would give an interval that looks surer than it is.
    """
    chooser = random.Random(_SEED)
    count = len(days)
    block = min(block, count)
    blocks_needed = -(-count // block)
    # The last block is cut to fill exactly ``count`` days.
    last_length = count - (blocks_needed - 1) * block
    # Each possible block's totals, worked out once: a resample then adds up a few block
    # totals instead of copying and re-reading every day it draws.
    whole = [_totals(days[start : start + block]) for start in range(count - block + 1)]
    cut = [_totals(days[start : start + last_length]) for start in range(count - block + 1)]
    differences: list[float] = []
    for _ in range(resamples):
        sum_with = n_with = sum_without = n_without = 0.0
        for number in range(blocks_needed):
            start = chooser.randrange(count - block + 1)
            totals = cut[start] if number == blocks_needed - 1 else whole[start]
            sum_with += totals[0]
            n_with += totals[1]
            sum_without += totals[2]
            n_without += totals[3]
        if n_with and n_without:
            differences.append(sum_with / n_with - sum_without / n_without)
    differences.sort()
    tail = (100 - percent) / 200
    last = len(differences) - 1
    return differences[int(tail * last)], differences[int((1 - tail) * last)]
