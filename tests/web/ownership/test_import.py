"""Bring a copy back: into an empty account only, all or nothing, every problem named,
and the safety levels judged again from the answers, never taken from the file."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from backbalance.web.checkup.models import Assessment
from backbalance.web.journal.models import CheckIn
from backbalance.web.journal.safety import current_safety
from backbalance.web.ownership import services
from backbalance.web.ownership.records import owned_models
from backbalance.web.routine.models import RoutinePlan
from tests.web.conftest import make_person
from tests.web.ownership.conftest import HistorySpec, fill_history, one_of_each


@pytest.fixture
def newcomer_client(db: None) -> Client:
    client = Client()
    client.force_login(make_person("newcomer"))
    return client


def _export_of(user: User) -> dict[str, Any]:
    one_of_each(user)
    return services.export_account(user)


def _post(client: Client, text: str | bytes) -> Any:
    body = text.encode() if isinstance(text, str) else text
    upload = SimpleUploadedFile("export.json", body, content_type="application/json")
    return client.post(reverse("ownership:import"), {"export_file": upload})


def _owned_count(username: str) -> int:
    user = User.objects.get(username=username)
    return sum(m._default_manager.filter(owner=user).count() for m in owned_models())


def test_an_export_comes_back_into_an_empty_account(newcomer_client: Client, owner: User) -> None:
    data = _export_of(owner)
    response = _post(newcomer_client, json.dumps(data))
    assert response.status_code == 302
    assert response["Location"] == reverse("ownership:index")
    newcomer = User.objects.get(username="newcomer")
    again = services.export_account(newcomer)
    assert sum(map(len, again["records"].values())) == sum(map(len, data["records"].values()))
    assert _owned_count("newcomer") == _owned_count("owner")


def test_an_account_with_data_is_not_mixed_with_a_file(
    owner_client: Client, stranger: User
) -> None:
    data = _export_of(stranger)
    response = _post(owner_client, json.dumps(data))
    assert response.status_code == 400
    assert "already holds data" in response.content.decode()
    assert _owned_count("owner") == 1


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda d: d.update(format_version=2), "format_version"),
        (lambda d: d.pop("records"), "records"),
        (
            lambda d: d["records"]["journal.CheckIn"][1].pop("pain_now"),
            "records.journal.CheckIn.2.pain_now",
        ),
        (
            lambda d: d["records"]["journal.CheckIn"][0].update(pain_now="five"),
            "records.journal.CheckIn.1.pain_now",
        ),
        (
            lambda d: d["records"]["journal.CheckIn"][0].update(at="2026-03-01T08:00:00"),
            "records.journal.CheckIn.1.at",
        ),
        (
            lambda d: d["records"]["therapies.DeviceSession"][0].update(device="sauna"),
            "records.therapies.DeviceSession.1.device",
        ),
        (
            lambda d: d["records"]["routine.Session"][0].update(
                plan="7d0b6e0e-0000-4000-8000-000000000000"
            ),
            "records.routine.Session.1.plan",
        ),
        (
            lambda d: d["records"]["journal.CheckIn"][0].update(surprise=1),
            "records.journal.CheckIn.1.surprise",
        ),
        (
            lambda d: d["records"]["journal.CheckIn"][0].update(note="a\x00b"),
            "records.journal.CheckIn.1.note",
        ),
        (
            lambda d: d["records"]["journal.CheckIn"][0]["safety"].update(fever="n\x00o"),
            "records.journal.CheckIn.1.safety",
        ),
        (lambda d: d["records"].update({"auth.User": []}), "records.auth.User"),
        (
            lambda d: d["records"]["journal.CheckIn"][1].update(
                id=d["records"]["journal.CheckIn"][0]["id"]
            ),
            "records.journal.CheckIn.2.id",
        ),
    ],
)
def test_a_bad_file_is_refused_naming_the_field_and_nothing_is_stored(
    newcomer_client: Client, owner: User, change: Any, path: str
) -> None:
    data = _export_of(owner)
    change(data)
    response = _post(newcomer_client, json.dumps(data))
    assert response.status_code == 400
    page = response.content.decode()
    assert f"<code>{path}</code>" in page
    assert "Nothing was imported" in page
    assert _owned_count("newcomer") == 0


def test_a_key_given_twice_is_refused(newcomer_client: Client, owner: User) -> None:
    text = json.dumps(_export_of(owner)).replace(
        '"format_version": 1', '"format_version": 1, "format_version": 1'
    )
    page = _post(newcomer_client, text).content.decode()
    assert "<code>format_version</code>" in page
    assert _owned_count("newcomer") == 0


def test_a_problem_in_the_last_record_leaves_nothing_behind(
    newcomer_client: Client, owner: User
) -> None:
    data = _export_of(owner)
    # Every field reads well, but the check-up's answers cannot be judged: the failure
    # is found before anything is written.
    data["records"]["checkup.Assessment"][0]["person"] = {"age": "old"}
    response = _post(newcomer_client, json.dumps(data))
    assert response.status_code == 400
    assert "records.checkup.Assessment.1.person" in response.content.decode()
    assert _owned_count("newcomer") == 0


def test_a_failure_after_the_records_are_written_rolls_them_all_back(
    newcomer_client: Client, owner: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _export_of(owner)

    def cannot_judge(user: User) -> None:
        # As if a check-in's answers could not be judged once every record is in.
        assert _owned_count("newcomer") > 0
        raise ValueError("a check-in cannot be judged")

    monkeypatch.setattr(services, "judge_every_check_in_again", cannot_judge)
    response = _post(newcomer_client, json.dumps(data))
    assert response.status_code == 400
    assert "<code>records.journal.CheckIn</code>" in response.content.decode()
    assert _owned_count("newcomer") == 0


def test_a_file_that_is_not_text_is_named(newcomer_client: Client) -> None:
    response = _post(newcomer_client, b"\xff\xfe\x00binary")
    assert response.status_code == 400
    assert "not text" in response.content.decode()


def test_an_edited_level_cannot_open_the_routine(newcomer_client: Client, owner: User) -> None:
    """A check-in that reported a sign needing care now stays an emergency after import,
    even when the file says every answer was "no" and the level was "none"."""
    fill_history(owner, HistorySpec(check_ins=[(5, 6, "", "", {"ces_saddle_numbness": "yes"})]))
    assert current_safety(owner).emergency
    data = services.export_account(owner)
    edited = data["records"]["journal.CheckIn"][0]
    edited["level"] = "none"
    edited["standing_answers"] = {key: "no" for key in edited["standing_answers"]}
    assessment = data["records"]["checkup.Assessment"][0]
    assessment["result"] = {"made": "up"}
    assert _post(newcomer_client, json.dumps(data)).status_code == 302
    newcomer = User.objects.get(username="newcomer")
    assert current_safety(newcomer).emergency
    assert CheckIn.objects.get(owner=newcomer).level == "emergency"
    assert Assessment.objects.get(owner=newcomer).result != {"made": "up"}
    # The routine is locked, and the imported plan's session cannot be opened directly.
    response = newcomer_client.get(reverse("routine:today"))
    assert response.status_code == 403
    assert "/routine/plan/" not in response.content.decode()
    plan = RoutinePlan.objects.get(owner=newcomer)
    player = newcomer_client.get(reverse("routine:player", args=[plan.pk]))
    assert player.status_code == 403


def test_anonymous_goes_to_log_in(client: Client) -> None:
    response = client.post(reverse("ownership:import"))
    assert response["Location"].startswith(reverse("accounts:login"))
