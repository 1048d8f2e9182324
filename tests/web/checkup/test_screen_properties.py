"""Properties of the safety screen page by page: stopping early never lowers the level.

The screen stops at the first page whose answers already make an emergency, and stores
the questions not reached as "not sure". For any answers a person could give, the level
stored must be exactly the level their full answers would give, and a screen that was
not stopped must store exactly what was answered.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from backbalance.core import api
from backbalance.web.checkup import services
from backbalance.web.checkup.models import Assessment
from backbalance.web.common.content import content

QUESTIONS = [q.id for q in content().red_flags.questions]


@st.composite
def screens(draw: Any) -> dict[str, Any]:
    # Mostly "no", as for most people; a yes or a not sure on up to three questions, so
    # the emergency, urgent, routine and calm outcomes each come up often (see the events).
    flagged = draw(st.lists(st.sampled_from(QUESTIONS), max_size=3, unique=True))
    answers = {question: "no" for question in QUESTIONS}
    for question in flagged:
        answers[question] = draw(st.sampled_from(["yes", "unsure"]))
    person = {"age": draw(st.integers(18, 90)), "sex": draw(st.sampled_from(["female", "male"]))}
    return {"answers": answers, "person": person}


@pytest.mark.django_db
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(screen=screens())
def test_the_stored_screen_has_the_level_of_the_full_answers(screen: dict[str, Any]) -> None:
    owner, _ = User.objects.get_or_create(username="property")
    assessment = Assessment.objects.create(owner=owner)
    services.save_person(assessment, screen["person"])
    for page in services.screen_pages():
        if services.screen_done(assessment):
            break
        services.save_screen_page(
            assessment, page, {q.id: screen["answers"][q.id] for q in page.questions}
        )
    assert services.screen_done(assessment)
    full = api.triage(
        screen["answers"], api.parse_person(screen["person"], content()), content().red_flags
    ).level
    stored = services.triage_of(assessment).level
    assert stored == full
    if assessment.not_reached:
        event("stopped early at an emergency")
        assert stored == "emergency"
        reached = {q: a for q, a in assessment.screening.items() if q not in assessment.not_reached}
        assert all(screen["answers"][q] == a for q, a in reached.items())
        assert all(assessment.screening[q] == "unsure" for q in assessment.not_reached)
    else:
        event(f"full screen: {full}")
        assert assessment.screening == screen["answers"]
