"""The therapist value ledger: each therapist's verdict, their visits, the appointments
booked ahead, and the brief.

Every record is fetched through ``owned_or_404``; the verdict comes from the core through
``services`` on every page, never from a stored field.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from backbalance.web.common.access import owned_or_404
from backbalance.web.common.content import content
from backbalance.web.ledger import services
from backbalance.web.ledger.forms import (
    BookingForm,
    ProviderForm,
    VisitForm,
    initial_from_booking,
)
from backbalance.web.ledger.models import Booking, Provider, Visit


def _person(request: HttpRequest) -> AbstractBaseUser:
    """The logged-in person (every view here is behind ``login_required``)."""
    assert isinstance(request.user, AbstractBaseUser)
    return request.user


def _labels() -> dict[str, str]:
    return dict(content().outcomes.labels)


@login_required
@require_http_methods(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    ledgers = services.ledgers_for(_person(request))
    return render(request, "ledger/index.html", {"nav": "ledger", "ledgers": ledgers})


@login_required
@require_http_methods(["GET", "POST"])
def add_provider(request: HttpRequest) -> HttpResponse:
    form = ProviderForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        provider = services.save_provider(_person(request), form.cleaned_data)
        messages.success(request, _("Therapist added. Note the first visit when you have had it."))
        return redirect("ledger:provider", pk=provider.pk)
    return render(
        request, "ledger/provider_form.html", {"nav": "ledger", "form": form, "provider": None}
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_provider(request: HttpRequest, pk: str) -> HttpResponse:
    provider = owned_or_404(Provider, _person(request), pk)
    if request.method == "POST":
        form = ProviderForm(request.POST)
        if form.is_valid():
            services.save_provider(_person(request), form.cleaned_data, provider)
            messages.success(request, _("Changes saved."))
            return redirect("ledger:provider", pk=provider.pk)
    else:
        form = ProviderForm(
            initial={
                "name": provider.name,
                "kind": provider.kind,
                "episode_started": provider.episode_started,
            }
        )
    return render(
        request, "ledger/provider_form.html", {"nav": "ledger", "form": form, "provider": provider}
    )


@login_required
@require_http_methods(["GET", "POST"])
def delete_provider(request: HttpRequest, pk: str) -> HttpResponse:
    provider = owned_or_404(Provider, _person(request), pk)
    if request.method == "POST":
        services.delete_provider(provider)
        messages.success(request, _("Therapist and their visits removed."))
        return redirect("ledger:index")
    return render(
        request,
        "ledger/confirm_delete.html",
        {"nav": "ledger", "provider": provider, "visit": None},
    )


@login_required
def provider(request: HttpRequest, pk: str) -> HttpResponse:
    # The owner check comes first, so a stranger gets the same 404 for every method.
    chosen = owned_or_404(Provider, _person(request), pk)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    ledger = services.ledger_for(chosen)
    return render(
        request,
        "ledger/provider.html",
        {"nav": "ledger", "ledger": ledger, "labels": _labels()},
    )


@login_required
def brief(request: HttpRequest, pk: str) -> HttpResponse:
    # The owner check comes first, so a stranger gets the same 404 for every method.
    chosen = owned_or_404(Provider, _person(request), pk)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    ledger = services.ledger_for(chosen)
    return render(
        request,
        "ledger/brief.html",
        {"nav": "ledger", "ledger": ledger, "labels": _labels()},
    )


def _visit_page(
    request: HttpRequest,
    provider: Provider,
    form: VisitForm,
    visit: Visit | None,
    booking: Booking | None = None,
) -> HttpResponse:
    ahead = booking is not None and booking.date > timezone.localdate()
    return render(
        request,
        "ledger/visit_form.html",
        {
            "nav": "ledger",
            "provider": provider,
            "form": form,
            "visit": visit,
            "booking": booking,
            "booking_ahead": ahead,
        },
    )


def _save(
    request: HttpRequest,
    provider: Provider,
    form: VisitForm,
    visit: Visit | None,
    booking: Booking | None = None,
) -> HttpResponse:
    if not form.is_valid():
        return _visit_page(request, provider, form, visit, booking)
    try:
        if booking is not None:
            services.complete_booking(booking, form.values())
        else:
            services.save_visit(provider, form.values(), visit)
    except services.VisitProblems as refused:
        for field, message in refused.problems.items():
            if field in form.fields:
                # The core's message is a phrase ("is more than the cost"): it is read
                # with its field's name, on screen and by a screen reader.
                form.add_error(field, f"{form.fields[field].label}: {message}")
            else:
                form.add_error(None, message)
        return _visit_page(request, provider, form, visit, booking)
    messages.success(request, _("Visit saved."))
    return redirect("ledger:provider", pk=provider.pk)


@login_required
@require_http_methods(["GET", "POST"])
def add_visit(request: HttpRequest, pk: str) -> HttpResponse:
    provider = owned_or_404(Provider, _person(request), pk)
    if request.method == "POST":
        return _save(request, provider, VisitForm(request.POST), None)
    # The currency of the last visit is the likely one for the next.
    last = Visit.objects.filter(owner_id=provider.owner_id, provider=provider).last()
    initial = {"currency": last.currency} if last else {}
    return _visit_page(request, provider, VisitForm(initial=initial), None)


@login_required
@require_http_methods(["GET", "POST"])
def edit_visit(request: HttpRequest, pk: str) -> HttpResponse:
    visit = owned_or_404(Visit, _person(request), pk)
    provider = visit.provider
    if request.method == "POST":
        return _save(request, provider, VisitForm(request.POST), visit)
    return _visit_page(request, provider, VisitForm(visit=visit), visit)


@login_required
@require_http_methods(["GET", "POST"])
def delete_visit(request: HttpRequest, pk: str) -> HttpResponse:
    visit = owned_or_404(Visit, _person(request), pk)
    provider = visit.provider
    if request.method == "POST":
        services.delete_visit(visit)
        messages.success(request, _("Visit removed."))
        return redirect("ledger:provider", pk=provider.pk)
    return render(
        request,
        "ledger/confirm_delete.html",
        {"nav": "ledger", "provider": provider, "visit": visit},
    )


# --------------------------------------------------------------------------- booked ahead


def _booking_page(
    request: HttpRequest, provider: Provider, form: BookingForm, booking: Booking | None
) -> HttpResponse:
    return render(
        request,
        "ledger/booking_form.html",
        {"nav": "ledger", "provider": provider, "form": form, "booking": booking},
    )


def _when(booking: Booking) -> str:
    """The day, and the time and length when known, as ``ledger/_when.html`` writes them."""
    day = date_format(booking.date, "l j F")
    if booking.time is None:
        return day
    when = f"{day}, {booking.time:%H:%M}"
    if booking.length_minutes:
        minutes = booking.length_minutes
        length = ngettext("%(minutes)s minute", "%(minutes)s minutes", minutes)
        when += ", " + length % {"minutes": minutes}
    return when


@login_required
@require_http_methods(["GET", "POST"])
def add_booking(request: HttpRequest, pk: str) -> HttpResponse:
    provider = owned_or_404(Provider, _person(request), pk)
    if request.method == "POST":
        form = BookingForm(request.POST)
        if form.is_valid():
            booking = services.save_booking(provider, form.cleaned_data)
            messages.success(request, _("Booked: %(when)s.") % {"when": _when(booking)})
            return redirect("ledger:provider", pk=provider.pk)
    else:
        last = Visit.objects.filter(owner_id=provider.owner_id, provider=provider).last()
        form = BookingForm(initial={"currency": last.currency} if last else {})
    return _booking_page(request, provider, form, None)


@login_required
@require_http_methods(["GET", "POST"])
def edit_booking(request: HttpRequest, pk: str) -> HttpResponse:
    booking = owned_or_404(Booking, _person(request), pk)
    provider = booking.provider
    if request.method == "POST":
        form = BookingForm(request.POST, booking=booking)
        if form.is_valid():
            services.save_booking(provider, form.cleaned_data, booking)
            messages.success(request, _("Changes saved."))
            return redirect("ledger:provider", pk=provider.pk)
    else:
        form = BookingForm(booking=booking)
    return _booking_page(request, provider, form, booking)


@login_required
@require_http_methods(["GET", "POST"])
def complete_booking(request: HttpRequest, pk: str) -> HttpResponse:
    """The booked appointment happened: the visit form, filled with what the booking knew.
    A day still ahead is refused next to the date, as for any visit."""
    booking = owned_or_404(Booking, _person(request), pk)
    provider = booking.provider
    if request.method == "POST":
        return _save(request, provider, VisitForm(request.POST), None, booking)
    form = VisitForm(initial=initial_from_booking(booking))
    return _visit_page(request, provider, form, None, booking)


@login_required
@require_http_methods(["GET", "POST"])
def cancel_booking(request: HttpRequest, pk: str) -> HttpResponse:
    return _confirm_booking(request, pk, cancel=True)


@login_required
@require_http_methods(["GET", "POST"])
def delete_booking(request: HttpRequest, pk: str) -> HttpResponse:
    return _confirm_booking(request, pk, cancel=False)


def _confirm_booking(request: HttpRequest, pk: str, *, cancel: bool) -> HttpResponse:
    """Ask first (GET), then cancel the booking (kept, marked) or remove it (POST)."""
    booking = owned_or_404(Booking, _person(request), pk)
    if request.method == "POST":
        if cancel:
            services.cancel_booking(booking)
            messages.success(
                request, _("Marked as cancelled. It counts for nothing in the ledger.")
            )
        else:
            services.delete_booking(booking)
            messages.success(request, _("Booking removed."))
        return redirect("ledger:provider", pk=booking.provider_id)
    return render(
        request,
        "ledger/booking_confirm.html",
        {"nav": "ledger", "provider": booking.provider, "booking": booking, "cancel": cancel},
    )
