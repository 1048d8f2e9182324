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
from array import array
from collections.abc import Collection, Mapping, Sequence
from datetime import date, timedelta

from backbalance.content.schema_outcomes import WhatHelps
from backbalance.content.wording import fill
from backbalance.core.progress import DailyPain
from backbalance.core.value import Value

# Shown to one decimal, as pain ratings are.
_DECIMALS = 1
# The bootstrap's seed: fixed so that a diary always gives the same interval. Any number
# would do; it carries no meaning.
_SEED = 20261129


class HabitComparison(Value, frozen=True):
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
    return what_helps({habit: done_on}, diary, settings)[0]


def what_helps(
    habits: Mapping[str, Collection[date]], diary: Sequence[DailyPain], settings: WhatHelps
) -> tuple[HabitComparison, ...]:
    """Every habit compared, in the order given.

    The diary is detrended once and the bootstrap's resamples are drawn once, for all
    habits: each habit then only sorts the same resampled days into those with it and
    those without.
    """
    residuals = _recent_residuals(diary, settings)
    days = sorted(residuals)
    bootstrap = _BlockBootstrap(
        [residuals[day] for day in days],
        int(settings.trend_window_days.value),
        int(settings.resamples.value),
    )
    return tuple(
        _compare(name, set(done_on), days, bootstrap, settings) for name, done_on in habits.items()
    )


def recent_since(latest: date, settings: WhatHelps) -> date:
    """The last day left out of a diary whose latest entry is on ``latest``.

    Only the days after it are read: what helps now. A caller reading a diary from storage
    need fetch no more than that.
    """
    return latest - timedelta(days=int(settings.recent_days.value))


def _recent_residuals(diary: Sequence[DailyPain], settings: WhatHelps) -> dict[date, float]:
    """The detrended next-day pain over the recent stretch of the diary only."""
    if not diary:
        return {}
    since = recent_since(max(entry.day for entry in diary), settings)
    recent = [entry for entry in diary if entry.day > since]
    return detrended_next_day(recent, int(settings.trend_window_days.value))


def _compare(
    habit: str,
    done: set[date],
    days: Sequence[date],
    bootstrap: _BlockBootstrap,
    settings: WhatHelps,
) -> HabitComparison:
    """One habit against the detrended days (``days`` in order, ``bootstrap`` their values)."""
    marks = [day in done for day in days]
    with_habit = [
        value for value, was_done in zip(bootstrap.values, marks, strict=True) if was_done
    ]
    without = [
        value for value, was_done in zip(bootstrap.values, marks, strict=True) if not was_done
    ]
    counts = {"habit": habit, "with_days": len(with_habit), "without_days": len(without)}
    if (
        len(with_habit) < settings.min_days_with.value
        or len(without) < settings.min_days_without.value
    ):
        needed = int(max(settings.min_days_with.value, settings.min_days_without.value))
        says = fill(settings.not_enough, needed=needed, **counts)
        return HabitComparison(habit, len(with_habit), len(without), None, None, None, says)
    difference = _mean(with_habit) - _mean(without)
    low, high = bootstrap.interval(marks, settings.interval_percent.value)
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


def _signed(value: float) -> str:
    """+0.3, -0.2, and a plain 0 (never "+0" or "-0", which read as a change)."""
    return "0" if value == 0 else f"{value:+g}"


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


class _BlockBootstrap:
    """A percentile interval for a difference, from a moving-block bootstrap of the days.

    Neighbouring days share part of their trend window, so their residuals are not
    independent; resampling runs of ``block`` consecutive days keeps that dependence, where
    resampling single days would give an interval that looks surer than it is.

    A resample is a row of block starts: enough blocks to fill exactly as many days as
    there are, the last one cut short to fit. The rows come from a fixed seed, so the same
    diary always gives the same interval. They are drawn once, when the first habit needs
    them, and every habit is resampled along the same rows, just as each would be on its
    own from the same seed: only the split into days with and without the habit differs.
    """

    def __init__(self, values: Sequence[float], block: int, resamples: int) -> None:
        self.values = list(values)
        self.block = min(block, len(values))
        self.resamples = resamples
        self._drawn: tuple[list[array[int]], list[float]] | None = None

    def _spans(self) -> list[tuple[int, int]]:
        """Every block a row can name, as (first day, length): whole blocks, then cut ones."""
        count = len(self.values)
        blocks_needed = -(-count // self.block)
        last_length = count - (blocks_needed - 1) * self.block
        starts = range(count - self.block + 1)
        return [(start, self.block) for start in starts] + [
            (start, last_length) for start in starts
        ]

    def _rows(self) -> tuple[list[array[int]], list[float]]:
        """The resamples, each a row of indices into :meth:`_spans`, and each one's total.

        A row is an ``array``, not a list: arrays hold no references, so the garbage
        collector never has to visit the thousands of rows a page keeps for a while.
        """
        if self._drawn is None:
            count = len(self.values)
            choices = count - self.block + 1
            blocks_needed = -(-count // self.block)
            starts = _uniform_draws(random.Random(_SEED), choices, self.resamples * blocks_needed)
            rows = []
            for first in range(0, len(starts), blocks_needed):
                row = array("l", starts[first : first + blocks_needed])
                row[-1] += choices  # the last block is a cut one, listed after the whole
                rows.append(row)
            span_totals = [sum(self.values[start : start + n]) for start, n in self._spans()]
            self._drawn = rows, [sum(map(span_totals.__getitem__, row)) for row in rows]
        return self._drawn

    def interval(self, done: Sequence[bool], percent: float) -> tuple[float, float]:
        """The ``percent`` % interval of (mean on days with) - (mean on days without).

        ``done`` says, day by day in the order of ``values``, whether the habit was done.
        """
        rows, row_totals = self._rows()
        count = len(self.values)
        # Each block's pain total and number of days with the habit, worked out once and
        # held as one complex number (real: the total, imaginary: the number) so that a
        # resample adds up its few blocks in one pass of ``sum`` without visiting any day.
        marked = [
            complex(value, 1) if was_done else 0j
            for value, was_done in zip(self.values, done, strict=True)
        ]
        span_totals = [sum(marked[start : start + n], 0j) for start, n in self._spans()]
        with_habit = [sum(map(span_totals.__getitem__, row), 0j) for row in rows]
        # Every resample holds exactly ``count`` days: the others are days without it.
        differences = [
            total.real / total.imag - (row_total - total.real) / (count - total.imag)
            for total, row_total in zip(with_habit, row_totals, strict=True)
            if 0 < total.imag < count
        ]
        differences.sort()
        tail = (100 - percent) / 200
        last = len(differences) - 1
        return differences[int(tail * last)], differences[int((1 - tail) * last)]


def _uniform_draws(chooser: random.Random, below: int, count: int) -> list[int]:
    """``count`` whole numbers from 0 to ``below`` - 1, each as likely as the others.

    Each takes just enough random bits to reach ``below``, and a value too large is thrown
    away and drawn again: what ``random.randrange`` does one number at a time (in CPython
    the numbers are the ones it gives; a test checks it), done here in bulk, which is
    several times quicker.
    """
    bits = below.bit_length()
    draw = chooser.getrandbits
    drawn: list[int] = []
    while len(drawn) < count:
        wanted = count - len(drawn)
        # At least half of the values are small enough, so half as many again nearly
        # always suffices; the loop covers the rare batch that falls short.
        batch = [draw(bits) for _ in range(wanted + wanted // 2 + 8)]
        drawn += [value for value in batch if value < below]
    return drawn[:count]
