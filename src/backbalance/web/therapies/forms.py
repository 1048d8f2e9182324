"""The session log form: what was done on a device, and how it went.

The limits of each value come from the protocol stage (``services.session_caps``); the form
shows them as help next to each field, and the service refuses a value above them
(``services.check_session``, the check an imported file's sessions go through as well).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from backbalance.web.common.content import content
from backbalance.web.therapies.services import Cap, zero_problem

YES_NO = [("yes", _("Yes, it went well")), ("no", _("No, a stop sign came up or it hurt more"))]

FIELD_LABELS = {
    "angle_deg": _("Angle past flat, in degrees"),
    "minutes": _("Whole session, in minutes"),
    "frequency_hz": _("Frequency, in Hz"),
    "bouts": _("Number of bouts"),
    "bout_seconds": _("Length of each bout, in seconds"),
}


def _pain_range() -> tuple[int, int]:
    """The 0-to-10 pain rating's ends, from the pain rating in the content."""
    item = content().instruments["pain_nrs"].items[0]
    return int(item.minimum), int(item.maximum)


class SessionForm(forms.Form):
    def __init__(self, device_fields: list[str], caps: dict[str, Cap], *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        low, high = _pain_range()
        for name in device_fields:
            if name == "minutes":
                field: forms.Field = forms.DecimalField(
                    label=FIELD_LABELS[name], max_digits=4, decimal_places=1, min_value=0
                )
            else:
                field = forms.IntegerField(label=FIELD_LABELS[name], min_value=0)
            cap = caps.get(name)
            if cap is not None:
                field.help_text = _("Limit at this stage: %(value)s %(unit)s.") % {
                    "value": f"{cap.value:g}",
                    "unit": cap.unit,
                }
            field.widget.attrs.update({"inputmode": "decimal" if name == "minutes" else "numeric"})
            self.fields[name] = field
        for name, label in (
            ("pain_before", _("Back pain before, from %(low)d (none) to %(high)d (worst)")),
            ("pain_after", _("Back pain after, from %(low)d (none) to %(high)d (worst)")),
        ):
            text = label % {"low": low, "high": high}
            out_of_range = _("Enter a whole number from %(low)d to %(high)d.") % {
                "low": low,
                "high": high,
            }
            self.fields[name] = forms.IntegerField(
                label=text,
                min_value=low,
                max_value=high,
                error_messages={
                    "min_value": out_of_range,
                    "max_value": out_of_range,
                    "invalid": out_of_range,
                },
            )
            self.fields[name].widget.attrs.update({"inputmode": "numeric"})
        self.fields["tolerated"] = forms.ChoiceField(
            label=_("Did it go well?"), choices=YES_NO, widget=forms.RadioSelect
        )
        self.fields["note"] = forms.CharField(
            label=_("Note (optional)"),
            required=False,
            max_length=500,
            widget=forms.Textarea(attrs={"rows": 2}),
        )

    def clean_minutes(self) -> Any:
        minutes = self.cleaned_data.get("minutes")
        # The same rule the service (and an imported file) is held to, in one place.
        problem = zero_problem("minutes", minutes)
        if problem is not None:
            raise forms.ValidationError(problem)
        return minutes

    def values(self) -> dict[str, Any]:
        """The values that read, in the model's terms (all of them once the form is valid)."""
        data = dict(getattr(self, "cleaned_data", {}))
        data["tolerated"] = data.get("tolerated") == "yes"
        return data


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("forward", "forward"), ("back", "back")])
