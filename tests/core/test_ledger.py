"""The therapist value ledger: the verdict at every checkpoint boundary, money, caveats,
questions, and bad input named by its dotted path."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from backbalance.content.loader import Content
from backbalance.content.schema_outcomes import LedgerMeasure
from backbalance.core.ledger import (
    CourseReport,
    LedgerError,
    course_json_schema,
    judge_course,
    parse_course,
    parse_course_json,
)
from backbalance.core.strict_json import MAX_INPUT_BYTES
from tests.core.ledger_cases import as_of, course, day, weekly
from tests.strategies import CONTENT

RULES = CONTENT.outcomes


def judge(data: dict[str, Any], on: int, content: Content = CONTENT) -> CourseReport:
    return judge_course(parse_course(data, content), content, as_of(on))


def flags(*offsets: int) -> list[dict[str, str]]:
    return [{"date": day(offset), "what": "new numbness in one foot"} for offset in offsets]


def global_change(offset: int, rating: int) -> list[dict[str, Any]]:
    return [{"date": day(offset), "rating": rating}]


def diary_weeks(first: float, last: float) -> list[dict[str, Any]]:
    """A diary from day 0: a week at ``first``, a week between, and a week at ``last``."""
    middle = (first + last) / 2
    return [
        {"date": day(k), "pain": first if k < 7 else middle if k < 14 else last} for k in range(21)
    ]


# (id, course, as-of day, verdict). Pain is the pain noted before each visit unless a row
# adds a diary or scores. Checkpoints in outcomes.yaml: early 14 days or 2 visits, review 28
# days or 4 visits, change 56 days or 8 visits; pain MCID 2 points or 30 %.
VERDICTS = [
    ("first visit only, same day", course([(0, 7)]), 0, "too_early"),
    ("day 13 with one visit", course([(0, 7)]), 13, "too_early"),
    ("day 14 with one visit: early checkpoint", course([(0, 7)]), 14, "not_yet_meaningful"),
    ("visit 1 on day 7", course([(0, 7)]), 7, "too_early"),
    ("visit 2 on day 7: early checkpoint", course(weekly([7, 6])), 7, "not_yet_meaningful"),
    ("visit 3 on day 21", course(weekly([7, 6.5, 6])), 21, "not_yet_meaningful"),
    ("7 to 5.5 after four visits", course(weekly([7, 6.5, 6, 5.5])), 21, "review_recommended"),
    ("day 27 with three visits", course(weekly([7, 6.5, 6], every=10)), 27, "not_yet_meaningful"),
    ("day 28 with three visits", course(weekly([7, 6.5, 6], every=10)), 28, "review_recommended"),
    ("visit 7 by day 42", course(weekly([7] * 7)), 42, "review_recommended"),
    ("visit 8 by day 49", course(weekly([7] * 8)), 49, "change_recommended"),
    ("day 55 with five visits", course(weekly([7] * 5, every=10)), 55, "review_recommended"),
    ("day 56 with five visits", course(weekly([7] * 5, every=10)), 56, "change_recommended"),
    (
        "3 to 2 is meaningful by the relative rule",
        course(weekly([3, 2])),
        7,
        "improving_meaningfully",
    ),
    ("exactly 2 points (8 to 6, 25 %)", course(weekly([8, 6])), 7, "improving_meaningfully"),
    ("exactly 30 % (5 to 3.5)", course(weekly([5, 3.5])), 7, "improving_meaningfully"),
    ("just under both rules (5 to 3.6)", course(weekly([5, 3.6])), 7, "not_yet_meaningful"),
    ("just under both rules (8 to 6.1)", course(weekly([8, 6.1])), 7, "not_yet_meaningful"),
    (
        "improving before the first checkpoint",
        course([(0, 6), (3, 4)]),
        3,
        "improving_meaningfully",
    ),
    ("worse by 2 points", course(weekly([4, 6])), 7, "rescreen_first"),
    ("worse by exactly 30 % (5 to 6.5)", course(weekly([5, 6.5])), 7, "rescreen_first"),
    ("worse, under both rules (5 to 6.4)", course(weekly([5, 6.4])), 7, "not_yet_meaningful"),
    (
        "worse pain outranks a better ODI and a far-better global rating",
        course(
            weekly([4, 5, 6]),
            odi=[{"date": day(0), "score": 40}, {"date": day(14), "score": 20}],
            global_change=global_change(14, 7),
        ),
        14,
        "rescreen_first",
    ),
    (
        "a red flag outranks a meaningful improvement",
        course(weekly([8, 4]), red_flags=flags(5)),
        7,
        "rescreen_first",
    ),
    (
        "a red flag before the first checkpoint",
        course([(0, 6)], red_flags=flags(2)),
        2,
        "rescreen_first",
    ),
    (
        "a red flag after the as-of day is not yet known",
        course(weekly([8, 4]), red_flags=flags(9)),
        7,
        "improving_meaningfully",
    ),
    (
        "pain the day after the latest visit worse by 2.5 points",
        course(weekly([4, 4]), visits_next_day=6.5),
        8,
        "rescreen_first",
    ),
    (
        "the day after the latest visit is not yet there",
        course(weekly([4, 4]), visits_next_day=6.5),
        7,
        "not_yet_meaningful",
    ),
    (
        "pain the day after a visit lower does not count as improvement",
        course(weekly([6, 6]), visits_next_day=2),
        8,
        "not_yet_meaningful",
    ),
    (
        "clearly worse overall (-5)",
        course(weekly([6, 6]), global_change=global_change(7, -5)),
        7,
        "rescreen_first",
    ),
    (
        "a touch worse overall (-4)",
        course(weekly([6, 6]), global_change=global_change(7, -4)),
        7,
        "not_yet_meaningful",
    ),
    (
        "diary from the first visit on: its first week against its latest",
        course([(0, 6)], pain_diary=diary_weeks(6, 3)),
        20,
        "improving_meaningfully",
    ),
    (
        "diary from the first visit on, rising by 2 points",
        course([(0, 4)], pain_diary=diary_weeks(4, 6)),
        20,
        "rescreen_first",
    ),
    (
        "review point, but clearly better overall (+5)",
        course(weekly([7, 7, 7, 6]), global_change=global_change(21, 5)),
        21,
        "not_yet_meaningful",
    ),
    (
        "review point, a touch better overall (+4)",
        course(weekly([7, 7, 7, 6]), global_change=global_change(21, 4)),
        21,
        "review_recommended",
    ),
    (
        "change point: feeling better overall does not stand in for a measured change",
        course(weekly([7] * 8), global_change=global_change(49, 7)),
        49,
        "change_recommended",
    ),
    (
        "ODI 40 to 30 (10 points) at the review point",
        course(
            weekly([7, 7, 7, 7]),
            odi=[{"date": day(0), "score": 40}, {"date": day(21), "score": 30}],
        ),
        21,
        "improving_meaningfully",
    ),
    (
        "ODI 40 to 31 is not meaningful",
        course(
            weekly([7, 7, 7, 7]),
            odi=[{"date": day(0), "score": 40}, {"date": day(21), "score": 31}],
        ),
        21,
        "review_recommended",
    ),
    (
        "RMDQ 10 to 7 (30 %)",
        course(
            weekly([7, 7, 7, 7]),
            rmdq=[{"date": day(0), "score": 10}, {"date": day(21), "score": 7}],
        ),
        21,
        "improving_meaningfully",
    ),
    (
        "RMDQ 10 to 15 (worse by 5 points)",
        course(
            weekly([7, 7, 7, 7]),
            rmdq=[{"date": day(0), "score": 10}, {"date": day(21), "score": 15}],
        ),
        21,
        "rescreen_first",
    ),
    (
        "an ODI score after the as-of day is left out",
        course(
            weekly([7, 7, 7, 7]),
            odi=[{"date": day(0), "score": 40}, {"date": day(30), "score": 10}],
        ),
        21,
        "review_recommended",
    ),
]


@pytest.mark.parametrize(
    ("data", "on", "expected"), [row[1:] for row in VERDICTS], ids=[row[0] for row in VERDICTS]
)
def test_verdict_table(data: dict[str, Any], on: int, expected: str) -> None:
    report = judge(data, on)
    assert report.verdict == expected, report.reason
    assert report.label == RULES.verdicts[report.verdict].label
    assert report.reason


def psfs(offset: int, ratings: list[int]) -> dict[str, Any]:
    names = ("sitting", "lifting", "walking")
    return {
        "date": day(offset),
        "activities": [{"activity": n, "rating": r} for n, r in zip(names, ratings, strict=False)],
    }


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        # The mean up by 2 points.
        ([3, 3, 3], [5, 5, 5], "improving_meaningfully"),
        # One activity up by 3, the mean only by 1: one activity is enough.
        ([3, 3, 3], [6, 3, 3], "improving_meaningfully"),
        # One activity up by 2, the mean by 0.7: neither rule.
        ([3, 3, 3], [5, 3, 3], "review_recommended"),
        # One activity down by 3 while another is up by 3: worse wins.
        ([3, 6, 3], [6, 3, 3], "rescreen_first"),
    ],
)
def test_psfs_mean_and_single_activity_rules(
    first: list[int], last: list[int], expected: str
) -> None:
    data = course(weekly([7, 7, 7, 7]), psfs=[psfs(0, first), psfs(21, last)])
    assert judge(data, 21).verdict == expected


def test_the_diary_is_judged_by_its_weekly_mean_and_its_worsening_is_never_missed() -> None:
    # The visits show a small fall, the diary's weekly mean rose by 2 points.
    diary = [{"date": day(k), "pain": 4.0} for k in range(-7, 0)]
    diary += [{"date": day(k), "pain": 6.0} for k in range(15, 22)]
    report = judge(course(weekly([5, 5, 5, 4.5]), pain_diary=diary), 21)
    assert report.verdict == "rescreen_first"
    bases = {m.basis: m.change.change for m in report.measures if m.measure == "pain"}
    assert bases == {"diary": "worse_meaningfully", "visits": "not_yet_meaningful"}


def test_money_and_cost_per_point() -> None:
    report = judge(course(weekly([8, 7, 5])), 14)
    assert (report.totals.spent, report.totals.reimbursed, report.totals.net) == (150, 60, 90)
    # 90 paid for a 3-point fall.
    assert report.cost_per_point == 30
    assert judge(course(weekly([8, 7, 7])), 14).cost_per_point is None


def test_visits_after_the_as_of_day_are_not_counted_or_charged() -> None:
    report = judge(course(weekly([8, 7, 7, 7])), 10)
    assert report.visits == 2
    assert report.totals.spent == 100


@pytest.mark.parametrize(("age", "shown"), [(41, True), (42, False)])
def test_natural_recovery_caveat_under_six_weeks(age: int, shown: bool) -> None:
    data = course(weekly([7, 6, 6]), episode_started=day(14 - age))
    caveat = RULES.caveats["natural_recovery"].split("{")[0]
    assert any(c.startswith(caveat) for c in judge(data, 14).caveats) is shown


def test_few_data_points_caveat() -> None:
    few = RULES.caveats["few_data_points"].split("{")[0]
    assert any(few in c for c in judge(course(weekly([7, 6])), 7).caveats)
    assert not any(few in c for c in judge(course(weekly([7, 6, 6])), 14).caveats)


def test_trend_before_care_and_its_caveat() -> None:
    # Falling a point a week before the first visit, flat since.
    diary = [{"date": day(k), "pain": 8 - (k + 28) / 7} for k in range(-28, 0)]
    diary += [{"date": day(k), "pain": 4.0} for k in range(0, 15)]
    report = judge(course(weekly([4, 4, 4]), pain_diary=diary), 14)
    assert report.trend_before_care is not None
    assert report.trend_before_care.before_per_week == pytest.approx(-1.0)
    assert report.trend_before_care.during_per_week == pytest.approx(0.0)
    assert RULES.caveats["improving_before_care"] in report.caveats


def test_questions_come_from_unticked_checklist_items_and_the_verdict() -> None:
    data = course(weekly([7, 6.5]))
    data["visits"][0]["checklist"] = {"assessed_hands_on": False, "home_plan": True}
    data["visits"][1]["checklist"] = {"assessed_hands_on": False, "retested": True}
    report = judge(data, 7)
    expected = [
        *RULES.verdicts["not_yet_meaningful"].questions,
        RULES.checklist["assessed_hands_on"].question,
    ]
    assert list(report.questions) == expected
    counts = {c.item: (c.ticked, c.recorded) for c in report.checklist}
    assert counts["assessed_hands_on"] == (0, 2)
    assert counts["home_plan"] == (1, 1)
    assert counts["explained_findings"] == (0, 0)


def test_checkpoints_come_from_the_content() -> None:
    """Moving the review checkpoint in the content moves the verdict."""
    review = RULES.checkpoints.review
    later = replace(review, visits=replace(review.visits, value=5.0))
    checkpoints = replace(RULES.checkpoints, review=later)
    changed = replace(CONTENT, outcomes=replace(RULES, checkpoints=checkpoints))
    data = course(weekly([7, 6.5, 6, 5.5]))
    assert judge(data, 21).verdict == "review_recommended"
    assert judge(data, 21, changed).verdict == "not_yet_meaningful"


def test_as_of_before_the_first_visit_is_refused() -> None:
    with pytest.raises(LedgerError) as caught:
        judge(course([(5, 7)]), 4)
    assert [e.path for e in caught.value.errors] == ["as_of"]


def paths(data: object) -> list[str]:
    with pytest.raises(LedgerError) as caught:
        parse_course(data, CONTENT)
    return [e.path for e in caught.value.errors]


def test_bad_fields_are_named_by_dotted_path() -> None:
    data = course(weekly([7, 6]))
    data["visits"][1]["pain_before"] = 11
    data["visits"][0]["reimbursed"] = 60
    data["visits"][0]["colour"] = "blue"
    data["odi"] = [{"date": "2026-02-30", "score": 20}]
    data["global_change"] = [{"date": day(1), "rating": 9}]
    data["psfs"] = [psfs(0, [3, 12, 4])]
    assert sorted(paths(data)) == sorted(
        [
            "visits.1.colour",
            "odi.1.date",
            "visits.2.pain_before",
            "visits.1.reimbursed",
            "global_change.1.rating",
            # The questionnaire's own check names the activity inside the message.
            "psfs.1.activities",
        ]
    )
    with pytest.raises(LedgerError) as caught:
        parse_course(data, CONTENT)
    said = {e.path: e.message for e in caught.value.errors}
    assert said["psfs.1.activities"].startswith("2.rating: 12 is out of range")
    assert said["visits.2.pain_before"] == "must be between 0 and 10"


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"visits": []}, "visits"),
        ({"provider": {"name": "", "kind": "physio"}}, "provider.name"),
        ({"red_flags": [{"date": day(1)}]}, "red_flags.1.what"),
        ({"pain_diary": [{"date": day(1), "pain": "5"}]}, "pain_diary.1.pain"),
        ({"pain_diary": [{"date": 20261101, "pain": 5}]}, "pain_diary.1.date"),
        ({"pain_diary": [{"date": day(1), "pain": -1}]}, "pain_diary.1.pain"),
        ({"global_change": [{"date": day(1), "rating": True}]}, "global_change.1.rating"),
    ],
)
def test_each_kind_of_bad_value_names_its_field(change: dict[str, Any], path: str) -> None:
    assert paths({**course([(0, 7)]), **change}) == [path]


def test_missing_provider_and_not_an_object() -> None:
    data = course([(0, 7)])
    del data["provider"]
    assert paths(data) == ["provider"]
    assert paths([1, 2]) == ["ledger"]


def test_duplicate_keys_are_refused() -> None:
    text = '{"provider": {"name": "A", "kind": "physio", "name": "B"}, "visits": []}'
    with pytest.raises(LedgerError) as caught:
        parse_course_json(text, CONTENT)
    assert "provider.name" in [e.path for e in caught.value.errors]


def test_the_json_schema_carries_the_content_ranges() -> None:
    schema = course_json_schema(CONTENT)
    pain = schema["$defs"]["PainRating"]["properties"]["pain"]
    low, high = CONTENT.instruments["pain_nrs"].score_range
    assert (pain["minimum"], pain["maximum"]) == (low, high)
    scored: tuple[tuple[str, LedgerMeasure], ...] = (("OdiOn", "odi"), ("RmdqOn", "rmdq"))
    for model, measure in scored:
        score = schema["$defs"][model]["properties"]["score"]
        expected = CONTENT.instruments[RULES.measures[measure]].score_range
        assert (score["minimum"], score["maximum"]) == expected
    rating = schema["$defs"]["ActivityRating"]["properties"]["rating"]
    item = CONTENT.instruments["psfs"].items[0]
    assert (rating["minimum"], rating["maximum"]) == (item.minimum, item.maximum)
    assert set(schema["required"]) == {"provider", "visits"}
    json.dumps(schema)  # plain JSON


def test_the_days_after_a_visit_are_compared_with_other_days_when_there_is_a_diary() -> None:
    visit_days = list(range(0, 40, 3))
    diary = [{"date": day(k), "pain": 5.0 - 1.5 * (k - 1 in visit_days)} for k in range(-10, 45)]
    data = course([(k, 5) for k in visit_days], pain_diary=diary)
    found = judge(data, 44).after_visits
    assert found is not None and found.difference is not None
    # Shown to one decimal, and visits every third day put a few into each trend window.
    assert abs(found.difference - -1.5) <= 0.15
    assert found.habit == "physiotherapy"
    assert judge(course(weekly([5, 5])), 7).after_visits is None


def test_a_worse_measure_is_named_once_in_the_reason_even_when_seen_two_ways() -> None:
    report = judge(course(weekly([4, 6]), visits_next_day=7, red_flags=flags(3)), 8)
    assert report.verdict == "rescreen_first"
    assert {m.basis for m in report.measures} >= {"visits", "day_after_visit"}
    pain = CONTENT.instruments["pain_nrs"].name
    assert report.reason.count(pain) == 1
    assert report.reason.endswith(RULES.reasons["rescreen"].split()[-1])


def test_a_ledger_file_over_the_size_limit_is_refused() -> None:
    text = '{"provider": {"name": "A", "kind": "physio"}, "visits": [], "currency": "'
    text += "x" * MAX_INPUT_BYTES + '"}'
    with pytest.raises(LedgerError) as caught:
        parse_course_json(text, CONTENT)
    assert [e.path for e in caught.value.errors] == ["ledger"]
