"""Property: whatever the check-ins raise, the reminder calendar holds the routine only
while the standing safety level allows a routine, and the clinician report always leads
with the standing level and never shows a routine an emergency has locked.

Each example is a fresh person with a started routine and a few check-ins (each raising a
question or two to yes or not sure, or calm), judged by the journal as the check-in page
judges them.
"""

from __future__ import annotations

import itertools
from datetime import time

import hypothesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backbalance.core import api
from backbalance.web.common.content import content
from backbalance.web.journal.safety import current_safety
from backbalance.web.reports import services
from backbalance.web.routine import services as routine_services
from tests.web.conftest import example_case, make_person
from tests.web.journal.conftest import check_in_ids
from tests.web.routine.conftest import check_in

_people = itertools.count()
CALM = dict.fromkeys(check_in_ids(), "no")
_CASE = example_case("01_lower_crossed_office_worker.json")


def _level_of_yes(question_id: str) -> str:
    """The level one yes to this question gives on its own, for the example person."""
    answers = {**_CASE["screening"], **CALM, question_id: "yes"}
    person = api.parse_person(_CASE["person"], content())
    return api.triage(answers, person, content().red_flags).level


# The check-in questions by the level a yes to them raises, so each level is drawn on a
# fair share of examples (most questions point to an emergency; drawn evenly, nearly every
# example would be one).
BY_LEVEL: dict[str, list[str]] = {}
for _question in check_in_ids():
    BY_LEVEL.setdefault(_level_of_yes(_question), []).append(_question)


def _check_in_for(level: str) -> st.SearchStrategy[dict[str, str]]:
    """A check-in aimed at ``level``: calm for "none", else one sign of that level."""
    if level == "none":
        return st.just({})
    return st.tuples(st.sampled_from(BY_LEVEL[level]), st.sampled_from(["yes", "unsure"])).map(
        lambda sign: dict([sign])
    )


check_ins = st.lists(
    st.sampled_from(["none", *sorted(BY_LEVEL)]).flatmap(_check_in_for), min_size=1, max_size=2
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(check_ins=check_ins)
def test_routine_reminders_follow_the_standing_level(
    db: None, check_ins: list[dict[str, str]]
) -> None:
    person = make_person(f"r{next(_people)}", "01_lower_crossed_office_worker.json")
    checkup = routine_services.latest_checkup(person)
    assert checkup is not None
    routine_services.active_plan(person, checkup)
    for answers in check_ins:
        check_in(person, **(CALM | answers))
    safety = current_safety(person)
    hypothesis.event(f"standing level: {safety.level}")

    reminders = services.reminders(person, time(9, 0))
    routine = [r for r in reminders if r.uid.startswith(("routine-", "retest-"))]
    hypothesis.event("gate: routine reminders " + ("shown" if routine else "left out"))
    assert bool(routine) == safety.routine_allowed
    if safety.emergency:
        assert routine == []

    report = services.build_report(
        person, safety, checkup.created_at.date(), checkup.created_at.date(), services.SECTIONS
    )
    assert report.safety.level == safety.level
    if safety.emergency:
        assert report.routine is None
    else:
        assert report.routine is not None
