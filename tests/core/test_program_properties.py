"""Safety and fairness properties of the routine and the adjunct verdicts, for any case."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from backbalance.core.case import mirror_case, parse_case
from backbalance.core.engine import evaluate
from backbalance.core.types import Result
from tests.strategies import CONTENT, cases

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DEVICES = ("inversion", "vibration")


def run(raw) -> tuple[dict, Result]:
    case = parse_case(raw, CONTENT)
    return raw, evaluate(case, CONTENT)


@SETTINGS
@given(cases(with_context=True))
def test_no_contraindicated_exercise_ever_reaches_the_routine(raw):
    raw, result = run(raw)
    if result.routine is None:
        return
    conditions = set(raw["context"]["conditions"])
    for item in result.routine.items:
        exercise = CONTENT.exercises[item.exercise]
        assert not set(exercise.contraindications) & conditions, item.exercise


@SETTINGS
@given(cases(with_context=True))
def test_the_routine_never_exceeds_the_time_budget_on_any_day(raw):
    raw, result = run(raw)
    if result.routine is None:
        return
    budget_s = raw["context"]["minutes_per_day"] * 60
    for day in range(7):
        day_seconds = sum(i.seconds for i in result.routine.items if day in i.days)
        assert day_seconds <= budget_s
    assert max(result.routine.minutes_by_day) <= raw["context"]["minutes_per_day"]


@SETTINGS
@given(cases(with_context=True))
def test_emergency_gives_no_routine_and_no_usable_device(raw):
    raw, result = run(raw)
    if result.triage.level == "emergency":
        assert result.routine is None
        for verdict in result.adjuncts.values():
            assert verdict.verdict == "not_suitable"
            assert verdict.protocol is None


@SETTINGS
@given(cases(with_context=True))
def test_an_urgent_screen_allows_only_gentle_exercises(raw):
    raw, result = run(raw)
    if result.triage.level == "urgent" and result.routine is not None:
        assert all(CONTENT.exercises[i.exercise].gentle for i in result.routine.items)


@SETTINGS
@given(cases(with_context=True))
def test_no_device_is_suitable_with_an_urgent_flag_or_a_blocking_condition(raw):
    raw, result = run(raw)
    conditions = set(raw["context"]["conditions"])
    for device in DEVICES:
        verdict = result.adjuncts[device]
        blocking = {
            rule.condition
            for rule in CONTENT.adjuncts.therapy(device).rules
            if rule.verdict == "not_suitable"
        }
        # A routine-level flag alone only asks for a clinician where it bears on the device.
        if result.triage.level in ("urgent", "emergency") or conditions & blocking:
            assert verdict.verdict == "not_suitable"
            assert verdict.protocol is None


@SETTINGS
@given(cases(with_context=True))
def test_a_loose_muscle_is_never_stretched(raw):
    raw, result = run(raw)
    if result.routine is None:
        return
    # Any loose reading counts, even one outvoted by other tests.
    lax = {f.muscle for f in result.findings for e in f.evidence if e.status == "lax"}
    for item in result.routine.items:
        stretched = {
            t.muscle for t in CONTENT.exercises[item.exercise].targets if t.action == "lengthen"
        }
        assert not stretched & lax, item.exercise


@SETTINGS
@given(cases(with_context=True))
def test_no_exercise_loads_the_spine_the_way_that_makes_the_pain_worse(raw):
    raw, result = run(raw)
    if result.routine is None:
        return
    worse = {CONTENT.movements[m].direction for m in raw["context"]["worsens"]} - {"none"}
    for item in result.routine.items:
        assert CONTENT.exercises[item.exercise].direction not in worse


def _routine_view(result: Result, mirrored: bool) -> list[tuple]:
    if result.routine is None:
        return []
    swap = {"left": "right", "right": "left"}
    view = []
    for item in result.routine.items:
        side = swap.get(item.side, item.side) if mirrored else item.side
        doses = {
            (swap.get(k, k) if mirrored else k): (d.sets, d.reps, d.hold_s)
            for k, d in item.dose.items()
        }
        view.append((item.exercise, side, tuple(sorted(doses.items())), item.per_week))
    return sorted(view)


@SETTINGS
@given(cases(allow_flags=False, with_context=True))
def test_mirrored_input_gives_a_mirrored_routine(raw):
    case = parse_case(raw, CONTENT)
    result = evaluate(case, CONTENT)
    mirrored = evaluate(mirror_case(case, CONTENT), CONTENT)
    assert _routine_view(mirrored, mirrored=False) == _routine_view(result, mirrored=True)
