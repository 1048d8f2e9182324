"""The progress figures' geometry: the rolling mean, the axes and the calendar rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from backbalance.web.journal.charts import (
    adherence_weeks,
    interval_bar,
    interval_extent,
    pain_chart,
    rolling_means,
)

START = date(2026, 9, 21)


@dataclass(frozen=True)
class Day:
    day: date
    mean: float


def test_the_rolling_mean_covers_seven_days_and_skips_days_without_a_check_in() -> None:
    days = [Day(START, 8), Day(START + timedelta(days=3), 4), Day(START + timedelta(days=7), 2)]
    assert rolling_means(days) == [(START, 8), (days[1].day, 6), (days[2].day, 3)]


def test_points_sit_inside_the_plot_with_high_pain_at_the_top() -> None:
    last = START + timedelta(days=69)
    chart = pain_chart([Day(START, 0), Day(last, 10)], START, last, 0, 10)
    low, high = chart.points
    assert (low.x, low.y) == (chart.plot_left, chart.plot_bottom)
    assert (high.x, high.y) == (chart.plot_right, chart.plot_top)
    assert [t.label for t in chart.y_ticks] == ["0", "2", "4", "6", "8", "10"]
    assert chart.x_ticks[0].day == last and all(
        chart.plot_left <= t.position <= chart.plot_right for t in chart.x_ticks
    )
    assert chart.last_week == 10 and chart.week_before is None


def test_the_calendar_has_every_day_once_in_rows_of_seven() -> None:
    last = START + timedelta(days=69)
    weeks = adherence_weeks({START: 1, last: 3}, START, last)
    days = [d for week in weeks for d in week]
    assert len(weeks) == 10 and all(len(w) == 7 for w in weeks)
    assert [d.day for d in days] == [START + timedelta(days=n) for n in range(70)]
    assert days[0].shade == 1 and days[-1].shade == 2 and days[-1].sessions == 3
    assert sum(d.shade for d in days) == 3


def test_the_meaningful_band_runs_from_the_target_down_to_no_pain() -> None:
    last = START + timedelta(days=69)
    chart = pain_chart([Day(START, 6)], START, last, 0, 10, baseline=6, target=4.2)
    assert chart.target_y is not None and chart.baseline_y is not None
    # Higher pain is drawn higher up: the target sits below the first week's line.
    assert chart.baseline_y < chart.target_y < chart.plot_bottom
    assert chart.target_y + chart.band_height == chart.plot_bottom
    assert chart.plot_width == chart.plot_right - chart.plot_left
    plain = pain_chart([Day(START, 6)], START, last, 0, 10)
    assert plain.target_y is None and plain.band_height == 0


def test_an_interval_bar_is_centred_on_zero_and_shared_in_scale() -> None:
    extent = interval_extent([(-2.8, -2.5), (-0.4, 1.2)])
    assert extent == 3
    bar = interval_bar(-1.0, -2.0, 1.0, extent)
    assert bar.zero_x == bar.width / 2
    assert bar.low_x < bar.mark_x < bar.zero_x < bar.high_x
    assert interval_extent([]) == 1
