"""The check-up's forms. They only gather what was typed; the core checks it.

Every form keeps the person's input as typed and turns it into the case format; the
check itself is the core's (``api.parse_*``), whose messages :func:`add_core_errors` puts
next to the field each one names.
"""

from __future__ import annotations

from typing import Any, get_args

from django import forms
from django.utils.translation import gettext_lazy as _

from backbalance.core import api

ANSWERS = [("yes", _("Yes")), ("no", _("No")), ("unsure", _("Not sure"))]
# Labels for the core's sexes (api.Sex); a sex the core adds shows as its id until named.
SEX_LABELS = {
    "female": _("Female"),
    "male": _("Male"),
    "other": _("Other"),
    "not_stated": _("I would rather not say"),
}
SEXES = [(sex, SEX_LABELS.get(sex, sex)) for sex in get_args(api.Sex)]
WORK = [
    ("desk", _("Mostly sitting (desk, screen, driving)")),
    ("standing", _("Mostly standing or walking")),
    ("physical", _("Physical: lifting, carrying, bending")),
    ("mixed", _("A mix")),
    ("none", _("Not working at the moment")),
]
# Hours in a day: the form's own bound, not a clinical figure.
HOURS_IN_A_DAY = 24
IRRITABILITY = [
    ("low", _("Low: the pain comes on slowly and settles within minutes")),
    ("moderate", _("Moderate: somewhere in between")),
    ("high", _("High: a little movement sets it off, and it takes hours to settle")),
]
YES_NO = [("true", _("Yes")), ("false", _("No"))]
COULD_NOT_DO = [
    ("", _("I did it")),
    ("pain", _("I could not: pain stopped me")),
    ("too_hard", _("I could not: it was too hard")),
    ("other", _("I could not, for another reason")),
]
# Up to five activities for the functional scale (instruments.yaml psfs max_items).
PSFS_ROWS = 5


class ChoiceButtons(forms.RadioSelect):
    """Large yes / no / not sure buttons (the ``choices`` classes of app.css)."""

    template_name = "checkup/widgets/choice_buttons.html"


def add_core_errors(
    form: forms.Form, error: api.CaseError, field_for_path: dict[str, str], prefix: str
) -> None:
    """Each of the core's messages next to the field its dotted path names.

    A path is matched to the longest known path it starts with, so
    ``context.conditions.2`` lands on ``conditions``; a path with no field shows above
    the form.
    """
    for problem in error.errors:
        path = problem.path
        field = None
        for known in sorted(field_for_path, key=len, reverse=True):
            if path == known or path.startswith(known + "."):
                field = field_for_path[known]
                break
        message = problem.message
        if field is None:
            form.add_error(None, f"{path.removeprefix(prefix)}: {message}")
        elif field in form.fields:
            form.add_error(field, message)
        else:
            form.add_error(None, message)


def _int_or_raw(value: str | None) -> Any:
    """A whole number typed as one; anything else as typed, for the core to name."""
    if value is None or value.strip() == "":
        return None
    try:
        return int(value)
    except ValueError:
        try:
            return float(value)
        except ValueError:
            return value


# --------------------------------------------------------------------------- safety screen


class PersonForm(forms.Form):
    # A missing answer is named here in plain words; the core still checks every value
    # given (the age range, the allowed answers) with its own messages.
    age = forms.CharField(
        label=_("Your age in years"),
        error_messages={"required": _("Please give your age in years.")},
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    sex = forms.ChoiceField(
        label=_("Sex"),
        error_messages={"required": _("Please choose one; “I would rather not say” is fine.")},
        choices=SEXES,
        widget=ChoiceButtons,
        help_text=_("Some warning signs depend on age and sex, so the safety check needs them."),
    )

    def person(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"age": _int_or_raw(data.get("age")), "sex": data.get("sex") or None}

    def show_core_errors(self, error: api.CaseError) -> None:
        add_core_errors(self, error, {"person.age": "age", "person.sex": "sex"}, "person.")


class ScreenPageForm(forms.Form):
    """One page of safety questions, each answered yes, no or not sure."""

    def __init__(self, questions: tuple[Any, ...], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[question.id] = forms.ChoiceField(
                label=question.question,
                help_text=question.help or "",
                choices=ANSWERS,
                error_messages={
                    "required": _("Please answer: yes, no, or not sure if you cannot tell.")
                },
                widget=ChoiceButtons,
            )

    def answers(self) -> dict[str, Any]:
        return {q.id: self.cleaned_data[q.id] for q in self.questions if self.cleaned_data[q.id]}

    def show_core_errors(self, error: api.CaseError) -> None:
        paths = {f"screening.{q.id}": q.id for q in self.questions}
        add_core_errors(self, error, paths, "screening.")


# --------------------------------------------------------------------------- about you


class AboutForm(forms.Form):
    """The routine questions (the case's ``context``) and the pain questionnaires."""

    def __init__(
        self, content: api.Content, licensed: tuple[Any, ...], *args: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        movements = list(content.movements.values())
        self.fields["minutes_per_day"] = forms.CharField(
            label=_("Minutes a day you can give to exercise"),
            help_text=_("Most days, realistically."),
            required=False,
            widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        )
        self.fields["work"] = forms.ChoiceField(
            label=_("Your work, most days"),
            required=False,
            choices=WORK,
            widget=forms.RadioSelect,
        )
        self.fields["sitting_hours"] = forms.DecimalField(
            label=_("Hours you sit on a usual day, in all"),
            help_text=_("At work, travelling and at home together; a rough guess is fine."),
            required=False,
            min_value=0,
            max_value=HOURS_IN_A_DAY,
            decimal_places=1,
            widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.5"}),
        )
        self.fields["equipment"] = forms.MultipleChoiceField(
            label=_("What you have at home"),
            required=False,
            choices=[(e.id, e.name) for e in content.equipment.values() if not e.always_available],
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["conditions"] = forms.MultipleChoiceField(
            label=_("Health conditions that apply to you"),
            help_text=_("Tick every one that applies. Leave all empty if none do."),
            required=False,
            choices=[(c.id, c.name) for c in content.conditions.values()],
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["eases"] = forms.MultipleChoiceField(
            label=_("Movements or positions that ease your pain"),
            required=False,
            choices=[(m.id, m.label) for m in movements if m.can_ease],
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["worsens"] = forms.MultipleChoiceField(
            label=_("Movements or positions that make your pain worse"),
            required=False,
            choices=[(m.id, m.label) for m in movements],
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["irritability"] = forms.ChoiceField(
            label=_("How easily is your pain stirred up?"),
            required=False,
            choices=IRRITABILITY,
            widget=forms.RadioSelect,
        )
        nrs = content.instruments["pain_nrs"]
        for item in nrs.items:
            self.fields[f"pain_{item.id}"] = forms.CharField(
                label=item.text or item.id,
                help_text=_("0 = %(low)s, 10 = %(high)s")
                % {
                    "low": item.anchors.get(item.minimum, ""),
                    "high": item.anchors.get(item.maximum, ""),
                },
                required=False,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
        self.psfs = content.instruments["psfs"]
        for row in range(1, PSFS_ROWS + 1):
            self.fields[f"psfs_activity_{row}"] = forms.CharField(
                label=_("Activity %(row)s") % {"row": row},
                required=False,
                max_length=200,
            )
            self.fields[f"psfs_rating_{row}"] = forms.CharField(
                label=_("How well can you do it today? (0 to 10)"),
                required=False,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
        self.nrs_items = [item.id for item in nrs.items]
        # A licensed questionnaire, only when its licence holder's wording is installed
        # (services.shown_questionnaires); its items are answered by position.
        self.licensed = licensed
        for instrument in licensed:
            for number, item in enumerate(instrument.items, start=1):
                anchors = "; ".join(f"{k} = {v}" for k, v in sorted(item.anchors.items()))
                self.fields[f"q_{instrument.id}_{number}"] = forms.CharField(
                    label=item.text,
                    help_text=anchors,
                    required=False,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                )

    @staticmethod
    def initial_from(
        assessment_context: dict[str, Any] | None,
        questionnaires: dict[str, Any],
        day: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        initial: dict[str, Any] = {**(assessment_context or {}), **(day or {})}
        for item, value in (questionnaires.get("pain_nrs") or {}).items():
            initial[f"pain_{item}"] = value
        for row, entry in enumerate(questionnaires.get("psfs") or [], start=1):
            initial[f"psfs_activity_{row}"] = entry.get("activity")
            initial[f"psfs_rating_{row}"] = entry.get("rating")
        for name, answers in questionnaires.items():
            if isinstance(answers, list) and name != "psfs":
                for number, value in enumerate(answers, start=1):
                    initial[f"q_{name}_{number}"] = value
        return initial

    def context(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "minutes_per_day": _int_or_raw(data.get("minutes_per_day")),
            "equipment": list(data.get("equipment") or []),
            "irritability": data.get("irritability") or "moderate",
            "eases": list(data.get("eases") or []),
            "worsens": list(data.get("worsens") or []),
            "conditions": list(data.get("conditions") or []),
        }

    def day(self) -> dict[str, Any]:
        """Work and sitting: kept beside the case, for the person and their clinician."""
        data = self.cleaned_data
        return {"work": data.get("work") or "", "sitting_hours": data.get("sitting_hours")}

    def questionnaires(self) -> dict[str, Any]:
        data = self.cleaned_data
        nrs = {
            item: _int_or_raw(data.get(f"pain_{item}"))
            for item in self.nrs_items
            if _int_or_raw(data.get(f"pain_{item}")) is not None
        }
        psfs = []
        for row in range(1, PSFS_ROWS + 1):
            activity = (data.get(f"psfs_activity_{row}") or "").strip()
            rating = _int_or_raw(data.get(f"psfs_rating_{row}"))
            if activity or rating is not None:
                psfs.append({"activity": activity, "rating": rating})
        answers: dict[str, Any] = {"pain_nrs": nrs}
        if psfs:
            answers["psfs"] = psfs
        for instrument in self.licensed:
            given = [
                _int_or_raw(data.get(f"q_{instrument.id}_{number}"))
                for number in range(1, len(instrument.items) + 1)
            ]
            if any(value is not None for value in given):
                answers[instrument.id] = given
        self._psfs_rows = [
            row
            for row in range(1, PSFS_ROWS + 1)
            if (data.get(f"psfs_activity_{row}") or "").strip()
            or _int_or_raw(data.get(f"psfs_rating_{row}")) is not None
        ]
        return answers

    def show_core_errors(self, error: api.CaseError) -> None:
        paths = {
            f"context.{name}": name
            for name in self.fields
            if not name.startswith(("pain_", "psfs_", "q_"))
        }
        paths.update({f"questionnaires.pain_nrs.{item}": f"pain_{item}" for item in self.nrs_items})
        paths["questionnaires.pain_nrs"] = "pain_average"
        # The core numbers the activities given (1, 2, ...); map each back to its row.
        for position, row in enumerate(getattr(self, "_psfs_rows", []), start=1):
            paths[f"questionnaires.psfs.{position}.activity"] = f"psfs_activity_{row}"
            paths[f"questionnaires.psfs.{position}.rating"] = f"psfs_rating_{row}"
        paths["questionnaires.psfs"] = "psfs_activity_1"
        for instrument in self.licensed:
            paths[f"questionnaires.{instrument.id}"] = f"q_{instrument.id}_1"
            for number in range(1, len(instrument.items) + 1):
                paths[f"questionnaires.{instrument.id}.{number}"] = f"q_{instrument.id}_{number}"
        add_core_errors(self, error, paths, "")


# --------------------------------------------------------------------------- one self-test


def _field_key(side: str | None, field_id: str) -> str:
    return f"{side}__{field_id}" if side else field_id


class SelfTestForm(forms.Form):
    """One self-test: each recorded field, per side for a two-sided test.

    Field names are ``left__hold_s`` (per side) or ``hold_s``; "I could not do this" is
    ``left__could_not_do`` with its reason.
    """

    def __init__(self, test: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.test = test
        self.sides: list[str | None] = ["left", "right"] if test.per_side else [None]
        validity_fields = {check.field for check in test.validity}
        self.groups: list[dict[str, Any]] = []
        for side in self.sides:
            names = []
            for spec in test.record:
                name = _field_key(side, spec.id)
                label = spec.label + (
                    f" ({spec.unit})" if spec.unit and spec.unit not in spec.label else ""
                )
                if spec.kind == "number":
                    attrs = {"inputmode": "decimal", "step": "any"}
                    if spec.unit == "s":
                        attrs["data-stopwatch-field"] = "1"
                    field: forms.Field = forms.CharField(
                        label=label,
                        required=False,
                        help_text=spec.help or "",
                        widget=forms.NumberInput(attrs=attrs),
                    )
                elif spec.kind == "choice":
                    field = forms.ChoiceField(
                        label=label,
                        required=False,
                        help_text=spec.help or "",
                        choices=[(c.id, c.label) for c in spec.choices],
                        widget=forms.RadioSelect,
                    )
                else:
                    field = forms.ChoiceField(
                        label=label,
                        required=False,
                        help_text=spec.help or "",
                        choices=YES_NO,
                        widget=ChoiceButtons,
                    )
                field.is_validity = spec.id in validity_fields  # type: ignore[attr-defined]
                field.unit = spec.unit or ""  # type: ignore[attr-defined]
                self.fields[name] = field
                names.append(name)
            not_done = _field_key(side, "could_not_do")
            self.fields[not_done] = forms.ChoiceField(
                label=_("Could you do it?"),
                required=False,
                choices=COULD_NOT_DO,
                widget=forms.RadioSelect,
            )
            note = _field_key(side, "note")
            self.fields[note] = forms.CharField(
                label=_("A note, if you want one"),
                required=False,
                max_length=500,
            )
            self.groups.append(
                {"side": side, "fields": names, "could_not_do": not_done, "note": note}
            )

    @staticmethod
    def initial_from(test: Any, stored: dict[str, Any] | None) -> dict[str, Any]:
        if not stored:
            return {}
        initial: dict[str, Any] = {}
        readings = stored if not test.per_side else None
        for side in ["left", "right"] if test.per_side else [None]:
            reading = stored.get(side, {}) if side else readings or {}
            for key, value in reading.items():
                initial[_field_key(side, key)] = (
                    ("true" if value else "false") if isinstance(value, bool) else value
                )
        return initial

    def _reading(self, side: str | None) -> dict[str, Any] | None:
        data = self.cleaned_data
        reading: dict[str, Any] = {}
        reason = data.get(_field_key(side, "could_not_do"))
        if reason:
            reading["could_not_do"] = reason
        else:
            for spec in self.test.record:
                raw = data.get(_field_key(side, spec.id))
                if raw in (None, ""):
                    continue
                if spec.kind == "yes_no":
                    reading[spec.id] = {"true": True, "false": False}.get(raw, raw)
                elif spec.kind == "number":
                    reading[spec.id] = _int_or_raw(raw)
                else:
                    reading[spec.id] = raw
        note = (data.get(_field_key(side, "note")) or "").strip()
        if note:
            reading["note"] = note
        return reading or None

    def readings(self) -> dict[str, Any]:
        """The test's readings in the case format (``{"left": {...}, "right": {...}}``)."""
        if not self.test.per_side:
            return self._reading(None) or {}
        sides = {side: self._reading(side) for side in ("left", "right")}
        return {side: reading for side, reading in sides.items() if reading is not None}

    def show_core_errors(self, error: api.CaseError) -> None:
        base = f"tests.{self.test.id}"
        paths: dict[str, str] = {}
        for name in self.fields:
            side, _sep, field_id = name.rpartition("__")
            paths[f"{base}.{side}.{field_id}" if side else f"{base}.{field_id}"] = name
        for group in self.groups:
            if group["side"]:
                paths[f"{base}.{group['side']}"] = group["could_not_do"]
        add_core_errors(self, error, paths, f"{base}.")


class RetestForm(forms.Form):
    """Re-test the whole battery, or only the tests ticked."""

    scope = forms.ChoiceField(
        label=_("What would you like to re-test?"),
        choices=[
            ("all", _("All the self-tests again")),
            ("some", _("Only the tests I choose below")),
        ],
        widget=forms.RadioSelect,
        initial="all",
    )
    tests = forms.MultipleChoiceField(
        label=_("The tests to do again"),
        help_text=_("Ticked tests are done one a page, as before. The others can wait."),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, choices: list[tuple[str, str]], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tests = self.fields["tests"]
        assert isinstance(tests, forms.MultipleChoiceField)
        tests.choices = choices

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("scope") == "some" and not cleaned.get("tests"):
            self.add_error("tests", _("Tick at least one test, or choose to re-test all of them."))
        return cleaned

    def chosen(self) -> list[str]:
        """The tests chosen; an empty list means the whole battery."""
        if self.cleaned_data["scope"] == "all":
            return []
        return list(self.cleaned_data["tests"])
