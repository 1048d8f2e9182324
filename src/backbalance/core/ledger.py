"""The therapist value ledger: is a paid course of care helping, and at what cost?

One course of care (one provider) is read from plain data (:func:`parse_course`) and judged
on a given day (:func:`judge_course`) at the checkpoints of ``outcomes.yaml``:

1. A measure worse by its MCID (pain from the diary, before each visit or the day after
   the latest one; the PSFS, ODI or RMDQ), a global rating of clearly worse, or a warning
   sign noted on a check-in asks for the safety questions first (``rescreen_first``),
   whatever else holds. Nothing below can undo it.
2. A measure that improved by its MCID: ``improving_meaningfully``.
3. Otherwise, by the latest checkpoint reached (days since the first visit or visits so
   far, whichever comes first): ``change_recommended``, ``review_recommended`` (or
   ``not_yet_meaningful`` when the person rates themself clearly better overall),
   ``not_yet_meaningful`` after the early checkpoint, and ``too_early`` before it.

Pure: the date to judge on is a parameter, never the clock. The plain words come from the
content; the figures (MCIDs, checkpoints) come from the content with their sources.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from backbalance.content.loader import Content
from backbalance.content.schema import Instrument
from backbalance.content.schema_outcomes import (
    ChecklistItem,
    Checkpoint,
    CourseVerdict,
    LedgerMeasure,
    OutcomeRules,
)
from backbalance.content.wording import fill
from backbalance.core.errors import FieldError, InputError
from backbalance.core.instruments import check_answers, score
from backbalance.core.progress import (
    DailyPain,
    MeasureChange,
    judge_change,
    judge_items,
    pain_trend,
    weekly_slope,
    window_mean,
)
from backbalance.core.strict_json import echo, parse_json
from backbalance.core.value import Value
from backbalance.core.what_helps import HabitComparison, compare_habit

# Money is shown to the cent; changes and slopes to one decimal.
_MONEY_DECIMALS = 2
_DECIMALS = 1
# Technical limits on the file, so a mistaken file costs neither time nor memory.
_MAX_TEXT = 2000
_MAX_NAME = 200
_MAX_ENTRIES = 5000


class LedgerError(InputError):
    """A ledger file, or one of its fields, is not valid; ``errors`` name each by its path."""


# --------------------------------------------------------------------------- input model


def _iso_day(value: object) -> object:
    """A date written as text, ``2026-11-20``; anything else is left for the type check."""
    if isinstance(value, str):
        try:
            return date.fromisoformat(value) if len(value) == len("2026-11-20") else value
        except ValueError:
            return value
    return value


Day = Annotated[date, BeforeValidator(_iso_day)]
Name = Annotated[str, Field(min_length=1, max_length=_MAX_NAME)]
Note = Annotated[str, Field(max_length=_MAX_TEXT)]
Money = Annotated[float, Field(ge=0, le=1e9)]


class _Input(BaseModel):
    # Strict: "5" is not a number and "yes" is not true; unknown keys are refused. The
    # validators are built on first use, so a start that reads no ledger does not pay.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, defer_build=True)


class Provider(_Input):
    name: Name
    # The kind of therapy: physiotherapy, chiropractic, massage …
    kind: Name


class Checklist(_Input):
    """What a good appointment contains; leave out what you do not remember."""

    assessed_hands_on: bool | None = None
    worked_on_findings: bool | None = None
    explained_findings: bool | None = None
    home_plan: bool | None = None
    retested: bool | None = None


def _content(info: ValidationInfo) -> Content:
    content = (info.context or {}).get("content")
    if not isinstance(content, Content):
        raise TypeError("validate a ledger with context={'content': content}")
    return content


def _in_range(value: float | None, info: ValidationInfo, measure: LedgerMeasure) -> float | None:
    """The value, if it lies within the range of the questionnaire that judges ``measure``."""
    if value is None:
        return None
    content = _content(info)
    low, high = content.instruments[content.outcomes.measures[measure]].score_range
    if not low <= value <= high:
        raise ValueError(f"must be between {low:g} and {high:g}")
    return value


class Visit(_Input):
    date: Day
    cost: Money
    reimbursed: Money = 0.0
    pain_before: float
    pain_after: float | None = None
    pain_next_day: float | None = None
    notes: Note = ""
    checklist: Checklist = Field(default_factory=Checklist)

    @field_validator("reimbursed")
    @classmethod
    def _not_more_than_cost(cls, value: float, info: ValidationInfo) -> float:
        cost = info.data.get("cost")
        if isinstance(cost, float | int) and value > cost:
            raise ValueError("is more than the cost")
        return value

    @field_validator("pain_before", "pain_after", "pain_next_day")
    @classmethod
    def _pain_range(cls, value: float | None, info: ValidationInfo) -> float | None:
        return _in_range(value, info, "pain")


class PainRating(_Input):
    date: Day
    pain: float

    @field_validator("pain")
    @classmethod
    def _pain_range(cls, value: float, info: ValidationInfo) -> float | None:
        return _in_range(value, info, "pain")


class ScoreOn(_Input):
    date: Day
    score: float
    # The measure whose questionnaire gives the range; set by each subclass.
    measure: ClassVar[LedgerMeasure]

    @field_validator("score")
    @classmethod
    def _score_range(cls, value: float, info: ValidationInfo) -> float | None:
        return _in_range(value, info, cls.measure)


class OdiOn(ScoreOn):
    measure: ClassVar[LedgerMeasure] = "odi"


class RmdqOn(ScoreOn):
    measure: ClassVar[LedgerMeasure] = "rmdq"


class ActivityRating(_Input):
    activity: Name
    rating: int


class PsfsOn(_Input):
    date: Day
    activities: Annotated[list[ActivityRating], Field(min_length=1, max_length=_MAX_ENTRIES)]

    @field_validator("activities")
    @classmethod
    def _as_the_questionnaire_asks(
        cls, value: list[ActivityRating], info: ValidationInfo
    ) -> list[ActivityRating]:
        """The PSFS's own checks: how many activities, each rated within range, none twice."""
        content = _content(info)
        instrument = content.instruments[content.outcomes.measures["psfs"]]
        problems = check_answers(instrument, [a.model_dump() for a in value], "")
        if problems:
            raise ValueError("; ".join(f"{p.path.lstrip('.')}: {p.message}" for p in problems))
        return value

    def answers(self) -> list[dict[str, object]]:
        return [a.model_dump() for a in self.activities]


class GlobalChangeOn(_Input):
    date: Day
    rating: int

    @field_validator("rating")
    @classmethod
    def _rating_range(cls, value: int, info: ValidationInfo) -> float | None:
        return _in_range(value, info, "global_change")


class RedFlagOn(_Input):
    date: Day
    what: Name


class Course(_Input):
    """One course of care with one provider, as a ledger file holds it."""

    provider: Provider
    # When this episode of back pain began (for the natural-recovery caveat).
    episode_started: Day | None = None
    currency: Annotated[str, Field(max_length=8)] = ""
    visits: Annotated[list[Visit], Field(min_length=1, max_length=_MAX_ENTRIES)]
    pain_diary: Annotated[list[PainRating], Field(max_length=_MAX_ENTRIES)] = []
    psfs: Annotated[list[PsfsOn], Field(max_length=_MAX_ENTRIES)] = []
    odi: Annotated[list[OdiOn], Field(max_length=_MAX_ENTRIES)] = []
    rmdq: Annotated[list[RmdqOn], Field(max_length=_MAX_ENTRIES)] = []
    global_change: Annotated[list[GlobalChangeOn], Field(max_length=_MAX_ENTRIES)] = []
    red_flags: Annotated[list[RedFlagOn], Field(max_length=_MAX_ENTRIES)] = []


def course_json_schema(content: Content) -> dict[str, Any]:
    """The JSON Schema of a ledger file, with the score ranges of the content's questionnaires."""
    schema = Course.model_json_schema()
    rules = content.outcomes
    defs = schema["$defs"]

    def set_range(model: str, prop: str, measure: LedgerMeasure) -> None:
        low, high = content.instruments[rules.measures[measure]].score_range
        target = defs[model]["properties"][prop]
        for option in target.get("anyOf", [target]):
            if option.get("type") in ("number", "integer"):
                option.update(minimum=low, maximum=high)

    for prop in ("pain_before", "pain_after", "pain_next_day"):
        set_range("Visit", prop, "pain")
    set_range("PainRating", "pain", "pain")
    set_range("GlobalChangeOn", "rating", "global_change")
    set_range("OdiOn", "score", "odi")
    set_range("RmdqOn", "score", "rmdq")
    # One PSFS activity is rated on the item's scale, not on the score's.
    psfs_item = content.instruments[rules.measures["psfs"]].items[0]
    defs["ActivityRating"]["properties"]["rating"].update(
        minimum=psfs_item.minimum, maximum=psfs_item.maximum
    )
    schema["title"] = "backbalance ledger"
    return schema


# --------------------------------------------------------------------------- parsing


def parse_course_json(text: str, content: Content) -> Course:
    """Parse a ledger file's text strictly (duplicate keys, size) and check it."""
    try:
        data = parse_json(text, "ledger")
    except InputError as exc:
        raise LedgerError(exc.errors) from exc
    return parse_course(data, content)


def parse_course(data: object, content: Content) -> Course:
    """Check plain data as a course of care; raise :class:`LedgerError` naming each bad field.

    Every problem is found in one pass, the ranges from the content's questionnaires
    included, so a file can be fixed in one go.
    """
    try:
        return Course.model_validate(data, context={"content": content})
    except ValidationError as exc:
        raise LedgerError([_field_error(error) for error in exc.errors()]) from exc


def _field_error(error: Any) -> FieldError:
    # List positions are counted from 1, as everywhere else in backbalance's paths.
    parts = [str(p + 1) if isinstance(p, int) else echo(str(p)) for p in error["loc"]]
    message = str(error["msg"]).removeprefix("Value error, ")
    return FieldError(".".join(parts) or "ledger", message)


# --------------------------------------------------------------------------- results


class JudgedMeasure(Value, frozen=True):
    """One measure of the course, judged from its first to its latest value."""

    measure: LedgerMeasure
    # Where the two values come from: the daily diary, the visits, or the scores given.
    basis: Literal["diary", "visits", "day_after_visit", "scores"]
    name: str
    change: MeasureChange


class Totals(Value, frozen=True):
    visits: int
    spent: float
    reimbursed: float
    net: float
    currency: str


class ChecklistCount(Value, frozen=True):
    item: ChecklistItem
    label: str
    ticked: int
    recorded: int


class TrendBeforeCare(Value, frozen=True):
    """The diary's slope before the first visit and since, in points a week (falling < 0)."""

    before_per_week: float
    during_per_week: float
    says: str


class CourseReport(Value, frozen=True):
    provider: str
    kind: str
    as_of: date
    days: int
    visits: int
    verdict: CourseVerdict
    label: str
    reason: str
    measures: tuple[JudgedMeasure, ...]
    totals: Totals
    # Net cost per point of pain improvement; None unless pain improved meaningfully.
    cost_per_point: float | None
    trend_before_care: TrendBeforeCare | None
    checklist: tuple[ChecklistCount, ...]
    caveats: tuple[str, ...]
    questions: tuple[str, ...]
    # Next-day pain after visit days against other days, own trend taken out; None
    # without a diary.
    after_visits: HabitComparison | None = None


# --------------------------------------------------------------------------- judging


def judge_course(course: Course, content: Content, as_of: date) -> CourseReport:
    """The verdict on ``course`` as it stood on ``as_of``; later entries are left out."""
    first_visit = min(visit.date for visit in course.visits)
    if as_of < first_visit:
        raise LedgerError([FieldError("as_of", f"{as_of.isoformat()} is before the first visit")])
    rules = content.outcomes
    visits = sorted((v for v in course.visits if v.date <= as_of), key=lambda v: v.date)
    days = (as_of - first_visit).days
    measures = _judged_measures(course, visits, content, as_of)
    flags = sorted((f for f in course.red_flags if f.date <= as_of), key=lambda f: f.date)
    latest_global = _latest_global(course, as_of)
    clearly_better = latest_global is not None and latest_global >= rules.much_improved_from.value
    # As far below no change as "much improved" is above it: clearly worse overall.
    clearly_worse = latest_global is not None and latest_global <= -rules.much_improved_from.value
    verdict, reason = _verdict(
        rules, measures, flags, days, len(visits), clearly_better, clearly_worse
    )
    pain = _primary_pain(measures)
    totals = _totals(visits, course.currency)
    trend = _trend_before_care(course, first_visit, as_of, rules)
    return CourseReport(
        provider=course.provider.name,
        kind=course.provider.kind,
        as_of=as_of,
        days=days,
        visits=len(visits),
        verdict=verdict,
        label=rules.verdicts[verdict].label,
        reason=reason,
        measures=measures,
        totals=totals,
        cost_per_point=_cost_per_point(totals, pain),
        trend_before_care=trend,
        checklist=_checklist(visits, rules),
        caveats=_caveats(course, visits, first_visit, as_of, rules, trend),
        questions=_questions(verdict, visits, rules),
        after_visits=_after_visits(course, visits, as_of, rules),
    )


def _reached(rules: OutcomeRules, which: str, days: int, visits: int) -> bool:
    checkpoint: Checkpoint = getattr(rules.checkpoints, which)
    return days >= checkpoint.days.value or visits >= checkpoint.visits.value


def _verdict(
    rules: OutcomeRules,
    measures: Sequence[JudgedMeasure],
    flags: Sequence[RedFlagOn],
    days: int,
    visits: int,
    clearly_better: bool,
    clearly_worse: bool,
) -> tuple[CourseVerdict, str]:
    said = rules.reasons
    # Safety first: a worsening or a warning sign outranks every other verdict. Each
    # measure is named once, with its first worse reading (the steadier basis comes first).
    worse: dict[str, str] = {}
    for m in measures:
        if m.change.change == "worse_meaningfully" and m.name not in worse:
            before, after = _shown(m.change.before), _shown(m.change.after)
            worse[m.name] = fill(said["worse_measure"], measure=m.name, before=before, after=after)
    rescreen = [fill(said["worse"], measures="; ".join(worse.values()))] if worse else []
    if clearly_worse:
        rescreen.append(said["worse_overall"])
    if flags:
        latest = flags[-1]
        rescreen.append(fill(said["red_flag"], date=latest.date.isoformat(), what=latest.what))
    if rescreen:
        return "rescreen_first", " ".join([*rescreen, said["rescreen"]])
    when = {"days": days, "visits": visits}
    # A measure judged two ways (pain from the diary and at visits) is named once.
    improved = list(
        dict.fromkeys(m.name for m in measures if m.change.change == "improved_meaningfully")
    )
    if improved:
        return "improving_meaningfully", fill(said["improving"], measures="; ".join(improved))
    if _reached(rules, "change", days, visits):
        return "change_recommended", fill(said["change"], **when)
    if _reached(rules, "review", days, visits):
        if clearly_better:
            return "not_yet_meaningful", fill(said["review_but_better_overall"], **when)
        return "review_recommended", fill(said["review"], **when)
    if _reached(rules, "early", days, visits):
        return "not_yet_meaningful", fill(said["early_soft_flag"], **when)
    early = rules.checkpoints.early
    return "too_early", fill(
        said["too_early"],
        needed_days=_shown(early.days.value),
        needed_visits=_shown(early.visits.value),
        **when,
    )


def _instrument(content: Content, measure: LedgerMeasure) -> Instrument:
    return content.instruments[content.outcomes.measures[measure]]


def _diary(course: Course) -> list[DailyPain]:
    return [DailyPain(r.date, r.pain) for r in course.pain_diary]


def _judged_measures(
    course: Course, visits: Sequence[Visit], content: Content, as_of: date
) -> tuple[JudgedMeasure, ...]:
    """Every measure with a first and a latest value in the course, judged by its MCID.

    Pain is judged from the diary by its weekly mean (steadier than one rating): the week
    before the first visit, or else the diary's first week since it, against the week up
    to ``as_of``. It is judged too from the pain noted before each visit when there are two
    visits or more. When both exist both are judged, so a worsening seen by either one is
    never missed; for the same reason the pain noted the day after the latest visit is
    added when it is worse by the MCID (it is not used to claim an improvement: the day
    after a treatment, pain is often briefly lower).
    """
    rules = content.outcomes
    words = rules.change_words
    judged: list[JudgedMeasure] = []

    def add(measure: LedgerMeasure, basis: Any, change: MeasureChange) -> None:
        name = _instrument(content, measure).name
        judged.append(JudgedMeasure(measure, basis, name, change))

    pain = _instrument(content, "pain")
    window = int(rules.pain_window_days.value)
    diary = [r for r in _diary(course) if r.day <= as_of]
    first_visit = visits[0].date
    before = window_mean(diary, first_visit - timedelta(days=1), window)
    now = window_mean(diary, as_of, window)
    if before is not None and now is not None and as_of > first_visit:
        add("pain", "diary", judge_change(pain, before, now, words))
    else:
        since = pain_trend(diary, pain, words, window, since=first_visit, as_of=as_of)
        if since.change is not None:
            add("pain", "diary", since.change)
    # The pain noted before each visit, not after: right after a treatment pain is often
    # briefly lower (or sore), while before the next visit it shows how the days went.
    if len(visits) >= 2:
        add(
            "pain",
            "visits",
            judge_change(pain, visits[0].pain_before, visits[-1].pain_before, words),
        )
    next_days = [
        v for v in visits if v.pain_next_day is not None and v.date + timedelta(days=1) <= as_of
    ]
    if next_days and next_days[-1].pain_next_day is not None:
        after_visit = judge_change(pain, visits[0].pain_before, next_days[-1].pain_next_day, words)
        if after_visit.change == "worse_meaningfully":
            add("pain", "day_after_visit", after_visit)
    scored: tuple[tuple[LedgerMeasure, Sequence[ScoreOn]], ...] = (
        ("odi", course.odi),
        ("rmdq", course.rmdq),
    )
    for measure, entries in scored:
        kept = sorted((e for e in entries if e.date <= as_of), key=lambda e: e.date)
        if len(kept) >= 2:
            instrument = _instrument(content, measure)
            add(measure, "scores", judge_change(instrument, kept[0].score, kept[-1].score, words))
    psfs = sorted((e for e in course.psfs if e.date <= as_of), key=lambda e: e.date)
    if len(psfs) >= 2:
        instrument = _instrument(content, "psfs")
        first, last = (score(instrument, entry.answers()) for entry in (psfs[0], psfs[-1]))
        add("psfs", "scores", judge_items(instrument, first, last, words))
    return tuple(judged)


def _latest_global(course: Course, as_of: date) -> int | None:
    kept = sorted((g for g in course.global_change if g.date <= as_of), key=lambda g: g.date)
    return kept[-1].rating if kept else None


def _primary_pain(measures: Sequence[JudgedMeasure]) -> MeasureChange | None:
    """The pain change shown first and used for cost: the diary's when there is one."""
    pain = [m for m in measures if m.measure == "pain"]
    diary = [m for m in pain if m.basis == "diary"]
    chosen = diary or pain
    return chosen[0].change if chosen else None


def _money(value: float) -> float:
    return round(value, _MONEY_DECIMALS)


def _totals(visits: Sequence[Visit], currency: str) -> Totals:
    spent = sum(v.cost for v in visits)
    reimbursed = sum(v.reimbursed for v in visits)
    return Totals(
        len(visits), _money(spent), _money(reimbursed), _money(spent - reimbursed), currency
    )


def _cost_per_point(totals: Totals, pain: MeasureChange | None) -> float | None:
    if pain is None or pain.change != "improved_meaningfully":
        return None
    points = pain.before - pain.after
    return _money(totals.net / points) if points > 0 else None


def _trend_before_care(
    course: Course, first_visit: date, as_of: date, rules: OutcomeRules
) -> TrendBeforeCare | None:
    settings = rules.trend_before_care
    start = first_visit - timedelta(days=int(settings.days.value))
    diary = _diary(course)
    before = [r for r in diary if start <= r.day < first_visit]
    during = [r for r in diary if first_visit <= r.day <= as_of]
    needed = settings.min_readings.value
    if len(before) < needed or len(during) < needed:
        return None
    before_slope, during_slope = weekly_slope(before), weekly_slope(during)
    if before_slope is None or during_slope is None:
        return None
    before_week, during_week = round(before_slope, _DECIMALS), round(during_slope, _DECIMALS)
    says = fill(settings.says, before_week=_signed(before_week), during_week=_signed(during_week))
    return TrendBeforeCare(before_week, during_week, says)


def _after_visits(
    course: Course, visits: Sequence[Visit], as_of: date, rules: OutcomeRules
) -> HabitComparison | None:
    diary = [r for r in _diary(course) if r.day <= as_of]
    if not diary:
        return None
    visit_days = {v.date for v in visits}
    return compare_habit(course.provider.kind, visit_days, diary, rules.what_helps)


def _checklist(visits: Sequence[Visit], rules: OutcomeRules) -> tuple[ChecklistCount, ...]:
    counts: list[ChecklistCount] = []
    for item, wording in rules.checklist.items():
        answers = [getattr(v.checklist, item) for v in visits]
        recorded = [a for a in answers if a is not None]
        counts.append(ChecklistCount(item, wording.label, sum(recorded), len(recorded)))
    return tuple(counts)


def _caveats(
    course: Course,
    visits: Sequence[Visit],
    first_visit: date,
    as_of: date,
    rules: OutcomeRules,
    trend: TrendBeforeCare | None,
) -> tuple[str, ...]:
    said = rules.caveats
    caveats: list[str] = []
    if course.episode_started is not None and course.episode_started <= as_of:
        age = (as_of - course.episode_started).days
        if age < rules.natural_recovery_days.value:
            caveats.append(fill(said["natural_recovery"], days=age))
    readings = len(visits) + sum(first_visit <= r.date <= as_of for r in course.pain_diary)
    if readings < rules.min_pain_readings.value:
        caveats.append(fill(said["few_data_points"], readings=readings))
    falling = rules.trend_before_care.improving_per_week.value
    if trend is not None and trend.before_per_week <= -falling:
        caveats.append(said["improving_before_care"])
    return tuple(caveats)


def _questions(
    verdict: CourseVerdict, visits: Sequence[Visit], rules: OutcomeRules
) -> tuple[str, ...]:
    """The verdict's questions, then one for each checklist item no visit has ticked yet.

    An item counts as missing only when a visit recorded it as not done: an item never
    recorded says nothing about the therapist.
    """
    questions = list(rules.verdicts[verdict].questions)
    for item, wording in rules.checklist.items():
        answers = [getattr(v.checklist, item) for v in visits]
        if False in answers and True not in answers:
            questions.append(wording.question)
    return tuple(questions)


def _shown(value: float) -> str:
    return f"{value:g}"


def _signed(value: float) -> str:
    return f"{value:+g}"
