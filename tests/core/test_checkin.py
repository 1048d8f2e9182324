"""Check-in triage: a check-in asks only the ``every_check_in`` questions and is read
against the last full screen.

The properties: the level never falls below the last screen's unless a clinician has seen
the person (and then never below what the combined answers give); one more yes never
lowers it; a sign that first appears at a later check-in is an emergency at once.
"""

from __future__ import annotations

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from backbalance.content.loader import load_content
from backbalance.core.screening import check_in_questions, triage, triage_check_in
from backbalance.core.types import LEVEL_ORDER, Answer, CaseError, CheckInTriage, Person, Sex

RED_FLAGS = load_content().red_flags
QUESTION_IDS = [q.id for q in RED_FLAGS.questions]
CHECK_IN_IDS = [q.id for q in check_in_questions(RED_FLAGS)]
FULL_SCREEN_ONLY_IDS = [q for q in QUESTION_IDS if q not in CHECK_IN_IDS]
CES_IDS = [q.id for q in RED_FLAGS.questions if q.group == "cauda_equina"]
PERSON = Person(age=45, sex="female")
SEXES: list[Sex] = ["female", "male", "other", "not_stated"]


def screen(**given: Answer) -> dict[str, Answer]:
    """A full screen: "no" everywhere except the named questions."""
    assert set(given) <= set(QUESTION_IDS), set(given) - set(QUESTION_IDS)
    return {**dict.fromkeys(QUESTION_IDS, "no"), **given}


def check_in(**given: Answer) -> dict[str, Answer]:
    """A check-in: "no" to every check-in question except the named ones."""
    assert set(given) <= set(CHECK_IN_IDS), set(given) - set(CHECK_IN_IDS)
    return {**dict.fromkeys(CHECK_IN_IDS, "no"), **given}


def run(
    now: dict[str, Answer], last: dict[str, Answer], seen: bool = False, person: Person = PERSON
) -> CheckInTriage:
    return triage_check_in(now, last, person, RED_FLAGS, clinician_seen_since=seen)


# --------------------------------------------------------------------------- golden cases


def test_a_clear_check_in_after_a_clear_screen_stays_clear() -> None:
    result = run(check_in(), screen())

    assert result.triage.level == "none"
    assert not result.raised
    assert result.new == result.held == ()
    assert result.carried == tuple(FULL_SCREEN_ONLY_IDS)


@pytest.mark.parametrize("answer", ["yes", "unsure"])
def test_saddle_numbness_first_reported_at_week_three_is_an_emergency_at_once(
    answer: Answer,
) -> None:
    # Weeks one and two were clear; the numbness is new at the third check-in.
    last = screen()
    for _week in (1, 2):
        assert run(check_in(), last).triage.level == "none"

    result = run(check_in(ces_saddle_numbness=answer), last)

    assert result.triage.level == "emergency"
    assert result.raised
    assert result.new == ("ces_saddle_numbness",)
    assert result.triage.continue_self_care is False
    assert "ces_saddle_numbness" in {a for r in result.triage.reasons for a in r.answers}


def test_answers_not_asked_at_a_check_in_are_carried_from_the_last_screen() -> None:
    # A past cancer is asked once, at the full screen; a check-in keeps it in view, and a
    # new nerve sign at the check-in combines with it.
    last = screen(cancer_history="yes")
    assert triage(last, PERSON, RED_FLAGS).level == "urgent"

    result = run(check_in(leg_numbness_new="yes"), last)

    assert result.answers["cancer_history"] == "yes"
    assert "cancer_history" in result.carried
    assert result.triage.level == "emergency"
    assert "cancer_with_nerve_signs" in {r.rule_id for r in result.triage.reasons}


@pytest.mark.parametrize(
    ("earlier", "level"),
    [("ces_bladder_change", "emergency"), ("leg_weakness_progressive", "urgent")],
)
def test_an_old_emergency_or_urgent_answer_stands_until_a_clinician_has_seen_them(
    earlier: str, level: str
) -> None:
    last: dict[str, Answer] = {**screen(), earlier: "yes"}

    not_seen = run(check_in(), last)
    seen = run(check_in(), last, seen=True)

    assert not_seen.triage.level == level
    assert not_seen.held == (earlier,)
    assert not_seen.answers[earlier] == "yes"
    assert seen.triage.level == "none"
    assert seen.held == ()


def test_after_a_clinician_has_seen_them_carried_answers_still_count() -> None:
    # Being seen lets the check-in answers replace the earlier ones; it does not wipe out
    # what only the full screen asks.
    last = screen(cancer_history="yes", ces_bladder_change="yes")

    result = run(check_in(), last, seen=True)

    assert result.triage.level == "urgent"
    assert result.answers["ces_bladder_change"] == "no"


def test_a_lower_answer_keeps_the_stronger_earlier_one_yes_over_not_sure() -> None:
    last = screen(leg_numbness_new="yes")

    result = run(check_in(leg_numbness_new="unsure"), last)

    assert result.answers["leg_numbness_new"] == "yes"
    assert result.held == ("leg_numbness_new",)


def test_the_level_and_the_answers_agree_so_the_case_can_be_evaluated_again() -> None:
    last = screen(leg_weakness_progressive="yes", cancer_history="unsure")
    result = run(check_in(ces_both_legs="unsure"), last)

    assert result.triage == triage(result.answers, PERSON, RED_FLAGS)


# --------------------------------------------------------------------------- refused input


def test_a_missing_check_in_answer_is_refused_with_its_path() -> None:
    partial = check_in()
    del partial["ces_bowel_change"]
    partial["leg_weakness_rapid"] = None  # type: ignore[assignment]

    with pytest.raises(CaseError) as caught:
        run(partial, screen())

    paths = [e.path for e in caught.value.errors]
    assert paths == ["check_in.ces_bowel_change", "check_in.leg_weakness_rapid"]
    assert "cannot be skipped" in caught.value.errors[0].message


def test_an_answer_to_a_question_a_check_in_does_not_ask_is_refused_with_its_path() -> None:
    answers = {**check_in(), "cancer_history": "no"}

    with pytest.raises(CaseError) as caught:
        run(answers, screen(cancer_history="yes"))

    [error] = caught.value.errors
    assert error.path == "check_in.cancer_history"
    assert "full safety screen" in error.message


@pytest.mark.parametrize("bad", ["maybe", "Yes", "", True, 1, ["yes"]])
def test_a_malformed_check_in_answer_is_refused_with_its_path(bad: object) -> None:
    answers: dict[str, object] = {**check_in(), "ces_wiping_feels_different": bad}

    with pytest.raises(CaseError) as caught:
        triage_check_in(
            answers,  # type: ignore[arg-type]
            screen(),
            PERSON,
            RED_FLAGS,
            clinician_seen_since=False,
        )

    assert [e.path for e in caught.value.errors] == ["check_in.ces_wiping_feels_different"]


def test_an_unknown_question_and_an_incomplete_last_screen_are_named_together() -> None:
    last = screen()
    del last["first_episode"]

    with pytest.raises(CaseError) as caught:
        run({**check_in(), "no_such_question": "no"}, last)

    paths = [e.path for e in caught.value.errors]
    assert paths == ["check_in.no_such_question", "screening.first_episode"]


# --------------------------------------------------------------------------- properties


# What each generated pair of last screen and check-in is built to show. "withdrawn" is
# the one that tries the held answers: an earlier yes or not sure answered lower now.
SCENARIOS = ("new_sign", "withdrawn", "withdrawn", "unchanged", "full_screen_flags")


def raised(draw: st.DrawFn, pool: list[str], most: int) -> dict[str, Answer]:
    chosen = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=most, unique=True))
    return {q: draw(st.sampled_from(("yes", "unsure"))) for q in chosen}


@st.composite
def visits(draw: st.DrawFn) -> tuple[dict[str, Answer], dict[str, Answer]]:
    """A check-in and the last full screen, built for one scenario (named as an event).

    Every scenario may add a few flags on full-screen-only questions, so the levels spread
    from none to emergency.
    """
    scenario = draw(st.sampled_from(SCENARIOS))
    event(f"setup: {scenario}")
    last = screen()
    if scenario == "full_screen_flags" or draw(st.booleans()):
        last.update(raised(draw, FULL_SCREEN_ONLY_IDS, 2))
    now = check_in()
    if scenario == "new_sign":
        now.update(raised(draw, CHECK_IN_IDS, 2))
    elif scenario == "withdrawn":
        earlier = raised(draw, CHECK_IN_IDS, 2)
        last.update(earlier)
        # Lower now: "no", or "not sure" where the earlier answer was a yes.
        for question_id, answer in earlier.items():
            weaker: list[Answer] = ["no", "unsure"] if answer == "yes" else ["no"]
            now[question_id] = draw(st.sampled_from(weaker))
    elif scenario == "unchanged":
        repeated = raised(draw, CHECK_IN_IDS, 2)
        last.update(repeated)
        now.update(repeated)
    return now, last


# Half the flips land on a check-in question outside cauda equina, whose yes gives less
# than an emergency, so the property is not only tried on cases already at the top.
NON_CES_CHECK_IN_IDS = [q for q in CHECK_IN_IDS if q not in CES_IDS]
flips = st.one_of(st.sampled_from(CES_IDS), st.sampled_from(NON_CES_CHECK_IN_IDS))
people = st.builds(Person, age=st.integers(18, 100), sex=st.sampled_from(SEXES))


def combined(now: dict[str, Answer], last: dict[str, Answer]) -> dict[str, Answer]:
    """The last screen with the check-in answers written over it."""
    return {**last, **now}


def level(answers: dict[str, Answer], person: Person) -> int:
    return LEVEL_ORDER[triage(answers, person, RED_FLAGS).level]


def name_the_gate(result: CheckInTriage, seen: bool) -> None:
    event(f"check-in level: {result.triage.level}")
    if result.held:
        event("gate: an earlier answer held until a clinician has seen them")
    if result.raised:
        event("gate: the check-in raised the level")
    if seen and LEVEL_ORDER[result.triage.level] < LEVEL_ORDER[result.last_level]:
        event("gate: lower after a clinician saw them")


@given(visits(), people, st.booleans())
def test_property_the_level_never_falls_below_the_last_screen_unless_a_clinician_saw_them(
    visit: tuple[dict[str, Answer], dict[str, Answer]], person: Person, seen: bool
) -> None:
    now, last = visit
    result = triage_check_in(now, last, person, RED_FLAGS, clinician_seen_since=seen)
    name_the_gate(result, seen)

    got = LEVEL_ORDER[result.triage.level]
    assert got >= level(combined(now, last), person)
    if not seen:
        assert got >= level(last, person)
    assert result.triage == triage(result.answers, person, RED_FLAGS)


@given(visits(), people, st.booleans(), flips)
def test_property_one_more_yes_at_a_check_in_never_lowers_the_level(
    visit: tuple[dict[str, Answer], dict[str, Answer]], person: Person, seen: bool, flipped: str
) -> None:
    now, last = visit
    before = triage_check_in(now, last, person, RED_FLAGS, clinician_seen_since=seen)
    after = triage_check_in(
        {**now, flipped: "yes"}, last, person, RED_FLAGS, clinician_seen_since=seen
    )
    name_the_gate(after, seen)
    event(f"gate: flipped {now[flipped]} to yes")

    assert LEVEL_ORDER[after.triage.level] >= LEVEL_ORDER[before.triage.level]


@given(
    visits(), people, st.booleans(), st.sampled_from(CES_IDS), st.sampled_from(("yes", "unsure"))
)
def test_property_a_cauda_equina_sign_new_at_a_check_in_is_an_emergency_at_once(
    visit: tuple[dict[str, Answer], dict[str, Answer]],
    person: Person,
    seen: bool,
    sign: str,
    answer: Answer,
) -> None:
    now, last = visit
    # The sign was not there at the full screen; it appears now, as yes or as not sure.
    last = {**last, sign: "no"}
    event(f"gate: new cauda equina sign answered {answer}")

    result = triage_check_in(
        {**now, sign: answer}, last, person, RED_FLAGS, clinician_seen_since=seen
    )

    assert sign in result.new
    assert result.triage.level == "emergency"
    assert result.triage.continue_self_care is False
