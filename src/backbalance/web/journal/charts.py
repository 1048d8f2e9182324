"""The geometry of the progress page's figures, worked out on the server.

Pure functions from the day-by-day numbers to coordinates; the templates draw the SVG, so
every word on the figures stays translatable and no script is needed to see them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

# The rolling mean smooths the day-to-day ups and downs over one week. A display choice.
ROLLING_DAYS = 7

# Drawing area of the pain chart, in SVG user units (the figure scales to its box).
WIDTH, HEIGHT = 640, 300
# The right margin leaves room for half of the last date label.
LEFT, RIGHT, TOP, BOTTOM = 44, 40, 16, 40


class PainDay(Protocol):
    @property
    def day(self) -> date: ...
    @property
    def mean(self) -> float: ...


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    day: date
    value: float


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class DayTick:
    position: float
    day: date


@dataclass(frozen=True)
class PainChart:
    width: int
    height: int
    low: int
    high: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    points: list[Point]
    rolling: list[Point]
    y_ticks: list[Tick]
    x_ticks: list[DayTick]
    # For the text summary: mean pain over the last week and over the week before.
    last_week: float | None
    week_before: float | None
    # The first week's mean and the score a meaningful improvement has to reach (both
    # from the core), drawn as a dashed line and a band from the target down to no pain.
    baseline: float | None = None
    baseline_y: float | None = None
    target: float | None = None
    target_y: float | None = None

    @property
    def plot_width(self) -> int:
        return self.plot_right - self.plot_left

    @property
    def band_height(self) -> float:
        return 0.0 if self.target_y is None else self.plot_bottom - self.target_y

    @property
    def rolling_path(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.rolling)


def rolling_means(days: Sequence[PainDay], window: int = ROLLING_DAYS) -> list[tuple[date, float]]:
    """For each day with a check-in, the mean of the daily means over the ``window`` days
    ending on it (days without a check-in are left out, not counted as zero)."""
    result: list[tuple[date, float]] = []
    for index, current in enumerate(days):
        start = current.day - timedelta(days=window - 1)
        inside = [d.mean for d in days[: index + 1] if d.day >= start]
        result.append((current.day, sum(inside) / len(inside)))
    return result


def _mean_between(days: Sequence[PainDay], first: date, last: date) -> float | None:
    inside = [d.mean for d in days if first <= d.day <= last]
    return round(sum(inside) / len(inside), 1) if inside else None


def pain_chart(
    days: Sequence[PainDay],
    first_day: date,
    last_day: date,
    low: int,
    high: int,
    *,
    baseline: float | None = None,
    target: float | None = None,
) -> PainChart:
    span_days = max((last_day - first_day).days, 1)
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM

    def x_of(day: date) -> float:
        return LEFT + plot_w * (day - first_day).days / span_days

    def y_of(value: float) -> float:
        return TOP + plot_h * (high - value) / (high - low)

    points = [Point(x_of(d.day), y_of(d.mean), d.day, round(d.mean, 1)) for d in days]
    rolling = [
        Point(x_of(day), y_of(value), day, round(value, 1)) for day, value in rolling_means(days)
    ]
    y_ticks = [Tick(y_of(v), str(v)) for v in range(low, high + 1, 2)]
    # A label every other week, counted back from the last day.
    x_ticks = [
        DayTick(x_of(day), day)
        for weeks_back in range(0, span_days // 7 + 1, 2)
        if (day := last_day - timedelta(weeks=weeks_back)) >= first_day
    ]
    return PainChart(
        width=WIDTH,
        height=HEIGHT,
        low=low,
        high=high,
        plot_left=LEFT,
        plot_right=WIDTH - RIGHT,
        plot_top=TOP,
        plot_bottom=HEIGHT - BOTTOM,
        points=points,
        rolling=rolling,
        y_ticks=y_ticks,
        x_ticks=x_ticks,
        last_week=_mean_between(days, last_day - timedelta(days=ROLLING_DAYS - 1), last_day),
        week_before=_mean_between(
            days,
            last_day - timedelta(days=2 * ROLLING_DAYS - 1),
            last_day - timedelta(days=ROLLING_DAYS),
        ),
        baseline=None if baseline is None else round(baseline, 1),
        baseline_y=None if baseline is None else y_of(baseline),
        target=None if target is None else round(target, 1),
        target_y=None if target is None else y_of(target),
    )


@dataclass(frozen=True)
class CalendarDay:
    day: date
    sessions: int
    # 0 none, 1 one session, 2 two or more: the colour class of the square.
    shade: int
    future: bool


def adherence_weeks(
    sessions_by_day: Mapping[date, int], first_day: date, last_day: date
) -> list[list[CalendarDay]]:
    """The days from ``first_day`` to ``last_day`` in rows of seven, oldest week first."""
    weeks: list[list[CalendarDay]] = []
    day = first_day
    while day <= last_day:
        week: list[CalendarDay] = []
        for _ in range(7):
            count = sessions_by_day.get(day, 0)
            week.append(CalendarDay(day, count, min(count, 2), day > last_day))
            day += timedelta(days=1)
        weeks.append(week)
    return weeks


# --------------------------------------------------------------------------- what helps

# The interval figure of one habit, in SVG user units.
BAR_WIDTH, BAR_HEIGHT, BAR_MARGIN = 320, 44, 16


@dataclass(frozen=True)
class IntervalBar:
    """A difference with its interval on a line centred on zero (no difference)."""

    width: int
    height: int
    zero_x: float
    low_x: float
    high_x: float
    mark_x: float
    extent: float
    left_x: int
    right_x: int

    @property
    def span(self) -> float:
        return self.high_x - self.low_x


def interval_extent(ranges: Sequence[tuple[float, float]]) -> float:
    """One scale for every figure on the page, so their bars can be compared by eye: the
    widest interval end, rounded up to a whole point (1 at least)."""
    widest = max((max(abs(low), abs(high)) for low, high in ranges), default=0.0)
    return float(max(1, -(-widest // 1)))


def interval_bar(difference: float, low: float, high: float, extent: float) -> IntervalBar:
    plot = BAR_WIDTH - 2 * BAR_MARGIN

    def x_of(value: float) -> float:
        return BAR_MARGIN + plot * (value + extent) / (2 * extent)

    return IntervalBar(
        width=BAR_WIDTH,
        height=BAR_HEIGHT,
        zero_x=x_of(0),
        low_x=x_of(low),
        high_x=x_of(high),
        mark_x=x_of(difference),
        extent=extent,
        left_x=BAR_MARGIN,
        right_x=BAR_WIDTH - BAR_MARGIN,
    )
