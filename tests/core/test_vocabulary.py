"""One vocabulary: the shared words are defined once, every layer uses the same values,
the core has no import cycle, and a ratio names its two tests separately."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any, get_args

import grimp
from hypothesis import event, given, settings

from backbalance.content import schema, schema_program, vocabulary
from backbalance.core import api, types
from backbalance.core.api import Side
from tests.strategies import CONTENT, cases

SRC = Path(__file__).resolve().parents[2] / "src" / "backbalance"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cases"
SHARED = ("Side", "Sex", "Answer", "Level", "Status", "Confidence", "Irritability")
# Names the same words went by before they were defined once.
OLD_NAMES = ("Grade", "TriageLevel")


def _assigned_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def test_each_shared_word_is_defined_in_one_module_only() -> None:
    defined_in: dict[str, list[str]] = {}
    for path in sorted(SRC.rglob("*.py")):
        for name in _assigned_names(path) & {*SHARED, *OLD_NAMES}:
            defined_in.setdefault(name, []).append(str(path.relative_to(SRC)))
    assert defined_in == {name: ["content/vocabulary.py"] for name in SHARED}


def test_every_layer_uses_the_same_objects() -> None:
    for name in SHARED:
        word = getattr(vocabulary, name)
        for module in (schema, schema_program, types, api):
            assert getattr(module, name, word) is word, (module.__name__, name)


def test_a_person_may_give_any_sex_but_norms_are_for_women_and_men() -> None:
    assert set(get_args(vocabulary.Sex)) == {"female", "male", "other", "not_stated"}
    assert set(get_args(vocabulary.NormSex)) < set(get_args(vocabulary.Sex))
    for sex in get_args(vocabulary.Sex):
        assert api.parse_person({"age": 30, "sex": sex}, CONTENT).sex == sex


@settings(max_examples=40, deadline=None)
@given(cases(allow_flags=False, with_context=True))
def test_routine_items_use_the_same_side_values_as_everything_else(raw: dict[str, Any]) -> None:
    result = api.evaluate_raw(raw, CONTENT)
    items = result.routine.items if result.routine is not None else ()
    for item in items:
        assert item.side in get_args(Side)
        event(f"routine item: {'each side' if item.each_side else 'both at once'}, {item.side}")
        if item.each_side:
            assert set(item.dose) == {"left", "right"}
            # The side the findings call for gets at least the sets of the other side.
            if item.side != "bilateral":
                other = "right" if item.side == "left" else "left"
                assert item.dose[item.side].sets >= item.dose[other].sets
        else:
            assert item.side == "bilateral"
            assert set(item.dose) == {"bilateral"}


def test_a_ratio_names_both_of_its_tests_as_separate_fields() -> None:
    raw = json.loads((EXAMPLES / "07_trunk_endurance_imbalance.json").read_text())
    result = api.evaluate_raw(raw, CONTENT)
    evidence = [e for f in result.findings for e in f.evidence if e.rule in _ratio_ids()]
    assert evidence, "the example's McGill ratio should fire"
    for e in evidence:
        assert "/" not in e.test
        assert (e.test, e.divided_by) == _operands(e.rule)
        assert e.tests() == _operands(e.rule)
    data = api.to_jsonable(evidence[0])
    assert (data["test"], data["divided_by"]) == _operands(evidence[0].rule)


def _ratio_ids() -> set[str]:
    return {r.id for r in CONTENT.ratios}


def _operands(rule_id: str) -> tuple[str, str]:
    rule = next(r for r in CONTENT.ratios if r.id == rule_id)
    return (rule.numerator.test, rule.denominator.test)


def test_the_core_modules_import_each_other_without_a_cycle() -> None:
    graph = grimp.build_graph("backbalance")
    core = {m for m in graph.modules if m.startswith("backbalance.core.")}
    for module in sorted(core):
        for imported in graph.find_modules_directly_imported_by(module) & core:
            back = graph.find_shortest_chain(importer=imported, imported=module)
            assert back is None, f"{module} -> {imported} -> ... -> {module}: {back}"
