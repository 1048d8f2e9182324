"""The stage rule, the session caps and the gate of the therapies services, as properties.

Each strategy names the gate that decided a case with ``hypothesis.event``, so
``pytest --hypothesis-show-statistics`` shows how often each one is exercised.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from backbalance.web.common.content import content
from backbalance.web.journal.models import CheckIn
from backbalance.web.journal.safety import current_safety
from backbalance.web.therapies import services
from backbalance.web.therapies.models import DeviceSession, StageMove
from tests.web.therapies.conftest import DEVICES_KIT, check_in, log, set_context

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
DB_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _protocol(device: str) -> Any:
    return content().adjuncts.therapy(device).protocol


# --------------------------------------------------------------------------- the stage rule

histories = st.lists(
    st.tuples(
        st.floats(min_value=0, max_value=40, allow_nan=False),
        st.sampled_from([True] * 6 + [False]),
    ),
    max_size=16,
)


@given(
    device=st.sampled_from(services.DEVICES),
    index_pick=st.integers(min_value=0, max_value=10),
    history=histories,
    earlier_days=st.floats(min_value=0, max_value=30, allow_nan=False),
)
@settings(max_examples=400)
def test_the_next_stage_is_offered_only_when_every_part_of_the_rule_holds(
    device: str, index_pick: int, history: list[tuple[float, bool]], earlier_days: float
) -> None:
    stages = _protocol(device).stages
    index = index_pick % (len(stages) - 1)
    sessions = [(NOW - timedelta(days=d), ok) for d, ok in history]
    run = services.run_of(sessions)
    first_ever = min(at for at, _ in sessions) - timedelta(days=earlier_days) if sessions else None
    waiting = services.move_on_rule(stages, index, run, first_ever, NOW)
    last_at = max((at for at, _ in sessions), default=None)
    # A session that went badly at the very moment of the latest counts: hold.
    went_badly_last = any(at == last_at and not ok for at, ok in sessions)
    nxt = stages[index + 1]
    if last_at is None or went_badly_last:
        event("gate: hold (no session yet, or the last did not go well)")
        assert waiting
        return
    assert run.count >= 1 and run.last_at == last_at
    if nxt.from_week is not None:
        assert first_ever is not None and run.first_at is not None and run.last_at is not None
        week = (NOW - first_ever).days // 7 + 1
        stage_weeks = nxt.from_week.value - services._start_week(stages, index)
        if week < nxt.from_week.value:
            event("gate: too early in the weeks")
            assert waiting
            return
        if run.last_at - run.first_at < timedelta(weeks=stage_weeks):
            event("gate: the good run is shorter than the stage")
            assert waiting
            return
    else:
        event("next stage has no start week")
    event("offered")
    assert waiting == ()


def test_a_session_that_went_badly_after_good_ones_empties_the_run() -> None:
    good = [(NOW - timedelta(days=d), True) for d in range(20, 0, -1)]
    assert services.run_of(good).count == 20
    assert services.run_of([*good, (NOW, False)]).count == 0
    after = services.run_of([*good, (NOW - timedelta(hours=1), False), (NOW, True)])
    assert (after.count, after.first_at) == (1, NOW)


# --------------------------------------------------------------------------- the caps

LOGGED = {
    device: [(field, setting) for field, setting in fields.items()]
    for device, fields in services.LOGGED_SETTINGS.items()
}


def _cap_targets(*, only_limit: bool) -> list[tuple[str, int, str, str]]:
    """Every (device, stage index, field, setting) whose stage names a value of its own, or
    with ``only_limit`` those where only the plan's limit holds (the steeper stages)."""
    return [
        (device, index, field, setting)
        for device, fields in LOGGED.items()
        for index, stage in enumerate(_protocol(device).stages)
        for field, setting in fields
        if (stage.setting(setting) is None) == only_limit
    ]


@st.composite
def cap_cases(draw: st.DrawFn) -> tuple[str, int, str, str, DeviceSession | None]:
    # Half the cases where only the plan's limit holds, so that gate is seen often.
    only_limit = draw(st.booleans())
    device, index, field, setting = draw(st.sampled_from(_cap_targets(only_limit=only_limit)))
    latest: DeviceSession | None = None
    # With no session before, only the limit holds there; drawn more often for that reason.
    if draw(st.sampled_from([True, False, False] if only_limit else [True, False])):
        values = {name: draw(st.integers(min_value=0, max_value=80)) for name, _ in LOGGED[device]}
        latest = DeviceSession(
            device=device, at=NOW, stage=index + 1, tolerated=draw(st.booleans()), **values
        )
    return device, index, field, setting, latest


@given(case=cap_cases(), over=st.integers(min_value=1, max_value=30))
@settings(max_examples=400)
def test_no_value_above_a_cap_passes_and_no_cap_is_above_the_content(
    case: tuple[str, int, str, str, DeviceSession | None], over: int
) -> None:
    device, index, field, setting_id, latest = case
    protocol = _protocol(device)
    stage = protocol.stages[index]
    caps = services.session_caps(protocol, index, device, latest)
    cap = caps[field]  # every logged value has a cap at every stage
    own = stage.setting(setting_id)
    if own is not None:
        assert cap.value <= own.figure.value
    limit = services._limit_of(protocol, [setting_id])
    if limit is not None:
        assert cap.value <= limit.figure.value
    step = services._step(protocol, stage, setting_id)
    last = getattr(latest, field) if latest is not None else None
    if step is not None and last is not None and latest is not None:
        if latest.tolerated:
            event("cap: one step above the last session")
            assert cap.value <= last + step
        else:
            event("cap: one step below the last session that went badly")
            assert cap.value <= max(last - step, 0)
    elif own is not None:
        event("cap: the stage's setting")
    else:
        event("cap: the plan's limit")
        assert limit is not None and cap.value == limit.figure.value
    now_stage = _stage_now_with(device, index, caps)
    above = services.check_session(device, now_stage, {field: cap.value + over}, [])
    assert field in above
    at_cap = services.check_session(device, now_stage, {field: cap.value}, [])
    assert field not in at_cap


def _stage_now_with(device: str, index: int, caps: dict[str, services.Cap]) -> Any:
    stages = _protocol(device).stages
    return services.StageNow(
        number=index + 1,
        total=len(stages),
        stage=stages[index],
        caps=caps,
        counts={},
        next_stage=None,
        can_move_on=False,
        waiting_for=(),
        held=False,
        can_step_back=index > 0,
    )


def test_the_steeper_inversion_stage_climbs_one_step_at_a_time() -> None:
    protocol = _protocol("inversion")
    steeper = next(i for i, s in enumerate(protocol.stages) if s.setting("angle") is None)
    step = services._step(protocol, protocol.stages[steeper], "angle")
    assert step is not None
    last = DeviceSession(device="inversion", at=NOW, stage=steeper, angle_deg=20, tolerated=True)
    assert services.session_caps(protocol, steeper, "inversion", last)["angle_deg"].value == (
        20 + step
    )
    last.tolerated = False
    assert services.session_caps(protocol, steeper, "inversion", last)["angle_deg"].value == (
        20 - step
    )


# --------------------------------------------------------------------------- the database


@pytest.mark.django_db
@given(history=histories)
@DB_SETTINGS
def test_the_database_run_is_the_plain_run(
    equipped: User, history: list[tuple[float, bool]]
) -> None:
    DeviceSession.objects.filter(owner=equipped).delete()
    now = timezone.now()
    sessions = [(now - timedelta(days=d), ok) for d, ok in history]
    for at, ok in sessions:
        log(equipped, "vibration", at=at, tolerated=ok)
    event("history with a bad session" if not all(ok for _, ok in sessions) else "all good")
    assert services.stage_now(equipped, "vibration", now).run == services.run_of(sessions)


FLAGS = {
    "none": {},
    "routine: new leg numbness": {"leg_numbness_new": "yes"},
    "urgent: a leg getting weaker": {"leg_weakness_progressive": "yes"},
    "emergency: bowel control": {"ces_bowel_change": "yes"},
}
CONDITIONS = ["glaucoma", "high_blood_pressure", "high_blood_pressure_any", "knee_problem"]


@pytest.mark.django_db
@given(
    flag=st.sampled_from(["none", *sorted(FLAGS), "routine: new leg numbness"]),
    condition=st.sampled_from([None, None, None, *CONDITIONS]),
    kit=st.sampled_from([(), ("vibration_platform",), tuple(DEVICES_KIT)]),
)
@DB_SETTINGS
def test_no_session_can_be_logged_past_a_closed_gate(
    equipped: User, flag: str, condition: str | None, kit: tuple[str, ...]
) -> None:
    CheckIn.objects.filter(owner=equipped).delete()
    DeviceSession.objects.filter(owner=equipped).delete()
    StageMove.objects.filter(owner=equipped).delete()
    set_context(equipped, conditions=[condition] if condition else [], equipment=list(kit))
    if FLAGS[flag]:
        check_in(equipped, **FLAGS[flag])
    safety = current_safety(equipped)
    for device in services.DEVICES:
        therapy = content().adjuncts.therapy(device)
        rule = next((r for r in therapy.rules if r.condition == condition), None)
        flag_rule = next(
            (
                r
                for r in therapy.routine_flags
                if flag.startswith("routine") and r.flag == "leg_numbness"
            ),
            None,
        )
        if flag.startswith(("urgent", "emergency")):
            reason = "gate: urgent or emergency standing level"
        elif rule is not None:
            reason = f"gate: condition ({rule.verdict})"
        elif flag_rule is not None:
            reason = f"gate: routine flag ({flag_rule.verdict})"
        elif therapy.equipment not in kit:
            reason = "gate: device not owned"
        else:
            reason = "open"
        event(reason)
        standing = services.standing(equipped, safety, device)
        assert standing.may_log == (reason == "open"), (device, reason, standing)
        values = {"pain_before": 2, "pain_after": 2, "tolerated": True, "note": ""}
        values.update(
            {"angle_deg": 10, "minutes": 1}
            if device == "inversion"
            else {"frequency_hz": 25, "bouts": 2, "bout_seconds": 20}
        )
        if reason == "open":
            services.log_session(equipped, safety, device, values)
        else:
            with pytest.raises(services.Blocked):
                services.log_session(equipped, safety, device, values)
            with pytest.raises(services.Blocked):
                services.move_stage(equipped, safety, device, "back")
    opened = DeviceSession.objects.filter(owner=equipped).values_list("device", flat=True)
    assert all(services.standing(equipped, safety, d).may_log for d in opened)
