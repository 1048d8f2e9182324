"""Questionnaire content and scoring: golden answer vectors, MCIDs, input errors, licensing."""

from __future__ import annotations

from dataclasses import asdict, fields, is_dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from backbalance.content.licensed import LicensedWordingError, load_licensed_wording
from backbalance.content.schema import Figure, Instrument, Source
from backbalance.content.validation import validate
from backbalance.core.errors import InputError
from backbalance.core.instruments import (
    check_answers,
    item_changes,
    mcid_reached,
    mcid_worsened,
    missing_algorithms,
    score,
    score_all,
)
from backbalance.core.types import CaseError

DATA_DIR = Path(__file__).resolve().parents[2] / "src" / "backbalance" / "content" / "data"
LICENSED_IDS = ("odi", "rmdq", "startback", "fabq")
SHIPPED_IDS = ("pain_nrs", "psfs", "groc")


@cache
def instruments() -> dict[str, Instrument]:
    """instruments.yaml parsed with the schema alone (the full loader is not used here)."""
    raw = yaml.safe_load((DATA_DIR / "instruments.yaml").read_text(encoding="utf-8"))
    parsed = [validate(Instrument, entry) for entry in raw]
    return {instrument.id: instrument for instrument in parsed}


@cache
def outcome_sources() -> dict[str, Source]:
    raw = yaml.safe_load((DATA_DIR / "sources" / "outcomes.yaml").read_text(encoding="utf-8"))
    parsed = [validate(Source, entry) for entry in raw]
    return {source.id: source for source in parsed}


def inst(instrument_id: str) -> Instrument:
    return instruments()[instrument_id]


def paths(errors: list[Any]) -> list[str]:
    return [error.path for error in errors]


def source_lists(value: Any) -> list[list[str]]:
    """Every ``sources`` list inside a model."""
    found: list[list[str]] = []
    if is_dataclass(value):
        for one in fields(value):
            name, child = one.name, getattr(value, one.name)
            if name == "sources":
                found.append(child)
            else:
                found.extend(source_lists(child))
    elif isinstance(value, list | tuple):
        for child in value:
            found.extend(source_lists(child))
    elif isinstance(value, dict):
        for child in value.values():
            found.extend(source_lists(child))
    return found


# --------------------------------------------------------------------------- content


def test_instruments_file_holds_exactly_the_seven_agreed_ids() -> None:
    assert sorted(instruments()) == sorted(SHIPPED_IDS + LICENSED_IDS)


@pytest.mark.parametrize("instrument_id", LICENSED_IDS)
def test_licensed_instrument_ships_no_wording(instrument_id: str) -> None:
    instrument = inst(instrument_id)
    assert instrument.licensed
    assert all(item.text is None for item in instrument.items)
    assert all(not item.anchors for item in instrument.items)
    assert "definition file" in instrument.licence_note


@pytest.mark.parametrize("instrument_id", SHIPPED_IDS)
def test_shipped_instrument_has_own_words_and_end_anchors(instrument_id: str) -> None:
    instrument = inst(instrument_id)
    assert not instrument.licensed
    for item in instrument.items:
        assert item.text
        assert {item.minimum, item.maximum} <= set(item.anchors)


def test_every_cited_source_is_in_outcomes_sources() -> None:
    known = outcome_sources()
    cited = {s for i in instruments().values() for lst in source_lists(i) for s in lst}
    assert cited - set(known) == set()


@pytest.mark.parametrize("source_id", ["mapi_odi", "hill2008", "waddell1993", "jaeschke1989"])
def test_sources_the_reference_marks_unverified_say_so(source_id: str) -> None:
    source = outcome_sources()[source_id]
    assert source.verified is False
    assert source.note


def test_every_band_and_mcid_carries_sources() -> None:
    for instrument in instruments().values():
        for band in instrument.bands:
            assert band.sources, (instrument.id, band.id)
        mcids = [instrument.mcid, *(s.mcid for s in instrument.subscales)]
        for mcid in mcids:
            if mcid is None:
                continue
            for figure in (mcid.points, mcid.percent, mcid.per_item_points):
                assert figure is None or (isinstance(figure, Figure) and figure.sources)


def test_every_scoring_key_has_a_checker_and_a_scorer() -> None:
    assert missing_algorithms() == []


@pytest.mark.parametrize(
    ("instrument_id", "better"),
    [
        ("pain_nrs", "lower"),
        ("odi", "lower"),
        ("rmdq", "lower"),
        ("fabq", "lower"),
        ("startback", "lower"),
        ("psfs", "higher"),
        ("groc", "higher"),
    ],
)
def test_direction_of_improvement_lives_in_content(instrument_id: str, better: str) -> None:
    assert inst(instrument_id).better == better


# --------------------------------------------------------------------------- golden vectors

ODI_CASES = [
    # answers, value, band
    ([0] * 10, 0.0, "minimal"),
    ([1] * 10, 20.0, "minimal"),
    ([1] * 9 + [2], 22.0, "moderate"),
    ([2] * 10, 40.0, "moderate"),
    ([2] * 9 + [3], 42.0, "severe"),
    ([3] * 10, 60.0, "severe"),
    ([3] * 9 + [4], 62.0, "very_severe"),
    ([4] * 10, 80.0, "very_severe"),
    ([4] * 9 + [5], 82.0, "extreme"),
    ([5] * 10, 100.0, "extreme"),
    # One blank section: sum 10 out of 45 = 22.2 %.
    ([1] * 8 + [2, None], 22.2, "moderate"),
    ([1] * 9 + [None], 20.0, "minimal"),
    ([5, None, 5, 5, 5, 5, 5, 5, 5, 5], 100.0, "extreme"),
]


@pytest.mark.parametrize(("answers", "value", "band"), ODI_CASES)
def test_odi_scores_percent_of_answered_maximum_and_band(
    answers: list[int | None], value: float, band: str
) -> None:
    result = score(inst("odi"), answers)
    assert result.value == value
    assert result.band == band
    assert result.answered == sum(a is not None for a in answers)


def test_odi_with_one_blank_section_says_so_in_the_note() -> None:
    result = score(inst("odi"), [1] * 9 + [None])
    assert result.note is not None
    assert "1 of 10" in result.note
    assert "travelling" not in result.items


def test_odi_with_two_blank_sections_is_refused() -> None:
    errors = check_answers(inst("odi"), [1] * 8 + [None, None], "questionnaires.odi")
    assert paths(errors) == ["questionnaires.odi"]
    assert "2 items are unanswered" in errors[0].message
    with pytest.raises(CaseError):
        score(inst("odi"), [1] * 8 + [None, None])


STARTBACK_CASES = [
    # answers (items 1-8 yes/no, item 9 0-4), total, psychosocial, band
    ([0, 0, 0, 0, 0, 0, 0, 0, 0], 0, 0, "low"),
    ([1, 1, 1, 0, 0, 0, 0, 0, 0], 3, 0, "low"),
    ([1, 1, 1, 1, 0, 0, 0, 0, 0], 4, 0, "medium"),
    # Total 4 with subscale 3 is medium; total 4 with subscale 4 is high.
    ([1, 0, 0, 0, 1, 1, 1, 0, 0], 4, 3, "medium"),
    ([0, 0, 0, 0, 1, 1, 1, 1, 0], 4, 4, "high"),
    # Item 9 = 2 scores nothing; item 9 = 3 scores one point and tips into high.
    ([1, 0, 0, 0, 1, 1, 1, 0, 2], 4, 3, "medium"),
    ([1, 0, 0, 0, 1, 1, 1, 0, 3], 5, 4, "high"),
    ([0, 0, 0, 0, 0, 0, 0, 0, 2], 0, 0, "low"),
    ([0, 0, 0, 0, 0, 0, 0, 0, 4], 1, 1, "low"),
    ([1, 1, 1, 1, 1, 1, 1, 0, 1], 7, 3, "medium"),
    ([1, 1, 1, 1, 1, 1, 1, 1, 4], 9, 5, "high"),
]


@pytest.mark.parametrize(("answers", "total", "psychosocial", "band"), STARTBACK_CASES)
def test_startback_total_subscale_and_risk_group(
    answers: list[int], total: int, psychosocial: int, band: str
) -> None:
    result = score(inst("startback"), answers)
    assert result.value == total
    assert [(s.id, s.value) for s in result.subscales] == [("psychosocial", psychosocial)]
    assert result.band == band
    assert (
        result.band_label == {"low": "Low risk", "medium": "Medium risk", "high": "High risk"}[band]
    )


def test_startback_keeps_the_raw_item_9_answer_in_items() -> None:
    result = score(inst("startback"), [0] * 8 + [3])
    assert result.items["bothersomeness"] == 3.0


def test_fabq_sums_the_two_subscales_on_a_known_vector() -> None:
    answers = [1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 4, 5, 6, 0, 1, 2]
    result = score(inst("fabq"), answers)
    # PA = items 2-5 = 2+3+4+5; W = items 6,7,9,10,11,12,15 = 6+0+2+3+4+5+1.
    assert {s.id: s.value for s in result.subscales} == {"physical_activity": 14, "work": 21}
    assert result.value is None
    assert result.band is None


@pytest.mark.parametrize(
    ("answers", "physical_activity", "work"),
    [
        ([0] * 16, 0, 0),
        ([6] * 16, 24, 42),
        ([6, 0, 0, 0, 0, 0, 0, 6, 0, 0, 0, 0, 6, 6, 0, 6], 0, 0),
    ],
)
def test_fabq_unscored_items_never_count(
    answers: list[int], physical_activity: int, work: int
) -> None:
    result = score(inst("fabq"), answers)
    assert [s.value for s in result.subscales] == [physical_activity, work]


@pytest.mark.parametrize(
    ("ticked", "expected"),
    [(set(), 0), ({1}, 1), ({1, 5, 9, 12, 20, 23, 24}, 7), (set(range(1, 25)), 24)],
)
def test_rmdq_counts_statements_marked_true(ticked: set[int], expected: int) -> None:
    answers = [position in ticked for position in range(1, 25)]
    result = score(inst("rmdq"), answers)
    assert result.value == expected
    assert result.answered == 24


@pytest.mark.parametrize(
    ("ratings", "mean"), [([5], 5.0), ([2, 3], 2.5), ([3, 4, 6], 4.3), ([0, 10, 10, 10, 10], 8.0)]
)
def test_psfs_score_is_the_mean_rounded_to_one_decimal(ratings: list[int], mean: float) -> None:
    answers = [{"activity": f"activity {n}", "rating": r} for n, r in enumerate(ratings)]
    result = score(inst("psfs"), answers)
    assert result.value == mean
    assert result.items == {f"activity {n}": float(r) for n, r in enumerate(ratings)}


@pytest.mark.parametrize(
    ("answers", "value", "items"),
    [
        ({"now": 5, "average": 4, "worst": 7}, 4.0, {"now": 5.0, "average": 4.0, "worst": 7.0}),
        ({"average": 6}, 6.0, {"average": 6.0}),
        ({"average": 0, "worst": None}, 0.0, {"average": 0.0}),
        ({"now": 10.0, "average": 9}, 9.0, {"now": 10.0, "average": 9.0}),
    ],
)
def test_pain_nrs_score_is_the_average_rating(
    answers: dict[str, Any], value: float, items: dict[str, float]
) -> None:
    result = score(inst("pain_nrs"), answers)
    assert result.value == value
    assert result.items == items


@pytest.mark.parametrize("rating", [-7, -1, 0, 2, 7])
def test_groc_score_is_the_single_rating(rating: int) -> None:
    result = score(inst("groc"), rating)
    assert result.value == rating
    assert result.score_range == (-7, 7)


# --------------------------------------------------------------------------- MCID


@pytest.mark.parametrize(
    ("instrument_id", "before", "after", "reached"),
    [
        # Pain NRS: 2 points or 30 %.
        ("pain_nrs", 8, 6, True),  # 2 points (25 %)
        ("pain_nrs", 3, 2, True),  # 1 point but 33 %
        ("pain_nrs", 10, 7, True),  # exactly 30 %
        ("pain_nrs", 8, 7, False),  # 1 point, 12.5 %
        ("pain_nrs", 4, 6, False),  # worse
        ("pain_nrs", 0, 0, False),  # no room to improve; relative rule does not apply
        # ODI: 10 points or 30 %.
        ("odi", 50, 40, True),
        ("odi", 20, 14, True),  # 6 points but 30 %
        ("odi", 50, 42, False),
        # RMDQ: 5 points or 30 %.
        ("rmdq", 10, 5, True),
        ("rmdq", 6, 4, True),  # 2 points but 33 %
        ("rmdq", 20, 16, False),
        # PSFS: higher is better, 2 points on the average.
        ("psfs", 3, 5, True),
        ("psfs", 3, 4.5, False),
        ("psfs", 5, 3, False),
    ],
)
def test_mcid_counts_either_absolute_or_relative_change_in_the_right_direction(
    instrument_id: str, before: float, after: float, reached: bool
) -> None:
    assert mcid_reached(inst(instrument_id), before, after) is reached


@pytest.mark.parametrize(
    ("subscale", "before", "after", "reached"),
    [
        ("physical_activity", 15, 11, True),
        ("physical_activity", 15, 12, False),
        ("work", 30, 23, True),
        ("work", 30, 24, False),
    ],
)
def test_fabq_mcid_is_judged_per_subscale(
    subscale: str, before: float, after: float, reached: bool
) -> None:
    assert mcid_reached(inst("fabq"), before, after, subscale=subscale) is reached


@pytest.mark.parametrize(
    ("instrument_id", "subscale"), [("groc", None), ("startback", None), ("fabq", None)]
)
def test_mcid_is_none_where_content_defines_no_mcid(
    instrument_id: str, subscale: str | None
) -> None:
    assert mcid_reached(inst(instrument_id), 5, 1, subscale=subscale) is None


def test_mcid_for_an_unknown_subscale_is_an_error() -> None:
    with pytest.raises(InputError):
        mcid_reached(inst("fabq"), 10, 2, subscale="sleep")


@pytest.mark.parametrize(
    ("instrument_id", "before", "after", "worsened"),
    [
        ("pain_nrs", 4, 6, True),
        ("pain_nrs", 4, 5, False),
        ("pain_nrs", 6, 2, False),
        ("psfs", 5, 3, True),
        ("psfs", 5, 4, False),
        ("odi", 30, 40, True),
    ],
)
def test_mcid_worsened_mirrors_the_improvement_rule(
    instrument_id: str, before: float, after: float, worsened: bool
) -> None:
    assert mcid_worsened(inst(instrument_id), before, after) is worsened


# --------------------------------------------------------------------------- one PSFS activity


def psfs(*ratings: tuple[str, int]) -> Any:
    return score(inst("psfs"), [{"activity": name, "rating": r} for name, r in ratings])


def test_psfs_change_rules_are_sourced_figures_from_the_reference() -> None:
    mcid = inst("psfs").mcid
    assert mcid is not None and mcid.points is not None and mcid.per_item_points is not None
    # Reference, safety-outcomes.md 4: 2 points on the average, 3 points for one activity.
    assert mcid.points.value == 2
    assert mcid.per_item_points.value == 3
    assert set(mcid.per_item_points.sources) == {"stratford1995", "rehabmeasures_psfs"}


@pytest.mark.parametrize(
    ("before", "after", "reached", "worsened"),
    [
        (4, 7, True, False),  # exactly 3 points better: counts (inclusive)
        (4, 6, False, False),  # 2 points: within noise for one activity
        (0, 10, True, False),
        (7, 4, False, True),  # exactly 3 points worse: counts
        (7, 5, False, False),
        (10, 7, False, True),
        (5, 5, False, False),
    ],
)
def test_one_psfs_activity_counts_from_three_points_either_way(
    before: int, after: int, reached: bool, worsened: bool
) -> None:
    (change,) = item_changes(inst("psfs"), psfs(("sitting", before)), psfs(("sitting", after)))
    assert (change.item, change.before, change.after) == ("sitting", before, after)
    assert (change.reached, change.worsened) == (reached, worsened)


def test_one_activity_can_count_while_the_average_does_not() -> None:
    before = psfs(("sitting", 4), ("walking", 6), ("lifting", 6))
    after = psfs(("sitting", 7), ("walking", 6), ("lifting", 6))
    assert before.value is not None and after.value is not None
    assert mcid_reached(inst("psfs"), before.value, after.value) is False  # +1 on average
    changes = {c.item: c.reached for c in item_changes(inst("psfs"), before, after)}
    assert changes == {"sitting": True, "walking": False, "lifting": False}


def test_activities_are_matched_by_name_and_new_ones_have_no_change_yet() -> None:
    before = psfs(("Sitting at work", 2), ("walking", 5))
    after = psfs(("sitting at work ", 6), ("gardening", 1))
    (change,) = item_changes(inst("psfs"), before, after)
    assert (change.item, change.before, change.after, change.reached) == (
        "Sitting at work",
        2,
        6,
        True,
    )


@pytest.mark.parametrize("instrument_id", ["pain_nrs", "groc"])
def test_instruments_without_a_per_item_rule_judge_no_item(instrument_id: str) -> None:
    instrument = inst(instrument_id)
    assert instrument.mcid is None or instrument.mcid.per_item_points is None
    answers = {"now": 8, "average": 8, "worst": 9} if instrument_id == "pain_nrs" else 1
    later = {"now": 1, "average": 1, "worst": 2} if instrument_id == "pain_nrs" else 7
    assert item_changes(instrument, score(instrument, answers), score(instrument, later)) == ()


# --------------------------------------------------------------------------- check_answers

ERROR_CASES: list[tuple[str, object, list[str], str]] = [
    # instrument, answers, expected paths, a word the first message must contain
    ("odi", "0,1,2", ["q.odi"], "list"),
    ("odi", [1] * 9, ["q.odi"], "expected 10 answers"),
    ("odi", [1, 1, 6, 1, 1, 1, 1, 1, 1, 1], ["q.odi.3"], "out of range"),
    ("odi", [1, 1, "2", 1, 1, 1, 1, 1, 1, 1], ["q.odi.3"], "whole number"),
    ("odi", [True, 1, 1, 1, 1, 1, 1, 1, 1, 1], ["q.odi.1"], "whole number"),
    ("odi", [1, 2.5, 1, 1, 1, 1, 1, 1, 1, 1], ["q.odi.2"], "whole number"),
    ("odi", [-1, 1, 1, 1, 1, 1, 1, 1, 1, 7], ["q.odi.1", "q.odi.10"], "out of range"),
    ("rmdq", [False] * 4 + [1] + [False] * 19, ["q.rmdq.5"], "true or false"),
    ("rmdq", [False] * 23 + [None], ["q.rmdq.24"], "no answer"),
    ("rmdq", [False] * 25, ["q.rmdq"], "expected 24"),
    ("startback", [0] * 8 + [5], ["q.startback.9"], "0 to 4"),
    ("startback", [2] + [0] * 8, ["q.startback.1"], "0 to 1"),
    ("startback", [0] * 8 + [None], ["q.startback.9"], "no answer"),
    ("fabq", [0] * 15 + [7], ["q.fabq.16"], "out of range"),
    ("pain_nrs", {"now": 5, "average": 4, "today": 3}, ["q.pain_nrs.today"], "unknown"),
    ("pain_nrs", {"now": 5, "average": 4, "worst": 11}, ["q.pain_nrs.worst"], "0 to 10"),
    ("pain_nrs", {"now": 5, "worst": 7}, ["q.pain_nrs.average"], "needed"),
    ("pain_nrs", [5, 4, 7], ["q.pain_nrs"], "mapping"),
    ("psfs", [], ["q.psfs"], "1 to 5"),
    ("psfs", [{"activity": f"a{n}", "rating": 5} for n in range(6)], ["q.psfs"], "got 6"),
    ("psfs", [{"activity": "  ", "rating": 5}], ["q.psfs.1.activity"], "name the activity"),
    ("psfs", [{"activity": "sitting", "rating": 11}], ["q.psfs.1.rating"], "out of range"),
    ("psfs", [{"activity": "sitting"}], ["q.psfs.1.rating"], "rate"),
    (
        "psfs",
        [{"activity": "sitting", "rating": 5, "mood": "ok"}],
        ["q.psfs.1.mood"],
        "unknown key",
    ),
    (
        "psfs",
        [{"activity": "Sitting", "rating": 5}, {"activity": "sitting ", "rating": 2}],
        ["q.psfs.2.activity"],
        "twice",
    ),
    ("psfs", ["sitting"], ["q.psfs.1"], "expected"),
    ("groc", 8, ["q.groc"], "-7 to 7"),
    ("groc", "better", ["q.groc"], "whole number"),
]


@pytest.mark.parametrize(("instrument_id", "answers", "expected", "word"), ERROR_CASES)
def test_check_answers_names_each_bad_field_with_a_clear_message(
    instrument_id: str, answers: object, expected: list[str], word: str
) -> None:
    errors = check_answers(inst(instrument_id), answers, f"q.{instrument_id}")
    assert paths(errors) == expected
    assert word in errors[0].message


@pytest.mark.parametrize(
    ("instrument_id", "answers"),
    [
        ("odi", [1] * 9 + [None]),
        ("pain_nrs", {"average": 3}),
        ("psfs", [{"activity": "tying shoes", "rating": 0}]),
        ("groc", -7),
        ("startback", [1] * 8 + [4]),
        ("rmdq", [True] * 24),
        ("fabq", [6] * 16),
    ],
)
def test_check_answers_accepts_valid_answers(instrument_id: str, answers: object) -> None:
    assert check_answers(inst(instrument_id), answers, f"q.{instrument_id}") == []


def test_score_all_collects_every_error_including_unknown_questionnaires() -> None:
    questionnaires = {"odi": [9] * 10, "groc": 9, "sf36": [1, 2]}
    with pytest.raises(CaseError) as caught:
        score_all(questionnaires, instruments())
    found = paths(caught.value.errors)
    assert "questionnaires.sf36" in found
    assert "questionnaires.groc" in found
    assert [p for p in found if p.startswith("questionnaires.odi.")] == [
        f"questionnaires.odi.{n}" for n in range(1, 11)
    ]


def test_score_all_scores_every_given_questionnaire_and_skips_null() -> None:
    questionnaires = {
        "pain_nrs": {"now": 5, "average": 4, "worst": 7},
        "psfs": [{"activity": "sitting through a film", "rating": 4}],
        "groc": 2,
        "odi": [0, 1, 2, None, 1, 1, 1, 1, 1, 1],
        "rmdq": [True, False] * 12,
        "startback": [1, 0, 0, 0, 0, 0, 0, 0, 3],
        "fabq": [0] * 16,
        "unused": None,
    }
    result = score_all(questionnaires, instruments())
    assert set(result) == set(questionnaires) - {"unused"}
    assert result["odi"].value == 20.0
    assert result["rmdq"].value == 12
    assert result["startback"].band == "low"


def test_score_all_uses_the_given_path_prefix() -> None:
    with pytest.raises(CaseError) as caught:
        score_all({"groc": 99}, instruments(), path="visits.2.questionnaires")
    assert paths(caught.value.errors) == ["visits.2.questionnaires.groc"]


# --------------------------------------------------------------------------- property


def _answers_for(instrument: Instrument) -> st.SearchStrategy[object]:
    def rating(index: int) -> st.SearchStrategy[int]:
        item = instrument.items[index]
        return st.integers(item.minimum, item.maximum)

    count = len(instrument.items)
    if instrument.scoring == "nrs_set":
        optional = {
            item.id: st.none() | rating(n)
            for n, item in enumerate(instrument.items)
            if item.id != instrument.primary_item
        }
        primary = next(
            n for n, item in enumerate(instrument.items) if item.id == instrument.primary_item
        )
        return st.fixed_dictionaries(
            {instrument.primary_item or "": rating(primary)}, optional=optional
        )
    if instrument.scoring == "mean_of_ratings":
        entry = st.builds(
            lambda name, value: {"activity": name, "rating": value},
            st.text(alphabet="abcdefgh ", min_size=1, max_size=12).filter(str.strip),
            rating(0),
        )
        return st.lists(
            entry,
            min_size=instrument.min_items,
            max_size=instrument.max_items or 5,
            unique_by=lambda e: e["activity"].strip().casefold(),
        )
    if instrument.scoring == "single_rating":
        return rating(0)
    if instrument.scoring == "count_true":
        return st.lists(st.booleans(), min_size=count, max_size=count)
    items = st.tuples(*(rating(n) for n in range(count))).map(list)
    if instrument.max_missing:
        blanks = st.sets(st.integers(0, count - 1), max_size=instrument.max_missing)
        return st.builds(
            lambda values, gaps: [None if n in gaps else v for n, v in enumerate(values)],
            items,
            blanks,
        )
    return items


@pytest.mark.parametrize("instrument_id", SHIPPED_IDS + LICENSED_IDS)
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_any_valid_answers_score_inside_the_range(instrument_id: str, data: st.DataObject) -> None:
    instrument = inst(instrument_id)
    answers = data.draw(_answers_for(instrument))
    assert check_answers(instrument, answers, "q") == []
    result = score(instrument, answers)
    low, high = instrument.score_range
    if instrument.scoring == "subscale_sums":
        assert result.value is None
    else:
        assert result.value is not None
        assert low <= result.value <= high
    for subscale, sub_score in zip(instrument.subscales, result.subscales, strict=True):
        assert subscale.score_range[0] <= sub_score.value <= subscale.score_range[1]
    assert (result.band is not None) == bool(instrument.bands)


# --------------------------------------------------------------------------- licensed wording


def _write(tmp_path: Path, data: object, name: str = "wording.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _placeholder(instrument_id: str) -> dict[str, Any]:
    items = inst(instrument_id).items
    return {
        "instrument": instrument_id,
        "licence": "Made-up test licence, not real wording",
        "items": {
            item.id: {
                "text": f"placeholder wording {n}",
                "anchors": {item.minimum: f"placeholder low {n}", item.maximum: f"high {n}"},
            }
            for n, item in enumerate(items, start=1)
        },
    }


@pytest.mark.parametrize("instrument_id", LICENSED_IDS)
def test_licensed_wording_file_fills_in_every_item(tmp_path: Path, instrument_id: str) -> None:
    path = _write(tmp_path, _placeholder(instrument_id))
    filled = load_licensed_wording(path, instruments())
    assert filled.id == instrument_id
    assert [item.text for item in filled.items] == [
        f"placeholder wording {n}" for n in range(1, len(filled.items) + 1)
    ]
    assert filled.items[0].anchors[filled.items[0].minimum] == "placeholder low 1"
    # The shipped definition is untouched and scoring still works on the filled copy.
    assert all(item.text is None for item in inst(instrument_id).items)
    assert filled.scoring == inst(instrument_id).scoring


def test_licensed_wording_accepts_plain_text_items(tmp_path: Path) -> None:
    data = _placeholder("startback")
    data["items"] = {item.id: "placeholder wording" for item in inst("startback").items}
    filled = load_licensed_wording(_write(tmp_path, data), instruments())
    assert {item.text for item in filled.items} == {"placeholder wording"}
    assert all(item.anchors == {} for item in filled.items)


def _broken(change: str) -> dict[str, Any]:
    data = _placeholder("odi")
    if change == "missing_item":
        del data["items"]["lifting"]
    elif change == "extra_item":
        data["items"]["employment"] = "placeholder wording 11"
    elif change == "unknown_instrument":
        data["instrument"] = "sf36"
    elif change == "unlicensed_instrument":
        data["instrument"] = "pain_nrs"
    elif change == "anchor_out_of_range":
        data["items"]["lifting"]["anchors"] = {6: "placeholder"}
    elif change == "unknown_key":
        data["wording_by"] = "someone"
    elif change == "no_licence":
        del data["licence"]
    elif change == "empty_text":
        data["items"]["lifting"] = ""
    return data


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ("missing_item", "missing lifting"),
        ("extra_item", "employment"),
        ("unknown_instrument", "unknown id 'sf36'"),
        ("unlicensed_instrument", "own wording"),
        ("anchor_out_of_range", "items.lifting.anchors"),
        ("unknown_key", "wording_by"),
        ("no_licence", "licence"),
        ("empty_text", "items.lifting"),
    ],
)
def test_licensed_wording_file_problems_are_named(
    tmp_path: Path, change: str, expected: str
) -> None:
    path = _write(tmp_path, _broken(change))
    with pytest.raises(LicensedWordingError) as caught:
        load_licensed_wording(path, instruments())
    assert any(expected in problem for problem in caught.value.problems), caught.value.problems


def test_licensed_wording_item_count_mismatch_is_reported(tmp_path: Path) -> None:
    path = _write(tmp_path, _broken("extra_item"))
    with pytest.raises(LicensedWordingError) as caught:
        load_licensed_wording(path, instruments())
    assert any("has 10 items, the file gives 11" in p for p in caught.value.problems)


def test_licensed_wording_rejects_an_item_given_twice(tmp_path: Path) -> None:
    lines = ["instrument: startback", "licence: made-up test licence", "items:"]
    lines += [f"  {item.id}: placeholder wording" for item in inst("startback").items]
    lines.append("  leg_pain: placeholder wording again")
    path = tmp_path / "twice.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(LicensedWordingError) as caught:
        load_licensed_wording(path, instruments())
    assert "given twice" in str(caught.value)


@pytest.mark.parametrize(
    ("content", "expected"), [("items: [unclosed", "not valid YAML"), (None, "cannot read")]
)
def test_licensed_wording_unreadable_file_is_reported(
    tmp_path: Path, content: str | None, expected: str
) -> None:
    path = tmp_path / "wording.yaml"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(LicensedWordingError) as caught:
        load_licensed_wording(path, instruments())
    assert expected in str(caught.value)


def test_licensed_wording_refuses_files_inside_the_package() -> None:
    with pytest.raises(LicensedWordingError) as caught:
        load_licensed_wording(DATA_DIR / "instruments.yaml", instruments())
    assert "inside the backbalance package" in str(caught.value)


def test_the_blank_items_note_is_the_questionnaire_s_own_wording() -> None:
    odi = replace(inst("odi"), blanks_note="[{blanks} blank of {total}]")
    assert score(odi, [1] * 9 + [None]).note == "[1 blank of 10]"
    assert score(odi, [1] * 10).note is None


@pytest.mark.parametrize(
    ("blanks_note", "refused_for"),
    [(None, "needs blanks_note"), ("{blanks} of {items} left blank", "unknown placeholders")],
)
def test_a_questionnaire_that_may_be_left_blank_needs_a_sound_blanks_note(
    blanks_note: str | None, refused_for: str
) -> None:
    data = asdict(inst("odi"))
    assert data["max_missing"] > 0
    data["blanks_note"] = blanks_note
    with pytest.raises(ValidationError, match=refused_for):
        validate(Instrument, data)
