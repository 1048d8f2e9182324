"""The ledger's forms: a therapist, one visit with its good-appointment checklist, and an
appointment booked ahead (what is known before it: no pain, no checklist).

The ranges of the pain ratings come from the content's pain rating; the core reads every
visit again before it is stored (``services.save_visit``) and its own messages are shown
next to the field they name.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from backbalance.web.common.content import content
from backbalance.web.ledger.models import (
    CHECKLIST,
    KINDS,
    LONGEST_BOOKING_MINUTES,
    SHORTEST_BOOKING_MINUTES,
    Booking,
    Visit,
)

# Yes, no, or not recorded: an item left out says nothing about the therapist.
_CHECK_CHOICES = [("yes", _("Yes")), ("no", _("No")), ("", _("Not sure, or did not note it"))]
_AS_CHOICE = {True: "yes", False: "no", None: ""}
_FROM_CHOICE = {"yes": True, "no": False, "": None}


def _not_after_today(value: date | None) -> None:
    if value is not None and value > timezone.localdate():
        raise forms.ValidationError(
            _("This date is after today. Note a visit once it has happened.")
        )


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProviderForm(forms.Form):
    name = forms.CharField(label=_("Name of the therapist or practice"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of therapy"), choices=KINDS)
    episode_started = forms.DateField(
        label=_("When did this bout of back pain begin? (optional)"),
        help_text=_(
            "Early in a bout, back pain often eases on its own; the verdict takes it into account."
        ),
        required=False,
        widget=_date_input(),
        validators=[_not_after_today],
    )


def _pain_range() -> tuple[int, int]:
    instrument = content().instruments[content().outcomes.measures["pain"]]
    low, high = instrument.score_range
    return int(low), int(high)


class VisitForm(forms.Form):
    def __init__(self, *args: Any, visit: Visit | None = None, **kwargs: Any) -> None:
        if visit is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_from(visit)
        super().__init__(*args, **kwargs)
        low, high = _pain_range()
        self.fields["date"] = forms.DateField(
            label=_("Date of the visit"), widget=_date_input(), validators=[_not_after_today]
        )
        self.fields["cost"] = forms.DecimalField(
            label=_("What it cost"), min_value=0, max_digits=10, decimal_places=2
        )
        self.fields["reimbursed"] = forms.DecimalField(
            label=_("Paid back to you (insurance, employer)"),
            min_value=0,
            max_digits=10,
            decimal_places=2,
            initial=0,
        )
        self.fields["currency"] = forms.CharField(
            label=_("Currency (optional)"), max_length=8, required=False
        )
        pain_words = {
            "pain_before": _("Back pain before the visit"),
            "pain_after": _("Back pain just after (optional)"),
            "pain_next_day": _("Back pain the next day (optional)"),
        }
        out_of_range = _("Enter a number from %(low)d to %(high)d, halves are fine.") % {
            "low": low,
            "high": high,
        }
        for name, label in pain_words.items():
            self.fields[name] = forms.DecimalField(
                label=label,
                help_text=_("From %(low)d (none) to %(high)d (worst)") % {"low": low, "high": high},
                min_value=low,
                max_value=high,
                max_digits=3,
                decimal_places=1,
                required=name == "pain_before",
                error_messages={
                    "min_value": out_of_range,
                    "max_value": out_of_range,
                    "invalid": out_of_range,
                    "max_decimal_places": out_of_range,
                    "max_digits": out_of_range,
                },
            )
            self.fields[name].widget.attrs.update({"inputmode": "decimal", "step": "0.5"})
        for name in ("cost", "reimbursed"):
            self.fields[name].widget.attrs.update({"inputmode": "decimal", "step": "0.01"})
        checklist = {str(item): wording for item, wording in content().outcomes.checklist.items()}
        for item in CHECKLIST:
            self.fields[item] = forms.ChoiceField(
                label=checklist[item].label,
                choices=_CHECK_CHOICES,
                required=False,
                widget=forms.RadioSelect,
            )
        self.fields["notes"] = forms.CharField(
            label=_("Notes (optional)"),
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 3}),
        )

    def values(self) -> dict[str, Any]:
        """The cleaned values in the model's terms."""
        data = dict(self.cleaned_data)
        for item in CHECKLIST:
            data[item] = _FROM_CHOICE.get(data.get(item) or "")
        if data.get("reimbursed") is None:
            data["reimbursed"] = 0
        return data


# The form's own field is called ``date``: the type under another name.
_Day = date

_LENGTH_RANGE = format_lazy(
    _("Enter a whole number of minutes from {shortest} to {longest}."),
    shortest=SHORTEST_BOOKING_MINUTES,
    longest=LONGEST_BOOKING_MINUTES,
)


class BookingForm(forms.Form):
    """An appointment still to come. A day that has passed is refused: an appointment that
    happened is noted as a visit, with the pain around it."""

    date = forms.DateField(label=_("Date of the appointment"), widget=_date_input())
    time = forms.TimeField(
        label=_("Time (optional)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    length_minutes = forms.IntegerField(
        label=_("How long, in minutes (optional)"),
        help_text=_("For example 45, so your calendar can show when it ends. It needs a time."),
        required=False,
        min_value=SHORTEST_BOOKING_MINUTES,
        max_value=LONGEST_BOOKING_MINUTES,
        error_messages={key: _LENGTH_RANGE for key in ("invalid", "min_value", "max_value")},
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": "1"}),
    )
    cost = forms.DecimalField(
        label=_("What it will cost, if you know (optional)"),
        min_value=0,
        max_digits=10,
        decimal_places=2,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )
    currency = forms.CharField(label=_("Currency (optional)"), max_length=8, required=False)
    notes = forms.CharField(
        label=_("Notes (optional)"),
        help_text=_("For example what to bring, or what to ask."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, booking: Booking | None = None, **kwargs: Any) -> None:
        if booking is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                name: getattr(booking, name)
                for name in ("date", "time", "length_minutes", "cost", "currency", "notes")
            }
        super().__init__(*args, **kwargs)
        self.booking = booking

    def clean_date(self) -> _Day:
        day: _Day = self.cleaned_data["date"]
        # A booking already stored may keep its own day when other details change.
        unchanged = self.booking is not None and day == self.booking.date
        if day < timezone.localdate() and not unchanged:
            raise forms.ValidationError(
                _(
                    "This date has passed. Book a day from today on; an appointment you "
                    "have had is noted as a visit."
                )
            )
        return day

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # Only when the time was read and left empty: a time typed wrong has its own message.
        no_time = "time" in cleaned and cleaned["time"] is None
        if cleaned.get("length_minutes") is not None and no_time:
            self.add_error(
                "length_minutes",
                _("A length needs a start time. Add the time, or leave the length empty."),
            )
        return cleaned


def initial_from_booking(booking: Booking) -> dict[str, Any]:
    """A visit form filled with what the booking knew: its day, price and notes."""
    return {
        "date": booking.date,
        "cost": booking.cost,
        "currency": booking.currency,
        "notes": booking.notes,
    }


def initial_from(visit: Visit) -> dict[str, Any]:
    initial: dict[str, Any] = {
        name: getattr(visit, name)
        for name in (
            "date",
            "cost",
            "reimbursed",
            "currency",
            "pain_before",
            "pain_after",
            "pain_next_day",
            "notes",
        )
    }
    for item in CHECKLIST:
        initial[item] = _AS_CHOICE[getattr(visit, item)]
    return initial
