"""Property: a re-test never opens while an emergency stands, whatever the check-in and
whether it is asked for by the chooser page or posted straight to it; once a clinician
visit is recorded after the emergency, it opens again.
"""

from __future__ import annotations

import itertools
import uuid
from datetime import date, timedelta
from typing import Any

import hypothesis
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backbalance.web.checkup.models import Assessment
from backbalance.web.journal import services
from tests.web.conftest import make_person
from tests.web.journal.conftest import check_in_ids

_people = itertools.count()
CALM = {question_id: "no" for question_id in check_in_ids()}
# Signs of cauda equina syndrome are the check-in's emergency questions; sampling them
# often makes the emergency gate fire on a good share of cases.
EMERGENCY_FIRST = [q for q in check_in_ids() if q.startswith("ces_")] or check_in_ids()
sign = st.one_of(st.sampled_from(EMERGENCY_FIRST), st.sampled_from(check_in_ids()))
answers = st.one_of(
    st.just(CALM),
    st.lists(st.tuples(sign, st.sampled_from(["yes", "unsure"])), min_size=1, max_size=2).map(
        lambda signs: CALM | dict(signs)
    ),
)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(answers=answers, visit_after=st.booleans(), method=st.sampled_from(["get", "post"]))
def test_no_re_test_opens_while_an_emergency_stands(
    db: None, answers: dict[str, str], visit_after: bool, method: str
) -> None:
    person = make_person(f"r{next(_people)}", "01_lower_crossed_office_worker.json")
    previous = Assessment.objects.get(owner=person)
    cleaned: dict[str, Any] = {"pain_now": 4, "client_token": uuid.uuid4()}
    saved = services.record_check_in(person, cleaned, answers)
    if visit_after:
        services.record_clinician_visit(person, {"seen_on": _tomorrow()})
    refused = saved.level == "emergency" and not visit_after
    client = Client()
    client.force_login(person)
    url = reverse("checkup:retest", kwargs={"pk": previous.pk})
    response = client.post(url, {"scope": "all"}) if method == "post" else client.get(url)
    opened = Assessment.objects.filter(retest_of=previous).exists()
    if refused:
        hypothesis.event("gate: emergency standing, re-test refused")
        assert response.status_code == 302 and response["Location"] == reverse("checkup:start")
        assert not opened
    elif saved.level == "emergency":
        hypothesis.event("gate: emergency seen by a clinician, re-test opens")
        assert response.status_code in (200, 302)
        assert opened == (method == "post")
    else:
        hypothesis.event("no emergency: re-test opens")
        assert opened == (method == "post")
        if method == "get":
            assert response.status_code == 200


def _tomorrow() -> date:
    return timezone.localdate() + timedelta(days=1)
