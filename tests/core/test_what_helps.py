"""What helps me: synthetic diaries with a known effect, no effect, and a general recovery
that must not be credited to the newest habit."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from backbalance.core.progress import DailyPain
from backbalance.core.what_helps import (
    _SEED,
    _BlockBootstrap,
    _uniform_draws,
    compare_habit,
    detrended_next_day,
    what_helps,
)
from tests.strategies import CONTENT

SETTINGS = CONTENT.outcomes.what_helps
START = date(2026, 6, 1)
DAYS = 70


def on(offset: int) -> date:
    return START + timedelta(days=offset)


def synthetic(
    *, effect: float, habit_from: int = 0, slope: float = 0.0, seed: int = 7
) -> tuple[list[DailyPain], set[date]]:
    """A diary of ``DAYS`` days: 6 points, a linear trend of ``slope`` a day, noise, and
    ``effect`` added to the day after each habit day. The habit is done on about half of
    the days from ``habit_from`` on."""
    chooser = random.Random(seed)
    done = {on(k) for k in range(habit_from, DAYS) if chooser.random() < 0.5}
    diary = []
    for k in range(DAYS):
        pain = 6 + slope * k + chooser.gauss(0, 0.6)
        if on(k - 1) in done:
            pain += effect
        diary.append(DailyPain(on(k), min(10.0, max(0.0, pain))))
    return diary, done


def test_a_known_effect_is_found_with_an_interval_around_it() -> None:
    diary, done = synthetic(effect=-1.5)
    found = compare_habit("hip flexor stretch", done, diary, SETTINGS)
    assert found.difference is not None and found.low is not None and found.high is not None
    assert found.low <= -1.5 <= found.high
    assert found.high < 0  # the interval leaves out "no difference"
    assert found.low < found.difference < found.high


def test_no_effect_gives_an_interval_around_zero() -> None:
    diary, done = synthetic(effect=0.0)
    found = compare_habit("foam roller", done, diary, SETTINGS)
    assert found.low is not None and found.high is not None
    assert found.low <= 0 <= found.high


def test_a_general_recovery_is_not_credited_to_the_newest_habit() -> None:
    # Pain falls 2 points a month; the habit starts halfway and does nothing.
    diary, done = synthetic(effect=0.0, habit_from=DAYS // 2, slope=-2 / 30)
    after = {d.day - timedelta(days=1): d.pain for d in diary}
    raw_with = [p for d, p in after.items() if d in done]
    raw_without = [p for d, p in after.items() if d not in done]
    raw = sum(raw_with) / len(raw_with) - sum(raw_without) / len(raw_without)
    assert raw < -1  # without the trend taken out, the habit would look like it helps
    found = compare_habit("new stretch", done, diary, SETTINGS)
    assert found.low is not None and found.high is not None
    assert found.low <= 0 <= found.high


def test_not_enough_data_yet() -> None:
    diary, done = synthetic(effect=-1.5)
    few = set(sorted(done)[: int(SETTINGS.min_days_with.value) - 1])
    found = compare_habit("plank", few, diary, SETTINGS)
    assert found.difference is None
    assert found.says.startswith("plank: not enough data yet")
    assert compare_habit("plank", done, diary[:5], SETTINGS).difference is None


def test_the_same_diary_gives_the_same_interval_and_the_words_claim_no_cause() -> None:
    diary, done = synthetic(effect=-1.0)
    first, second = (what_helps({"bridge": done}, diary, SETTINGS)[0] for _ in range(2))
    assert first == second
    assert "not what caused it" in first.says


def test_detrending_removes_a_straight_line_exactly() -> None:
    diary = [DailyPain(on(k), 8 - 0.1 * k) for k in range(30)]
    residuals = detrended_next_day(diary, 7)
    assert residuals
    assert all(abs(r) < 1e-9 for r in residuals.values())
    # Days whose centred window would run past either end are left out.
    assert min(residuals) == on(2) and max(residuals) == on(25)


def test_the_interval_holds_the_true_difference_about_as_often_as_it_says() -> None:
    """Over many diaries, a 90 % interval should hold the true effect in about 90 % of them.

    Neighbouring residuals share their trend window; an interval that ignored that would
    hold the truth far less often than it claims.
    """
    diaries = 30
    held = 0
    for seed in range(diaries):
        for effect, habit_from, slope in ((-1.5, 0, 0.0), (0.0, DAYS // 2, -2 / 30)):
            diary, done = synthetic(effect=effect, habit_from=habit_from, slope=slope, seed=seed)
            found = compare_habit("habit", done, diary, SETTINGS)
            assert found.low is not None and found.high is not None
            held += found.low <= effect <= found.high
    share = held / (2 * diaries) * 100
    assert share >= SETTINGS.interval_percent.value - 10, share


def test_without_noise_the_effect_is_found_in_full() -> None:
    """A day's own rating is kept out of its trend, or its effect would shrink towards 0."""
    chooser = random.Random(3)
    done = {on(k) for k in range(DAYS) if chooser.random() < 0.5}
    diary = [DailyPain(on(k), 6 - 1.5 * (on(k - 1) in done)) for k in range(DAYS)]
    found = compare_habit("habit", done, diary, SETTINGS)
    assert found.difference is not None
    assert abs(found.difference - -1.5) <= 0.1


def test_only_the_recent_stretch_of_a_long_diary_is_read() -> None:
    """A habit given up long ago says nothing about what helps now: with a diary far longer
    than the recent stretch, days with it before that stretch are not counted."""
    recent = int(SETTINGS.recent_days.value)
    chooser = random.Random(3)
    length = recent * 2
    done = {on(k) for k in range(recent // 2) if chooser.random() < 0.5}
    diary = [DailyPain(on(k), 5 + chooser.gauss(0, 0.5)) for k in range(length)]
    found = compare_habit("an old habit", done, diary, SETTINGS)
    assert found.with_days == 0 and found.difference is None
    # The same habit kept up into the recent stretch is counted.
    kept_up = done | {on(k) for k in range(length - recent, length, 2)}
    assert compare_habit("a habit kept up", kept_up, diary, SETTINGS).with_days > 0


def test_no_difference_is_written_as_a_plain_zero() -> None:
    """A difference or an interval end that rounds to nothing reads "0", never "+0" or
    "-0" (which would look like a change)."""
    chooser = random.Random(5)
    done = {on(k) for k in range(DAYS) if k % 2 == 0}
    diary = [DailyPain(on(k), 5 + chooser.choice((-0.0001, 0.0001))) for k in range(DAYS)]
    found = compare_habit("a habit with no effect", done, diary, SETTINGS)
    assert found.difference == 0
    assert "+0 " not in found.says and "-0 " not in found.says
    assert "+0;" not in found.says and "-0;" not in found.says
    assert " 0 points" in found.says


def _plain_block_bootstrap(
    days: list[tuple[float, bool]], block: int, resamples: int, percent: float
) -> tuple[float, float]:
    """The moving-block bootstrap written out the slow, obvious way: each resample copies
    the days of its blocks (the last one cut to fill exactly as many days as there are)."""
    chooser = random.Random(_SEED)
    block = min(block, len(days))
    blocks_needed = -(-len(days) // block)
    differences = []
    for _ in range(resamples):
        drawn: list[tuple[float, bool]] = []
        for _ in range(blocks_needed):
            start = chooser.randrange(len(days) - block + 1)
            drawn += days[start : start + min(block, len(days) - len(drawn))]
        with_habit = [value for value, done in drawn if done]
        without = [value for value, done in drawn if not done]
        if with_habit and without:
            differences.append(sum(with_habit) / len(with_habit) - sum(without) / len(without))
    differences.sort()
    tail = (100 - percent) / 200
    last = len(differences) - 1
    return differences[int(tail * last)], differences[int((1 - tail) * last)]


def test_the_quick_bootstrap_matches_the_plain_one() -> None:
    """Blocks added up from their totals, with the draws shared by every habit, give the
    interval that copying out every resampled day gives."""
    chooser = random.Random(11)
    for count, block, share in ((60, 7, 0.5), (23, 7, 0.2), (40, 5, 0.9), (6, 7, 0.5)):
        values = [chooser.gauss(0, 1) for _ in range(count)]
        marks = [chooser.random() < share for _ in range(count)]
        bootstrap = _BlockBootstrap(values, block, 400)
        for percent in (90.0, 95.0):
            quick = bootstrap.interval(marks, percent)
            plain = _plain_block_bootstrap(
                list(zip(values, marks, strict=True)), block, 400, percent
            )
            assert quick == pytest.approx(plain, abs=1e-9), (count, block, percent)


def test_each_habit_is_judged_as_it_would_be_alone() -> None:
    """Sharing the detrended diary and the resamples between habits changes nothing: every
    habit gets what it gets on its own, in whatever order the habits come."""
    diary, done = synthetic(effect=-1.0, seed=4)
    chooser = random.Random(4)
    others = {day for day in (on(k) for k in range(DAYS)) if chooser.random() < 0.3}
    habits = {"bridge": done, "walk": others, "rare": set(sorted(others)[:3])}
    alone = {name: compare_habit(name, days, diary, SETTINGS) for name, days in habits.items()}
    assert list(what_helps(habits, diary, SETTINGS)) == list(alone.values())
    backwards = dict(reversed(list(habits.items())))
    assert list(what_helps(backwards, diary, SETTINGS)) == list(reversed(alone.values()))
    assert alone["bridge"].difference is not None and alone["rare"].difference is None


@pytest.mark.parametrize("below", [1, 2, 3, 64, 65, 170, 1000])
def test_the_bulk_draws_are_the_numbers_randrange_gives(below: int) -> None:
    """The same seed gives the same numbers, so the bootstrap is the one written plainly."""
    plain = random.Random(_SEED)
    assert _uniform_draws(random.Random(_SEED), below, 500) == [
        plain.randrange(below) for _ in range(500)
    ]
