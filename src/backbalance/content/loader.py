"""Load the clinical content once, validate it strictly, and check every reference.

The content lives as YAML beside this module (``data/``). :func:`load_content` parses
every file into the typed models of :mod:`backbalance.content.schema`, then checks that
everything one item names exists in another (muscles, signs, tests, fields, sources).
Any problem raises :class:`ContentError` listing all problems found, not just the first.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields, is_dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from backbalance.content.schema import (
    AllOf,
    AnswerIs,
    AnyOf,
    Condition,
    CountOf,
    EngineSettings,
    Figure,
    Instrument,
    Manifest,
    Muscle,
    Pattern,
    RatioRule,
    RedFlags,
    SelfTest,
    Sign,
    Source,
)
from backbalance.content.schema_adjuncts import Adjuncts
from backbalance.content.schema_outcomes import OutcomeRules
from backbalance.content.schema_program import (
    Equipment,
    Exercise,
    HealthCondition,
    Movement,
    ProgramSettings,
)
from backbalance.content.schema_progression import ProgressionRules
from backbalance.content.validation import validate

if TYPE_CHECKING:
    from pydantic import ValidationError

T = TypeVar("T")

# Sources are split by topic into sources/*.yaml and merged; the rest is one file each.
SOURCES_DIR = "sources"
DATA_FILES = (
    "manifest.yaml",
    "engine.yaml",
    "muscles.yaml",
    "signs.yaml",
    "tests.yaml",
    "ratios.yaml",
    "patterns.yaml",
    "red_flags.yaml",
    "instruments.yaml",
    "conditions.yaml",
    "equipment.yaml",
    "movements.yaml",
    "exercises.yaml",
    "program.yaml",
    "progression.yaml",
    "adjuncts.yaml",
    "outcomes.yaml",
)


class ContentError(Exception):
    """The content files are broken. ``problems`` lists each one with its file and place."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("content is invalid:\n" + "\n".join(f"  - {p}" for p in problems))


@dataclass(frozen=True)
class Content:
    """Everything the engine knows, indexed by id. Immutable once loaded."""

    version: str
    manifest: Manifest
    sources: dict[str, Source]
    engine: EngineSettings
    muscles: dict[str, Muscle]
    signs: dict[str, Sign]
    tests: dict[str, SelfTest]
    ratios: tuple[RatioRule, ...]
    patterns: dict[str, Pattern]
    red_flags: RedFlags
    instruments: dict[str, Instrument]
    conditions: dict[str, HealthCondition]
    equipment: dict[str, Equipment]
    movements: dict[str, Movement]
    exercises: dict[str, Exercise]
    program: ProgramSettings
    progression: ProgressionRules
    adjuncts: Adjuncts
    outcomes: OutcomeRules


def default_data_dir() -> Path:
    # Beside this module, as the package ships it. Not importlib.resources: that module
    # alone imports tempfile, shutil and three compression libraries at every start.
    return Path(__file__).resolve().parent / "data"


@cache
def load_content(data_dir: Path | None = None) -> Content:
    """The content in ``data_dir`` (the packaged content by default), loaded once per process.

    The packaged content is kept, once fully checked, in a cache file in the user's cache
    folder (see :func:`content_cache_dir`), so a fresh process need not parse and check
    the YAML again. Any other folder is always parsed and checked in full.
    """
    if data_dir is None:
        return read_content(default_data_dir(), cache_dir=content_cache_dir())
    return read_content(data_dir)


def check_content(data_dir: Path | None = None) -> Content:
    """Parse and check every file in full, never trusting the cache (``content check``)."""
    return read_content(data_dir or default_data_dir())


def read_content(directory: Path, cache_dir: Path | None = None) -> Content:
    """Parse and check the content in ``directory``; with ``cache_dir``, reuse a checked copy.

    A cached copy is used only when it was written from the very same files by the very
    same loading and checking code (see :func:`_cache_key`); otherwise the files are parsed
    and checked in full, and the cache is rewritten after the checks pass. A missing,
    stale, corrupt or unwritable cache only costs time, never correctness.
    """
    files, problems = _read_files(directory)
    if problems:
        _parse_and_check(files, "", problems)  # raises, listing YAML errors as well
    version_digest = hashlib.sha256()
    for name, text in files:
        # Hashed by bare file name, as content versions always have been.
        version_digest.update(Path(name).name.encode() + b"\0" + text)
    key = _cache_key(version_digest.hexdigest()) if cache_dir is not None else None
    if cache_dir is not None and key is not None:
        cached = _read_cache(cache_file(cache_dir, directory), key, version_digest.hexdigest())
        if cached is not None:
            return cached
    content = _parse_and_check(files, version_digest.hexdigest())
    if cache_dir is not None and key is not None:
        _write_cache(cache_file(cache_dir, directory), key, content)
    return content


# --------------------------------------------------------------------------- cache

CACHE_DIR_ENV = "BACKBALANCE_CACHE_DIR"
# Raise when the layout of the cache file changes, so old files are simply not used.
CACHE_FORMAT = "2"  # 2: the content classes are dataclasses, no longer pydantic models
_CACHE_HEADER = b"backbalance checked content\n"


def content_cache_dir() -> Path | None:
    """The folder for the checked-content cache, or None for no cache.

    ``$BACKBALANCE_CACHE_DIR`` when set (set but empty turns the cache off), otherwise the
    user's cache folder: ``$XDG_CACHE_HOME`` or ``~/.cache`` on Linux, ``~/Library/Caches``
    on macOS, ``%LOCALAPPDATA%`` on Windows, each with a ``backbalance`` folder. Never a
    relative path, and never inside the installed package.
    """
    chosen = os.environ.get(CACHE_DIR_ENV)
    try:
        if chosen is not None:
            folder = Path(chosen) if chosen else None
        elif sys.platform == "win32":
            local = os.environ.get("LOCALAPPDATA")
            folder = Path(local) / "backbalance" if local else None
        elif sys.platform == "darwin":
            folder = Path.home() / "Library" / "Caches" / "backbalance"
        else:
            xdg = os.environ.get("XDG_CACHE_HOME")
            # The XDG rules say a relative XDG_CACHE_HOME is to be ignored.
            base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
            folder = base / "backbalance"
    except RuntimeError:  # no home folder to be found
        return None
    if folder is None or not folder.is_absolute():
        return None
    package = Path(__file__).resolve().parent.parent
    if folder.resolve().is_relative_to(package):
        return None
    return folder


@cache
def _code_fingerprint() -> str | None:
    """A hash of the code that parses and checks the content (this package's modules).

    Part of the cache key, so a change to a schema or a check is never answered with
    content that was checked by the old code. None (no cache) when the code is unreadable.
    """
    digest = hashlib.sha256()
    try:
        for module in sorted(Path(__file__).resolve().parent.glob("*.py")):
            digest.update(module.name.encode() + b"\0" + module.read_bytes())
    except OSError:
        return None
    return digest.hexdigest()


def _cache_key(content_digest: str) -> str | None:
    """What a cached copy must have been made from: these files, this code, these versions."""
    code = _code_fingerprint()
    if code is None:
        return None
    checker = _checker_fingerprint()
    if checker is None:
        return None
    parts = (CACHE_FORMAT, content_digest, code, sys.version, checker)
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


@cache
def _checker_fingerprint() -> str | None:
    """A hash of pydantic's version file: content checked by another pydantic is checked again.

    Read from the file, not by importing pydantic: a start served from the cache imports
    no pydantic at all. None (no cache) when pydantic cannot be found.
    """
    import importlib.util

    spec = importlib.util.find_spec("pydantic")
    if spec is None or spec.origin is None:
        return None
    try:
        return hashlib.sha256(Path(spec.origin).with_name("version.py").read_bytes()).hexdigest()
    except OSError:
        return None


def _owned_and_private(path: Path) -> bool:
    """On POSIX, a cache file is read only if it is ours and nobody else may write to it."""
    if os.name != "posix":
        return True
    status = path.stat()
    return status.st_uid == os.getuid() and not status.st_mode & 0o022


def cache_file(cache_dir: Path, data_dir: Path) -> Path:
    """The cache file for the content in ``data_dir``.

    One file per content folder, so two installs (two checkouts, two virtual environments)
    keep a cache each instead of overwriting one another's on every start.
    """
    where = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:16]
    return cache_dir / f"content-{where}.pickle"


def _read_cache(path: Path, key: str, version_digest: str) -> Content | None:
    """The cached content, or None when it is missing, stale, corrupt or not ours."""
    try:
        if not path.is_file() or not _owned_and_private(path):
            return None
        blob = path.read_bytes()
    except OSError:
        return None
    expected = _CACHE_HEADER + key.encode() + b"\n"
    if not blob.startswith(expected):
        return None  # made from other files, other code or another version
    checksum, newline, payload = blob[len(expected) :].partition(b"\n")
    if not newline or hashlib.sha256(payload).hexdigest().encode() != checksum:
        return None  # damaged
    try:
        content = pickle.loads(payload)
    except Exception:  # any failure to rebuild it means: load the files instead
        return None
    if not isinstance(content, Content) or not content.version.endswith("+" + version_digest[:10]):
        return None
    return content


def _write_cache(path: Path, key: str, content: Content) -> None:
    """Keep the checked content for the next process; quietly skip when that fails."""
    import tempfile  # only needed when writing, which is rare

    try:
        payload = pickle.dumps(content, protocol=pickle.HIGHEST_PROTOCOL)
        checksum = hashlib.sha256(payload).hexdigest().encode()
        blob = _CACHE_HEADER + key.encode() + b"\n" + checksum + b"\n" + payload
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".content-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(blob)
            # Atomic: a reader sees the old file or the new one, never half of one.
            os.replace(temporary, path)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
    except Exception:  # a cache that cannot be written only costs time on the next start
        return


def _read_files(directory: Path) -> tuple[list[tuple[str, bytes]], list[str]]:
    """Every content file as (name, bytes): the data files in order, then the sources."""
    files: list[tuple[str, bytes]] = []
    problems: list[str] = []
    for name in DATA_FILES:
        path = directory / name
        if not path.exists():
            problems.append(f"{name}: file is missing")
            continue
        files.append((name, path.read_bytes()))
    source_files = sorted((directory / SOURCES_DIR).glob("*.yaml"))
    if not source_files:
        problems.append(f"{SOURCES_DIR}/: no source files")
    for path in source_files:
        files.append((f"{SOURCES_DIR}/{path.name}", path.read_bytes()))
    return files, problems


def _parse_and_check(
    files: list[tuple[str, bytes]], digest: str, problems: list[str] | None = None
) -> Content:
    """Parse every file into the typed models and check every cross-reference."""
    # Imported here, not at the top: a start served from the cache parses no YAML, and
    # PyYAML alone takes about as long to import as the cache takes to read.
    import yaml

    # libyaml's C parser is about twenty times faster than the pure-Python one; both give
    # the same data, so use it where PyYAML was built with it.
    yaml_loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    problems = list(problems or [])
    raw: dict[str, Any] = {"sources": []}
    for name, text in files:
        try:
            data = yaml.load(text, Loader=yaml_loader)
        except yaml.YAMLError as exc:
            problems.append(f"{name}: not valid YAML: {exc}")
            continue
        if name.startswith(f"{SOURCES_DIR}/"):
            raw["sources"].extend(data or [])
        else:
            raw[name] = data
    if problems:
        raise ContentError(problems)

    manifest = _parse_one(raw["manifest.yaml"], Manifest, "manifest.yaml", problems)
    engine = _parse_one(raw["engine.yaml"], EngineSettings, "engine.yaml", problems)
    red_flags = _parse_one(raw["red_flags.yaml"], RedFlags, "red_flags.yaml", problems)
    sources = _parse_list(raw["sources"], Source, "sources", problems)
    muscles = _parse_list(raw["muscles.yaml"], Muscle, "muscles.yaml", problems)
    signs = _parse_list(raw["signs.yaml"], Sign, "signs.yaml", problems)
    tests = _parse_list(raw["tests.yaml"], SelfTest, "tests.yaml", problems)
    ratios = _parse_list(raw["ratios.yaml"], RatioRule, "ratios.yaml", problems)
    patterns = _parse_list(raw["patterns.yaml"], Pattern, "patterns.yaml", problems)
    instruments = _parse_list(raw["instruments.yaml"], Instrument, "instruments.yaml", problems)
    conditions = _parse_list(raw["conditions.yaml"], HealthCondition, "conditions.yaml", problems)
    equipment = _parse_list(raw["equipment.yaml"], Equipment, "equipment.yaml", problems)
    movements = _parse_list(raw["movements.yaml"], Movement, "movements.yaml", problems)
    exercises = _parse_list(raw["exercises.yaml"], Exercise, "exercises.yaml", problems)
    program = _parse_one(raw["program.yaml"], ProgramSettings, "program.yaml", problems)
    progression = _parse_one(
        raw["progression.yaml"], ProgressionRules, "progression.yaml", problems
    )
    adjuncts = _parse_one(raw["adjuncts.yaml"], Adjuncts, "adjuncts.yaml", problems)
    outcomes = _parse_one(raw["outcomes.yaml"], OutcomeRules, "outcomes.yaml", problems)
    singles = (manifest, engine, red_flags, program, progression, adjuncts, outcomes)
    if problems or any(one is None for one in singles):
        raise ContentError(problems)
    assert manifest and engine and red_flags and program and progression and adjuncts
    assert outcomes

    content = Content(
        version=f"{manifest.version}+{digest[:10]}",
        manifest=manifest,
        sources=_index(sources, "sources", problems),
        engine=engine,
        muscles=_index(muscles, "muscles.yaml", problems),
        signs=_index(signs, "signs.yaml", problems),
        tests=_index(tests, "tests.yaml", problems),
        ratios=tuple(ratios),
        patterns=_index(patterns, "patterns.yaml", problems),
        red_flags=red_flags,
        instruments=_index(instruments, "instruments.yaml", problems),
        conditions=_index(conditions, "conditions.yaml", problems),
        equipment=_index(equipment, "equipment.yaml", problems),
        movements=_index(movements, "movements.yaml", problems),
        exercises=_index(exercises, "exercises.yaml", problems),
        program=program,
        progression=progression,
        adjuncts=adjuncts,
        outcomes=outcomes,
    )
    problems.extend(check_references(content))
    if problems:
        raise ContentError(problems)
    return content


# pydantic words a few problems differently for the dataclasses the content is built into
# than for its own models; the content check says them as it always has.
_SAME_WORDS_AS_BEFORE = {
    "unexpected_keyword_argument": "Extra inputs are not permitted",
    "dataclass_type": "Input should be a valid dictionary or instance of {class_name}",
}


def _format_validation(where: str, exc: ValidationError) -> Iterator[str]:
    for error in exc.errors():
        location = ".".join(str(part) for part in error["loc"])
        words = _SAME_WORDS_AS_BEFORE.get(error["type"])
        message = words.format(**error.get("ctx", {})) if words else error["msg"]
        yield f"{where}: {location}: {message}"


def _parse_one(data: Any, model: type[T], where: str, problems: list[str]) -> T | None:
    from pydantic import ValidationError  # only when files are parsed, never from the cache

    try:
        return validate(model, data)
    except ValidationError as exc:
        problems.extend(_format_validation(where, exc))
        return None


def _parse_list(data: Any, model: type[T], where: str, problems: list[str]) -> list[T]:
    if not isinstance(data, list):
        problems.append(f"{where}: expected a list of items")
        return []
    parsed: list[T] = []
    for position, item in enumerate(data):
        label = item.get("id", position) if isinstance(item, dict) else position
        one = _parse_one(item, model, f"{where}[{label}]", problems)
        if one is not None:
            parsed.append(one)
    return parsed


def _index(items: Iterable[T], where: str, problems: list[str]) -> dict[str, T]:
    index: dict[str, T] = {}
    for item in items:
        item_id = str(getattr(item, "id"))  # noqa: B009 - every indexed model has an id
        if item_id in index:
            problems.append(f"{where}: duplicate id {item_id!r}")
        index[item_id] = item
    return index


# --------------------------------------------------------------------------- references


def _figures(value: Any) -> Iterator[Figure]:
    """Every Figure anywhere inside a model, however deeply nested."""
    if isinstance(value, Figure):
        yield value
    elif is_dataclass(value) and not isinstance(value, type):
        for one in fields(value):
            yield from _figures(getattr(value, one.name))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _figures(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _figures(item)


def _source_lists(value: Any) -> Iterator[list[str]]:
    """Every ``sources`` list anywhere inside a model."""
    if is_dataclass(value) and not isinstance(value, type):
        for one in fields(value):
            child = getattr(value, one.name)
            if one.name == "sources" and isinstance(child, list):
                yield child
            else:
                yield from _source_lists(child)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _source_lists(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _source_lists(item)


def _answers_in(condition: Condition) -> Iterator[str]:
    if isinstance(condition, AnswerIs):
        yield condition.answer
    elif isinstance(condition, AllOf):
        for child in condition.all:
            yield from _answers_in(child)
    elif isinstance(condition, AnyOf):
        for child in condition.any:
            yield from _answers_in(child)
    elif isinstance(condition, CountOf):
        for child in condition.count:
            yield from _answers_in(child)


# The order of triage levels, for content checks (core.types holds the same order for the
# engine; content may not import core).
_RULE_LEVELS = {"routine": 1, "urgent": 2, "emergency": 3}


def _fires_on_yes_alone(condition: Condition, question_id: str) -> bool:
    """Whether a yes to this one question makes the condition true for every person.

    Age and sex conditions depend on the person, so they never count here.
    """
    if isinstance(condition, AnswerIs):
        return condition.answer == question_id
    if isinstance(condition, AllOf):
        return all(_fires_on_yes_alone(child, question_id) for child in condition.all)
    if isinstance(condition, AnyOf):
        return any(_fires_on_yes_alone(child, question_id) for child in condition.any)
    if isinstance(condition, CountOf):
        hits = sum(_fires_on_yes_alone(child, question_id) for child in condition.count)
        return hits >= condition.at_least
    return False


def red_flag_problems(red_flags: RedFlags) -> list[str]:
    """An unsure answer's named level never exceeds what a yes alone gives, and a superseded
    rule always names an existing rule of at least its own level.

    The first keeps the screen monotone: turning "not sure" into "yes" can never lower the
    level. The second keeps a hidden rule from ever changing the level.
    """
    problems: list[str] = []
    for question in red_flags.questions:
        named = question.unsure.counts_as
        if named == "yes":
            continue
        yes_levels = [
            _RULE_LEVELS[rule.level]
            for rule in red_flags.rules
            if _fires_on_yes_alone(rule.when, question.id)
        ]
        if max(yes_levels, default=0) < _RULE_LEVELS[named]:
            problems.append(
                f"red_flags.yaml[{question.id}].unsure.counts_as: {named!r} is higher than the "
                'level a yes to this question alone gives; use "yes" or a lower level'
            )
    rules = {rule.id: rule for rule in red_flags.rules}
    for rule in red_flags.rules:
        if rule.superseded_by is None:
            continue
        stronger = rules.get(rule.superseded_by)
        if stronger is None:
            problems.append(
                f"red_flags.yaml[{rule.id}].superseded_by: unknown rule {rule.superseded_by!r}"
            )
        elif _RULE_LEVELS[stronger.level] < _RULE_LEVELS[rule.level] or stronger.superseded_by:
            problems.append(
                f"red_flags.yaml[{rule.id}].superseded_by: {stronger.id!r} must have at least "
                "the same level and must not itself be superseded"
            )
    return problems


def _retest_problems(content: Content) -> list[str]:
    """The routine and the therapy comparison give one re-test time, not two.

    The routine's date comes from program.yaml; the comparison page shows the figures of
    the muscle-balance protocol in adjuncts.yaml. Any re-test figure there (in weeks)
    must say the same as the routine (in days).
    """
    days = content.program.retest_after_days.value
    problems: list[str] = []
    for therapy in content.adjuncts.therapies:
        for stage in therapy.protocol.stages:
            figures = [(s.id, s.figure) for s in stage.settings if s.id.startswith("retest")]
            if figures and stage.from_week is not None:
                figures.append(("from_week", stage.from_week))
            for name, figure in figures:
                if figure.value * 7 != days:
                    problems.append(
                        f"adjuncts.yaml[{therapy.id}].{stage.id}.{name}: re-test after "
                        f"{figure.value:g} {figure.unit}, but program.yaml retest_after_days "
                        f"is {days:g} days"
                    )
    return problems


def check_references(content: Content) -> list[str]:
    """Every cross-reference resolves; every figure and item names a known source."""
    problems: list[str] = []
    muscles, signs, tests = content.muscles, content.signs, content.tests

    def check_effect_target(where: str, muscle: str | None, sign: str | None) -> None:
        if muscle is not None and muscle not in muscles:
            problems.append(f"{where}: unknown muscle {muscle!r}")
        if sign is not None and sign not in signs:
            problems.append(f"{where}: unknown sign {sign!r}")

    for test in tests.values():
        for target in test.targets:
            if target not in muscles:
                problems.append(f"tests.yaml[{test.id}]: unknown target muscle {target!r}")
        problems.extend(_direction_check_problems(test, content))
        for rule in test.rules:
            for effect in rule.effects:
                check_effect_target(f"tests.yaml[{test.id}].{rule.id}", effect.muscle, effect.sign)

    for ratio in content.ratios:
        for operand in (ratio.numerator, ratio.denominator):
            measured = tests.get(operand.test)
            if measured is None:
                problems.append(f"ratios.yaml[{ratio.id}]: unknown test {operand.test!r}")
                continue
            if operand.field not in {f.id for f in measured.record}:
                problems.append(f"ratios.yaml[{ratio.id}]: {operand.test} has no {operand.field!r}")
            if measured.per_side and operand.side is None:
                problems.append(f"ratios.yaml[{ratio.id}]: {operand.test} is per side; name a side")
        for effect in ratio.effects:
            check_effect_target(f"ratios.yaml[{ratio.id}]", effect.muscle, effect.sign)

    for pattern in content.patterns.values():
        for element in pattern.elements:
            for evidence in element.any_of:
                check_effect_target(
                    f"patterns.yaml[{pattern.id}].{element.id}", evidence.muscle, evidence.sign
                )
        for other in pattern.excludes:
            if other not in content.patterns:
                problems.append(f"patterns.yaml[{pattern.id}]: excludes unknown pattern {other!r}")
        if not any(element.required for element in pattern.elements):
            problems.append(f"patterns.yaml[{pattern.id}]: needs at least one required element")

    problems.extend(_retest_problems(content))

    question_ids = {q.id for q in content.red_flags.questions}
    if len(question_ids) != len(content.red_flags.questions):
        problems.append("red_flags.yaml: duplicate question ids")
    for triage_rule in content.red_flags.rules:
        for answer in _answers_in(triage_rule.when):
            if answer not in question_ids:
                problems.append(f"red_flags.yaml[{triage_rule.id}]: unknown question {answer!r}")
    problems.extend(red_flag_problems(content.red_flags))
    levels = [advice.level for advice in content.red_flags.advice]
    if sorted(levels) != sorted(["emergency", "urgent", "routine", "none"]):
        problems.append("red_flags.yaml: advice must cover each triage level exactly once")

    for instrument in content.instruments.values():
        item_ids = {item.id for item in instrument.items}
        for subscale in instrument.subscales:
            for item_id in subscale.items:
                if item_id not in item_ids:
                    problems.append(
                        f"instruments.yaml[{instrument.id}].{subscale.id}: {item_id!r}?"
                    )

    problems.extend(_check_program_references(content))
    problems.extend(_check_condition_references(content))
    for measure, instrument_id in content.outcomes.measures.items():
        if instrument_id not in content.instruments:
            problems.append(f"outcomes.yaml: measures.{measure}: unknown {instrument_id!r}")

    everything: list[object] = [
        content.program,
        content.progression,
        content.adjuncts,
        content.outcomes,
        *content.exercises.values(),
        content.engine,
        content.red_flags,
        *muscles.values(),
        *signs.values(),
        *tests.values(),
        *content.ratios,
        *content.patterns.values(),
        *content.instruments.values(),
    ]
    for item in everything:
        for source_list in _source_lists(item):
            for source_id in source_list:
                if source_id not in content.sources:
                    label = getattr(item, "id", type(item).__name__)
                    problems.append(f"{label}: unknown source {source_id!r}")
    return problems


def _direction_check_problems(test: SelfTest, content: Content) -> list[str]:
    """A direction check names real movements, ones that can ease if an answer says so,
    and real safety-screen questions."""
    check = test.direction_check
    if check is None:
        return []
    where = f"tests.yaml[{test.id}].direction_check"
    problems: list[str] = []
    eases = any(rule.means == "eases" for rule in check.responses)
    for direction in check.directions:
        movement = content.movements.get(direction.movement)
        if movement is None:
            problems.append(f"{where}.{direction.field}: unknown movement {direction.movement!r}")
        elif eases and not movement.can_ease:
            problems.append(
                f"{where}.{direction.field}: {direction.movement!r} cannot ease the pain, "
                "yet an answer would say it does"
            )
    questions = {q.id for q in content.red_flags.questions}
    for question in check.screen_questions:
        if question not in questions:
            problems.append(f"{where}.screen_questions: unknown screen question {question!r}")
    return problems


def _check_program_references(content: Content) -> list[str]:
    problems: list[str] = []
    for exercise in content.exercises.values():
        where = f"exercises.yaml[{exercise.id}]"
        for target in exercise.targets:
            if target.muscle not in content.muscles:
                problems.append(f"{where}: unknown target muscle {target.muscle!r}")
        for spec in exercise.addresses:
            if spec.muscle is not None and spec.muscle not in content.muscles:
                problems.append(f"{where}: addresses unknown muscle {spec.muscle!r}")
            if spec.sign is not None and spec.sign not in content.signs:
                problems.append(f"{where}: addresses unknown sign {spec.sign!r}")
        for kit in exercise.equipment:
            if kit not in content.equipment:
                problems.append(f"{where}: unknown equipment {kit!r}")
        named = [*exercise.contraindications, *(c.condition for c in exercise.cautions)]
        for condition in named:
            if condition not in content.conditions:
                problems.append(f"{where}: unknown condition {condition!r}")
        for link, back in ((exercise.easier, "harder"), (exercise.harder, "easier")):
            if link is None:
                continue
            other = content.exercises.get(link)
            if other is None:
                problems.append(f"{where}: links to unknown exercise {link!r}")
            elif getattr(other, back) != exercise.id:
                problems.append(f"{where}: {link} does not link back as {back}")
    for test in content.tests.values():
        safety = test.safety
        for condition in [*safety.contraindications, *(c.condition for c in safety.cautions)]:
            if condition not in content.conditions:
                problems.append(f"tests.yaml[{test.id}]: unknown condition {condition!r}")
    for phase in content.program.phases:
        for item in phase.base_items:
            if item not in content.exercises:
                problems.append(f"program.yaml[{phase.id}]: unknown base item {item!r}")
    screened = set(content.adjuncts.screened_conditions)
    if screened != set(content.conditions):
        problems.append(
            "adjuncts.yaml: screened_conditions must list every condition in conditions.yaml "
            f"(differs by {sorted(screened ^ set(content.conditions))})"
        )
    kinds = set(content.program.order)
    if len(kinds) != len(content.program.order):
        problems.append("program.yaml: order repeats a kind")
    return problems


def _check_condition_references(content: Content) -> list[str]:
    """Conditions name real screen questions and conditions; devices name real routine flags."""
    problems: list[str] = []
    questions = {q.id for q in content.red_flags.questions}
    for condition in content.conditions.values():
        where = f"conditions.yaml[{condition.id}]"
        for question in condition.established_by:
            if question not in questions:
                problems.append(f"{where}: established_by unknown screen question {question!r}")
        for implied in condition.implies:
            if implied not in content.conditions or implied == condition.id:
                problems.append(f"{where}: implies unknown condition {implied!r}")
    routine_rules = {r.id for r in content.red_flags.rules if r.level == "routine"}
    for flag in sorted(content.adjuncts.routine_flag_ids() - routine_rules):
        problems.append(f"adjuncts.yaml: {flag!r} is not a routine-level rule in red_flags.yaml")
    return problems


def all_figures(content: Content) -> list[Figure]:
    """Every sourced number in the content (used by integrity tests and the checker)."""
    items: list[object] = [
        content.program,
        content.progression,
        content.adjuncts,
        content.outcomes,
        *content.exercises.values(),
        content.engine,
        content.red_flags,
        *content.tests.values(),
        *content.ratios,
        *content.patterns.values(),
        *content.instruments.values(),
    ]
    return [figure for item in items for figure in _figures(item)]
