"""What the ledger reads from the rest of the journey: the diary, the PSFS, the warning signs."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import User
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from backbalance.core import api
from backbalance.web.checkup.models import Assessment
from backbalance.web.common.content import content
from backbalance.web.journal.models import CheckIn, ClinicianVisit
from backbalance.web.ledger import services
from backbalance.web.ledger.models import Provider
from tests.web.ledger.conftest import (
    FLAGGED_PAIN,
    add_visit,
    example,
    flagged_check_in,
    pain_check_ins,
    store,
)


def test_the_diary_is_the_daily_mean_of_the_check_ins(owner: User) -> None:
    today = timezone.localdate()
    pain_check_ins(owner, today, [2])
    pain_check_ins(owner, today, [6])
    pain_check_ins(owner, today - timedelta(days=1), [5])
    record = services.person_record(owner.pk, today)
    assert record.pain_diary == [
        {"date": today - timedelta(days=1), "pain": 5.0},
        {"date": today, "pain": 4.0},
    ]


def test_the_diary_starts_where_the_core_can_use_it(owner: User) -> None:
    today = timezone.localdate()
    rules = content().outcomes
    reach = int(rules.trend_before_care.days.value) + int(rules.pain_window_days.value)
    pain_check_ins(owner, today - timedelta(days=reach + 1), [3, 4])
    days = [entry["date"] for entry in services.person_record(owner.pk, today).pain_diary]
    assert days == [today - timedelta(days=reach)]


def test_the_psfs_comes_from_each_finished_check_up(owner: User) -> None:
    today = timezone.localdate()
    earlier = [{"activity": "sitting", "rating": 2}, {"activity": "walking", "rating": 3}]
    Assessment.objects.create(
        owner=owner,
        questionnaires={"psfs": earlier},
        completed_at=timezone.now() - timedelta(days=20),
    )
    # An unfinished check-up, and one without a PSFS, are left out.
    Assessment.objects.create(owner=owner, questionnaires={"psfs": earlier})
    Assessment.objects.create(owner=owner, questionnaires={}, completed_at=timezone.now())
    psfs = services.person_record(owner.pk, today).psfs
    assert len(psfs) == 2  # the persona's own check-up and the one above
    assert {"date": today - timedelta(days=20), "activities": earlier} in psfs


def test_a_better_psfs_between_check_ups_is_judged_in_the_course(owner: User) -> None:
    today = timezone.localdate()
    Assessment.objects.create(
        owner=owner,
        questionnaires={"psfs": [{"activity": "sitting", "rating": 1}]},
        completed_at=timezone.now() - timedelta(days=20),
    )
    provider = Provider.objects.create(owner=owner, name="Clinic", kind="physiotherapy")
    add_visit(provider, date=today - timedelta(days=21), cost=50, pain_before=5)
    add_visit(provider, date=today, cost=50, pain_before=5)
    ledger = services.ledger_for(provider)
    assert ledger.report is not None
    measures = {m.measure: m for m in ledger.report.measures}
    # From a mean of 1 to the persona's 4, 5 and 6: better by more than the MCID.
    assert measures["psfs"].change.change == "improved_meaningfully"
    assert ledger.report.verdict == "improving_meaningfully"


def test_a_warning_sign_is_named_by_its_question(owner: User) -> None:
    flagged = flagged_check_in(owner)
    [flag] = services.person_record(owner.pk, None).red_flags
    asked = {q.id: q.question for q in content().red_flags.questions}
    said_yes = [asked[q] for q, a in flagged.safety.items() if a == "yes"]
    assert flag["what"].startswith(said_yes[0][:50])
    assert len(flag["what"]) <= 200


def test_the_chart_band_is_the_cores_mcid_from_the_first_visit(owner: User) -> None:
    provider = store(owner, example("02_not_meaningful_after_four_visits.json"))
    chart = services.ledger_for(provider).chart
    assert chart is not None
    pain = content().instruments[content().outcomes.measures["pain"]]
    assert (chart.improved_at, chart.worse_at) == api.mcid_thresholds(pain, 7)
    assert chart.band_top is not None and chart.band_bottom is not None
    assert chart.plot_top <= chart.band_top < chart.band_bottom <= chart.plot_bottom
    assert len(chart.visits) == 4


@st.composite
def _histories(draw: st.DrawFn) -> tuple[list[tuple[int, str]], int | None]:
    """Check-ins (days ago, and the level of a warning sign or "none") and when a
    clinician visit was recorded.

    Most check-ins fall before the clinician visit when there is one, so histories whose
    every warning sign was seen since come up about as often as ones where a sign stands.
    """
    seen = draw(st.one_of(st.none(), st.integers(0, 29)))
    check_ins = []
    for _ in range(draw(st.integers(0, 4))):
        before_the_visit = seen is not None and draw(st.integers(0, 3)) > 0
        days = (
            st.integers(seen + 1, 30)
            if before_the_visit and seen is not None
            else st.integers(0, 30)
        )
        check_ins.append((draw(days), draw(st.sampled_from(["none", "urgent", "emergency"]))))
    return check_ins, seen


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(history=_histories())
def test_a_warning_sign_not_yet_seen_by_a_clinician_always_asks_for_the_screen_first(
    owner: User, history: tuple[list[tuple[int, str]], int | None]
) -> None:
    """Whatever else holds (here a course that is improving), a flagged check-in recorded
    after the latest clinician visit gives ``rescreen_first``, and only then."""
    check_ins, seen = history
    CheckIn.objects.filter(owner=owner).delete()
    ClinicianVisit.objects.filter(owner=owner).delete()
    Provider.objects.filter(owner=owner).delete()
    # The screen is taken now, so every check-in below comes before it (see flagged_check_in).
    Assessment.objects.filter(owner=owner).update(screened_at=timezone.now())
    provider = store(owner, example("01_improving_physiotherapy.json"))
    now = timezone.now()
    for days_ago, level in check_ins:
        if level != "none":
            flagged_check_in(owner, days_ago=days_ago, level=level)
        else:
            # The same pain as a flagged check-in's, so the diary itself never changes
            # by the MCID: only the warning signs decide.
            pain_check_ins(owner, timezone.localdate() - timedelta(days=days_ago), [FLAGGED_PAIN])
    if seen is not None:
        visit = ClinicianVisit.objects.create(owner=owner, seen_on=timezone.localdate())
        # Recorded at a chosen moment, half a day off the check-ins' times, so no tie.
        ClinicianVisit.objects.filter(pk=visit.pk).update(
            created_at=now - timedelta(days=seen, hours=6)
        )
    # A check-in d days ago is later than a visit recorded ``seen`` days and 6 hours ago
    # exactly when d <= seen.
    standing = [level for d, level in check_ins if level != "none" and (seen is None or d <= seen)]
    report = services.ledger_for(provider).report
    assert report is not None
    if standing:
        which = "an emergency" if "emergency" in standing else "urgent signs only"
        event(f"a warning sign stands ({which}): rescreen first")
        assert report.verdict == "rescreen_first"
    elif any(level != "none" for _, level in check_ins):
        event("every warning sign seen by a clinician since")
        assert report.verdict != "rescreen_first"
    else:
        event("no warning sign")
        assert report.verdict != "rescreen_first"


def test_a_check_up_psfs_the_core_refuses_is_left_out_and_named(owner: User) -> None:
    Assessment.objects.create(
        owner=owner,
        questionnaires={"psfs": [{"activity": "sitting", "rating": 99}]},
        completed_at=timezone.now() - timedelta(days=3),
    )
    provider = store(owner, example("01_improving_physiotherapy.json"))
    ledger = services.ledger_for(provider)
    assert ledger.report is not None
    assert ledger.report.verdict == "improving_meaningfully"
    assert len(ledger.problems) == 1 and ledger.problems[0].startswith("psfs.")


def test_a_warning_sign_the_core_refuses_stops_the_verdict(owner: User) -> None:
    provider = store(owner, example("01_improving_physiotherapy.json"))
    data = services.course_data(provider, list(provider.visits.all()), None)
    data["red_flags"] = [{"date": timezone.localdate(), "what": ""}]
    refused = [api.FieldError("red_flags.1.what", "too short")]
    assert services._without_refused_scores(data, refused) is None
