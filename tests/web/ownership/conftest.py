"""A history of every kind of record, built straight in the database, for the data tests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from msgspec.structs import replace

from backbalance.core import api
from backbalance.web.checkup.models import Assessment
from backbalance.web.checkup.services import parsed_result, result_for
from backbalance.web.common.content import content
from backbalance.web.journal.models import CheckIn, ClinicianVisit
from backbalance.web.journal.safety import judge_every_check_in_again
from backbalance.web.ledger.models import Booking, Provider, Visit
from backbalance.web.reports.models import CalendarFeed
from backbalance.web.routine.models import PendingProposal, RoutinePlan, Session
from backbalance.web.therapies.models import DeviceSession, StageMove


def check_in_question_ids() -> list[str]:
    return [q.id for q in api.check_in_questions(content().red_flags)]


@dataclass
class HistorySpec:
    """What to put in an account: each check-in is (hours after the screen, pain, region,
    side, the check-in questions answered other than "no")."""

    check_ins: list[tuple[int, int, str, str, dict[str, str]]] = field(default_factory=list)
    visits_after_hours: list[int] = field(default_factory=list)
    sessions: list[tuple[int, int | None, str]] = field(default_factory=list)
    device_sessions: list[tuple[int, bool, int | None]] = field(default_factory=list)
    stage_moves: int = 0
    proposal: bool = False
    note: str = ""


def fill_history(user: User, spec: HistorySpec) -> Assessment:
    """The records of ``spec`` for ``user``, who has one finished check-up; the check-ins
    judged as the app judges them, so the stored levels are the ones it would hold."""
    assessment = Assessment.objects.get(owner=user)
    result_for(assessment)
    assert assessment.screened_at is not None
    start = assessment.screened_at
    for hours, pain, region, side, raised in spec.check_ins:
        CheckIn.objects.create(
            owner=user,
            at=start + timedelta(hours=hours, minutes=1),
            pain_now=pain,
            region=region,
            side=side,
            safety={qid: "no" for qid in check_in_question_ids()} | raised,
            sleep_quality=pain % 5 + 1,
            hours_sitting=Decimal(pain) / 2,
            did=["walk"] if pain % 2 else [],
            note=spec.note,
            standing_answers={},
            level="",
            content_version="",
        )
    for hours in spec.visits_after_hours:
        visit = ClinicianVisit.objects.create(owner=user, seen_on=date(2026, 3, 1), note="GP")
        ClinicianVisit.objects.filter(pk=visit.pk).update(
            created_at=start + timedelta(hours=hours, minutes=2)
        )
    judge_every_check_in_again(user)
    # The plan, its sessions and a proposal in the shapes the routine stores them.
    routine = parsed_result(assessment).routine
    assert routine is not None
    states = api.session_state(routine, content())
    plan = RoutinePlan.objects.create(
        owner=user, assessment=assessment, items=[api.to_jsonable(state) for state in states]
    )
    first = states[0]
    for days, usual_pain, morning in spec.sessions:
        Session.objects.create(
            owner=user,
            plan=plan,
            day=date(2026, 3, 1) + timedelta(days=days),
            items=[
                {
                    "exercise": first.exercise_id,
                    "done": True,
                    "sets": {first.side: first.sets},
                    "pain_during": usual_pain or 0,
                    "effort": 4,
                    "reps_done": first.reps,
                },
                {
                    "exercise": states[-1].exercise_id,
                    "done": False,
                    "sets": {states[-1].side: 0},
                    "pain_during": None,
                    "effort": None,
                    "reps_done": None,
                },
            ],
            usual_pain=usual_pain,
            pain_next_morning=morning,
            client_token=uuid.uuid4(),
        )
    if spec.proposal:
        proposal = api.Proposal(
            action="progress",
            flare_up=False,
            reason="Three easy sessions in a row.",
            new_state=replace(first, sets=first.sets + 1),
            rule_id="progress",
            sources=("backbalance_convention",),
            decided_for=first,
            based_on=(date(2026, 3, 1), date(2026, 3, 3)),
        )
        PendingProposal.objects.create(
            owner=user, plan=plan, item_index=0, proposal=api.to_jsonable(proposal)
        )
    # Vibration sessions the first stage allows (the import holds them to it); the test
    # spaces them as the stage's sessions a week allow.
    for hours, tolerated, rating in spec.device_sessions:
        DeviceSession.objects.create(
            owner=user,
            device="vibration",
            at=start + timedelta(hours=hours),
            stage=1,
            frequency_hz=20,
            bouts=3,
            bout_seconds=30,
            minutes=Decimal("3.0"),
            tolerated=tolerated,
            pain_before=rating,
            pain_after=rating,
        )
    for number in range(spec.stage_moves):
        StageMove.objects.create(
            owner=user,
            device="inversion",
            stage=number + 2,
            direction="forward",
            at=start + timedelta(days=number + 1),
        )
    return assessment


def one_of_each(user: User) -> Assessment:
    """At least one record of every kind there is today (the calendar address too, which
    is deleted with the account but never exported)."""
    CalendarFeed.objects.create(owner=user)
    provider = Provider.objects.create(owner=user, name="Physio Anna", kind="physiotherapy")
    Visit.objects.create(
        owner=user,
        provider=provider,
        date=date(2026, 11, 2),
        cost=Decimal("60"),
        reimbursed=Decimal("20"),
        pain_before=Decimal("6"),
        pain_after=Decimal("4.5"),
        assessed_hands_on=True,
    )
    Booking.objects.create(
        owner=user,
        provider=provider,
        date=date(2026, 11, 30),
        time=time(10, 30),
        cost=Decimal("60"),
    )
    return fill_history(
        user,
        HistorySpec(
            check_ins=[(5, 4, "low_back", "left", {}), (30, 3, "hip", "both", {})],
            visits_after_hours=[40],
            sessions=[(0, 3, "better")],
            device_sessions=[(10, True, 2)],
            stage_moves=1,
            proposal=True,
            note="a note with ünïcode",
        ),
    )
