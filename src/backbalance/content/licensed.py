"""Fill in the wording of a licensed questionnaire from a file its licence holder supplied.

backbalance never ships the wording of licensed questionnaires (ODI, Roland-Morris,
STarT Back, FABQ): ``instruments.yaml`` carries only their scoring rules, with every item
``text`` left empty. A clinic that holds a licence can keep the licensed wording in its own
definition file and load it at run time with :func:`load_licensed_wording`.

This module only *reads* such a file. It refuses files stored inside the backbalance
package, so licensed wording cannot end up in the shipped content by accident.

Definition file (YAML)::

    instrument: odi
    licence: "Licensed to Example Clinic by <rights holder>, licence no. 123"
    items:
      pain_intensity:                 # every item id of the instrument, no others
        text: "<licensed wording>"
        anchors: {0: "<wording>", 5: "<wording>"}   # optional
      personal_care: "<licensed wording>"            # text only
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

import backbalance
from backbalance.content.schema import Id, Instrument, InstrumentItem


class LicensedWordingError(ValueError):
    """The definition file cannot be used; ``problems`` lists every reason found."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        listing = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"licensed wording file {path} cannot be used:\n{listing}")


class ItemWording(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    text: Annotated[str, Field(min_length=1)]
    anchors: dict[int, Annotated[str, Field(min_length=1)]] = {}


class LicensedDefinition(BaseModel):
    """The parsed definition file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    instrument: Id
    # Who granted the licence and to whom; kept so a report can say where the wording is from.
    licence: Annotated[str, Field(min_length=3)]
    items: dict[str, ItemWording | Annotated[str, Field(min_length=1)]]


@cache
def _strict_loader() -> Any:
    """A safe YAML loader that rejects a key given twice (PyYAML would keep the last).

    Built on first use: YAML is imported only when a definition file is read, so a start
    that reads none does not pay for it.
    """
    import yaml

    class NoDuplicateKeysLoader(yaml.SafeLoader):
        pass

    def construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Hashable, Any]:
        seen: set[Hashable] = set()
        for key_node, _ in node.value:
            key = loader.construct_object(key_node)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} is given twice", key_node.start_mark
                )
            seen.add(key)
        return loader.construct_mapping(node)

    NoDuplicateKeysLoader.add_constructor(
        yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping
    )
    return NoDuplicateKeysLoader


def _package_dir() -> Path:
    return Path(backbalance.__file__).resolve().parent


def load_licensed_wording(path: Path, instruments: Mapping[str, Instrument]) -> Instrument:
    """The instrument named in ``path`` with the licensed wording filled in.

    Raises :class:`LicensedWordingError` naming every problem: a file inside the package,
    unreadable YAML, unknown keys, an unknown or unlicensed instrument, missing or extra
    item ids, or anchors outside an item's range.
    """
    resolved = Path(path).resolve()
    if resolved.is_relative_to(_package_dir()):
        raise LicensedWordingError(
            path,
            [
                "licensed wording must not be stored inside the backbalance package; "
                "keep the file with the clinic's own data and pass its path"
            ],
        )
    try:
        text = resolved.read_text(encoding="utf-8")
    except OSError as exc:
        raise LicensedWordingError(path, [f"cannot read the file: {exc.strerror}"]) from exc
    import yaml

    try:
        data = yaml.load(text, Loader=_strict_loader())  # a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise LicensedWordingError(path, [f"not valid YAML: {exc}"]) from exc
    try:
        definition = LicensedDefinition.model_validate(data)
    except ValidationError as exc:
        problems = [
            f"{'.'.join(str(part) for part in error['loc']) or 'file'}: {error['msg']}"
            for error in exc.errors()
        ]
        raise LicensedWordingError(path, problems) from exc
    return apply_wording(definition, instruments, path)


def apply_wording(
    definition: LicensedDefinition, instruments: Mapping[str, Instrument], path: Path
) -> Instrument:
    """Check ``definition`` against its instrument and return a copy with the wording in."""
    instrument = instruments.get(definition.instrument)
    if instrument is None:
        known = ", ".join(sorted(i for i, v in instruments.items() if v.licensed))
        raise LicensedWordingError(
            path, [f"instrument: unknown id {definition.instrument!r}; licensed ones: {known}"]
        )
    if not instrument.licensed:
        raise LicensedWordingError(
            path,
            [
                f"instrument: {instrument.id!r} already ships with backbalance's own wording; "
                "a definition file is only for licensed questionnaires"
            ],
        )

    problems: list[str] = []
    expected = [item.id for item in instrument.items]
    missing = [i for i in expected if i not in definition.items]
    extra = [i for i in definition.items if i not in expected]
    if missing:
        problems.append(f"items: missing {', '.join(missing)}")
    if extra:
        problems.append(f"items: not items of {instrument.id}: {', '.join(extra)}")
    if len(definition.items) != len(expected):
        problems.append(
            f"items: {instrument.id} has {len(expected)} items, the file gives "
            f"{len(definition.items)}"
        )

    filled: list[InstrumentItem] = []
    for item in instrument.items:
        given = definition.items.get(item.id)
        if given is None:
            continue
        wording = given if isinstance(given, ItemWording) else ItemWording(text=given)
        outside = [k for k in wording.anchors if not item.minimum <= k <= item.maximum]
        if outside:
            problems.append(
                f"items.{item.id}.anchors: {outside} outside the item's range "
                f"{item.minimum} to {item.maximum}"
            )
        filled.append(replace(item, text=wording.text, anchors=dict(wording.anchors)))
    if problems:
        raise LicensedWordingError(path, problems)
    return replace(instrument, items=filled)
