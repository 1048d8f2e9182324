"""Answering the safety screen again does not undo an emergency; a clinician visit does."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from backbalance.web.checkup.models import Assessment
from backbalance.web.journal.models import ClinicianVisit
from backbalance.web.journal.safety import current_safety
from tests.web.conftest import example_case, make_person
from tests.web.journal.conftest import post_check_in

CALM = example_case("01_lower_crossed_office_worker.json")


def _screen_again(user: User) -> None:
    Assessment.objects.create(
        owner=user,
        person=CALM["person"],
        screening=CALM["screening"],
        screened_at=timezone.now() + timedelta(seconds=1),
    )


def _clinician_seen(user: User) -> None:
    ClinicianVisit.objects.create(owner=user, seen_on=timezone.localdate())


@pytest.mark.django_db
def test_an_emergency_screen_answered_again_all_no_still_stands() -> None:
    person = make_person("cauda", "04_cauda_equina_emergency.json")
    assert current_safety(person).level == "emergency"
    _screen_again(person)
    assert current_safety(person).level == "emergency"
    _clinician_seen(person)
    assert current_safety(person).level == "none"


def test_an_emergency_check_in_is_not_undone_by_a_new_screen(
    owner_client: Client, owner: User
) -> None:
    post_check_in(owner_client, answers={"ces_saddle_numbness": "yes"})
    assert current_safety(owner).level == "emergency"
    _screen_again(owner)
    state = current_safety(owner)
    assert state.level == "emergency"
    assert not state.routine_allowed and not state.devices_allowed
    _clinician_seen(owner)
    _screen_again(owner)
    assert current_safety(owner).level == "none"


@pytest.mark.django_db
def test_an_emergency_before_an_earlier_clinician_visit_does_not_hold() -> None:
    person = make_person("seen-before", "04_cauda_equina_emergency.json")
    _clinician_seen(person)
    _screen_again(person)
    assert current_safety(person).level == "none"
