"""The MCID thresholds drawn on charts agree with the rules that judge a change."""

from __future__ import annotations

from functools import cache

from hypothesis import event, given
from hypothesis import strategies as st

from backbalance.content.loader import Content
from backbalance.core import api
from backbalance.core.instruments import mcid_reached, mcid_worsened

# How far short of a threshold a score is tried: well above the rules' tolerance.
_SHORT = 0.001


@cache
def _content() -> Content:
    return api.load_content()


@given(
    instrument_id=st.sampled_from(["pain_nrs", "odi", "rmdq", "psfs"]),
    fraction=st.floats(min_value=0, max_value=1, allow_nan=False),
)
def test_a_score_at_the_threshold_reaches_the_mcid_and_one_just_short_does_not(
    instrument_id: str, fraction: float
) -> None:
    instrument = _content().instruments[instrument_id]
    low, high = instrument.score_range
    before = round(low + (high - low) * fraction, 1)
    thresholds = api.mcid_thresholds(instrument, before)
    assert thresholds is not None
    improved, worse = thresholds
    assert instrument.mcid is not None and instrument.mcid.points is not None
    step = abs(before - improved)
    event("percent rule" if step < instrument.mcid.points.value - 1e-9 else "points rule")
    assert mcid_reached(instrument, before, improved) is True
    assert mcid_worsened(instrument, before, worse) is True
    towards = 1 if instrument.better == "lower" else -1
    assert mcid_reached(instrument, before, improved + towards * _SHORT) is False
    assert mcid_worsened(instrument, before, worse - towards * _SHORT) is False


def test_pain_from_seven_needs_two_points_and_from_three_a_third_less() -> None:
    pain = _content().instruments["pain_nrs"]
    assert api.mcid_thresholds(pain, 7) == (5, 9)
    improved, worse = api.mcid_thresholds(pain, 3) or (0, 0)
    assert round(improved, 6) == 2.1 and round(worse, 6) == 3.9


def test_no_thresholds_without_an_mcid() -> None:
    startback = _content().instruments["startback"]
    assert api.mcid_thresholds(startback, 3) is None
