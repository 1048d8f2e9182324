"""The demo person and the long-history person: believable, safe, repeatable."""

from __future__ import annotations

from statistics import mean

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from backbalance.core import api
from backbalance.web.checkup.models import Assessment
from backbalance.web.common.content import content
from backbalance.web.demo import DEMO_DAYS, DEMO_PASSWORD, DEMO_USERNAME, seed_demo, seed_history
from backbalance.web.journal.models import CheckIn
from backbalance.web.journal.safety import _replay, current_safety
from backbalance.web.routine.models import RoutinePlan, Session
from backbalance.web.therapies.models import DeviceSession

pytestmark = pytest.mark.django_db


def _demo() -> User:
    login = seed_demo()
    assert (login.username, login.password) == (DEMO_USERNAME, DEMO_PASSWORD)
    return User.objects.get(username=DEMO_USERNAME)


def test_the_demo_login_works(client: Client) -> None:
    _demo()
    response = client.post(
        reverse("accounts:login"), {"username": DEMO_USERNAME, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("common:home")).wsgi_request.user.username == DEMO_USERNAME


def test_about_ten_weeks_of_history() -> None:
    user = _demo()
    check_ins = CheckIn.objects.filter(owner=user)
    days_with_check_in = {c.at.date() for c in check_ins}
    assert len(days_with_check_in) >= DEMO_DAYS * 0.9
    # Once or twice a day, never more.
    assert check_ins.count() <= 2 * len(days_with_check_in) + 1
    sessions = Session.objects.filter(owner=user)
    assert DEMO_DAYS * 0.5 <= sessions.count() <= DEMO_DAYS
    # A check-up and a re-test, each with its own routine built by the core.
    assert Assessment.objects.filter(owner=user, completed_at__isnull=False).count() == 2
    plans = RoutinePlan.objects.filter(owner=user)
    assert plans.count() == 2 and plans.filter(active=True).count() == 1


def test_the_re_test_is_compared_with_the_first_check_up(client: Client) -> None:
    # The demo shows the comparison with last time: the re-test is stored as a re-test of
    # the first check-up, and its results page links to the comparison, which opens.
    user = _demo()
    first, retest = Assessment.objects.filter(owner=user).order_by("created_at")
    assert first.retest_of is None and retest.retest_of == first
    client.force_login(user)
    compare = reverse("checkup:compare", kwargs={"pk": retest.pk})
    assert (
        compare in client.get(reverse("checkup:results", kwargs={"pk": retest.pk})).content.decode()
    )
    response = client.get(compare)
    assert response.status_code == 200
    assert response.templates[0].name == "checkup/compare.html"


def test_running_it_again_replaces_the_demo_person() -> None:
    first = _demo()
    count = CheckIn.objects.filter(owner=first).count()
    second = _demo()
    assert not User.objects.filter(pk=first.pk).exists()
    assert CheckIn.objects.count() == count
    assert CheckIn.objects.filter(owner=second).count() == count


def test_every_rating_is_on_the_contents_scale() -> None:
    seed_history("long", "a-long-test-password-7", days=400)
    scales = content().progression.scales
    pain = range(scales.pain.minimum, scales.pain.maximum + 1)
    effort = range(scales.effort.minimum, scales.effort.maximum + 1)
    assert set(CheckIn.objects.values_list("pain_now", flat=True)) <= set(pain)
    for session in Session.objects.all():
        assert session.usual_pain in pain
        for entry in session.items:
            if entry["done"]:
                assert entry["pain_during"] in pain and entry["effort"] in effort
    for device in DeviceSession.objects.all():
        assert device.pain_before in pain and device.pain_after in pain


def test_the_same_day_gives_the_same_history() -> None:
    user = _demo()
    pains = list(CheckIn.objects.filter(owner=user).order_by("at").values_list("pain_now", "at"))
    user = _demo()
    again = list(CheckIn.objects.filter(owner=user).order_by("at").values_list("pain_now", "at"))
    assert pains == again


def test_the_pain_eases_with_a_flare_up_in_week_six() -> None:
    user = _demo()
    first_day = min(c.at for c in CheckIn.objects.filter(owner=user)).date()
    by_week: dict[int, list[int]] = {}
    for check_in in CheckIn.objects.filter(owner=user):
        by_week.setdefault((check_in.at.date() - first_day).days // 7, []).append(check_in.pain_now)
    weekly = {week: mean(values) for week, values in by_week.items()}
    assert weekly[0] - weekly[9] >= 2
    assert weekly[5] > weekly[4] and weekly[5] > weekly[6]


def test_every_check_in_is_stored_as_the_journal_judges_it() -> None:
    user = _demo()
    stored = {
        c.pk: (c.standing_answers, c.level, c.content_version)
        for c in CheckIn.objects.filter(owner=user)
    }
    questions = {q.id for q in api.check_in_questions(content().red_flags)}
    for check_in in CheckIn.objects.filter(owner=user):
        assert set(check_in.safety) == questions
        assert set(check_in.safety.values()) == {"no"}
    # Judging the check-ins again, in order, from the last screen gives what was stored.
    screen = Assessment.objects.filter(owner=user).order_by("-screened_at").first()
    assert screen is not None
    _replay(screen)
    for check_in in CheckIn.objects.filter(owner=user, at__gt=screen.screened_at):
        assert stored[check_in.pk] == (
            check_in.standing_answers,
            check_in.level,
            check_in.content_version,
        )
    state = current_safety(user)
    assert state.routine_allowed and state.devices_allowed


def test_the_routine_plan_is_the_core_state_of_the_check_up() -> None:
    user = _demo()
    plan = RoutinePlan.objects.get(owner=user, active=True)
    case = api.parse_case(plan.assessment.case(), content())
    result = api.evaluate(case, content())
    assert result.routine is not None
    assert plan.items == api.to_jsonable(api.session_state(result.routine, content()))
    planned = {item.exercise for item in result.routine.items}
    for session in Session.objects.filter(plan=plan):
        assert {entry["exercise"] for entry in session.items} <= planned
        for entry in session.items:
            # The session player's per-item log: sets per side, done or skipped, and the
            # pain and effort the progression rules read.
            assert set(entry) == {"exercise", "done", "sets", "pain_during", "effort", "reps_done"}
            assert all(count >= 1 for count in entry["sets"].values()) == entry["done"]
    answered = Session.objects.filter(owner=user).exclude(pain_next_morning="")
    assert set(answered.values_list("pain_next_morning", flat=True)) <= {"better", "same", "worse"}
    assert answered.count() >= Session.objects.filter(owner=user).count() - 1


def test_device_sessions_only_for_devices_the_check_up_allows() -> None:
    user = _demo()
    result = api.evaluate(
        api.parse_case(Assessment.objects.filter(owner=user).first().case(), content()),  # type: ignore[union-attr]
        content(),
    )
    allowed = {
        name
        for name, verdict in result.adjuncts.items()
        if verdict.verdict == "suitable" and name in DeviceSession.Device.values
    }
    used = set(DeviceSession.objects.filter(owner=user).values_list("device", flat=True))
    assert used and used == allowed
    # Only a person who has the device logs it: every check-up lists it in the equipment.
    for assessment in Assessment.objects.filter(owner=user):
        owned = set((assessment.context or {}).get("equipment", []))
        assert {result.adjuncts[name].about.equipment for name in used} <= owned
    # At the first stage's own settings: moving on is the person's choice, not the demo's.
    for session in DeviceSession.objects.filter(owner=user):
        protocol = result.adjuncts[session.device].protocol
        assert protocol is not None and session.stage == 1
        settings = {s.id: s.value for s in protocol.stages[0].settings}
        if session.device == DeviceSession.Device.INVERSION:
            assert session.minutes is not None
            assert (session.angle_deg, float(session.minutes)) == (
                round(settings["angle"]),
                settings["session_minutes"],
            )
        else:
            assert (session.frequency_hz, session.bouts) == (
                round(settings["frequency"]),
                round(settings["bouts"]),
            )


def test_a_long_history_for_the_benchmarks() -> None:
    seed_history("bench", "a-long-test-password-7", days=400)
    user = User.objects.get(username="bench")
    assert CheckIn.objects.filter(owner=user).count() >= 400
    assert Session.objects.filter(owner=user).count() >= 250
    assert RoutinePlan.objects.filter(owner=user, active=True).count() == 1


def test_the_command_refuses_an_empty_history() -> None:
    with pytest.raises(CommandError, match="--years or --days"):
        call_command("seed_history", "--days", "0")


def test_the_command_makes_the_person() -> None:
    call_command("seed_history", "--days", "30", "--username", "bench2")
    assert CheckIn.objects.filter(owner__username="bench2").count() >= 30


def test_the_command_makes_several_people_for_a_load_test() -> None:
    call_command("seed_history", "--days", "5", "--username", "load", "--count", "3")
    assert set(User.objects.values_list("username", flat=True)) == {"load1", "load2", "load3"}
    with pytest.raises(CommandError, match="--count"):
        call_command("seed_history", "--days", "5", "--count", "0")
