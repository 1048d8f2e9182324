"""Change judged against each measure's MCID, and the pain diary's rolling weekly mean."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import pytest

from backbalance.content.schema import Instrument
from backbalance.content.schema_outcomes import LedgerMeasure
from backbalance.core.progress import (
    DailyPain,
    change_kind,
    judge_change,
    judge_items,
    meaningful_target,
    pain_trend,
    rolling_mean,
    weekly_slope,
    window_mean,
)
from backbalance.core.types import Score
from tests.strategies import CONTENT

WORDS = CONTENT.outcomes.change_words
START = date(2026, 9, 1)


def instrument(measure: LedgerMeasure) -> Instrument:
    return CONTENT.instruments[CONTENT.outcomes.measures[measure]]


@pytest.mark.parametrize(
    ("measure", "before", "after", "expected"),
    [
        # Pain: 2 points or 30 %, either is enough, reaching it exactly counts.
        ("pain", 7, 5.5, "not_yet_meaningful"),
        ("pain", 3, 2, "improved_meaningfully"),
        ("pain", 8, 6, "improved_meaningfully"),
        ("pain", 10, 7, "improved_meaningfully"),
        ("pain", 10, 8.1, "not_yet_meaningful"),
        ("pain", 5, 3.5, "improved_meaningfully"),
        ("pain", 5, 3.6, "not_yet_meaningful"),
        ("pain", 4, 6, "worse_meaningfully"),
        ("pain", 5, 6.5, "worse_meaningfully"),
        ("pain", 5, 6.4, "not_yet_meaningful"),
        # From zero only the points rule can apply.
        ("pain", 0, 1, "not_yet_meaningful"),
        ("pain", 0, 2, "worse_meaningfully"),
        # ODI: 10 points or 30 %.
        ("odi", 40, 30, "improved_meaningfully"),
        ("odi", 40, 31, "not_yet_meaningful"),
        ("odi", 20, 14, "improved_meaningfully"),
        ("odi", 20, 26, "worse_meaningfully"),
        # RMDQ: 5 points or 30 %.
        ("rmdq", 10, 7, "improved_meaningfully"),
        ("rmdq", 20, 16, "not_yet_meaningful"),
        ("rmdq", 20, 15, "improved_meaningfully"),
        ("rmdq", 10, 15, "worse_meaningfully"),
    ],
)
def test_change_against_the_mcid(
    measure: LedgerMeasure, before: float, after: float, expected: str
) -> None:
    judged = judge_change(instrument(measure), before, after, WORDS)
    assert judged.change == expected
    assert judged.says == WORDS.of(judged.change)


def test_the_plain_words_are_the_content_s() -> None:
    assert WORDS.improved_meaningfully == "a meaningful improvement since you started"
    assert WORDS.not_yet_meaningful == "not yet meaningful"
    assert WORDS.worse_meaningfully == "worse: re-check the safety questions"


def psfs_score(ratings: dict[str, float]) -> Score:
    psfs = instrument("psfs")
    mean = sum(ratings.values()) / len(ratings)
    return Score(psfs.id, psfs.name, mean, psfs.score_range, items=ratings)


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        ({"a": 3, "b": 3, "c": 3}, {"a": 5, "b": 5, "c": 5}, "improved_meaningfully"),
        ({"a": 3, "b": 3, "c": 3}, {"a": 6, "b": 3, "c": 3}, "improved_meaningfully"),
        ({"a": 3, "b": 3, "c": 3}, {"a": 5, "b": 3, "c": 3}, "not_yet_meaningful"),
        ({"a": 3, "b": 6, "c": 3}, {"a": 6, "b": 3, "c": 3}, "worse_meaningfully"),
        ({"a": 5, "b": 5, "c": 5}, {"a": 3, "b": 3, "c": 3}, "worse_meaningfully"),
    ],
)
def test_psfs_mean_and_one_activity(
    before: dict[str, float], after: dict[str, float], expected: str
) -> None:
    judged = judge_items(instrument("psfs"), psfs_score(before), psfs_score(after), WORDS)
    assert judged.change == expected
    assert len(judged.items) == 3


def diary(pains: Sequence[float], start: date = START) -> list[DailyPain]:
    return [DailyPain(start + timedelta(days=k), p) for k, p in enumerate(pains)]


def test_window_mean_and_rolling_mean() -> None:
    readings = diary([7, 5, 6, 2])
    assert window_mean(readings, START + timedelta(days=2), 2) == 5.5
    assert window_mean(readings, START - timedelta(days=1), 7) is None
    rolled = rolling_mean(readings, 3)
    assert [r.pain for r in rolled] == [7, 6, 6, pytest.approx(13 / 3)]


def test_pain_trend_compares_the_first_week_with_the_latest() -> None:
    # Two weeks at 6, then two at 3.5: weekly means 6 then 3.5, a 2.5-point fall.
    readings = diary([6] * 14 + [3.5] * 14)
    trend = pain_trend(readings, instrument("pain"), WORDS, 7)
    assert trend.change is not None
    assert (trend.change.before, trend.change.after) == (6, 3.5)
    assert trend.change.change == "improved_meaningfully"
    # One bad day (9, worse than the start on its own) does not undo a week's fall.
    spiky = diary([6] * 14 + [3] * 13 + [9])
    spiky_trend = pain_trend(spiky, instrument("pain"), WORDS, 7)
    assert spiky_trend.change is not None
    assert spiky_trend.change.change == "improved_meaningfully"


def test_pain_trend_needs_two_separate_weeks() -> None:
    assert pain_trend(diary([6] * 13), instrument("pain"), WORDS, 7).change is None
    assert pain_trend(diary([6] * 14), instrument("pain"), WORDS, 7).change is not None
    assert pain_trend([], instrument("pain"), WORDS, 7).change is None


def test_pain_trend_leaves_out_readings_after_as_of() -> None:
    readings = diary([6] * 14 + [2] * 14)
    trend = pain_trend(readings, instrument("pain"), WORDS, 7, as_of=START + timedelta(days=13))
    assert trend.change is not None
    assert trend.change.after == 6


def test_weekly_slope() -> None:
    assert weekly_slope(diary([7 - k / 7 for k in range(15)])) == pytest.approx(-1.0)
    assert weekly_slope(diary([5])) is None


@pytest.mark.parametrize(
    ("measure", "before", "target"),
    [
        # Pain: 2 points, or 30 % when that is fewer points (either rule is enough).
        ("pain", 7, 5),
        ("pain", 3, 2.1),
        ("pain", 1, 0.7),
        # ODI: 10 points or 30 %; RMDQ: 5 or 30 %.
        ("odi", 50, 40),
        ("odi", 20, 14),
        ("rmdq", 12, 8.4),
        # PSFS: higher is better, 2 points on the mean; from 9 of 10 it cannot be reached.
        ("psfs", 4, 6),
        ("psfs", 9, None),
    ],
)
def test_the_meaningful_target_is_where_the_judgement_turns(
    measure: LedgerMeasure, before: float, target: float
) -> None:
    tool = instrument(measure)
    found = meaningful_target(tool, before)
    if target is None or found is None:
        assert found is target is None
        return
    assert found == pytest.approx(target)
    # Reaching the target is a meaningful improvement; stopping just short of it is not.
    assert change_kind(tool, before, found) == "improved_meaningfully"
    short = found + 0.05 if tool.better == "lower" else found - 0.05
    assert change_kind(tool, before, short) == "not_yet_meaningful"
