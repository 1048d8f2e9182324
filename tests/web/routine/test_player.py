"""The session player: one page with every item, a plain form underneath, stored once."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import event, given, settings
from hypothesis import strategies as st

from backbalance.core import api
from backbalance.web.common.content import content
from backbalance.web.routine.forms import SessionForm
from backbalance.web.routine.models import Session
from backbalance.web.routine.services import states_of
from tests.web.conftest import example_case
from tests.web.routine.conftest import check_in, plan_of, post_session, session_data


def url(plan_pk: object) -> str:
    return reverse("routine:player", args=[plan_pk])


def test_the_page_holds_every_item_of_today_with_its_figure_and_timer(
    owner_client: Client,
) -> None:
    plan = plan_of(owner_client)

    response = owner_client.get(url(plan.pk))

    assert response.status_code == 200
    page = response.content.decode()
    form = response.context["form"]
    assert form.item_fields
    for fields in form.item_fields:
        exercise = content().exercises[fields.item.exercise]
        assert exercise.name in page
        assert f'name="{fields.pain}"' in page and f'name="{fields.effort}"' in page
    assert page.count("data-timer ") + page.count("data-timer\n") >= 1
    assert page.count('data-step="item"') == len(form.item_fields)
    assert "routine/player.js" in page
    # The content security policy forbids inline script and style: none here.
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert "style=" not in page and "<style" not in page


def test_the_owner_logs_a_session(owner_client: Client, owner: User) -> None:
    plan = plan_of(owner_client)
    data = session_data(owner_client, plan, pain=3, effort=5)
    some_item = next(k for k in data if k.endswith("_done"))
    data[some_item] = "skipped"

    response = owner_client.post(url(plan.pk), data)

    assert response.status_code == 302
    assert response["Location"] == reverse("routine:today")
    session = Session.objects.get(owner=owner)
    assert str(session.client_token) == data["client_token"]
    assert session.usual_pain == 2
    skipped = [i for i in session.items if not i["done"]]
    done = [i for i in session.items if i["done"]]
    assert len(skipped) == 1 and skipped[0]["pain_during"] is None
    assert done and all(i["pain_during"] == 3 and i["effort"] == 5 for i in done)


def test_a_session_sent_again_is_stored_once(owner_client: Client, owner: User) -> None:
    plan = plan_of(owner_client)
    data = session_data(owner_client, plan)

    first = owner_client.post(url(plan.pk), data)
    again = owner_client.post(url(plan.pk), data)

    assert first.status_code == again.status_code == 302
    assert Session.objects.filter(owner=owner).count() == 1


def test_bad_numbers_are_named_next_to_the_field_and_kept(
    owner_client: Client, owner: User
) -> None:
    plan = plan_of(owner_client)
    data = session_data(owner_client, plan)
    form = owner_client.get(url(plan.pk)).context["form"]
    first = form.item_fields[0]
    data[first.pain] = "11"
    data[first.effort] = "-1"

    response = owner_client.post(url(plan.pk), data)

    assert response.status_code == 200
    page = response.content.decode()
    for name, typed in ((first.pain, "11"), (first.effort, "-1")):
        field_html = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
        assert field_html is not None and f'value="{typed}"' in field_html.group(0)
        assert f'id="id_{name}_error"' in page
    scales = content().progression.scales
    assert f"from {scales.pain.minimum} to {scales.pain.maximum}" in page
    assert f"from {scales.effort.minimum} to {scales.effort.maximum}" in page
    assert not Session.objects.filter(owner=owner).exists()


def test_an_item_done_needs_its_pain_and_effort(owner_client: Client, owner: User) -> None:
    plan = plan_of(owner_client)
    data = session_data(owner_client, plan)
    form = owner_client.get(url(plan.pk)).context["form"]
    del data[form.item_fields[0].pain]

    response = owner_client.post(url(plan.pk), data)

    assert response.status_code == 200
    assert f'id="id_{form.item_fields[0].pain}_error"' in response.content.decode()
    assert not Session.objects.filter(owner=owner).exists()


def test_a_stranger_gets_404(owner_client: Client, stranger_client: Client) -> None:
    plan = plan_of(owner_client)
    data = session_data(owner_client, plan)

    assert stranger_client.get(url(plan.pk)).status_code == 404
    assert stranger_client.post(url(plan.pk), data).status_code == 404
    assert not Session.objects.exists()


def test_nobody_is_sent_to_log_in(owner_client: Client, client: Client) -> None:
    plan = plan_of(owner_client)
    response = client.post(url(plan.pk), {})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_an_emergency_locks_the_player_even_for_a_direct_post(
    owner_client: Client, owner: User
) -> None:
    plan = plan_of(owner_client)
    data = session_data(owner_client, plan)
    check_in(owner, ces_bladder_change="yes")

    shown = owner_client.get(url(plan.pk))
    posted = owner_client.post(url(plan.pk), data)

    for response in (shown, posted):
        # 403: the browser keeps an offline session it tried to send, for later.
        assert response.status_code == 403
        assert "data-locked" in response.content.decode()
        assert "form" not in (response.context or {})
    assert not Session.objects.exists()


def test_new_symptoms_pause_the_items_at_once(owner_client: Client, owner: User) -> None:
    plan = plan_of(owner_client)

    post_session(owner_client, plan, new_symptoms=True)

    plan.refresh_from_db()
    done = {i["exercise"] for i in Session.objects.get(owner=owner).items if i["done"]}
    stopped = {s.exercise_id for s in states_of(plan) if s.stopped}
    assert stopped == done
    today = owner_client.get(reverse("routine:today"))
    assert not {v.item.exercise for v in today.context["items"]} & stopped
    assert "paused" in today.content.decode()


def test_a_paused_item_comes_back_after_a_clear_check_in_only(
    owner_client: Client, owner: User
) -> None:
    plan = plan_of(owner_client)
    post_session(owner_client, plan, new_symptoms=True)
    plan.refresh_from_db()
    assert any(s.stopped for s in states_of(plan))

    check_in(owner, leg_weakness_progressive="yes")  # urgent: not cleared
    owner_client.get(reverse("routine:today"))
    plan.refresh_from_db()
    assert any(s.stopped for s in states_of(plan))


def test_a_clear_check_in_after_the_pause_brings_the_items_back(
    owner_client: Client, owner: User
) -> None:
    plan = plan_of(owner_client)
    post_session(owner_client, plan, new_symptoms=True)
    plan.refresh_from_db()
    stopped = {s.exercise_id for s in states_of(plan) if s.stopped}
    assert stopped

    check_in(owner)
    response = owner_client.get(reverse("routine:today"))

    plan.refresh_from_db()
    assert not any(s.stopped for s in states_of(plan))
    assert stopped <= {v.item.exercise for v in response.context["items"]}


SCALES = content().progression.scales


@settings(max_examples=60, deadline=None)
@given(st.integers(-3, 14), st.integers(-3, 14))
def test_property_pain_and_effort_are_held_to_the_content_scales(pain: int, effort: int) -> None:
    case = api.parse_case(example_case("01_lower_crossed_office_worker.json"), content())
    routine = api.evaluate(case, content()).routine
    assert routine is not None
    blank = SessionForm(routine)
    data: dict[str, object] = {
        "client_token": str(uuid.uuid4()),
        "items_key": blank.expected_key,
        "usual_pain": SCALES.pain.minimum,
    }
    for fields in blank.item_fields:
        data[fields.done] = "done"
        for side, name in fields.sets:
            data[name] = fields.item.dose[side].sets
        data[fields.pain] = pain
        data[fields.effort] = effort
    pain_ok = SCALES.pain.minimum <= pain <= SCALES.pain.maximum
    effort_ok = SCALES.effort.minimum <= effort <= SCALES.effort.maximum
    event(f"pain {'in' if pain_ok else 'off'} scale, effort {'in' if effort_ok else 'off'} scale")

    form = SessionForm(routine, data)

    assert form.is_valid() == (pain_ok and effort_ok)
    first = blank.item_fields[0]
    assert (first.pain in form.errors) == (not pain_ok)
    assert (first.effort in form.errors) == (not effort_ok)


def test_a_session_sent_the_next_day_counts_for_the_day_it_was_done(
    owner_client: Client, owner: User
) -> None:
    plan = plan_of(owner_client)
    data = session_data(owner_client, plan)
    yesterday = timezone.now() - timedelta(days=1)
    data["started_at"] = yesterday.isoformat()

    owner_client.post(url(plan.pk), data)

    assert Session.objects.get(owner=owner).day == timezone.localdate(yesterday)
