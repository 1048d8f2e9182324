"""Moving between stages: forward only when the protocol's rule holds and the person
accepts; back at any time; never while the device is closed."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from backbalance.web.common.content import content
from backbalance.web.therapies.models import DeviceSession, StageMove
from tests.web.therapies.conftest import check_in, days_ago, log, set_context

MOVE = reverse("therapies:move_stage", kwargs={"device": "inversion"})
PAGE = reverse("therapies:device", kwargs={"device": "inversion"})
FORWARD = {"direction": "forward"}


def _weeks_before_second_stage() -> float:
    second = content().adjuncts.therapy("inversion").protocol.stages[1]
    assert second.from_week is not None
    return float(second.from_week.value)


def _ready_for_stage_two(user: User) -> None:
    """Sessions that went well at stage 1, covering the whole first stage, from week 1."""
    days = int((_weeks_before_second_stage() - 1) * 7)
    for day in range(days, -1, -1):
        log(user, "inversion", at=days_ago(day + 0.01))


def test_anonymous_goes_to_login(client: Client, db: None) -> None:
    response = client.post(MOVE, FORWARD)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_only_post(equipped_client: Client) -> None:
    assert equipped_client.get(MOVE).status_code == 405


def test_no_move_on_without_sessions(equipped: User, equipped_client: Client) -> None:
    response = equipped_client.post(MOVE, FORWARD, follow=True)
    assert "Log a session at this stage that goes well" in response.content.decode()
    assert not StageMove.objects.exists()


def test_the_next_stage_is_offered_when_the_rule_holds_and_taken_only_on_accepting(
    equipped: User, equipped_client: Client
) -> None:
    _ready_for_stage_two(equipped)
    page = equipped_client.get(PAGE).content.decode()
    second = content().adjuncts.therapy("inversion").protocol.stages[1]
    assert "Yes, move on to" in page
    assert "Your stage now: 1 of" in page  # offered, not taken
    response = equipped_client.post(MOVE, FORWARD, follow=True)
    assert "Your stage now: 2 of" in response.content.decode()
    move = StageMove.objects.get(owner=equipped)
    assert (move.stage, move.direction) == (2, "forward")
    # The next session is logged at the new stage.
    equipped_client.post(
        PAGE,
        {
            "angle_deg": "20",
            "minutes": "2",
            "pain_before": "2",
            "pain_after": "2",
            "tolerated": "yes",
        },
    )
    latest = DeviceSession.objects.filter(owner=equipped).order_by("-at").first()
    assert latest is not None and latest.stage == 2
    assert second.name in equipped_client.get(PAGE).content.decode()


def test_too_early_in_the_weeks_is_not_offered(equipped: User, equipped_client: Client) -> None:
    # Every day went well, but the first session was only a week ago.
    for day in range(7, -1, -1):
        log(equipped, "inversion", at=days_ago(day))
    page = equipped_client.get(PAGE).content.decode()
    assert "Yes, move on to" not in page
    assert "The next stage starts in week" in page
    equipped_client.post(MOVE, FORWARD)
    assert not StageMove.objects.exists()


def test_a_session_that_did_not_go_well_holds_and_restarts_the_count(
    equipped: User, equipped_client: Client
) -> None:
    _ready_for_stage_two(equipped)
    log(equipped, "inversion", at=days_ago(0), tolerated=False)
    page = equipped_client.get(PAGE).content.decode()
    assert "did not go well" in page
    assert "Yes, move on to" not in page
    equipped_client.post(MOVE, FORWARD)
    assert not StageMove.objects.exists()
    # One good session after it is not enough: the good run must cover the stage again.
    log(equipped, "inversion", at=days_ago(0) + timedelta(minutes=1))
    assert "Sessions that go well at this stage need to cover" in (
        equipped_client.get(PAGE).content.decode()
    )


def test_going_back_is_always_open_above_the_first_stage(
    equipped: User, equipped_client: Client
) -> None:
    equipped_client.post(MOVE, {"direction": "back"})
    assert not StageMove.objects.exists()  # nothing below the first stage
    _ready_for_stage_two(equipped)
    equipped_client.post(MOVE, FORWARD)
    log(equipped, "inversion", at=days_ago(0) + timedelta(minutes=5), stage=2, tolerated=False)
    equipped_client.post(MOVE, {"direction": "back"})
    assert list(StageMove.objects.values_list("stage", "direction")) == [
        (1, "back"),
        (2, "forward"),
    ]


def test_a_bad_direction_is_refused(equipped: User, equipped_client: Client) -> None:
    _ready_for_stage_two(equipped)
    response = equipped_client.post(MOVE, {"direction": "up"}, follow=True)
    assert "Choose to move on or to go back." in response.content.decode()
    assert not StageMove.objects.exists()


def test_no_move_while_a_red_flag_stands(equipped: User, equipped_client: Client) -> None:
    _ready_for_stage_two(equipped)
    check_in(equipped, ces_bowel_change="yes")
    response = equipped_client.post(MOVE, FORWARD)
    assert response.status_code == 403
    assert not StageMove.objects.exists()


def test_no_move_when_the_device_is_ruled_out(equipped: User, equipped_client: Client) -> None:
    _ready_for_stage_two(equipped)
    set_context(equipped, conditions=["glaucoma"])
    assert equipped_client.post(MOVE, FORWARD).status_code == 403
    assert not StageMove.objects.exists()
