"""The check-up, one step at a time: safety screen, about you, the self-tests, finish.

Every step is stored as it is answered, so a person who leaves comes back where they
were (``start``). Once the screen is done, every later step asks the standing safety
level first: an emergency closes them all and shows where to go now.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from backbalance.core import api
from backbalance.figures import render_pose
from backbalance.web.checkup import services
from backbalance.web.checkup.forms import AboutForm, PersonForm, ScreenPageForm, SelfTestForm
from backbalance.web.checkup.models import Assessment
from backbalance.web.common.access import owned_or_404
from backbalance.web.common.content import content
from backbalance.web.common.context import safety_for
from backbalance.web.journal.safety import SafetyState

# The steps of the journey, for the progress indicator.
STEPS = ("safety", "about", "tests", "results")

# A plain heading for each group of health conditions (conditions.yaml ``group``).
CONDITION_GROUP_TITLES = {
    "pregnancy": _("Pregnancy"),
    "heart_and_circulation": _("Heart and circulation"),
    "eyes_and_ears": _("Eyes, ears and balance"),
    "bones_and_joints": _("Bones and joints"),
    "surgery_and_implants": _("Operations and implants"),
    "spine": _("Your spine"),
    "nerves_and_brain": _("Nerves and brain"),
    "other": _("Other"),
}

# A plain heading for each group of safety questions (red_flags.yaml ``group``).
SCREEN_GROUP_TITLES = {
    "cauda_equina": _("Bladder, bowel and the nerves low in your back"),
    "neurological": _("Numbness and weakness in your legs"),
    "fracture": _("Falls, knocks and bone strength"),
    "cancer": _("Past illness"),
    "general": _("How you are in yourself"),
    "infection": _("Fever and infection"),
    "aaa": _("Heart and blood vessels"),
    "inflammatory": _("Stiffness and inflammation"),
}


def _page(
    request: HttpRequest, template: str, assessment: Assessment, journey_step: str, **extra: Any
) -> HttpResponse:
    context = {
        "nav": "checkup",
        "assessment": assessment,
        "journey": [
            {
                "id": s,
                "done": STEPS.index(s) < STEPS.index(journey_step),
                "current": s == journey_step,
            }
            for s in STEPS
        ],
        **extra,
    }
    return render(request, template, context)


def _next_step(assessment: Assessment, safety: SafetyState) -> str:
    """Where this check-up carries on."""
    pk = assessment.pk
    if not services.screen_done(assessment):
        page = services.first_open_screen_page(assessment)
        return reverse("checkup:screen", kwargs={"pk": pk, "step": page})
    if safety.emergency or services.triage_of(assessment).level == "emergency":
        return reverse("checkup:go_now", kwargs={"pk": pk})
    if assessment.completed_at is not None:
        return reverse("checkup:results", kwargs={"pk": pk})
    if assessment.context is None:
        if safety.gentle_only:
            return reverse("checkup:see_a_doctor", kwargs={"pk": pk})
        return reverse("checkup:about", kwargs={"pk": pk})
    return reverse("checkup:tests", kwargs={"pk": pk})


def _closed(request: HttpRequest, assessment: Assessment) -> HttpResponse | None:
    """The redirect for a step after the screen that is not open now, or None.

    No screen yet: back to the screen. An emergency standing now (from this screen or a
    check-in since): the go-now page, whatever was asked for.
    """
    safety = safety_for(request)
    assert isinstance(safety, SafetyState)
    if not services.screen_done(assessment):
        return redirect(_next_step(assessment, safety))
    if safety.emergency or services.triage_of(assessment).level == "emergency":
        return redirect("checkup:go_now", pk=assessment.pk)
    if assessment.completed_at is not None:
        return redirect("checkup:results", pk=assessment.pk)
    return None


@login_required
@require_GET
def start(request: HttpRequest) -> HttpResponse:
    """The entry point: carry on with the check-up in progress, or begin one."""
    assessment = services.current_assessment(request.user)
    safety = safety_for(request)
    assert isinstance(safety, SafetyState)
    return redirect(_next_step(assessment, safety))


@login_required
def new(request: HttpRequest) -> HttpResponse:
    """Begin a fresh check-up (after a finished one), from its first page."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    assessment = services.new_assessment(request.user)
    if assessment is None:
        # An emergency stands and no clinician has seen them yet: nothing new opens.
        return redirect("checkup:start")
    return redirect("checkup:screen", pk=assessment.pk, step=1)


# --------------------------------------------------------------------------- safety screen


@login_required
def screen(request: HttpRequest, pk: UUID, step: int) -> HttpResponse:
    """One page of the safety screen: age and sex first, then a few questions a page."""
    assessment = owned_or_404(Assessment, request.user, pk)
    if request.method not in ("GET", "POST"):
        # After the owner check, so a stranger learns nothing from the method either.
        return HttpResponseNotAllowed(["GET", "POST"])
    total = services.screen_page_count()
    if not 1 <= step <= total:
        raise Http404
    if services.screen_done(assessment):
        # A finished screen is not changed afterwards: a new answer is a new check-up
        # (or a check-in), so an earlier warning sign cannot be answered away.
        return redirect("checkup:start")
    if step > services.first_open_screen_page(assessment):
        return redirect("checkup:screen", pk=pk, step=services.first_open_screen_page(assessment))
    page = None if step == 1 else services.screen_pages()[step - 2]
    if page is None:
        form: PersonForm | ScreenPageForm = PersonForm(
            request.POST or None, initial=assessment.person
        )
    else:
        form = ScreenPageForm(page.questions, request.POST or None, initial=assessment.screening)
    if request.method == "POST" and form.is_valid():
        try:
            if isinstance(form, PersonForm):
                services.save_person(assessment, form.person())
            else:
                assert page is not None
                services.save_screen_page(assessment, page, form.answers())
        except api.CaseError as error:
            form.show_core_errors(error)
        else:
            if services.screen_done(assessment):
                level = services.triage_of(assessment).level
                if level == "emergency":
                    return redirect("checkup:go_now", pk=pk)
                if level == "urgent":
                    return redirect("checkup:see_a_doctor", pk=pk)
                return redirect("checkup:about", pk=pk)
            return redirect("checkup:screen", pk=pk, step=step + 1)
    return _page(
        request,
        "checkup/screen.html",
        assessment,
        "safety",
        form=form,
        page=page,
        group_title=SCREEN_GROUP_TITLES.get(page.group, "") if page else "",
        step=step,
        total=total,
        percent=services.percent(step - 1, total),
    )


@login_required
def go_now(request: HttpRequest, pk: UUID) -> HttpResponse:
    """Get medical help now: what to do, and nothing else."""
    assessment = owned_or_404(Assessment, request.user, pk)
    if request.method not in ("GET",):
        # After the owner check, so a stranger learns nothing from the method either.
        return HttpResponseNotAllowed(["GET"])
    safety = safety_for(request)
    assert isinstance(safety, SafetyState)
    if not services.screen_done(assessment):
        return redirect(_next_step(assessment, safety))
    triage: api.Triage | None = services.triage_of(assessment)
    if triage is not None and triage.level != "emergency" and safety.emergency:
        triage = safety.triage
    if triage is None or triage.level != "emergency":
        return redirect(_next_step(assessment, safety))
    return render(
        request,
        "checkup/go_now.html",
        {
            "nav": "checkup",
            "triage": triage,
            # Only the emergency's own reasons, from answers the person gave: nothing may
            # distract from going now.
            "reasons": [
                r
                for r in triage.reasons
                if r.level == "emergency" and set(r.answers) - set(assessment.not_reached)
            ],
        },
    )


@login_required
def see_a_doctor(request: HttpRequest, pk: UUID) -> HttpResponse:
    """See a doctor within days; the check-up may go on without the self-tests."""
    assessment = owned_or_404(Assessment, request.user, pk)
    if closed := _closed(request, assessment):
        return closed
    if request.method not in ("GET",):
        # After the owner check, so a stranger learns nothing from the method either.
        return HttpResponseNotAllowed(["GET"])
    safety = safety_for(request)
    assert isinstance(safety, SafetyState)
    offers = services.offers(assessment, safety).values()
    return _page(
        request,
        "checkup/see_a_doctor.html",
        assessment,
        "safety",
        triage=safety.triage or services.triage_of(assessment),
        tests_offered=any(offer.offered for offer in offers),
        # The core's own words for why the tests are off (the same for every test).
        tests_off_because=sorted({why for offer in offers for why in offer.why_not}),
    )


# --------------------------------------------------------------------------- about you


@login_required
def about(request: HttpRequest, pk: UUID) -> HttpResponse:
    """About you and your pain: time, kit, conditions, movements, pain, activities."""
    assessment = owned_or_404(Assessment, request.user, pk)
    if closed := _closed(request, assessment):
        return closed
    if request.method not in ("GET", "POST"):
        # After the owner check, so a stranger learns nothing from the method either.
        return HttpResponseNotAllowed(["GET", "POST"])
    licensed = services.shown_questionnaires()
    form = AboutForm(
        content(),
        licensed,
        request.POST or None,
        initial=AboutForm.initial_from(
            assessment.context,
            services.carried_questionnaires(assessment),
            {"work": assessment.work, "sitting_hours": assessment.sitting_hours},
        ),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_about(assessment, form.context(), form.questionnaires(), form.day())
        except api.CaseError as error:
            form.show_core_errors(error)
        else:
            return redirect("checkup:tests", pk=pk)
    return _page(
        request,
        "checkup/about.html",
        assessment,
        "about",
        form=form,
        psfs_rows=[
            (form[f"psfs_activity_{row}"], form[f"psfs_rating_{row}"]) for row in range(1, 6)
        ],
        condition_groups=_condition_groups(form),
        licensed=[
            {
                "instrument": instrument,
                "fields": [
                    form[f"q_{instrument.id}_{n}"] for n in range(1, len(instrument.items) + 1)
                ],
            }
            for instrument in licensed
        ],
    )


def _condition_groups(form: AboutForm) -> list[dict[str, Any]]:
    """The condition tick boxes under a heading per group, in content order."""
    boxes = {box.data["value"]: box for box in form["conditions"].subwidgets}
    groups: dict[str, list[Any]] = {}
    for condition in content().conditions.values():
        groups.setdefault(condition.group, []).append(boxes[condition.id])
    return [
        {"title": CONDITION_GROUP_TITLES.get(group, group), "boxes": group_boxes}
        for group, group_boxes in groups.items()
    ]


# --------------------------------------------------------------------------- self-tests


def _about_first(assessment: Assessment) -> HttpResponse | None:
    if assessment.context is None:
        return redirect("checkup:about", pk=assessment.pk)
    return None


@login_required
def tests(request: HttpRequest, pk: UUID) -> HttpResponse:
    """The battery at a glance: done, skipped, still to do, and not offered (and why)."""
    assessment = owned_or_404(Assessment, request.user, pk)
    if closed := _closed(request, assessment) or _about_first(assessment):
        return closed
    if request.method not in ("GET",):
        # After the owner check, so a stranger learns nothing from the method either.
        return HttpResponseNotAllowed(["GET"])
    safety = safety_for(request)
    assert isinstance(safety, SafetyState)
    offered = services.offers(assessment, safety)
    rows = services.battery(assessment, offered)
    to_do = [row for row in rows if row["state"] == "to_do"]
    return _page(
        request,
        "checkup/tests.html",
        assessment,
        "tests",
        rows=rows,
        next_test=to_do[0] if to_do else None,
        done_count=sum(1 for row in rows if row["state"] == "done"),
        offered_count=sum(1 for row in rows if row["state"] != "not_offered"),
        percent=services.percent(
            sum(1 for row in rows if row["state"] in ("done", "skipped")),
            sum(1 for row in rows if row["state"] != "not_offered"),
        ),
        urgent=safety.gentle_only,
        off_because=sorted(
            {why for row in rows if row["state"] == "not_offered" for why in row["offer"].why_not}
        ),
    )


@login_required
def self_test(request: HttpRequest, pk: UUID, test_id: str) -> HttpResponse:
    """One self-test: figure, steps, who should not, a stopwatch, the readings."""
    assessment = owned_or_404(Assessment, request.user, pk)
    if closed := _closed(request, assessment) or _about_first(assessment):
        return closed
    if request.method not in ("GET", "POST"):
        # After the owner check, so a stranger learns nothing from the method either.
        return HttpResponseNotAllowed(["GET", "POST"])
    test = content().tests.get(test_id)
    if test is None:
        raise Http404
    safety = safety_for(request)
    assert isinstance(safety, SafetyState)
    offer = services.offers(assessment, safety)[test_id]
    if not offer.offered:
        # The core's gates hold it back: the page says why and takes no readings.
        return redirect("checkup:tests", pk=pk)
    form = SelfTestForm(
        test,
        request.POST or None,
        initial=SelfTestForm.initial_from(test, assessment.tests.get(test_id)),
    )
    if request.method == "POST" and request.POST.get("skip"):
        services.skip_test(assessment, test_id)
        return redirect(services.after_test_url(assessment, safety))
    if request.method == "POST" and form.is_valid():
        try:
            services.save_test(assessment, test_id, form.readings())
        except api.CaseError as error:
            form.show_core_errors(error)
        else:
            return redirect(services.after_test_url(assessment, safety))
    return _page(
        request,
        "checkup/self_test.html",
        assessment,
        "tests",
        test=test,
        offer=offer,
        form=form,
        groups=[
            {
                "side": group["side"],
                "fields": [form[name] for name in group["fields"]],
                "could_not_do": form[group["could_not_do"]],
                "note": form[group["note"]],
            }
            for group in form.groups
        ],
        figure=render_pose(test.figure) if test.figure else "",
        not_for=[content().conditions[c].name for c in test.safety.contraindications],
        has_stopwatch=any(spec.unit == "s" for spec in test.record),
    )


@login_required
def finish(request: HttpRequest, pk: UUID) -> HttpResponse:
    """Close the check-up and work out the result."""
    assessment = owned_or_404(Assessment, request.user, pk)
    if closed := _closed(request, assessment) or _about_first(assessment):
        return closed
    if request.method not in ("POST",):
        # After the owner check, so a stranger learns nothing from the method either.
        return HttpResponseNotAllowed(["POST"])
    services.finish(assessment)
    return redirect("checkup:results", pk=pk)
