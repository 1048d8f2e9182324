"""Property: the standing safety level never drops unless a clinician visit was recorded
since the check-in before, and an unsure answer never stands as no.

Sequences of check-ins (each raising a few questions to yes or not sure, the rest no) and
clinician visits are run through the journal's own services, as the check-in page runs
them.
"""

from __future__ import annotations

import itertools
import uuid
from typing import Any

import hypothesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backbalance.web.journal import services
from backbalance.web.journal.safety import current_safety
from tests.web.conftest import make_person
from tests.web.journal.conftest import check_in_ids

# Lowest to highest, as the core orders them.
LEVELS = ("none", "routine", "urgent", "emergency")
VISIT = "visit"
_people = itertools.count()

CALM = {question_id: "no" for question_id in check_in_ids()}
# A calm check-in (every answer no) often enough that a raised level gets the chance to
# fall, and one with a sign or two (yes or not sure) often enough to raise it.
raised = st.lists(
    st.tuples(st.sampled_from(check_in_ids()), st.sampled_from(["yes", "unsure"])),
    min_size=1,
    max_size=2,
).map(lambda signs: CALM | dict(signs))
step = st.one_of(raised, st.just(CALM), st.just(VISIT))
# Half the sequences are free; the other half raise a sign, record a visit and then check
# in calm somewhere in the middle, so the one way down is tried often too.
free = st.lists(step, min_size=3, max_size=6)
visit_then_calm = st.builds(
    lambda before, sign, after: [*before, sign, VISIT, CALM, *after],
    st.lists(step, max_size=1),
    raised,
    st.lists(step, max_size=2),
)
steps = st.one_of(free, visit_then_calm)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=steps)
def test_the_standing_level_never_drops_without_a_clinician_visit(
    db: None, steps: list[dict[str, str] | str]
) -> None:
    person = make_person(f"p{next(_people)}", "01_lower_crossed_office_worker.json")
    before = current_safety(person).level
    assert before is not None
    visited = False
    for step in steps:
        if step == VISIT:
            services.record_clinician_visit(person, {"seen_on": _today()})
            visited = True
            continue
        assert isinstance(step, dict)
        cleaned: dict[str, Any] = {"pain_now": 3, "client_token": uuid.uuid4()}
        saved = services.record_check_in(person, cleaned, step)
        now = current_safety(person).level
        assert now is not None and saved.level == now
        if LEVELS.index(now) < LEVELS.index(before):
            hypothesis.event("gate: level dropped after a clinician visit")
            assert visited, f"{before} fell to {now} with no clinician visit"
        elif LEVELS.index(now) > LEVELS.index(before):
            hypothesis.event("gate: a new sign raised the level")
        elif before != "none" and not visited:
            hypothesis.event("gate: a raised level held without a clinician")
        for question_id, answer in step.items():
            if answer == "unsure":
                hypothesis.event("gate: an unsure answer kept")
                assert saved.standing_answers[question_id] != "no"
        before, visited = now, False


def _today() -> Any:
    from django.utils import timezone

    return timezone.localdate()
