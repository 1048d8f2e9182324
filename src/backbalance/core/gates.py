"""Which exercises and self-tests a person may be given now: the one place every gate lives.

The routine builder (:mod:`backbalance.core.program`) admits exercises only through
:meth:`Gates.blocks`, and progression (:mod:`backbalance.core.progression`) checks every
harder or easier exercise it would hand out with the same call. So an exercise reached by
moving on or stepping back passes exactly the gates the routine applied, for the same
person, and a new gate added here holds for both at once.

The gates, in the order their reasons are given:

* **emergency** — an emergency on the safety screen: no exercise at all;
* **urgent** — (self-tests only) an urgent screen: no test until a doctor has seen them;
* **condition** — the exercise is contraindicated with one of the person's conditions;
* **loose_muscle** — it stretches a muscle that any test found loose (lax);
* **worse_direction** — it loads the spine the way a movement that worsens the pain does;
* **worse_position** — it is done in a position (lying down, sitting) that worsens the pain;
* **gentle_only** — only gentle items while a doctor's visit is pending (urgent screen),
  in a calming phase, or during a flare-up;
* **phase_kind** — the current phase does not use this kind of exercise;
* **equipment** — it needs kit the person has not got.

The self-tests pass the same :meth:`Gates.blocks` call, through the gates that mean
something for a test: **emergency**, **condition** (the test's own contraindications) and
**gentle_only** during a flare-up or a calming phase (a test held to failure is not
gentle). An urgent screen switches every test off (**urgent**), not only the hard ones:
the tests are switched off until a clinician has seen the person. The other gates are
about a daily routine and do not apply to a test done once: a test that finds a muscle
loose is how looseness is found; the kit is listed with each test; and a test that moves
the way the pain worsens has stop rules and a "pain stopped me" answer, which makes the
reading inconclusive rather than judged.

Everything here is pure: a :class:`Gates` is built once from the person's answers and the
content, and answers the same way every time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

from backbalance.content.loader import Content
from backbalance.content.schema import SelfTest
from backbalance.content.schema_messages import GateWording, Joiners
from backbalance.content.schema_program import Exercise, ExerciseKind, Phase
from backbalance.content.wording import fill
from backbalance.core.errors import FieldError, InputError
from backbalance.core.types import Finding, Level, SelfTestOffer
from backbalance.core.value import Value

GateId = Literal[
    "emergency",
    "urgent",
    "condition",
    "loose_muscle",
    "worse_direction",
    "worse_position",
    "gentle_only",
    "phase_kind",
    "equipment",
]

# The gates about this person's safety that the routine lists with their reason; the
# others (gentle only, a kind the phase does not use, missing kit) hold back so many
# exercises that listing them would bury the ones that matter.
REPORTED_GATES: frozenset[GateId] = frozenset(
    {"emergency", "urgent", "condition", "loose_muscle", "worse_direction", "worse_position"}
)

# Why only gentle items are allowed (the words are content: engine.yaml messages.gates).
GentleReason = Literal["urgent", "calm_phase", "flare_up"]


class Block(Value, frozen=True):
    """One gate that holds an exercise back, and why, in plain words."""

    gate: GateId
    why: str

    @property
    def reported(self) -> bool:
        return self.gate in REPORTED_GATES


# A standard dataclass, not a core Value: its wording fields are left out of equality and
# hashing (the same person with other words is the same gates), which a struct cannot do.
@dataclass(frozen=True)
class Gates:
    """Everything about one person, now, that decides which exercises they may be given.

    Build it with :func:`gates_for`; the fields are already resolved from the content
    (directions and positions of the movements that worsen the pain, kit always at hand),
    so checking an exercise needs nothing else.
    """

    triage_level: Level
    conditions: frozenset[str]
    loose_muscles: frozenset[str]
    worse_directions: frozenset[str]
    worse_positions: frozenset[str]
    gentle_only: tuple[GentleReason, ...]
    phase_name: str
    kinds: frozenset[ExerciseKind]
    kit: frozenset[str]
    # The words the reasons are written in (content), and the display names of the
    # conditions, muscles and kit named above.
    words: GateWording = field(compare=False, hash=False)
    joiners: Joiners = field(compare=False, hash=False)
    # How each kind of exercise is written, for the reason an exercise is not in the phase.
    kind_words: Mapping[str, str] = field(compare=False, hash=False)
    names: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)

    def blocks(self, item: Exercise | SelfTest) -> tuple[Block, ...]:
        """Every gate that holds an exercise or a self-test back; empty when it may be given."""
        return tuple(self._blocks(item))

    def allows(self, item: Exercise | SelfTest) -> bool:
        return not self.blocks(item)

    def in_a_flare(self) -> Gates:
        """The same person during a flare-up: gentle items only, until it settles."""
        if "flare_up" in self.gentle_only:
            return self
        return replace(self, gentle_only=(*self.gentle_only, "flare_up"))

    def _blocks(self, item: Exercise | SelfTest) -> Iterable[Block]:
        # One function for both, so a test and an exercise in the same position can never
        # be judged by two copies of a rule that drift apart.
        is_test = isinstance(item, SelfTest)
        if isinstance(item, SelfTest):
            contraindications, gentle = item.safety.contraindications, item.safety.gentle
        else:
            contraindications, gentle = item.contraindications, item.gentle
        said = self.words
        if self.triage_level == "emergency":
            until_seen = said.no_self_test_until_seen if is_test else said.no_exercise_until_seen
            yield Block("emergency", until_seen)
        elif is_test and "urgent" in self.gentle_only:
            # A test asks for full range or full effort, which a gentle exercise does not:
            # after an urgent screen every test waits for the doctor, gentle or not.
            yield Block("urgent", said.no_self_tests_until_doctor)
        conditions = sorted(set(contraindications) & self.conditions)
        if conditions:
            yield Block("condition", fill(said.not_safe_with, conditions=self._names(conditions)))
        if isinstance(item, Exercise):
            yield from self._routine_blocks(item)
        because = [r for r in self.gentle_only if not (is_test and r == "urgent")]
        if because and not gentle:
            only = said.gentle_tests_only if is_test else said.gentle_exercises_only
            words = self.joiners.join(
                self.joiners.and_word, (said.gentle_because[r] for r in because)
            )
            yield Block("gentle_only", fill(only, because=words))
        if isinstance(item, Exercise):
            yield from self._kit_blocks(item)

    def _routine_blocks(self, exercise: Exercise) -> Iterable[Block]:
        """The gates that belong to a daily routine only (see the module docstring)."""
        stretched = {t.muscle for t in exercise.targets if t.action == "lengthen"}
        loose = sorted(stretched & self.loose_muscles)
        if loose:
            yield Block("loose_muscle", fill(self.words.loose_muscle, muscles=self._names(loose)))
        worse = [d for d in exercise.directions if d in self.worse_directions]
        if worse:
            directions = ", ".join(self.words.direction_words[d] for d in worse)
            yield Block("worse_direction", fill(self.words.worse_direction, directions=directions))
        if exercise.position in self.worse_positions:
            position = self.words.position_words[exercise.position]
            yield Block("worse_position", fill(self.words.worse_position, position=position))

    def _kit_blocks(self, exercise: Exercise) -> Iterable[Block]:
        if exercise.kind not in self.kinds:
            yield Block(
                "phase_kind",
                fill(
                    self.words.not_in_phase,
                    phase=self.phase_name,
                    kind=self.kind_words[exercise.kind],
                ),
            )
        missing = sorted(set(exercise.equipment) - self.kit)
        if missing:
            yield Block("equipment", fill(self.words.needs_kit, kit=self._names(missing)))

    def _names(self, ids: Iterable[str]) -> str:
        return ", ".join(self.names.get(i, i.replace("_", " ")).lower() for i in ids)


def loose_muscles(findings: Iterable[Finding]) -> frozenset[str]:
    """Every muscle any test found loose, even when other tests outvoted it.

    Stretching a possibly loose muscle is the mistake to rule out, so one loose reading
    is enough.
    """
    return frozenset(f.muscle for f in findings for e in f.evidence if e.status == "lax")


def gates_for(
    *,
    triage_level: Level,
    conditions: Iterable[str],
    worsens: Iterable[str],
    loose: Iterable[str],
    phase: Phase,
    equipment: Iterable[str],
    content: Content,
    flare_up: bool = False,
) -> Gates:
    """The gates for one person now, from what they told us and what the tests found.

    ``worsens`` are movement ids (content/movements.yaml) that make the pain worse;
    ``loose`` the muscles found loose (see :func:`loose_muscles`); ``equipment`` the kit
    they have (kit every home has is added here). Unknown ids raise :class:`InputError`, so a typo
    can never quietly open a gate.
    """
    conditions = frozenset(conditions)
    worsens = frozenset(worsens)
    loose = frozenset(loose)
    equipment = frozenset(equipment)
    _known("condition", "context.conditions", conditions, content.conditions)
    _known("movement", "context.worsens", worsens, content.movements)
    _known("muscle", "loose", loose, content.muscles)
    _known("equipment", "context.equipment", equipment, content.equipment)
    movements = [content.movements[m] for m in worsens]
    gentle: list[GentleReason] = []
    if triage_level in ("urgent", "emergency"):
        gentle.append("urgent")
    if phase.gentle_only:
        gentle.append("calm_phase")
    if flare_up:
        gentle.append("flare_up")
    names = {c: content.conditions[c].name for c in conditions}
    names |= {m: content.muscles[m].name for m in loose}
    names |= {e.id: e.name for e in content.equipment.values()}
    return Gates(
        triage_level=triage_level,
        conditions=conditions,
        loose_muscles=loose,
        worse_directions=frozenset(m.direction for m in movements) - {"none"},
        worse_positions=frozenset(p for m in movements for p in m.positions),
        gentle_only=tuple(gentle),
        phase_name=phase.name,
        kinds=frozenset(phase.kinds),
        kit=equipment | {e.id for e in content.equipment.values() if e.always_available},
        words=content.engine.messages.gates,
        joiners=content.engine.messages.joiners,
        names=names,
        kind_words=content.engine.messages.kind_words,
    )


def _known(what: str, path: str, ids: frozenset[str], known: Mapping[str, object]) -> None:
    unknown = sorted(ids - set(known))
    if unknown:
        raise InputError([FieldError(path, f"unknown {what} ids {unknown}")])


def self_test_gates(
    *,
    triage_level: Level,
    conditions: Iterable[str],
    flare_up: bool,
    content: Content,
) -> Gates:
    """The gates for the self-tests: screen level, conditions and a flare-up.

    ``conditions`` must be every condition that counts (``Result.conditions``: ticked,
    established by the screen, implied), never only the ticked ones. The routine-only
    fields are left empty; an exercise checked against these gates is held back by the
    phase gate, so using them for the routine by mistake can only close gates, never
    open one.
    """
    conditions = frozenset(conditions)
    _known("condition", "context.conditions", conditions, content.conditions)
    gentle: list[GentleReason] = []
    if triage_level in ("urgent", "emergency"):
        gentle.append("urgent")
    if flare_up:
        gentle.append("flare_up")
    return Gates(
        triage_level=triage_level,
        conditions=conditions,
        loose_muscles=frozenset(),
        worse_directions=frozenset(),
        worse_positions=frozenset(),
        gentle_only=tuple(gentle),
        phase_name=content.engine.messages.gates.self_tests_phase,
        kinds=frozenset(),
        kit=frozenset(),
        words=content.engine.messages.gates,
        joiners=content.engine.messages.joiners,
        names={c: content.conditions[c].name for c in conditions},
        kind_words=content.engine.messages.kind_words,
    )


def offer_tests(gates: Gates, content: Content) -> tuple[SelfTestOffer, ...]:
    """For every self-test: offered now or not, why not, its cautions for this person,
    and what the result can still do without it."""
    blocked = {t.id: gates.blocks(t) for t in content.tests.values()}
    offered = [t for t in content.tests.values() if not blocked[t.id]]
    offers: list[SelfTestOffer] = []
    for test in content.tests.values():
        cautions = tuple(
            f"{content.conditions[c.condition].name}: {c.note}"
            for c in test.safety.cautions
            if c.condition in gates.conditions
        )
        if not blocked[test.id]:
            offers.append(SelfTestOffer(test.id, test.name, offered=True, cautions=cautions))
            continue
        others = [t for t in offered if t.id != test.id]
        offers.append(
            SelfTestOffer(
                test.id,
                test.name,
                offered=False,
                why_not=tuple(b.why for b in blocked[test.id]),
                cautions=cautions,
                cannot_judge=_cannot_judge(test, others, content),
                covered_by=tuple(t.name for t in others if _judges(t) & _judges(test)),
            )
        )
    return tuple(offers)


def _cannot_judge(test: SelfTest, offered: list[SelfTest], content: Content) -> tuple[str, ...]:
    """What no offered test judges once ``test`` is left out: muscles, signs and ratios."""
    covered = {judged for t in offered for judged in _judges(t)}
    covered_signs = {s for t in offered for s in _signs_of(t)}
    lost = [
        f"{content.muscles[muscle].name}: {content.engine.messages.gates.aspect_words[aspect]}"
        for muscle, aspect in sorted(_judges(test) - covered)
    ]
    lost += [content.signs[s].name for s in sorted(_signs_of(test) - covered_signs)]
    lost += [
        ratio.name or ratio.id.replace("_", " ")
        for ratio in content.ratios
        if test.id in (ratio.numerator.test, ratio.denominator.test)
    ]
    return tuple(lost)


def _judges(test: SelfTest) -> set[tuple[str, str]]:
    """The (muscle, aspect) pairs a test can give a finding on."""
    judged = {
        (e.muscle, "strength" if e.status == "weak" else "length")
        for rule in test.rules
        for e in rule.effects
        if e.muscle is not None
    }
    if test.if_too_hard is not None:
        aspect = "strength" if test.if_too_hard == "weak" else "length"
        judged |= {(m, aspect) for m in test.targets}
    return judged


def _signs_of(test: SelfTest) -> set[str]:
    return {e.sign for rule in test.rules for e in rule.effects if e.sign is not None}
