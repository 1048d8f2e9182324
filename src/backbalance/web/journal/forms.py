"""The check-in and clinician-visit forms.

The check-in's safety questions come from the content (``api.check_in_questions``), one
field each, named ``safety_<question id>``. They are not required here on purpose: the core
checks that every one is answered and names the missing ones, so a missing answer gets the
engine's own message next to its question, and "not sure" is passed on as it is.

Someone checking in several times a day has usually none of these signs. After reading
them they may say so in one answer (``warning_signs`` = none), which stands for "no" on each
question they left untouched. It never changes an answer they gave: a "yes" or "not sure"
next to a question still counts, whatever the one answer says. While a sign stands (a
"yes" or "not sure" from the screen or an earlier check-in) that one answer is not offered
at all: each question is answered on its own, so a sign is never cleared in passing.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backbalance.core import api
from backbalance.web.common.bodymap import PainRegionField, PainSideField
from backbalance.web.common.content import content

SAFETY_PREFIX = "safety_"

ANSWERS = [("yes", _("Yes")), ("no", _("No")), ("unsure", _("Not sure"))]
NONE_OF_THESE = "none"
ANSWER_EACH = "each"
WARNING_SIGNS = [
    (NONE_OF_THESE, _("No, none of these")),
    (ANSWER_EACH, _("Yes, or I am not sure")),
]
SLEEP = [
    ("1", _("Very poor")),
    ("2", _("Poor")),
    ("3", _("All right")),
    ("4", _("Good")),
    ("5", _("Very good")),
]
ACTIVITIES = [
    ("routine", _("My routine")),
    ("walk", _("A walk")),
    ("device", _("A device")),
    ("appointment", _("An appointment")),
    ("rest", _("Rest")),
    ("work", _("Work")),
    ("sport", _("Sport or a long outing")),
]
# Hours in a day: the form's own bound, not a clinical figure.
HOURS_IN_A_DAY = 24


def safety_field_name(question_id: str) -> str:
    return f"{SAFETY_PREFIX}{question_id}"


class CheckInForm(forms.Form):
    pain_now = forms.TypedChoiceField(
        label=_("Pain right now"),
        coerce=int,
        widget=forms.RadioSelect,
    )
    # Tapped on the body map; each region is a labelled radio button, so it works with
    # a keyboard, a screen reader and without JavaScript.
    region = PainRegionField(required=False)
    side = PainSideField(required=False)
    warning_signs = forms.ChoiceField(
        label=_("Is any of these happening to you now?"),
        choices=WARNING_SIGNS,
        required=False,
        widget=forms.RadioSelect,
    )
    sleep_quality = forms.TypedChoiceField(
        label=_("How did you sleep last night?"),
        choices=SLEEP,
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
    )
    hours_sitting = forms.DecimalField(
        label=_("Hours sitting today, about"),
        min_value=0,
        max_value=HOURS_IN_A_DAY,
        max_digits=3,
        decimal_places=1,
        required=False,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )
    did = forms.MultipleChoiceField(
        label=_("What have you done today?"),
        choices=ACTIVITIES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("A note for yourself (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    client_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, signs_standing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if signs_standing:
            del self.fields["warning_signs"]
        scale = content().progression.scales.pain
        pain = self.fields["pain_now"]
        assert isinstance(pain, forms.TypedChoiceField)
        pain.choices = [(str(n), str(n)) for n in range(scale.minimum, scale.maximum + 1)]
        pain.error_messages = {
            "required": _("Choose how much it hurts right now, from %(low)s to %(high)s.")
            % {"low": scale.minimum, "high": scale.maximum},
            "invalid_choice": _("Choose a number from %(low)s to %(high)s.")
            % {"low": scale.minimum, "high": scale.maximum},
        }
        if not self.is_bound:
            # Made when the form is shown: the same form sent twice is stored once.
            self.initial.setdefault("client_token", uuid.uuid4())
        for question in api.check_in_questions(content().red_flags):
            field = forms.ChoiceField(
                # The short wording is the question asked; the full one from the screen and
                # its help stay one tap away (journal/_safety_question.html).
                label=question.check_in_wording or question.question,
                help_text=question.help or "",
                choices=ANSWERS,
                required=False,
                widget=forms.RadioSelect,
            )
            field.full_question = question.question  # type: ignore[attr-defined]
            self.fields[safety_field_name(question.id)] = field

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("side") and not cleaned.get("region"):
            self.add_error("region", _("Choose where it hurts, or clear the side."))
        elif cleaned.get("region") and not cleaned.get("side"):
            self.add_error("side", _("Choose which side it is on."))
        offered = "warning_signs" in self.fields
        if offered and not cleaned.get("warning_signs") and not self._answers_given(cleaned):
            self.add_error(
                "warning_signs",
                _("Say whether any of the warning signs is happening: none, or answer each one."),
            )
        return cleaned

    @staticmethod
    def _answers_given(cleaned: dict[str, Any]) -> dict[str, str]:
        return {
            name.removeprefix(SAFETY_PREFIX): value
            for name, value in cleaned.items()
            if name.startswith(SAFETY_PREFIX) and value
        }

    def safety_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(SAFETY_PREFIX)]

    def safety_answers(self) -> dict[str, str]:
        """The answers, by question id.

        An untouched question is "no" only when the person said none of the signs is
        happening; otherwise it is left out, so the core names it as missing instead of
        reading it as anything. A given answer always stands as it was given.
        """
        given = self._answers_given(self.cleaned_data)
        if self.cleaned_data.get("warning_signs") != NONE_OF_THESE:
            return given
        untouched = {
            name.removeprefix(SAFETY_PREFIX): "no"
            for name in self.fields
            if name.startswith(SAFETY_PREFIX)
        }
        return untouched | given

    def add_core_errors(self, error: api.InputError) -> None:
        """Show each of the core's problems next to the question it names."""
        for problem in error.errors:
            _prefix, _dot, question_id = problem.path.partition(".")
            field = safety_field_name(question_id)
            self.add_error(field if field in self.fields else None, problem.message)


class ClinicianVisitForm(forms.Form):
    seen_on = forms.DateField(
        label=_("When did a clinician see you?"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    note = forms.CharField(
        label=_("What did they say? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, screened_on: date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.screened_on = screened_on
        if not self.is_bound:
            self.initial.setdefault("seen_on", timezone.localdate())

    def clean_seen_on(self) -> date:
        seen_on: date = self.cleaned_data["seen_on"]
        if seen_on > timezone.localdate():
            raise forms.ValidationError(_("This date is still to come; record the visit after it."))
        if self.screened_on is not None and seen_on < self.screened_on:
            raise forms.ValidationError(
                _(
                    "This is before your safety questions (%(date)s); a visit then cannot "
                    "have covered what they raised."
                )
                % {"date": self.screened_on.isoformat()}
            )
        return seen_on
