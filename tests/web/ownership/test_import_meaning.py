"""A file whose fields all have the right types can still hold what would break the app
later: an exercise the content does not know, a side or dose the core refuses, a device
stage past the end of its protocol, a self-test that does not exist, a date that is no
date. Each is refused, named by its dotted path, and nothing is stored anywhere."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client
from django.urls import reverse

from backbalance.core import api
from backbalance.web.common.content import content
from backbalance.web.ownership import services
from backbalance.web.ownership.meaning import CHECKED_TOGETHER, RECORD_CHECKS
from backbalance.web.ownership.records import data_fields, kind_of, owned_models
from tests.web.conftest import make_person
from tests.web.ownership.conftest import one_of_each

Change = Callable[[dict[str, Any]], object]


def _records(data: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = data["records"][kind]
    return rows


def _plan_item(data: dict[str, Any]) -> dict[str, Any]:
    item: dict[str, Any] = _records(data, "routine.RoutinePlan")[0]["items"][0]
    return item


def _logged(data: dict[str, Any], number: int = 0) -> dict[str, Any]:
    item: dict[str, Any] = _records(data, "routine.Session")[0]["items"][number]
    return item


def _proposal(data: dict[str, Any]) -> dict[str, Any]:
    proposal: dict[str, Any] = _records(data, "routine.PendingProposal")[0]["proposal"]
    return proposal


def _checkup(data: dict[str, Any]) -> dict[str, Any]:
    return _records(data, "checkup.Assessment")[0]


def _unfinished(change: Change) -> Change:
    """``change`` made to a check-up still being filled in: no result is derived from it
    on import, so only the check of each part can stop a bad one."""

    def changed(data: dict[str, Any]) -> None:
        _checkup(data).update(completed_at=None, result=None)
        change(data)

    return changed


def _half_screen(data: dict[str, Any]) -> dict[str, Any]:
    """The check-up's screen as if the person stopped half way through it."""
    checkup = _checkup(data)
    questions = [q.id for q in content().red_flags.questions]
    checkup["screened_at"] = None
    checkup["screening"] = {q: checkup["screening"][q] for q in questions[: len(questions) // 2]}
    screening: dict[str, Any] = checkup["screening"]
    return screening


def _first_question() -> str:
    return content().red_flags.questions[0].id


PLAN = "records.routine.RoutinePlan.1"
SESSION = "records.routine.Session.1"
PROPOSAL = "records.routine.PendingProposal.1.proposal"
CHECKUP = "records.checkup.Assessment.1"
CHECK_IN = "records.journal.CheckIn.1"

HOSTILE: list[tuple[str, Change, str]] = [
    # The routine plan: each item is an item state the core accepts.
    (
        "a plan item names an exercise the content does not hold",
        lambda d: _plan_item(d).update(exercise_id="handstand_pushup"),
        f"{PLAN}.items.1.exercise_id",
    ),
    (
        "a plan item on a side the core does not know",
        lambda d: _plan_item(d).update(side="middle"),
        f"{PLAN}.items.1.side",
    ),
    (
        "a plan item with no sets",
        lambda d: _plan_item(d).update(sets=0),
        f"{PLAN}.items.1.sets",
    ),
    (
        "a plan item's sets as text",
        lambda d: _plan_item(d).update(sets="3"),
        f"{PLAN}.items.1.sets",
    ),
    (
        "a plan item with a hold of no time",
        lambda d: _plan_item(d).update(hold_s=-5),
        f"{PLAN}.items.1.hold_s",
    ),
    (
        "a plan item missing its level",
        lambda d: _plan_item(d).pop("level"),
        f"{PLAN}.items.1.level",
    ),
    (
        "a plan item read up to a day that does not exist",
        lambda d: _plan_item(d).update(
            read={"day": "2026-02-30", "count_on_day": 1, "morning_pending": False}
        ),
        f"{PLAN}.items.1.read.day",
    ),
    (
        "a plan item that is not an object",
        lambda d: _records(d, "routine.RoutinePlan")[0]["items"].append("dead_bug"),
        f"{PLAN}.items.",
    ),
    # Sessions: each logged item as the progression rules will read it.
    (
        "a logged item names an exercise the content does not hold",
        lambda d: _logged(d).update(exercise="handstand_pushup"),
        f"{SESSION}.items.1.exercise",
    ),
    (
        "a logged item's sets on an unknown side",
        lambda d: _logged(d).update(sets={"middle": 2}),
        f"{SESSION}.items.1.sets.middle",
    ),
    (
        "a logged item done with pain past the top of the scale",
        lambda d: _logged(d).update(pain_during=11),
        f"{SESSION}.items.1.pain_during",
    ),
    (
        "a logged item done with no effort rating",
        lambda d: _logged(d).update(effort=None),
        f"{SESSION}.items.1.effort",
    ),
    (
        "a logged item with negative repetitions",
        lambda d: _logged(d).update(reps_done=-2),
        f"{SESSION}.items.1.reps_done",
    ),
    (
        "a logged item missing whether it was done",
        lambda d: _logged(d, 1).pop("done"),
        f"{SESSION}.items.2.done",
    ),
    (
        "a next morning the core has no word for",
        lambda d: _records(d, "routine.Session")[0].update(pain_next_morning="terrible"),
        f"{SESSION}.pain_next_morning",
    ),
    (
        "a usual pain past the top of the scale",
        lambda d: _records(d, "routine.Session")[0].update(usual_pain=12),
        f"{SESSION}.usual_pain",
    ),
    # Proposals: what the routine reads back when the person says yes or no.
    (
        "a proposal with an action the rules never take",
        lambda d: _proposal(d).update(action="skip_forever"),
        f"{PROPOSAL}.action",
    ),
    (
        "a proposal that moves to an exercise the content does not hold",
        lambda d: _proposal(d)["new_state"].update(exercise_id="handstand_pushup"),
        f"{PROPOSAL}.new_state.exercise_id",
    ),
    (
        "a proposal with no state it was made for",
        lambda d: _proposal(d).pop("decided_for"),
        f"{PROPOSAL}.decided_for",
    ),
    (
        "a proposal based on a day that does not exist",
        lambda d: _proposal(d).update(based_on=["2026-13-01"]),
        f"{PROPOSAL}.based_on.1",
    ),
    # Devices: the stage is one of the device protocol's stages.
    (
        "a device session at a stage past the end of its protocol",
        lambda d: _records(d, "therapies.DeviceSession")[0].update(stage=40),
        "records.therapies.DeviceSession.1.stage",
    ),
    (
        "a device session with pain past the top of the scale",
        lambda d: _records(d, "therapies.DeviceSession")[0].update(pain_after=15),
        "records.therapies.DeviceSession.1.pain_after",
    ),
    (
        "a stage move to stage 0",
        lambda d: _records(d, "therapies.StageMove")[0].update(stage=0),
        "records.therapies.StageMove.1.stage",
    ),
    # Check-ups: every part through the core's parser for it.
    (
        "a self-test that does not exist",
        _unfinished(lambda d: _checkup(d)["tests"].update(no_such_test={"left": {"angle": 3}})),
        f"{CHECKUP}.tests.no_such_test",
    ),
    (
        "a self-test reading with a field the test does not record",
        _unfinished(lambda d: _checkup(d)["tests"]["modified_thomas"]["left"].update(wingspan=190)),
        f"{CHECKUP}.tests.modified_thomas.left.wingspan",
    ),
    (
        "a self-test reading of the wrong kind",
        _unfinished(
            lambda d: _checkup(d)["tests"]["modified_thomas"]["left"].update(hip_angle="steep")
        ),
        f"{CHECKUP}.tests.modified_thomas.left.hip_angle",
    ),
    (
        "a skipped self-test that does not exist",
        _unfinished(lambda d: _checkup(d).update(skipped_tests=["no_such_test"])),
        f"{CHECKUP}.skipped_tests.1",
    ),
    (
        "a questionnaire answer out of range",
        _unfinished(lambda d: _checkup(d)["questionnaires"]["odi"].__setitem__(0, 9)),
        f"{CHECKUP}.questionnaires.odi.1",
    ),
    (
        "a routine question answered with a negative time",
        _unfinished(lambda d: _checkup(d)["context"].update(minutes_per_day=-5)),
        f"{CHECKUP}.context.minutes_per_day",
    ),
    (
        "a safety answer the screen does not know",
        _unfinished(lambda d: _checkup(d)["screening"].update({_first_question(): "maybe"})),
        f"{CHECKUP}.screening.{_first_question()}",
    ),
    (
        "a finished screen with a question left out",
        _unfinished(lambda d: _checkup(d)["screening"].pop(_first_question())),
        f"{CHECKUP}.screening.{_first_question()}",
    ),
    (
        "an unfinished screen with a question the screen does not have",
        _unfinished(lambda d: _half_screen(d).update({"is it raining": "no"})),
        f"{CHECKUP}.screening.",
    ),
    (
        "an age outside the app's range",
        _unfinished(lambda d: _checkup(d)["person"].update(age=7)),
        f"{CHECKUP}.person.age",
    ),
    (
        "a kind of work the check-up does not offer",
        _unfinished(lambda d: _checkup(d).update(work="astronaut")),
        f"{CHECKUP}.work",
    ),
    # Check-ins: what the journal and the body map read.
    (
        "a pain rating past the top of the scale",
        lambda d: _records(d, "journal.CheckIn")[0].update(pain_now=42),
        f"{CHECK_IN}.pain_now",
    ),
    (
        "a body region the map does not have",
        lambda d: _records(d, "journal.CheckIn")[0].update(region="elbow"),
        f"{CHECK_IN}.region",
    ),
    (
        "a side with no region",
        lambda d: _records(d, "journal.CheckIn")[0].update(region=""),
        f"{CHECK_IN}.side",
    ),
    (
        "a check-in safety answer the core does not know",
        lambda d: _records(d, "journal.CheckIn")[0]["safety"].update({_first_question(): "maybe"}),
        f"{CHECK_IN}.safety.{_first_question()}",
    ),
    (
        "a check-in activity the journal does not offer",
        lambda d: _records(d, "journal.CheckIn")[0].update(did=["flying"]),
        f"{CHECK_IN}.did.1",
    ),
    # The ledger: each therapist's visits read as one course by the core.
    (
        "a visit with pain past the top of the scale",
        lambda d: _records(d, "ledger.Visit")[0].update(pain_before="15"),
        "records.ledger.Visit.1.pain_before",
    ),
    (
        "a visit reimbursed more than it cost",
        lambda d: _records(d, "ledger.Visit")[0].update(reimbursed="600"),
        "records.ledger.Visit.1.reimbursed",
    ),
]


def _row_counts() -> dict[str, int]:
    """How many records of each kind the whole database holds, and how many people."""
    counts = {kind_of(m): m._default_manager.count() for m in owned_models()}
    return counts | {"auth.User": User.objects.count()}


@pytest.mark.parametrize(
    ("change", "path"), [(c, p) for _, c, p in HOSTILE], ids=[name for name, _, _ in HOSTILE]
)
def test_a_hostile_file_is_refused_naming_the_field(
    owner: User, stranger: User, change: Change, path: str
) -> None:
    one_of_each(owner)
    data = services.export_account(owner)
    change(data)
    newcomer = make_person("newcomer")
    before = _row_counts()
    with pytest.raises(api.CaseError) as refused:
        services.import_account(newcomer, json.dumps(data))
    paths = [error.path for error in refused.value.errors]
    assert any(p == path or (path.endswith(".") and p.startswith(path)) for p in paths), paths
    # Every message is plain words, and nothing at all was stored.
    assert all(error.message for error in refused.value.errors)
    assert _row_counts() == before


def test_the_unchanged_file_is_accepted(owner: User) -> None:
    """The control for the list above: without the change the same file comes in whole."""
    one_of_each(owner)
    data = services.export_account(owner)
    newcomer = make_person("newcomer")
    summary = services.import_account(newcomer, json.dumps(data))
    assert summary.counts == {kind: len(rows) for kind, rows in data["records"].items()}


def test_a_screen_answered_half_way_comes_back(owner: User) -> None:
    """A check-up left in the middle of its screen is not a problem: only the questions
    on its later pages are missing, and they are asked when the person goes on."""
    one_of_each(owner)
    data = services.export_account(owner)
    _unfinished(_half_screen)(data)
    newcomer = make_person("newcomer")
    services.import_account(newcomer, json.dumps(data))
    assert services.owns_anything(newcomer)


def test_the_page_names_the_field_and_keeps_the_account_empty(owner: User, client: Client) -> None:
    one_of_each(owner)
    data = services.export_account(owner)
    _plan_item(data).update(exercise_id="handstand_pushup")
    newcomer = make_person("newcomer")
    client.force_login(newcomer)
    upload = SimpleUploadedFile("export.json", json.dumps(data).encode(), "application/json")
    response = client.post(reverse("ownership:import"), {"export_file": upload})
    assert response.status_code == 400
    page = response.content.decode()
    assert f"<code>{PLAN}.items.1.exercise_id</code>" in page
    assert "Nothing was imported" in page
    assert not services.owns_anything(newcomer)


def test_a_file_cannot_name_an_owner(owner: User, stranger: User) -> None:
    one_of_each(owner)
    data = services.export_account(owner)
    _records(data, "journal.CheckIn")[0]["owner"] = stranger.pk
    newcomer = make_person("newcomer")
    before = _row_counts()
    with pytest.raises(api.CaseError) as refused:
        services.import_account(newcomer, json.dumps(data))
    assert [e.path for e in refused.value.errors] == [f"{CHECK_IN}.owner"]
    assert _row_counts() == before


def test_a_file_cannot_write_into_another_person_s_account(owner: User, stranger: User) -> None:
    """A file holding another person's record ids (their own export, say) never touches
    their records: every record comes in new, owned by the one who imports it."""
    one_of_each(stranger)
    theirs = services.export_account(stranger)
    newcomer = make_person("newcomer")
    summary = services.import_account(newcomer, json.dumps(theirs))
    assert not summary.ids_kept
    # The stranger's records are exactly as they were, and still only theirs.
    assert services.export_account(stranger)["records"] == theirs["records"]
    for model in owned_models():
        mine = set(model._default_manager.filter(owner=newcomer).values_list("pk", flat=True))
        others = set(model._default_manager.exclude(owner=newcomer).values_list("pk", flat=True))
        assert not mine & others
        assert len(mine) == len(theirs["records"][kind_of(model)])


def test_every_free_form_field_is_read_for_its_meaning() -> None:
    """A kind with a JSON field (an answer set, a plan's items) has a check that reads it;
    the field types alone say nothing about what is inside."""
    for model in owned_models():
        if any(isinstance(f, models.JSONField) for f in data_fields(model)):
            assert kind_of(model) in RECORD_CHECKS, kind_of(model)
    assert {"ledger.Provider", "ledger.Visit"} == CHECKED_TOGETHER
