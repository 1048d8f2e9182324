"""The session form (built from the routine shown) and the small answer forms.

The limits of every number come from the content's log scales (progression.yaml
``scales``) and from the routine's own doses, never from here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from backbalance.core import api
from backbalance.web.common.content import content
from backbalance.web.routine.services import ItemLog

# The core's next-morning scale (SessionLog.pain_next_morning), in the app's own words.
MORNING_CHOICES = [
    ("better", _("Better than usual")),
    ("same", _("About the same")),
    ("worse", _("A bit worse")),
    ("much_worse", _("Much worse")),
]
SIDE_ORDER = ("left", "right", "bilateral")


def _scale_field(label: Any, scale: Any, required: bool = True) -> forms.IntegerField:
    low, high = int(scale.minimum), int(scale.maximum)
    message = _("Choose a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}
    return forms.IntegerField(
        label=label,
        min_value=low,
        max_value=high,
        required=required,
        error_messages={
            "min_value": message,
            "max_value": message,
            "invalid": message,
            "required": _("Please give a number from %(low)s to %(high)s.")
            % {"low": low, "high": high},
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "scale-input"}),
    )


@dataclass(frozen=True)
class ItemFields:
    """The names of one routine item's fields in the session form."""

    index: int
    item: api.RoutineItem
    done: str
    sets: tuple[tuple[str, str], ...]  # (side, field name)
    pain: str
    effort: str
    reps: str | None


class SessionForm(forms.Form):
    """One whole session: every item of the routine shown, done or skipped."""

    client_token = forms.UUIDField(widget=forms.HiddenInput)
    items_key = forms.CharField(widget=forms.HiddenInput)
    started_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)
    new_symptoms = forms.BooleanField(
        required=False,
        label=_("Pain spread into a leg, or I felt new numbness or pins and needles"),
    )

    def __init__(self, routine: api.Routine, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scales = content().progression.scales
        self.routine = routine
        self.fields["usual_pain"] = _scale_field(_("Your usual pain these days"), scales.pain)
        self.item_fields: list[ItemFields] = []
        for n, item in enumerate(routine.items):
            prefix = f"item{n}_"
            self.fields[prefix + "done"] = forms.ChoiceField(
                label=_("Did you do it?"),
                choices=[("done", _("Done")), ("skipped", _("Skipped"))],
                initial="done",
                widget=forms.RadioSelect,
            )
            sets: list[tuple[str, str]] = []
            for side in SIDE_ORDER:
                dose = item.dose.get(side)
                if dose is None:
                    continue
                name = f"{prefix}sets_{side}"
                words = content().engine.messages.side_words
                self.fields[name] = forms.IntegerField(
                    label=str(words[side]).capitalize() if side in words else _("Sets"),
                    min_value=0,
                    max_value=dose.sets,
                    initial=dose.sets,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                    error_messages={
                        "max_value": _("At most %(n)s sets are planned here.") % {"n": dose.sets},
                        "min_value": _("Sets cannot be below zero."),
                    },
                )
                sets.append((side, name))
            self.fields[prefix + "pain"] = _scale_field(
                _("Pain during it"), scales.pain, required=False
            )
            self.fields[prefix + "effort"] = _scale_field(
                _("How hard it felt"), scales.effort, required=False
            )
            reps = None
            if any(d.reps is not None for d in item.dose.values()):
                reps = prefix + "reps"
                self.fields[reps] = forms.IntegerField(
                    label=_("Most repetitions in one set"),
                    min_value=0,
                    required=False,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                )
            self.item_fields.append(
                ItemFields(
                    n, item, prefix + "done", tuple(sets), prefix + "pain", prefix + "effort", reps
                )
            )
        self.fields["items_key"].initial = self.expected_key

    @property
    def expected_key(self) -> str:
        return ",".join(item.exercise for item in self.routine.items)

    def clean_items_key(self) -> str:
        key: str = self.cleaned_data["items_key"]
        if key != self.expected_key:
            raise forms.ValidationError(
                _(
                    "Your routine changed since this session started. Nothing was saved; "
                    "please look at today's routine again."
                )
            )
        return key

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for fields in self.item_fields:
            if cleaned.get(fields.done) != "done":
                continue
            for name in (fields.pain, fields.effort):
                if cleaned.get(name) is None and name not in self.errors:
                    self.add_error(name, _("Please give a number for an item you did."))
        return cleaned

    def item_logs(self) -> list[ItemLog]:
        data = self.cleaned_data
        logs: list[ItemLog] = []
        for fields in self.item_fields:
            done = data[fields.done] == "done"
            logs.append(
                ItemLog(
                    exercise=fields.item.exercise,
                    done=done,
                    sets={side: data[name] for side, name in fields.sets},
                    pain_during=data[fields.pain] if done else None,
                    effort=data[fields.effort] if done else None,
                    reps_done=data.get(fields.reps) if fields.reps else None,
                )
            )
        return logs

    def bound(self, names: Sequence[str]) -> list[forms.BoundField]:
        return [self[name] for name in names]


class MorningForm(forms.Form):
    pain_next_morning = forms.ChoiceField(
        label=_("How was your back the morning after?"),
        choices=MORNING_CHOICES,
        widget=forms.RadioSelect,
    )


class ProposalForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Yes")), ("decline", _("Not now"))])
