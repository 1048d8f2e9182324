"""Typed models of the message templates: every sentence the core and the pages show.

The wording lives in the content so the text output, a web page and a PDF share it, and a
translation can be added beside it later. Each model lists, per message, the placeholders
the code fills (``PLACEHOLDERS``); a template that uses any other one fails the content
check, so a misspelt ``{tset}`` can never reach a page. Filling is done by
:func:`backbalance.content.wording.fill`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields
from typing import TYPE_CHECKING, Annotated, ClassVar, ForwardRef, Literal, TypeAlias, get_args

from backbalance.content.vocabulary import ChangeVerdict, Confidence, Level, Status
from backbalance.content.wording import unknown_placeholders

if TYPE_CHECKING:
    from dataclasses import dataclass as content_class

    from pydantic import ConfigDict, Field
else:
    # The same classes, made without generating code for each (see frozen.py).
    from backbalance.content.frozen import content_class

Text: TypeAlias = "Annotated[str, Field(min_length=3)]"
if not TYPE_CHECKING:
    Text = ForwardRef(Text)  # kept unevaluated, as in schema.py
LeftOutWhy = Literal["safety", "time", "list_full"]
PageTitle = Literal["emergency", "results", "plan"]
Heading = Literal[
    "questionnaires",
    "self_tests",
    "main_imbalances",
    "muscle_table",
    "numbers",
    "other_signs",
    "notes",
    "extras",
]
Label = Literal[
    "why",
    "read_before",
    "not_offered_list",
    "based_on",
    "your_week",
    "steps",
    "common_mistakes",
    "stop_if",
    "limits",
    "write_down",
    "left",
    "right",
    "rest_day",
    "no_kit",
    "every_day",
    "once",
    "both_sides",
    "one_side_at_a_time",
]
Who = Literal["solo", "partner", "solo_or_partner"]


@content_class(frozen=True, kw_only=True)
class Wording:
    """A set of templates; ``PLACEHOLDERS`` names, per field, what the code fills in."""

    # Read by pydantic when the content is checked: an unknown key is an error.
    __pydantic_config__: ClassVar[ConfigDict] = {"extra": "forbid"}
    PLACEHOLDERS: ClassVar[dict[str, frozenset[str]]] = {}

    def __post_init__(self) -> None:
        self._known_placeholders()

    def _known_placeholders(self) -> None:
        for one in fields(self):
            name, value = one.name, getattr(self, one.name)
            if isinstance(value, str):
                texts: list[str] = [value]
            elif isinstance(value, dict):
                texts = [str(v) for v in value.values()]
            elif isinstance(value, list | tuple):
                texts = [str(v) for v in value]
            else:
                continue  # a nested Wording checks itself
            unknown = unknown_placeholders(texts, self.PLACEHOLDERS.get(name, frozenset()))
            if unknown:
                raise ValueError(f"{name}: unknown placeholders {unknown}")


@content_class(frozen=True, kw_only=True)
class ResultMessages(Wording):
    """Notes on a whole result (core/engine.py, core/patterns.py)."""

    PLACEHOLDERS: ClassVar[dict[str, frozenset[str]]] = {
        "no_clear_imbalance": frozenset({"retest_weeks"}),
        "two_ways": frozenset({"first", "second", "stronger"}),
        "finding_on_side": frozenset({"name", "status", "side"}),
        "finding_on_both_sides": frozenset({"name", "status"}),
        "sign_on_side": frozenset({"name", "side"}),
        "sign_on_both_sides": frozenset({"name"}),
    }
    urgent: Text
    # Says only that there are no results; each adapter adds how to find the tests.
    no_tests: Text
    no_clear_imbalance: Text
    no_context: Text
    two_ways: Text
    # How a finding or a sign is named among what a pattern or an imbalance is based on.
    finding_on_side: Text
    finding_on_both_sides: Text
    sign_on_side: Text
    sign_on_both_sides: Text


@content_class(frozen=True, kw_only=True)
class AssessmentMessages(Wording):
    """What a reading, a finding or a measure says about itself (core/assessment.py)."""

    PLACEHOLDERS: ClassVar[dict[str, frozenset[str]]] = {
        "test_on_side": frozenset({"test", "side"}),
        "test_not_offered": frozenset({"test", "why"}),
        "painful_test": frozenset({"where"}),
        "nothing_unusual": frozenset({"test"}),
        "not_judged": frozenset({"why"}),
        "no_norm_for_your_sex": frozenset({"test"}),
        "no_norm_sex_not_given": frozenset({"test"}),
        "norms_cover_other_ages": frozenset({"ages", "age"}),
        "age_span": frozenset({"low", "high"}),
        "not_judged_for_age_or_sex": frozenset({"test", "why"}),
        "left_against_right": frozenset({"test"}),
        "one_side_not_counted": frozenset({"side"}),
        "ratio_reading_not_counted": frozenset({"tests"}),
        "found_by": frozenset({"tests"}),
        "tests_disagree_short_and_loose": frozenset({"tests"}),
        "tests_disagree_outweighed": frozenset({"found", "not_found"}),
        "test_disagrees": frozenset({"tests"}),
        "looked_normal": frozenset({"checked", "tests"}),
        "tell_clinician": frozenset({"sign", "meaning"}),
        "tell_clinician_on_side": frozenset({"sign", "side", "meaning"}),
    }
    test_on_side: Text
    test_not_offered: Text
    could_not_do_points_to_weakness: Text
    painful_test: Text
    why_painful: Text
    why_could_not_be_done: Text
    why_not_done: Text
    nothing_unusual: Text
    not_judged: Text
    no_norm_for_your_sex: Text
    no_norm_sex_not_given: Text
    norms_differ_by_sex: Text
    norms_cover_other_ages: Text
    age_span: Text
    no_norms_for_your_sex: Text
    not_judged_for_age_or_sex: Text
    left_against_right: Text
    neither_side_counted: Text
    one_side_not_counted: Text
    only_one_side: Text
    ratio_reading_not_counted: Text
    ratio_reading_missing: Text
    found_by: Text
    tests_agree: Text
    tests_disagree_short_and_loose: Text
    tests_disagree_outweighed: Text
    test_disagrees: Text
    looked_normal: Text
    checked_length: Text
    checked_strength: Text
    tell_clinician: Text
    tell_clinician_on_side: Text


@content_class(frozen=True, kw_only=True)
class RetestWording(Wording):
    """How a re-test reads against the check-up before it (core/retest.py verdicts)."""

    PLACEHOLDERS: ClassVar[dict[str, frozenset[str]]] = {
        "measuring_error": frozenset({"error", "unit"}),
    }
    # One short word or phrase per verdict; checked complete below.
    verdicts: dict[ChangeVerdict, Text]
    # How readings are judged at all, said once above them.
    how_judged: Text
    # Under a reading judged against its test's measurement error.
    measuring_error: Text
    # Under a reading that moved on a test with no known measurement error: it must not
    # claim the move is beyond the error, nor that it is within it.
    no_known_error: Text
    # Under a muscle group whose status flipped while every reading behind it stayed
    # within its test's measurement error (the "within_error" verdict).
    finding_within_error: Text
    # Under a muscle group called better or worse with no reading behind it weighed
    # against a measurement error: the verdict rests on the status alone.
    finding_error_unknown: Text

    def __post_init__(self) -> None:
        super().__post_init__()
        self._every_verdict()

    def _every_verdict(self) -> None:
        if set(self.verdicts) != set(get_args(ChangeVerdict)):
            raise ValueError(f"verdicts needs exactly {sorted(get_args(ChangeVerdict))}")


@content_class(frozen=True, kw_only=True)
class PageMessages(Wording):
    """Titles and sentences every page (text, web, PDF) shows the same way."""

    PLACEHOLDERS: ClassVar[dict[str, frozenset[str]]] = {
        "keep_in_mind": frozenset({"caveat"}),
        "take_care": frozenset({"caution"}),
        "offered_count": frozenset({"offered", "total"}),
        "none_offered": frozenset({"why"}),
        "not_offered_now": frozenset({"why"}),
        "cannot_judge_without": frozenset({"what"}),
        "checked_instead_by": frozenset({"tests"}),
        "planned_for": frozenset({"minutes", "busiest"}),
        "retest_on": frozenset({"date", "expect_change"}),
        "only_after_approval": frozenset({"note"}),
        "your_reading": frozenset({"readings"}),
        "reference": frozenset({"references"}),
        "target_about": frozenset({"value"}),
        "flagged_when": frozenset({"comparison", "value"}),
        "healthy_average": frozenset({"value"}),
        "healthy_average_for": frozenset({"whom", "value"}),
        "gap_counts": frozenset({"value"}),
        "beyond_variation": frozenset({"value"}),
        "case_line": frozenset({"case"}),
        "versions": frozenset({"engine", "content"}),
        "routine_heading": frozenset({"phase"}),
        "score_line": frozenset({"name", "value", "low", "high", "band", "items"}),
        "score_not_scored": frozenset({"name", "note"}),
        "on_side": frozenset({"side"}),
        "both_sides_cell": frozenset({"status"}),
        "day_name": frozenset({"number"}),
        "days_a_week": frozenset({"count"}),
        "times": frozenset({"count"}),
        "minutes": frozenset({"count"}),
        "seconds": frozenset({"count"}),
        "dose_activity": frozenset({"time", "activity", "bouts"}),
        "dose_reps_hold": frozenset({"sets", "reps", "hold"}),
        "dose_reps": frozenset({"sets", "reps"}),
        "dose_hold": frozenset({"sets", "hold"}),
        "item_line": frozenset({"number", "name", "kind", "times", "minutes"}),
        "amount_reps": frozenset({"reps"}),
        "amount_hold": frozenset({"hold"}),
        "amount_reps_hold": frozenset({"reps", "hold"}),
        "amount_activity": frozenset({"time", "activity"}),
        "kind_and_level": frozenset({"kind", "level", "targets"}),
        "works_line": frozenset({"muscle", "action"}),
        "equipment": frozenset({"kit"}),
        "usual_dose": frozenset({"sets", "amount", "rest", "per_week"}),
        "should_feel": frozenset({"feel"}),
        "not_offered_with": frozenset({"conditions"}),
        "care_with": frozenset({"condition", "note"}),
        "easier": frozenset({"exercise"}),
        "harder": frozenset({"exercise"}),
        "extra_time": frozenset({"purpose", "time"}),
        "extra_kit": frozenset({"kit", "evidence"}),
        "extra_evidence": frozenset({"words", "evidence"}),
        "offered_tests_count": frozenset({"offered", "total"}),
        "take_care_with": frozenset({"condition", "note"}),
        "who_and_kit": frozenset({"who", "kit"}),
        "sides_meaning": frozenset({"meaning"}),
        "what_it_means": frozenset({"meaning"}),
        "how_reliable": frozenset({"words"}),
        "for_clinicians": frozenset({"summary"}),
        "library_line": frozenset({"level", "sides", "gentle"}),
        "library_heading": frozenset({"kind", "count"}),
        "finding_cell": frozenset({"status", "confidence"}),
        "device_row": frozenset({"name", "verdict"}),
        "device_verdict": frozenset({"name", "verdict"}),
        "device_stage": frozenset({"name", "when", "say"}),
        "device_setting": frozenset({"label", "value", "unit"}),
        "device_limit": frozenset({"label", "value", "unit"}),
        "device_stop_rule": frozenset({"symptoms", "action"}),
    }

    level_titles: dict[Level, Text]
    left_out_headings: dict[LeftOutWhy, Text]
    none_named: Text
    keep_in_mind: Text
    take_care: Text
    offered_count: Text
    none_offered: Text
    not_offered_now: Text
    cannot_judge_without: Text
    checked_instead_by: Text
    unsure_find_out: Text
    planned_for: Text
    retest_on: Text
    no_routine_answers: Text
    only_after_approval: Text
    not_scored: Text
    not_worked_out: Text
    your_reading: Text
    flagged: Text
    not_flagged: Text
    not_judged_alone: Text
    reference: Text
    target_about: Text
    flagged_when: Text
    healthy_average: Text
    healthy_average_for: Text
    gap_counts: Text
    beyond_variation: Text
    comparison_words: dict[Literal["gt", "ge", "lt", "le"], Text]
    sex_words: dict[str, Text]
    titles: dict[PageTitle, Text]
    case_line: Text
    versions: Text
    headings: dict[Heading, Text]
    routine_heading: Text
    labels: dict[Label, Text]
    score_line: Text
    score_not_scored: Text
    on_side: Text
    both_sides_cell: Text
    finding_cell: Text
    day_name: Text
    days_a_week: Text
    times: Text
    minutes_one: Text
    minutes: Text
    seconds: Text
    dose_activity: Text
    dose_reps_hold: Text
    dose_reps: Text
    dose_hold: Text
    item_line: Text
    amount_reps: Text
    amount_hold: Text
    amount_reps_hold: Text
    amount_activity: Text
    kind_and_level: Text
    works_line: Text
    equipment: Text
    usual_dose: Text
    should_feel: Text
    not_offered_with: Text
    care_with: Text
    easier: Text
    harder: Text
    # Keyed by the content's action ids; checked complete below.
    action_words: dict[str, Text]
    extra_time: Text
    extra_kit: Text
    extra_evidence: Text
    # A device on the comparison page: its verdict, stages, settings, limits, stop rules.
    device_row: Text
    device_verdict: Text
    device_stage: Text
    device_setting: Text
    device_limit: Text
    device_stop_rule: Text
    offered_tests_count: Text
    not_in_a_flare: Text
    take_care_with: Text
    who_and_kit: Text
    who_words: dict[Who, Text]
    sides_meaning: Text
    could_not_do: Text
    what_it_means: Text
    how_reliable: Text
    reliability_words: dict[Confidence, Text]
    for_clinicians: Text
    # A unit not listed is shown as the content writes it.
    unit_words: dict[str, Text]
    library_line: Text
    library_heading: Text
    gentle_mark: Annotated[str, Field(min_length=1)]

    def __post_init__(self) -> None:
        super().__post_init__()
        self._complete()

    def _complete(self) -> None:
        # Imported here: schema_program imports this module for its own messages.
        from backbalance.content.schema_program import Action

        for name, words, ids in (
            ("titles", self.titles, get_args(PageTitle)),
            ("headings", self.headings, get_args(Heading)),
            ("labels", self.labels, get_args(Label)),
            ("who_words", self.who_words, get_args(Who)),
            ("reliability_words", self.reliability_words, get_args(Confidence)),
            ("action_words", self.action_words, get_args(Action)),
        ):
            if set(words) != set(ids):
                raise ValueError(f"{name} needs exactly {sorted(ids)}")
        if set(self.level_titles) != {"emergency", "urgent", "routine", "none"}:
            raise ValueError("level_titles needs emergency, urgent, routine and none")
        if set(self.left_out_headings) != {"safety", "time", "list_full"}:
            raise ValueError("left_out_headings needs safety, time and list_full")
        if set(self.comparison_words) != {"gt", "ge", "lt", "le"}:
            raise ValueError("comparison_words needs gt, ge, lt and le")
        if set(self.sex_words) != {"female", "male"}:
            raise ValueError("sex_words needs female and male")


@content_class(frozen=True, kw_only=True)
class GateWording(Wording):
    """Why an exercise or a self-test is held back (core/gates.py)."""

    PLACEHOLDERS: ClassVar[dict[str, frozenset[str]]] = {
        "not_safe_with": frozenset({"conditions"}),
        "gentle_exercises_only": frozenset({"because"}),
        "gentle_tests_only": frozenset({"because"}),
        "loose_muscle": frozenset({"muscles"}),
        "worse_direction": frozenset({"directions"}),
        "worse_position": frozenset({"position"}),
        "not_in_phase": frozenset({"phase", "kind"}),
        "needs_kit": frozenset({"kit"}),
    }
    no_exercise_until_seen: Text
    no_self_test_until_seen: Text
    no_self_tests_until_doctor: Text
    not_safe_with: Text
    gentle_exercises_only: Text
    gentle_tests_only: Text
    gentle_because: dict[Literal["urgent", "calm_phase", "flare_up"], Text]
    loose_muscle: Text
    worse_direction: Text
    worse_position: Text
    not_in_phase: Text
    needs_kit: Text
    self_tests_phase: Text
    # Keyed by the content's direction and position ids; the content check makes sure
    # every id the exercises and movements use has its words.
    direction_words: dict[str, Text]
    position_words: dict[str, Text]
    aspect_words: dict[str, Text]

    def __post_init__(self) -> None:
        super().__post_init__()
        self._complete()

    def _complete(self) -> None:
        if set(self.gentle_because) != {"urgent", "calm_phase", "flare_up"}:
            raise ValueError("gentle_because needs urgent, calm_phase and flare_up")
        if set(self.aspect_words) != {"length", "strength"}:
            raise ValueError("aspect_words needs length and strength")
        # Imported here: schema_program imports this module for its own messages.
        from backbalance.content.schema_program import Direction, Position

        for name, words, ids in (
            ("direction_words", self.direction_words, set(get_args(Direction))),
            ("position_words", self.position_words, set(get_args(Position))),
        ):
            if set(words) != ids:
                raise ValueError(f"{name} needs exactly {sorted(ids)}")


@content_class(frozen=True, kw_only=True)
class Joiners(Wording):
    """The words that join names in a list; the code puts a space on either side."""

    and_word: Annotated[str, Field(min_length=1)]
    or_word: Annotated[str, Field(min_length=1)]
    and_the: Annotated[str, Field(min_length=1)]
    compared_with: Annotated[str, Field(min_length=1)]

    def join(self, word: str, names: Iterable[str]) -> str:
        """The names joined by one of these words: ``join(self.and_word, ["A", "B"])``."""
        return f" {word} ".join(names)


@content_class(frozen=True, kw_only=True)
class EngineMessages:
    # Read by pydantic when the content is checked: an unknown key is an error.
    __pydantic_config__: ClassVar[ConfigDict] = {"extra": "forbid"}
    joiners: Joiners
    side_words: dict[str, Text]
    status_words: dict[Status, Text]
    # Keyed by the content's exercise kinds; checked complete below.
    kind_words: dict[str, Text]
    result: ResultMessages
    assessment: AssessmentMessages
    retest: RetestWording
    pages: PageMessages
    gates: GateWording

    def __post_init__(self) -> None:
        self._both_sides()
        self._every_status_and_kind()

    def _both_sides(self) -> None:
        if set(self.side_words) != {"left", "right"}:
            raise ValueError("side_words needs left and right")

    def _every_status_and_kind(self) -> None:
        # Imported here: schema_program imports this module for its own messages.
        from backbalance.content.schema_program import ExerciseKind

        for name, words, ids in (
            ("status_words", self.status_words, get_args(Status)),
            ("kind_words", self.kind_words, get_args(ExerciseKind)),
        ):
            if set(words) != set(ids):
                raise ValueError(f"{name} needs exactly {sorted(ids)}")


@content_class(frozen=True, kw_only=True)
class ProgramMessages(Wording):
    """The routine's own sentences (core/program.py)."""

    PLACEHOLDERS: ClassVar[dict[str, frozenset[str]]] = {
        "phase_reason": frozenset({"phase", "reasons"}),
        "phase_fallback": frozenset({"phase"}),
        "phase_urgent": frozenset({"phase"}),
        "reason_pain": frozenset({"pain"}),
        "reason_weeks_in": frozenset({"weeks"}),
        "base_item": frozenset({"phase"}),
        "used_in_place": frozenset({"exercise"}),
        "easing_over_time": frozenset({"minutes"}),
        "does_not_fit": frozenset({"minutes"}),
        "expect_change": frozenset({"days", "flexibility_weeks", "strength_weeks"}),
        "chosen_for": frozenset({"targets"}),
        "more_sets_on_side": frozenset({"side"}),
    }
    urgent_gentle_only: Text
    phase_reason: Text
    phase_fallback: Text
    phase_urgent: Text
    reason_pain: Text
    reason_flares_high: Text
    reason_flares_moderate: Text
    reason_first_weeks: Text
    reason_mild_and_going: Text
    reason_weeks_in: Text
    base_item: Text
    used_in_place: Text
    eases_direction: Text
    eases_position: Text
    list_full: Text
    easing_over_time: Text
    does_not_fit: Text
    nothing_fits: Text
    expect_change: Text
    fewer_sets: Text
    chosen_for: Text
    more_sets_on_side: Text


@content_class(frozen=True, kw_only=True)
class ProgressionWording(Wording):
    """How a proposal writes dates and doses (core/progression.py)."""

    PLACEHOLDERS: ClassVar[dict[str, frozenset[str]]] = {
        "date": frozenset({"day", "month"}),
        "one_set": frozenset({"count"}),
        "sets": frozenset({"count"}),
        "one_hold": frozenset({"count", "seconds"}),
        "holds": frozenset({"count", "seconds"}),
        "one_repetition": frozenset({"count"}),
        "repetitions": frozenset({"count"}),
        "single_hold": frozenset({"seconds"}),
        "dose": frozenset({"sets", "body"}),
        "dose_with_load": frozenset({"sets", "body", "kg"}),
        "next_time": frozenset({"new", "old"}),
        "next_time_other_exercise": frozenset({"exercise", "new", "old_exercise"}),
    }
    month_names: Annotated[list[Text], Field(min_length=12, max_length=12)]
    date: Text
    list_and: Text
    last_session: Text
    one_set: Text
    sets: Text
    one_hold: Text
    holds: Text
    one_repetition: Text
    repetitions: Text
    single_hold: Text
    dose: Text
    dose_with_load: Text
    next_time: Text
    next_time_other_exercise: Text
