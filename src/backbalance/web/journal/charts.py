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
    days: Sequence[PainDay], first_day: date, last_day: date, low: int, high: int
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
