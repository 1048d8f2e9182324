"""Check and score questionnaire answers.

Each instrument in content names its algorithm by a short key (``Instrument.scoring``).
An algorithm is two functions registered under that key: a *checker* that lists every
problem with a raw answer (so a form can show them all at once) and a *scorer* that turns
answers the checker accepted into a :class:`~backbalance.core.types.Score`.

All numbers with clinical meaning (item ranges, cut-offs, bands, MCIDs) come from the
instrument definition; this module only knows the shape of each algorithm.

Error paths are dotted, e.g. ``questionnaires.odi.3`` or ``questionnaires.pain_nrs.worst``.
Positions in list answers are counted from 1, like the numbers on a printed questionnaire.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import get_args

from backbalance.content.loader import ContentError
from backbalance.content.schema import Band, Instrument, InstrumentItem, Mcid, ScoringKey
from backbalance.content.wording import fill
from backbalance.core.errors import CaseError, FieldError, InputError
from backbalance.core.strict_json import echo
from backbalance.core.types import Score, SubscaleScore
from backbalance.core.value import Value

Checker = Callable[[Instrument, object, str], list[FieldError]]
Scorer = Callable[[Instrument, object], Score]

_CHECKERS: dict[str, Checker] = {}
_SCORERS: dict[str, Scorer] = {}

# Scores are shown to people and compared with MCIDs given to whole points or percent;
# one decimal keeps means and percentages honest without false precision.
_DECIMALS = 1
# Float noise (e.g. 30.000000000000004 %) must not decide whether an MCID was reached.
_TOLERANCE = 1e-9

# Keys of one PSFS entry. They are the shape of the case format, not clinical content.
_ACTIVITY = "activity"
_RATING = "rating"


def checks(*keys: ScoringKey) -> Callable[[Checker], Checker]:
    """Register a function as the answer checker for one or more scoring keys."""

    def register(function: Checker) -> Checker:
        for key in keys:
            if key in _CHECKERS:
                raise RuntimeError(f"a checker for {key!r} is already registered")
            _CHECKERS[key] = function
        return function

    return register


def scores(*keys: ScoringKey) -> Callable[[Scorer], Scorer]:
    """Register a function as the scorer for one or more scoring keys."""

    def register(function: Scorer) -> Scorer:
        for key in keys:
            if key in _SCORERS:
                raise RuntimeError(f"a scorer for {key!r} is already registered")
            _SCORERS[key] = function
        return function

    return register


def missing_algorithms() -> list[str]:
    """Scoring keys the schema allows but no checker or scorer handles (should be empty)."""
    return [k for k in get_args(ScoringKey) if k not in _CHECKERS or k not in _SCORERS]


# --------------------------------------------------------------------------- public API


def check_answers(instrument: Instrument, raw: object, path: str) -> list[FieldError]:
    """Every problem with ``raw`` as answers to ``instrument``; empty when they can be scored."""
    return _CHECKERS[instrument.scoring](instrument, raw, path)


def score(instrument: Instrument, raw: object) -> Score:
    """Score answers that passed :func:`check_answers`.

    Answers that do not pass raise :class:`CaseError` rather than giving a wrong number.
    """
    errors = check_answers(instrument, raw, instrument.id)
    if errors:
        raise CaseError(errors)
    return _SCORERS[instrument.scoring](instrument, raw)


def score_all(
    questionnaires: Mapping[str, object],
    instruments: Mapping[str, Instrument],
    path: str = "questionnaires",
) -> dict[str, Score]:
    """Score every questionnaire in a case, or raise :class:`CaseError` naming every problem.

    A questionnaire given as ``null`` counts as not filled in and is skipped.
    """
    errors: list[FieldError] = []
    given = {key: raw for key, raw in questionnaires.items() if raw is not None}
    for key, raw in given.items():
        instrument = instruments.get(key)
        if instrument is None:
            known = ", ".join(sorted(instruments))
            errors.append(
                FieldError(f"{path}.{echo(key)}", f"unknown questionnaire; known: {known}")
            )
            continue
        errors.extend(check_answers(instrument, raw, f"{path}.{key}"))
    if errors:
        raise CaseError(errors)
    return {
        key: _SCORERS[instruments[key].scoring](instruments[key], raw) for key, raw in given.items()
    }


def mcid_reached(
    instrument: Instrument, before: float, after: float, *, subscale: str | None = None
) -> bool | None:
    """Has the score improved by at least the minimal clinically important difference?

    Either rule is enough: the change in points, or the change as a percent of ``before``
    (high starting scores need bigger raw changes). ``None`` when no MCID is defined, e.g.
    for STarT Back, or for the FABQ without naming a subscale.
    """
    return _change_reaches(_mcid_for(instrument, subscale), instrument.better, before, after)


def mcid_worsened(
    instrument: Instrument, before: float, after: float, *, subscale: str | None = None
) -> bool | None:
    """Has the score got worse by at least the MCID? Same rules as :func:`mcid_reached`."""
    worse = "higher" if instrument.better == "lower" else "lower"
    return _change_reaches(_mcid_for(instrument, subscale), worse, before, after)


def mcid_thresholds(instrument: Instrument, before: float) -> tuple[float, float] | None:
    """The scores at which a change from ``before`` reaches the MCID: (improved, worse).

    The inverse of :func:`mcid_reached` and :func:`mcid_worsened`, for drawing the band a
    score must leave to count as a meaningful change. Either rule is enough, so the
    smaller of the two steps applies. ``None`` when the instrument has no MCID.
    """
    mcid = instrument.mcid
    if mcid is None or (mcid.points is None and mcid.percent is None):
        return None
    steps = []
    if mcid.points is not None:
        steps.append(mcid.points.value)
    # As in _change_reaches, a relative change from zero has no meaning.
    if mcid.percent is not None and before != 0:
        steps.append(abs(before) * mcid.percent.value / 100)
    step = min(steps) if steps else None
    if step is None:
        return None
    if instrument.better == "lower":
        return before - step, before + step
    return before + step, before - step


def _mcid_for(instrument: Instrument, subscale: str | None) -> Mcid | None:
    if subscale is None:
        return instrument.mcid
    for candidate in instrument.subscales:
        if candidate.id == subscale:
            return candidate.mcid
    raise InputError([FieldError("subscale", f"{instrument.id} has no subscale {subscale!r}")])


def _change_reaches(mcid: Mcid | None, better: str, before: float, after: float) -> bool | None:
    if mcid is None or (mcid.points is None and mcid.percent is None):
        return None
    gain = before - after if better == "lower" else after - before
    if mcid.points is not None and gain >= mcid.points.value - _TOLERANCE:
        return True
    # A relative change from zero has no meaning, so only the points rule can apply then.
    if mcid.percent is not None and before != 0:
        relative = gain / abs(before) * 100
        if relative >= mcid.percent.value - _TOLERANCE:
            return True
    return False


class ItemChange(Value, frozen=True):
    """How one item (one PSFS activity) changed between two scorings of an instrument."""

    item: str
    before: float
    after: float
    # Each is judged against the instrument's per-item MCID, in its direction of better.
    reached: bool
    worsened: bool


def item_changes(instrument: Instrument, before: Score, after: Score) -> tuple[ItemChange, ...]:
    """Change of every item rated both times, judged against the per-item MCID.

    For the PSFS each activity is one item, named by the person; the same activity is
    matched ignoring case and surrounding spaces, and an activity rated only once has no
    change to judge. Empty when the instrument defines no per-item MCID.
    """
    if instrument.mcid is None or instrument.mcid.per_item_points is None:
        return ()
    needed = instrument.mcid.per_item_points.value
    later = {name.strip().casefold(): value for name, value in after.items.items()}
    changes: list[ItemChange] = []
    for name, first in before.items.items():
        second = later.get(name.strip().casefold())
        if second is None:
            continue
        gain = second - first if instrument.better == "higher" else first - second
        changes.append(
            ItemChange(
                item=name,
                before=first,
                after=second,
                reached=gain >= needed - _TOLERANCE,
                worsened=-gain >= needed - _TOLERANCE,
            )
        )
    return tuple(changes)


# --------------------------------------------------------------------------- shared helpers


def _whole_number(value: object) -> int | None:
    """The value as an int if it is a whole number (not a bool), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _check_rating(item: InstrumentItem, value: object, path: str) -> FieldError | None:
    number = _whole_number(value)
    expected = f"a whole number from {item.minimum} to {item.maximum}"
    if number is None:
        return FieldError(path, f"expected {expected}, got {echo(value)}")
    if not item.minimum <= number <= item.maximum:
        return FieldError(path, f"{number} is out of range: expected {expected}")
    return None


def _check_list(
    instrument: Instrument, raw: object, path: str, *, yes_no: bool = False
) -> list[FieldError]:
    """Answers given as a list with one entry per item, in the questionnaire's order."""
    count = len(instrument.items)
    blank_hint = "; use null for an unanswered item" if instrument.max_missing else ""
    if not isinstance(raw, list):
        return [FieldError(path, f"expected a list of {count} answers, got {type(raw).__name__}")]
    if len(raw) != count:
        return [FieldError(path, f"expected {count} answers, got {len(raw)}{blank_hint}")]
    errors: list[FieldError] = []
    blanks: list[str] = []
    for position, (item, value) in enumerate(zip(instrument.items, raw, strict=True), start=1):
        where = f"{path}.{position}"
        if value is None:
            blanks.append(where)
        elif yes_no:
            if not isinstance(value, bool):
                errors.append(FieldError(where, f"expected true or false, got {value!r}"))
        else:
            problem = _check_rating(item, value, where)
            if problem is not None:
                errors.append(problem)
    if len(blanks) > instrument.max_missing:
        if instrument.max_missing == 0:
            errors.extend(FieldError(where, "no answer; every item is needed") for where in blanks)
        else:
            errors.append(
                FieldError(
                    path,
                    f"{len(blanks)} items are unanswered; at most {instrument.max_missing} "
                    "may be left blank for a valid score",
                )
            )
    return errors


def _band_for(
    bands: Sequence[Band], value: float | None, subscales: Mapping[str, float]
) -> Band | None:
    """The band on the total, unless a band on a subscale is reached, which then wins."""
    chosen: Band | None = None
    if value is not None:
        for band in bands:
            if band.subscale is None and value >= band.from_score:
                chosen = band  # bands rise by from_score (checked by the schema)
    for band in bands:
        if (
            band.subscale is not None
            and subscales.get(band.subscale, float("-inf")) >= band.from_score
        ):
            chosen = band
    return chosen


def _build_score(
    instrument: Instrument,
    value: float | None,
    items: dict[str, float],
    answered: int,
    subscale_values: Mapping[str, float] | None = None,
    note: str | None = None,
) -> Score:
    subscale_values = subscale_values or {}
    subscale_scores = []
    for subscale in instrument.subscales:
        sub_value = subscale_values[subscale.id]
        sub_band = _band_for(subscale.bands, sub_value, {})
        subscale_scores.append(
            SubscaleScore(subscale.id, sub_value, sub_band.id if sub_band is not None else None)
        )
    band = _band_for(instrument.bands, value, subscale_values)
    return Score(
        instrument=instrument.id,
        name=instrument.name,
        value=value,
        score_range=instrument.score_range,
        band=band.id if band is not None else None,
        band_label=band.label if band is not None else None,
        items=items,
        subscales=tuple(subscale_scores),
        answered=answered,
        note=note,
    )


def _as_list(raw: object) -> list[object]:
    if not isinstance(raw, list):
        raise TypeError("answers were not checked: expected a list")
    return raw


def _as_dict(raw: object) -> dict[object, object]:
    if not isinstance(raw, dict):
        raise TypeError("answers were not checked: expected a mapping")
    return raw


def _number(value: object) -> int:
    number = _whole_number(value)
    if number is None:
        raise TypeError(f"answers were not checked: {value!r} is not a whole number")
    return number


# --------------------------------------------------------------------------- nrs_set


@checks("nrs_set")
def _check_nrs_set(instrument: Instrument, raw: object, path: str) -> list[FieldError]:
    item_ids = [item.id for item in instrument.items]
    if not isinstance(raw, dict):
        keys = ", ".join(item_ids)
        return [FieldError(path, f"expected a mapping with the ratings {keys}, got {echo(raw)}")]
    errors = [
        FieldError(f"{path}.{echo(key)}", f"unknown rating; expected one of {', '.join(item_ids)}")
        for key in raw
        if key not in item_ids
    ]
    blanks = 0
    for item in instrument.items:
        where = f"{path}.{item.id}"
        value = raw.get(item.id)
        if value is None:
            if item.id == instrument.primary_item:
                errors.append(FieldError(where, "this rating is needed; it is the score"))
            else:
                blanks += 1
            continue
        problem = _check_rating(item, value, where)
        if problem is not None:
            errors.append(problem)
    if blanks > instrument.max_missing:
        errors.append(
            FieldError(
                path, f"{blanks} ratings are missing; at most {instrument.max_missing} may be"
            )
        )
    return errors


@scores("nrs_set")
def _score_nrs_set(instrument: Instrument, raw: object) -> Score:
    answers = _as_dict(raw)
    items = {
        item.id: float(_number(answers[item.id]))
        for item in instrument.items
        if answers.get(item.id) is not None
    }
    primary = instrument.primary_item
    if primary is None:  # the schema requires it for nrs_set
        raise ContentError([f"{instrument.id}: nrs_set needs primary_item"])
    return _build_score(instrument, items[primary], items, answered=len(items))


# --------------------------------------------------------------------------- mean_of_ratings


def _activity_name(entry: dict[object, object]) -> str:
    name = entry.get(_ACTIVITY)
    return name.strip() if isinstance(name, str) else ""


@checks("mean_of_ratings")
def _check_mean_of_ratings(instrument: Instrument, raw: object, path: str) -> list[FieldError]:
    low, high = instrument.min_items, instrument.max_items
    how_many = f"{low} to {high}" if high is not None else f"at least {low}"
    if not isinstance(raw, list):
        return [FieldError(path, f"expected a list of {how_many} activities, got {echo(raw)}")]
    if len(raw) < low or (high is not None and len(raw) > high):
        return [FieldError(path, f"expected {how_many} activities, got {len(raw)}")]
    item = instrument.items[0]
    errors: list[FieldError] = []
    seen: set[str] = set()
    for position, entry in enumerate(raw, start=1):
        where = f"{path}.{position}"
        if not isinstance(entry, dict):
            errors.append(
                FieldError(where, f"expected {{'{_ACTIVITY}': name, '{_RATING}': number}}")
            )
            continue
        errors.extend(
            FieldError(f"{where}.{echo(key)}", f"unknown key; expected {_ACTIVITY} and {_RATING}")
            for key in entry
            if key not in (_ACTIVITY, _RATING)
        )
        name = _activity_name(entry)
        if not name:
            errors.append(FieldError(f"{where}.{_ACTIVITY}", "name the activity in a few words"))
        elif name.casefold() in seen:
            errors.append(FieldError(f"{where}.{_ACTIVITY}", f"'{echo(name)}' is listed twice"))
        else:
            seen.add(name.casefold())
        if _RATING not in entry or entry[_RATING] is None:
            errors.append(FieldError(f"{where}.{_RATING}", "rate this activity"))
        else:
            problem = _check_rating(item, entry[_RATING], f"{where}.{_RATING}")
            if problem is not None:
                errors.append(problem)
    return errors


@scores("mean_of_ratings")
def _score_mean_of_ratings(instrument: Instrument, raw: object) -> Score:
    items: dict[str, float] = {}
    for entry in _as_list(raw):
        answer = _as_dict(entry)
        items[_activity_name(answer)] = float(_number(answer[_RATING]))
    mean = round(sum(items.values()) / len(items), _DECIMALS)
    return _build_score(instrument, mean, items, answered=len(items))


# --------------------------------------------------------------------------- single_rating


@checks("single_rating")
def _check_single_rating(instrument: Instrument, raw: object, path: str) -> list[FieldError]:
    problem = _check_rating(instrument.items[0], raw, path)
    return [problem] if problem is not None else []


@scores("single_rating")
def _score_single_rating(instrument: Instrument, raw: object) -> Score:
    value = float(_number(raw))
    return _build_score(instrument, value, {instrument.items[0].id: value}, answered=1)


# --------------------------------------------------------------------------- list-based


@checks("percent_of_max", "startback", "subscale_sums")
def _check_rating_list(instrument: Instrument, raw: object, path: str) -> list[FieldError]:
    return _check_list(instrument, raw, path)


@checks("count_true")
def _check_yes_no_list(instrument: Instrument, raw: object, path: str) -> list[FieldError]:
    return _check_list(instrument, raw, path, yes_no=True)


def _answered_items(instrument: Instrument, raw: object) -> dict[str, int]:
    """Item id → answer for the answered items of a list answer."""
    return {
        item.id: _number(value)
        for item, value in zip(instrument.items, _as_list(raw), strict=True)
        if value is not None
    }


@scores("percent_of_max")
def _score_percent_of_max(instrument: Instrument, raw: object) -> Score:
    answers = _answered_items(instrument, raw)
    by_id = {item.id: item for item in instrument.items}
    floor = sum(by_id[i].minimum for i in answers)
    ceiling = sum(by_id[i].maximum for i in answers)
    percent = (sum(answers.values()) - floor) / (ceiling - floor) * 100
    blanks = len(instrument.items) - len(answers)
    note = None
    if blanks and instrument.blanks_note is not None:  # the schema requires it when blanks
        note = fill(instrument.blanks_note, blanks=blanks, total=len(instrument.items))
    items = {key: float(value) for key, value in answers.items()}
    return _build_score(
        instrument, round(percent, _DECIMALS), items, answered=len(answers), note=note
    )


@scores("count_true")
def _score_count_true(instrument: Instrument, raw: object) -> Score:
    answers = _as_list(raw)
    items = {
        item.id: 1.0 if value is True else 0.0
        for item, value in zip(instrument.items, answers, strict=True)
    }
    return _build_score(instrument, sum(items.values()), items, answered=len(items))


def _subscale_sums(instrument: Instrument, points: Mapping[str, float]) -> dict[str, float]:
    return {s.id: float(sum(points[i] for i in s.items)) for s in instrument.subscales}


@scores("startback")
def _score_startback(instrument: Instrument, raw: object) -> Score:
    answers = _answered_items(instrument, raw)
    cutoff = instrument.item_cutoff
    if cutoff is None:  # the schema requires it for startback
        raise ContentError([f"{instrument.id}: startback needs item_cutoff"])
    points: dict[str, float] = {}
    for item in instrument.items:
        value = answers[item.id]
        # Yes/no items count as answered; the one graded item counts only at the cut-off.
        points[item.id] = float(value) if item.maximum <= 1 else float(value >= cutoff.value)
    items = {key: float(value) for key, value in answers.items()}
    return _build_score(
        instrument,
        float(sum(points.values())),
        items,
        answered=len(answers),
        subscale_values=_subscale_sums(instrument, points),
    )


@scores("subscale_sums")
def _score_subscale_sums(instrument: Instrument, raw: object) -> Score:
    answers = _answered_items(instrument, raw)
    items = {key: float(value) for key, value in answers.items()}
    # These instruments have no validated total, so the score itself stays empty.
    return _build_score(
        instrument,
        None,
        items,
        answered=len(answers),
        subscale_values=_subscale_sums(instrument, items),
    )
