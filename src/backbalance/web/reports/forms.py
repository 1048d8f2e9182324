"""The report's choices (dates and sections) and the calendar's reminder time."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backbalance.web.reports.services import SECTIONS

# The report covers the last ten weeks unless the person chooses: the same stretch as the
# progress page. A display choice.
DEFAULT_WEEKS = 10
# The longest range one report covers: the page stays readable and its work bounded.
LONGEST_DAYS = 3 * 366

SECTION_LABELS = {
    "findings": _("Findings with their evidence"),
    "body_map": _("Body map"),
    "imbalances": _("Main imbalances"),
    "routine": _("Current routine"),
    "adherence": _("Sessions per week"),
    "trends": _("Pain trend"),
    "devices": _("Devices"),
    "ledger": _("Therapist visits"),
}


class DateInput(forms.DateInput):
    input_type = "date"


def default_range(today: date | None = None) -> tuple[date, date]:
    last = today or timezone.localdate()
    return last - timedelta(weeks=DEFAULT_WEEKS) + timedelta(days=1), last


class ReportForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DateInput)
    end = forms.DateField(label=_("To"), widget=DateInput)
    sections = forms.MultipleChoiceField(
        label=_("What to include"),
        help_text=_("Your safety answers are always at the top."),
        choices=[(key, SECTION_LABELS[key]) for key in SECTIONS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, data: Any = None, *, sections: tuple[str, ...] = SECTIONS) -> None:
        first, last = default_range()
        super().__init__(data, initial={"start": first, "end": last, "sections": list(sections)})
        field = self.fields["sections"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(key, SECTION_LABELS[key]) for key in sections]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        today = timezone.localdate()
        if end is not None and end > today:
            self.add_error("end", _("The report cannot end after today."))
        elif start is not None and end is not None:
            if end < start:
                self.add_error("end", _("The end date is before the start date."))
            elif (end - start).days > LONGEST_DAYS:
                self.add_error(
                    "start", _("One report covers at most three years; choose a later start.")
                )
        return cleaned


class ReminderTimeForm(forms.Form):
    routine_time = forms.TimeField(
        label=_("Remind me of the routine at"),
        help_text=_("The reminder sits at this time on each day of your routine."),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
