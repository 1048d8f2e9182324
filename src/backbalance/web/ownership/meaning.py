"""What a record must mean for the app to work with it later, beyond its field types.

:mod:`.records` checks each value against its model field (text, a whole number, a date,
one of the choices). That is not enough for a file a person may have edited: a routine
plan that names an exercise the content does not hold, or a device stage past the end of
its protocol, would be stored and then break a page days later. Here each kind of record
is read the way the app will read it, through the core where the core has a parser
(``api.parse_case`` and its part parsers, ``api.ItemState``, ``api.SessionLog``,
``api.parse_course``), against the content the app runs with. A device session is held
to what the log form allows, by the form's own check
(``therapies.services.check_logged_session``): its values within its stage and the
protocol's limits, and no more sessions in a day or a week, nor more time in a day, than
the protocol allows. Every problem is named by its dotted path inside the record,
``records.routine.RoutinePlan.1.items.2.exercise_id`` (positions counted from 1, as the
core counts them).

A kind of record with no check here gets the field checks only; a test makes sure every
JSON field (the free-form ones) of every kind is read by a check.
"""

from __future__ import annotations

import bisect
import datetime as dt
import typing
from collections import defaultdict
from collections.abc import Callable, Mapping
from typing import Any

from backbalance.core import api
from backbalance.web.checkup.forms import WORK
from backbalance.web.common.bodymap import PAIN_REGION_LABELS, PAIN_SIDE_LABELS
from backbalance.web.common.content import content
from backbalance.web.journal.forms import ACTIVITIES, HOURS_IN_A_DAY, SLEEP
from backbalance.web.ledger.models import Provider, Visit
from backbalance.web.ledger.services import course_data
from backbalance.web.ownership.records import ParsedRecord, data_fields, kind_of
from backbalance.web.therapies import services as therapies
from backbalance.web.therapies.models import DeviceSession

Errors = list[api.FieldError]


def _values(record: ParsedRecord) -> dict[str, Any]:
    """The record's values by attribute name, with null for each value the file left null
    (the field reader keeps no entry for those, so the model's default applies)."""
    return {field.attname: None for field in data_fields(record.model)} | record.values


def _within(errors: Errors, path: str) -> Errors:
    """The core's errors (paths inside one part) placed under ``path``."""
    return [api.FieldError(f"{path}.{error.path}", error.message) for error in errors]


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _on_scale(value: object, scale: Any, path: str, *, empty: bool = True) -> Errors:
    """A rating on one of the content's 0-10 style scales (``progression.scales``)."""
    if value is None and empty:
        return []
    if not _whole(value) or not scale.minimum <= value <= scale.maximum:
        return [
            api.FieldError(path, f"must be a whole number from {scale.minimum} to {scale.maximum}")
        ]
    return []


def _ids_from(raw: object, known: Mapping[str, object], path: str, what: str) -> Errors:
    """A list of ids, each one the content knows."""
    if not isinstance(raw, list):
        return [api.FieldError(path, f"must be a list of {what} ids")]
    return [
        api.FieldError(f"{path}.{number}", f"{api.echo(item)} is not a {what} this app knows")
        for number, item in enumerate(raw, start=1)
        if not isinstance(item, str) or item not in known
    ]


def _real_date(raw: object, path: str) -> Errors:
    if not isinstance(raw, str):
        return [api.FieldError(path, "must be a date written as text, like 2026-03-01")]
    try:
        dt.date.fromisoformat(raw)
    except ValueError:
        return [api.FieldError(path, f"{api.echo(raw)} is not a real date, like 2026-03-01")]
    return []


# --------------------------------------------------------------------------- check-ups


def _assessment(record: ParsedRecord, _file: list[ParsedRecord]) -> Errors:
    """Each part of a check-up through the core's own parser for it.

    A check-up still being filled in holds only the parts given so far, so each part is
    checked when it is there; a finished one must read as a whole case, as its result is
    derived from it.
    """
    values, path = _values(record), record.path
    loaded = content()
    errors: Errors = []
    parts: list[Callable[[], object]] = [
        lambda: api.parse_questionnaires(values["questionnaires"], loaded),
    ]
    if values["person"]:
        parts.append(lambda: api.parse_person(values["person"], loaded))
    if values["context"] is not None:
        parts.append(lambda: api.parse_context(values["context"], loaded))
    for parse in parts:
        try:
            parse()
        except api.CaseError as refused:
            errors.extend(_within(refused.errors, path))
    errors.extend(_screening(values, path))
    tests = values["tests"]
    for test_id, reading in tests.items():
        try:
            api.parse_test(test_id, reading, loaded)
        except api.CaseError as refused:
            errors.extend(_within(refused.errors, path))
    for name in ("skipped_tests", "chosen_tests"):
        errors.extend(_ids_from(values[name], loaded.tests, f"{path}.{name}", "self-test"))
    questions = {q.id: q for q in loaded.red_flags.questions}
    errors.extend(_ids_from(values["not_reached"], questions, f"{path}.not_reached", "question"))
    if values["work"] and values["work"] not in dict(WORK):
        errors.append(api.FieldError(f"{path}.work", f"{api.echo(values['work'])} is not a choice"))
    hours = values["sitting_hours"]
    if hours is not None and not 0 <= hours <= HOURS_IN_A_DAY:
        errors.append(
            api.FieldError(f"{path}.sitting_hours", f"must be from 0 to {HOURS_IN_A_DAY} hours")
        )
    if not errors and values["completed_at"] is not None:
        case: dict[str, object] = {
            "person": values["person"],
            "screening": values["screening"],
            "questionnaires": values["questionnaires"],
            "tests": tests,
        }
        if values["context"] is not None:
            case["context"] = values["context"]
        try:
            api.parse_case(case, loaded)
        except api.CaseError as refused:
            errors.extend(_within(refused.errors, path))
    return errors


def _screening(values: dict[str, Any], path: str) -> Errors:
    """The safety answers: every one valid; all of them there once the screen is done."""
    screening = values["screening"]
    if not screening and values["screened_at"] is None:
        return []
    try:
        api.parse_screening(screening, content())
    except api.CaseError as refused:
        # A screen still being answered lacks the questions on its later pages: only
        # those may be missing, and only until the screen is done.
        later = (
            set()
            if values["screened_at"] is not None
            else {
                f"screening.{q.id}" for q in content().red_flags.questions if q.id not in screening
            }
        )
        return _within([error for error in refused.errors if error.path not in later], path)
    return []


# --------------------------------------------------------------------------- the journal


def _check_in(record: ParsedRecord, _file: list[ParsedRecord]) -> Errors:
    values, path = _values(record), record.path
    errors = _on_scale(values["pain_now"], content().progression.scales.pain, f"{path}.pain_now")
    region, side = values["region"], values["side"]
    if region and region not in PAIN_REGION_LABELS:
        errors.append(api.FieldError(f"{path}.region", f"{api.echo(region)} is not a body region"))
    if side and side not in PAIN_SIDE_LABELS:
        errors.append(api.FieldError(f"{path}.side", f"{api.echo(side)} is not a side"))
    if bool(region) != bool(side):
        errors.append(api.FieldError(f"{path}.side", "a region and its side go together"))
    answers = typing.get_args(api.Answer)
    safety = values["safety"]
    errors.extend(
        api.FieldError(f"{path}.safety.{api.echo(key)}", f"answer {', '.join(answers)}")
        for key, answer in safety.items()
        if answer not in answers
    )
    sleep = values["sleep_quality"]
    if sleep is not None and str(sleep) not in dict(SLEEP):
        choices = ", ".join(dict(SLEEP))
        errors.append(api.FieldError(f"{path}.sleep_quality", f"must be one of {choices}"))
    hours = values["hours_sitting"]
    if hours is not None and not 0 <= hours <= HOURS_IN_A_DAY:
        errors.append(
            api.FieldError(f"{path}.hours_sitting", f"must be from 0 to {HOURS_IN_A_DAY} hours")
        )
    errors.extend(_ids_from(values["did"], dict(ACTIVITIES), f"{path}.did", "kind of activity"))
    return errors


# --------------------------------------------------------------------------- the routine

# The fields of an item state as the routine stores it (``api.to_jsonable(ItemState)``).
_STATE_FIELDS = {
    "exercise_id": "text",
    "side": "text",
    "sets": "whole",
    "reps": "whole or null",
    "hold_s": "number or null",
    "level": "whole",
    "load_kg": "number or null",
    "stopped": "true or false",
    "read": "object or null",
}
_KIND_CHECKS: dict[str, Callable[[object], bool]] = {
    "text": lambda v: isinstance(v, str),
    "whole": _whole,
    "whole or null": lambda v: v is None or _whole(v),
    "number or null": lambda v: v is None or _number(v),
    "true or false": lambda v: isinstance(v, bool),
    "object or null": lambda v: v is None or isinstance(v, dict),
}
_KIND_WORDS = {
    "text": "text",
    "whole": "a whole number",
    "whole or null": "a whole number or null",
    "number or null": "a number or null",
    "true or false": "true or false",
    "object or null": "an object or null",
}


def item_state_errors(raw: object, path: str) -> Errors:
    """One routine item's state, as ``routine.services.state_from_json`` will read it.

    The shape is checked here; the values go through ``api.ItemState`` itself (sides,
    sets, reps and hold above zero), and the exercise must be one the content holds.
    """
    if not isinstance(raw, dict):
        return [api.FieldError(path, "must be an object: one routine item")]
    errors = [
        api.FieldError(f"{path}.{api.echo(key)}", "is not part of a routine item")
        for key in raw
        if key not in _STATE_FIELDS
    ]
    for name, kind in _STATE_FIELDS.items():
        if name not in raw:
            # The last three have defaults in the core; the others must be given.
            if name not in ("load_kg", "stopped", "read"):
                errors.append(api.FieldError(f"{path}.{name}", "missing"))
        elif not _KIND_CHECKS[kind](raw[name]):
            errors.append(api.FieldError(f"{path}.{name}", f"must be {_KIND_WORDS[kind]}"))
    if errors:
        return errors
    exercise = raw["exercise_id"]
    if exercise not in content().exercises:
        errors.append(
            api.FieldError(f"{path}.exercise_id", f"{api.echo(exercise)} is not an exercise")
        )
    read = raw.get("read")
    if read is not None:
        errors.extend(_read_mark_errors(read, f"{path}.read"))
    try:
        api.ItemState(**{k: v for k, v in raw.items() if k != "read"})
    except api.ProgressionError as refused:
        errors.extend(_within(refused.errors, path))
    return errors


def _read_mark_errors(read: dict[str, Any], path: str) -> Errors:
    errors = [
        api.FieldError(f"{path}.{name}", "missing")
        for name in ("day", "count_on_day", "morning_pending")
        if name not in read
    ] + [
        api.FieldError(f"{path}.{api.echo(key)}", "is not part of a read mark")
        for key in read
        if key not in ("day", "count_on_day", "morning_pending")
    ]
    if errors:
        return errors
    errors = _real_date(read["day"], f"{path}.day")
    if not _whole(read["count_on_day"]) or read["count_on_day"] < 0:
        errors.append(api.FieldError(f"{path}.count_on_day", "must be a whole number, 0 or more"))
    if not isinstance(read["morning_pending"], bool):
        errors.append(api.FieldError(f"{path}.morning_pending", "must be true or false"))
    return errors


def _plan(record: ParsedRecord, _file: list[ParsedRecord]) -> Errors:
    items = _values(record)["items"]
    return [
        error
        for number, raw in enumerate(items, start=1)
        for error in item_state_errors(raw, f"{record.path}.items.{number}")
    ]


# The fields of one logged item of a session (``routine.services.ItemLog``).
_LOG_FIELDS = ("exercise", "done", "sets", "pain_during", "effort", "reps_done")


def _session(record: ParsedRecord, _file: list[ParsedRecord]) -> Errors:
    values, path = _values(record), record.path
    scales = content().progression.scales
    errors = _on_scale(values["usual_pain"], scales.pain, f"{path}.usual_pain")
    morning = values["pain_next_morning"] or None
    try:
        # The core's session log checks the next-morning answer against its own scale.
        api.SessionLog(
            day=values["day"],
            completed=False,
            pain_during=0,
            pain_next_morning=morning,
            difficulty=0,
            usual_pain=0,
        )
    except api.ProgressionError as refused:
        errors.extend(_within(refused.errors, path))
    for number, item in enumerate(values["items"], start=1):
        where = f"{path}.items.{number}"
        if not isinstance(item, dict):
            errors.append(api.FieldError(where, "must be an object: one logged item"))
            continue
        shape = [
            api.FieldError(f"{where}.{name}", "missing")
            for name in _LOG_FIELDS[:5]
            if name not in item
        ] + [
            api.FieldError(f"{where}.{api.echo(key)}", "is not part of a logged item")
            for key in item
            if key not in _LOG_FIELDS
        ]
        if shape:
            errors.extend(shape)
            continue
        errors.extend(_logged_item_errors(item, where, scales))
    if errors:
        return errors
    # Each item done, as the progression rules will read it (``api.SessionLog``).
    for number, item in enumerate(values["items"], start=1):
        if not item["done"]:
            continue
        try:
            api.SessionLog(
                day=values["day"],
                completed=True,
                pain_during=item["pain_during"],
                pain_next_morning=morning,
                difficulty=item["effort"],
                usual_pain=values["usual_pain"] or 0,
                new_symptoms=values["new_symptoms"],
                reps_done=item.get("reps_done"),
            )
        except api.ProgressionError as refused:
            # The morning was checked above; what is left belongs to the item.
            errors.extend(
                _within(
                    [e for e in refused.errors if e.path != "pain_next_morning"],
                    f"{path}.items.{number}",
                )
            )
    return errors


def _logged_item_errors(item: dict[str, Any], where: str, scales: Any) -> Errors:
    errors: Errors = []
    if not isinstance(item["exercise"], str) or item["exercise"] not in content().exercises:
        errors.append(
            api.FieldError(f"{where}.exercise", f"{api.echo(item['exercise'])} is not an exercise")
        )
    if not isinstance(item["done"], bool):
        errors.append(api.FieldError(f"{where}.done", "must be true or false"))
    sets = item["sets"]
    sides = typing.get_args(api.Side)
    if not isinstance(sets, dict):
        errors.append(api.FieldError(f"{where}.sets", "must be an object: sets done per side"))
    else:
        for side, count in sets.items():
            if side not in sides:
                errors.append(
                    api.FieldError(
                        f"{where}.sets.{api.echo(side)}",
                        f"is not a side; use {', '.join(sides[:-1])} or {sides[-1]}",
                    )
                )
            elif not _whole(count) or count < 0:
                errors.append(api.FieldError(f"{where}.sets.{side}", "must be a whole number"))
    done = item["done"] is True
    # A done item is rated; a skipped one may be left blank.
    errors.extend(
        _on_scale(item["pain_during"], scales.pain, f"{where}.pain_during", empty=not done)
    )
    errors.extend(_on_scale(item["effort"], scales.effort, f"{where}.effort", empty=not done))
    reps = item.get("reps_done")
    if reps is not None and not _whole(reps):
        errors.append(api.FieldError(f"{where}.reps_done", "must be a whole number or null"))
    return errors


# The parts of a stored proposal the routine reads back (``_proposal_from_json``).
_PROPOSAL_FIELDS = (
    "action",
    "flare_up",
    "reason",
    "new_state",
    "rule_id",
    "sources",
    "decided_for",
    "requires_acceptance",
    "based_on",
)


def _proposal(record: ParsedRecord, _file: list[ParsedRecord]) -> Errors:
    raw, path = _values(record)["proposal"], f"{record.path}.proposal"
    if not isinstance(raw, dict):
        return [api.FieldError(path, "must be an object: a proposal the routine made")]
    errors = [
        api.FieldError(f"{path}.{name}", "missing") for name in _PROPOSAL_FIELDS if name not in raw
    ]
    if errors:
        return errors
    actions = typing.get_args(typing.get_type_hints(api.Proposal)["action"])
    if raw["action"] not in actions:
        errors.append(api.FieldError(f"{path}.action", f"must be one of {', '.join(actions)}"))
    for name in ("flare_up", "requires_acceptance"):
        if not isinstance(raw[name], bool):
            errors.append(api.FieldError(f"{path}.{name}", "must be true or false"))
    for name in ("reason", "rule_id"):
        if not isinstance(raw[name], str):
            errors.append(api.FieldError(f"{path}.{name}", "must be text"))
    if not isinstance(raw["sources"], list) or not all(isinstance(s, str) for s in raw["sources"]):
        errors.append(api.FieldError(f"{path}.sources", "must be a list of source ids"))
    errors.extend(item_state_errors(raw["decided_for"], f"{path}.decided_for"))
    if raw["new_state"] is not None:
        errors.extend(item_state_errors(raw["new_state"], f"{path}.new_state"))
    if not isinstance(raw["based_on"], list):
        errors.append(api.FieldError(f"{path}.based_on", "must be a list of dates"))
    else:
        for number, day in enumerate(raw["based_on"], start=1):
            errors.extend(_real_date(day, f"{path}.based_on.{number}"))
    return errors


# --------------------------------------------------------------------------- devices


def _device_stage(record: ParsedRecord, _file: list[ParsedRecord]) -> Errors:
    """The device has a protocol in the content, and the stage is one of its stages."""
    values, path = _values(record), record.path
    device = values["device"]
    try:
        stages = content().adjuncts.therapy(device).protocol.stages
    except KeyError:
        return [api.FieldError(f"{path}.device", f"{api.echo(device)} has no protocol here")]
    errors: Errors = []
    if not 1 <= values["stage"] <= len(stages):
        errors.append(
            api.FieldError(
                f"{path}.stage", f"must be a stage of the {device} protocol, 1 to {len(stages)}"
            )
        )
    pain = content().progression.scales.pain
    for name in ("pain_before", "pain_after"):
        errors.extend(_on_scale(values.get(name), pain, f"{path}.{name}"))
    return errors


def _stage_is_known(values: dict[str, Any]) -> bool:
    """The session's device and stage are ones :func:`_device_stage` lets through."""
    try:
        stages = content().adjuncts.therapy(values["device"]).protocol.stages
    except KeyError:
        return False
    return bool(1 <= values["stage"] <= len(stages))


def _device_limits(records: list[ParsedRecord]) -> Errors:
    """Each device session within what the log form would have let through when it was
    logged: its values within its stage's setting and the protocol's limits, no more
    sessions in its day or week than the stage allows, the day's total within the limit
    (``therapies.services.check_logged_session``, the form's own check).

    A session is judged after the sessions on its device that come before it in time (in
    file order for the same moment). A problem that belongs to no one value (one session
    too many that day or week) is named by the session's time.
    """
    by_device: dict[str, list[tuple[ParsedRecord, DeviceSession]]] = defaultdict(list)
    for record in records:
        values = _values(record)
        if record.model is DeviceSession and _stage_is_known(values):
            by_device[values["device"]].append((record, DeviceSession(**values)))
    errors: Errors = []
    for sessions in by_device.values():
        # A stable sort: sessions at the same moment keep their order in the file.
        sessions.sort(key=lambda pair: pair[1].at)
        times = [session.at for _record, session in sessions]
        for number, (record, session) in enumerate(sessions):
            first = bisect.bisect_left(times, session.at - therapies.LOOK_BACK, hi=number)
            earlier = [s for _r, s in sessions[first:number]]
            for field_name, message in therapies.check_logged_session(session, earlier).items():
                errors.append(api.FieldError(f"{record.path}.{field_name or 'at'}", message))
            # Enough to show; a file of many thousand sessions in one day stops here.
            if len(errors) >= api.MAX_ERRORS_SHOWN:
                return errors
    return errors


# --------------------------------------------------------------------------- the ledger


def _courses(records: list[ParsedRecord]) -> Errors:
    """Each therapist's visits, read as one course of care by the core (``parse_course``),
    exactly as the ledger page reads them."""
    providers = {r.values["id"]: r for r in records if r.model is Provider}
    visits: dict[object, list[ParsedRecord]] = defaultdict(list)
    for record in records:
        if record.model is Visit:
            visits[record.values["provider_id"]].append(record)
    errors: Errors = []
    for provider_id, provider_record in providers.items():
        # In the ledger's own order, so the core's "visits.<n>" names the same visit.
        mine = sorted(
            visits.get(provider_id, []),
            key=lambda r: (r.values["date"], r.values["created_at"]),
        )
        if not mine:
            continue
        provider = Provider(**_values(provider_record))
        rows = [Visit(**_values(r)) for r in mine]
        try:
            api.parse_course(course_data(provider, rows, None), content())
        except api.LedgerError as refused:
            for error in refused.errors:
                parts = error.path.split(".")
                if parts[0] == "visits" and len(parts) >= 3 and parts[1].isdigit():
                    where = mine[int(parts[1]) - 1].path
                    errors.append(api.FieldError(f"{where}.{'.'.join(parts[2:])}", error.message))
                else:
                    errors.append(
                        api.FieldError(f"{provider_record.path}.{error.path}", error.message)
                    )
    return errors


def _booking(record: ParsedRecord, _file: list[ParsedRecord]) -> Errors:
    """A length only with a time, as the booking form asks: a whole day has no end time."""
    values = _values(record)
    if values["length_minutes"] is not None and values["time"] is None:
        return [api.FieldError(f"{record.path}.length_minutes", "needs the time it starts at")]
    return []


# --------------------------------------------------------------------------- all of them

# Kind -> its check, one record at a time.
RECORD_CHECKS: dict[str, Callable[[ParsedRecord, list[ParsedRecord]], Errors]] = {
    "checkup.Assessment": _assessment,
    "journal.CheckIn": _check_in,
    "ledger.Booking": _booking,
    "routine.RoutinePlan": _plan,
    "routine.Session": _session,
    "routine.PendingProposal": _proposal,
    "therapies.DeviceSession": _device_stage,
    "therapies.StageMove": _device_stage,
}
# Kinds checked together with others (a ledger's visits as one course).
CHECKED_TOGETHER = {"ledger.Provider", "ledger.Visit"}


def meaning_errors(records: list[ParsedRecord]) -> Errors:
    """Every problem that would break the app later, for every record in the file."""
    errors: Errors = []
    for record in records:
        check = RECORD_CHECKS.get(kind_of(record.model))
        if check is not None:
            errors.extend(check(record, records))
    errors.extend(_courses(records))
    errors.extend(_device_limits(records))
    return errors
