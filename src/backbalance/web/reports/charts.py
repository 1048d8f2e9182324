"""The geometry of the report's two figures, worked out on the server.

Pure functions from numbers to coordinates; the template draws the SVG with plain
presentation attributes (``fill``, ``stroke``), not style sheet classes, so the page and
the PDF (WeasyPrint draws an inline SVG without the page's style sheets) look the same.
Nothing here judges anything: which weekly means are meaningful changes, and where the
meaningful-change lines sit, come from the core (see ``services.pain_trend_for``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from backbalance.web.journal.charts import DayTick, Tick

# Drawing areas in SVG user units (the figures scale to their box).
WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 40, 180, 14, 36
BARS_HEIGHT = 180


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    day: date
    value: float
    # For a weekly mean: how it compares with the first week (a core ChangeKind).
    change: str = ""


# The colour of each kind of meaningful-change line and mark: calm green for better, red
# for worse, ink for the first week. Presentation only.
LEVEL_COLOURS = {
    "improved_meaningfully": "#2f6b2f",
    "worse_meaningfully": "#a11d1d",
    "first_week": "#44525c",
}


@dataclass(frozen=True)
class Level:
    """A horizontal line across the chart, labelled at its right end."""

    y: float
    value: float
    kind: str

    @property
    def colour(self) -> str:
        return LEVEL_COLOURS[self.kind]


@dataclass(frozen=True)
class TrendChart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    points: list[Point]
    weekly: list[Point]
    levels: list[Level]
    y_ticks: list[Tick]
    x_ticks: list[DayTick]

    @property
    def weekly_path(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.weekly)

    @property
    def label_x(self) -> int:
        return self.plot_right + 6


def trend_chart(
    daily: Sequence[tuple[date, float]],
    weekly: Sequence[tuple[date, float, str]],
    levels: Sequence[tuple[float, str]],
    first_day: date,
    last_day: date,
    low: float,
    high: float,
) -> TrendChart:
    """Daily means as dots, the weekly mean as a line, and the meaningful-change levels."""
    plot_w, span = WIDTH - RIGHT - LEFT, max((last_day - first_day).days, 1)
    plot_h = HEIGHT - TOP - BOTTOM

    def x_of(day: date) -> float:
        return LEFT + plot_w * (day - first_day).days / span

    def y_of(value: float) -> float:
        return TOP + plot_h * (high - value) / (high - low)

    step = 2 if high - low > 5 else 1
    x_ticks = _day_ticks(first_day, last_day, x_of)
    return TrendChart(
        width=WIDTH,
        height=HEIGHT,
        plot_left=LEFT,
        plot_right=WIDTH - RIGHT,
        plot_top=TOP,
        plot_bottom=HEIGHT - BOTTOM,
        points=[Point(x_of(day), y_of(value), day, round(value, 1)) for day, value in daily],
        weekly=[
            Point(x_of(day), y_of(value), day, round(value, 1), change)
            for day, value, change in weekly
        ],
        levels=[Level(y_of(value), round(value, 1), kind) for value, kind in levels],
        y_ticks=[Tick(y_of(v), f"{v:g}") for v in range(int(low), int(high) + 1, step)],
        x_ticks=x_ticks,
    )


def _day_ticks(first_day: date, last_day: date, x_of: Callable[[date], float]) -> list[DayTick]:
    """About six date labels, counted back from the last day in whole weeks."""
    span = (last_day - first_day).days
    weeks_between = max(1, round(span / 7 / 5))
    ticks = []
    day = last_day
    while day >= first_day:
        ticks.append(DayTick(x_of(day), day))
        day -= timedelta(weeks=weeks_between)
    return list(reversed(ticks))


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    week_start: date
    days: int
    sessions: int


@dataclass(frozen=True)
class WeekBars:
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    bars: list[Bar]
    y_ticks: list[Tick]
    # The days a week the routine plans, as a line; None without a routine.
    planned_y: float | None
    planned: int | None


def week_bars(weeks: Sequence[tuple[date, int, int]], planned: int | None) -> WeekBars:
    """One bar per week: the days with a session (0 to 7), and the planned days as a line."""
    top, bottom = TOP, BARS_HEIGHT - BOTTOM
    left, right = LEFT, WIDTH - RIGHT
    slot = (right - left) / max(len(weeks), 1)

    def y_of(days: float) -> float:
        return bottom - (bottom - top) * days / 7

    bars = [
        Bar(
            x=left + slot * n + slot * 0.15,
            y=y_of(days),
            width=slot * 0.7,
            height=bottom - y_of(days),
            week_start=start,
            days=days,
            sessions=sessions,
        )
        for n, (start, days, sessions) in enumerate(weeks)
    ]
    return WeekBars(
        width=WIDTH,
        height=BARS_HEIGHT,
        plot_left=left,
        plot_right=right,
        plot_top=top,
        plot_bottom=bottom,
        bars=bars,
        y_ticks=[Tick(y_of(v), str(v)) for v in (0, 2, 4, 6)],
        planned_y=y_of(planned) if planned is not None else None,
        planned=planned,
    )
