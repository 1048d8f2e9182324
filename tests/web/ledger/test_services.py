"""What the ledger reads from the rest of the journey: the diary, the PSFS, the warning signs."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from backbalance.core import api
from backbalance.web.checkup.models import Assessment
from backbalance.web.common.content import content
from backbalance.web.ledger import services
from backbalance.web.ledger.models import Provider
from tests.web.ledger.conftest import add_visit, example, flagged_check_in, pain_check_ins, store


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
