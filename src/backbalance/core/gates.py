"""Which exercises a person may be given now: the one place every exercise gate lives.

The routine builder (:mod:`backbalance.core.program`) admits exercises only through
:meth:`Gates.blocks`, and progression (:mod:`backbalance.core.progression`) checks every
harder or easier exercise it would hand out with the same call. So an exercise reached by
moving on or stepping back passes exactly the gates the routine applied, for the same
person, and a new gate added here holds for both at once.

The gates, in the order their reasons are given:

* **emergency** — an emergency on the safety screen: no exercise at all;
* **condition** — the exercise is contraindicated with one of the person's conditions;
* **loose_muscle** — it stretches a muscle that any test found loose (lax);
* **worse_direction** — it loads the spine the way a movement that worsens the pain does;
* **worse_position** — it is done in a position (lying down, sitting) that worsens the pain;
* **gentle_only** — only gentle items while a doctor's visit is pending (urgent screen),
  in a calming phase, or during a flare-up;
* **phase_kind** — the current phase does not use this kind of exercise;
* **equipment** — it needs kit the person has not got.

Everything here is pure: a :class:`Gates` is built once from the person's answers and the
content, and answers the same way every time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

from backbalance.content.loader import Content
from backbalance.content.schema_program import Exercise, ExerciseKind, Phase
from backbalance.core.types import Finding, Level

GateId = Literal[
    "emergency",
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
    {"emergency", "condition", "loose_muscle", "worse_direction", "worse_position"}
)

# Why only gentle items are allowed, in the words the reasons use.
GentleReason = Literal["urgent", "calm_phase", "flare_up"]
_GENTLE_BECAUSE: dict[GentleReason, str] = {
    "urgent": "until a doctor has seen you",
    "calm_phase": "while the pain settles",
    "flare_up": "until the flare-up has settled",
}

# How a person would say the way an exercise moves the back (never the content's id).
_DIRECTION_WORDS: dict[str, str] = {
    "flexion": "bending forward",
    "extension": "bending backward",
    "rotation": "twisting",
    "side_bend": "bending to the side",
    "load": "lifting or carrying",
    "none": "no particular direction",
}
_POSITION_WORDS: dict[str, str] = {
    "standing": "standing",
    "sitting": "sitting",
    "kneeling": "kneeling",
    "half_kneeling": "kneeling on one knee",
    "hands_and_knees": "on hands and knees",
    "lying_on_back": "lying on your back",
    "lying_on_front": "lying face down",
    "lying_on_side": "lying on your side",
    "on_a_device": "on a device",
}


@dataclass(frozen=True)
class Block:
    """One gate that holds an exercise back, and why, in plain words."""

    gate: GateId
    why: str

    @property
    def reported(self) -> bool:
        return self.gate in REPORTED_GATES


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
    # Display names of the conditions, muscles and kit named above, for the reasons.
    names: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)

    def blocks(self, exercise: Exercise) -> tuple[Block, ...]:
        """Every gate that holds ``exercise`` back for this person; empty when it may be given."""
        return tuple(self._blocks(exercise))

    def allows(self, exercise: Exercise) -> bool:
        return not self.blocks(exercise)

    def in_a_flare(self) -> Gates:
        """The same person during a flare-up: gentle items only, until it settles."""
        if "flare_up" in self.gentle_only:
            return self
        return replace(self, gentle_only=(*self.gentle_only, "flare_up"))

    def _blocks(self, exercise: Exercise) -> Iterable[Block]:
        if self.triage_level == "emergency":
            yield Block("emergency", "no exercise until a clinician has seen you")
        conditions = sorted(set(exercise.contraindications) & self.conditions)
        if conditions:
            yield Block("condition", f"not safe with {self._names(conditions)}")
        stretched = {t.muscle for t in exercise.targets if t.action == "lengthen"}
        loose = sorted(stretched & self.loose_muscles)
        if loose:
            yield Block(
                "loose_muscle",
                f"{self._names(loose)} tested loose; stretching would add to it",
            )
        if exercise.direction in self.worse_directions:
            yield Block(
                "worse_direction",
                f"moves your back the way that makes the pain worse "
                f"({_DIRECTION_WORDS[exercise.direction]})",
            )
        if exercise.position in self.worse_positions:
            yield Block(
                "worse_position",
                f"done {_POSITION_WORDS[exercise.position]}, a position that makes the pain worse",
            )
        if self.gentle_only and not exercise.gentle:
            because = " and ".join(_GENTLE_BECAUSE[r] for r in self.gentle_only)
            yield Block("gentle_only", f"only gentle exercises for now, {because}")
        if exercise.kind not in self.kinds:
            yield Block(
                "phase_kind", f"not part of the “{self.phase_name}” routine ({exercise.kind})"
            )
        missing = sorted(set(exercise.equipment) - self.kit)
        if missing:
            yield Block("equipment", f"needs {self._names(missing)}, which you have not listed")

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
    they have (kit every home has is added here). Unknown ids raise ValueError, so a typo
    can never quietly open a gate.
    """
    conditions = frozenset(conditions)
    worsens = frozenset(worsens)
    loose = frozenset(loose)
    equipment = frozenset(equipment)
    _known("condition", conditions, content.conditions)
    _known("movement", worsens, content.movements)
    _known("muscle", loose, content.muscles)
    _known("equipment", equipment, content.equipment)
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
        names=names,
    )


def _known(what: str, ids: frozenset[str], known: Mapping[str, object]) -> None:
    unknown = sorted(ids - set(known))
    if unknown:
        raise ValueError(f"unknown {what} ids {unknown}")
