"""What each ``backbalance`` command does, once :mod:`backbalance.cli.main` has read the
command line: load the content, run the command, print its page.

Exit codes: 0 success; 1 broken content; 2 bad input (unreadable or oversized file,
invalid or ambiguous JSON, or an invalid case — the message names the field); never a
traceback for bad input.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path

from backbalance.cli.reading import Unreadable, read_text
from backbalance.cli.text import (
    not_offered_lines,
    render_exercise,
    render_plan,
    render_text,
)
from backbalance.content.loader import all_figures, check_content
from backbalance.content.schema import SelfTest
from backbalance.content.wording import fill
from backbalance.core.api import (
    MAX_ERRORS_SHOWN,
    CaseError,
    Content,
    ContentError,
    FieldError,
    Result,
    SelfTestOffer,
    case_json_schema,
    evaluate_raw,
    load_content,
    parse_json,
    to_jsonable,
)

EXIT_CONTENT = 1
EXIT_INPUT = 2


def load(command: str) -> Content | None:
    """The content the command works on; None, with the problems printed, if it is broken.

    The content check always parses and checks every file; the rest may use the cache.
    """
    try:
        return check_content() if command == "content_check" else load_content()
    except ContentError as exc:
        print(f"backbalance: {exc}", file=sys.stderr)
        return None


def run(args: argparse.Namespace, content: Content) -> int:
    """Run the command ``args.command`` names, on ``content``; its exit code."""
    try:
        code = COMMANDS[args.command](args, content)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (``backbalance tests | head``): that is not an error of ours.
        # Point stdout at nothing so Python's own flush at exit cannot fail a second time.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    return code


def _read_case(source: str) -> object:
    """Read and parse the case; raise CaseError with a readable message on failure."""
    try:
        text = read_text(source, "case")
    except Unreadable as exc:
        raise CaseError([FieldError("case", str(exc))]) from exc
    return parse_json(text, "case")


def _print_case_errors(exc: CaseError) -> None:
    print("backbalance: the case is not valid:", file=sys.stderr)
    for error in exc.errors[:MAX_ERRORS_SHOWN]:
        print(f"  - {error}", file=sys.stderr)
    left_out = len(exc.errors) - MAX_ERRORS_SHOWN
    if left_out > 0:
        print(f"  … and {left_out} more problems not shown; fix these first", file=sys.stderr)


def _evaluated(path: str, content: Content) -> Result | None:
    """The result for the case file at ``path``; None (with the errors printed) if invalid."""
    try:
        return evaluate_raw(_read_case(path), content)
    except CaseError as exc:
        _print_case_errors(exc)
        return None


def _evaluate(args: argparse.Namespace, content: Content) -> int:
    result = _evaluated(args.case, content)
    if result is None:
        return EXIT_INPUT
    if args.format == "json":
        print(json.dumps(to_jsonable(result), indent=2, ensure_ascii=False))
    else:
        print(render_text(result, content), end="")
    return 0


def _plan(args: argparse.Namespace, content: Content) -> int:
    result = _evaluated(args.case, content)
    if result is None:
        return EXIT_INPUT
    if args.format == "json":
        plan = {
            "triage": to_jsonable(result.triage),
            "routine": to_jsonable(result.routine),
            "adjuncts": to_jsonable(result.adjuncts),
        }
        print(json.dumps(plan, indent=2, ensure_ascii=False))
        return 0
    print(render_plan(result, content), end="")
    return 0


def _unknown(what: str, item_id: str, command: str) -> int:
    print(f"backbalance: no {what} {item_id!r}; run `backbalance {command}`", file=sys.stderr)
    return EXIT_INPUT


def _exercises(args: argparse.Namespace, content: Content) -> int:
    chosen = list(content.exercises.values())
    if args.exercise_id:
        if args.exercise_id not in content.exercises:
            return _unknown("exercise", args.exercise_id, "exercises")
        print(render_exercise(content.exercises[args.exercise_id], content), end="")
        return 0
    said = content.engine.messages.pages
    for kind in content.program.order:
        of_kind = [e for e in chosen if e.kind == kind]
        if not of_kind:
            continue
        kind_word = content.engine.messages.kind_words[kind]
        print(fill(said.library_heading, kind=kind_word.upper(), count=len(of_kind)))
        for exercise in of_kind:
            sides = said.labels["one_side_at_a_time" if exercise.unilateral else "both_sides"]
            gentle = said.gentle_mark if exercise.gentle else ""
            line = fill(said.library_line, level=exercise.level, sides=sides, gentle=gentle)
            print(f"  {exercise.id:34} {line} — {exercise.name}")
        print()
    print("Show one in full: backbalance exercises EXERCISE_ID")
    return 0


def _figures(args: argparse.Namespace, content: Content) -> int:
    # Imported here: only this command draws, and the figures are slow to import.
    from backbalance.figures.catalogue import write_catalogue

    try:
        index = write_catalogue(content, Path(args.out_dir))
    except OSError as exc:
        print(f"backbalance: cannot write to {args.out_dir}: {exc.strerror}", file=sys.stderr)
        return EXIT_INPUT
    print(f"wrote the figures and {index}")
    return 0


def _schema(args: argparse.Namespace, content: Content) -> int:
    print(json.dumps(case_json_schema(content), indent=2, ensure_ascii=False))
    return 0


def _content_check(args: argparse.Namespace, content: Content) -> int:
    unverified = [s.id for s in content.sources.values() if not s.verified]
    print(f"content {content.version}: OK")
    print(
        f"  {len(content.muscles)} muscle groups, {len(content.tests)} self-tests, "
        f"{len(content.ratios)} ratio rules, {len(content.patterns)} patterns"
    )
    print(
        f"  {len(content.red_flags.questions)} safety questions, "
        f"{len(content.red_flags.rules)} triage rules, {len(content.instruments)} questionnaires"
    )
    print(
        f"  {len(all_figures(content))} sourced figures from {len(content.sources)} sources "
        f"({len(unverified)} sources marked unverified)"
    )
    return 0


def _tests(args: argparse.Namespace, content: Content) -> int:
    chosen = list(content.tests.values())
    if args.test_id:
        if args.test_id not in content.tests:
            return _unknown("self-test", args.test_id, "tests")
        chosen = [content.tests[args.test_id]]
    offers: dict[str, SelfTestOffer] | None = None
    if args.case is not None:
        result = _evaluated(args.case, content)
        if result is None:
            return EXIT_INPUT
        offers = {offer.test: offer for offer in result.self_tests}
        offered = sum(offers[t.id].offered for t in chosen)
        said = content.engine.messages.pages
        print(fill(said.offered_tests_count, offered=offered, total=len(chosen)))
        if result.triage.level in ("emergency", "urgent"):
            print(_indent(result.triage.headline, ""))
        print()
    for number, test in enumerate(chosen, start=1):
        print(f"{number}. {test.name}  [{test.id}]")
        offer = offers[test.id] if offers is not None else None
        if offer is not None and not offer.offered:
            for line in not_offered_lines(offer, content):
                print(_indent(line))
            print()
            continue
        print(_indent(test.purpose))
        # Cautions come before the steps, so they are read before the test is started.
        if offer is not None:
            for caution in offer.cautions:
                print(_indent(fill(content.engine.messages.pages.take_care, caution=caution)))
        else:
            for line in _safety_for_anyone(test, content):
                print(_indent(line))
        _print_test_body(test, content)
        print()
    return 0


def _safety_for_anyone(test: SelfTest, content: Content) -> list[str]:
    """Without a case: who the test is not offered to, and every caution, by condition."""
    said = content.engine.messages.pages
    lines: list[str] = []
    if test.safety.contraindications:
        names = [content.conditions[c].name.lower() for c in test.safety.contraindications]
        lines.append(fill(said.not_offered_with, conditions=", ".join(names)))
    if not test.safety.gentle:
        lines.append(said.not_in_a_flare)
    for caution in test.safety.cautions:
        name = content.conditions[caution.condition].name
        lines.append(fill(said.take_care_with, condition=name, note=caution.note))
    return lines


def _print_test_body(test: SelfTest, content: Content) -> None:
    said = content.engine.messages.pages
    label = said.labels
    kit = ", ".join(test.equipment) or label["no_kit"]
    print(_indent(fill(said.who_and_kit, who=said.who_words[test.who], kit=kit)))
    if test.per_side and test.side_meaning:
        print(_indent(fill(said.sides_meaning, meaning=test.side_meaning)))
    print(f"   {label['steps']}")
    for step_number, step in enumerate(test.steps, start=1):
        print(_indent(f"{step_number}. {step}", "     ", "        "))
    print(f"   {label['write_down']}")
    for field in test.record:
        choices = f": {' / '.join(c.label for c in field.choices)}" if field.choices else ""
        shown = _with_unit(field.label, field.unit, said.unit_words)
        print(_indent(f"- {shown}{choices}", "     ", "       "))
    print(_indent(said.could_not_do))
    print(_indent(fill(said.what_it_means, meaning=test.interpretation)))
    print(_indent(fill(said.how_reliable, words=said.reliability_words[test.reliability.grade])))
    if test.stop_if:
        print(f"   {label['stop_if']}")
        for reason in test.stop_if:
            print(_indent(f"- {reason}", "     ", "       "))
    # The published figures (ICC, kappa …) mean little to most people; they stay in a
    # part of their own, for a clinician reading along.
    print(_indent(fill(said.for_clinicians, summary=test.reliability.summary)))


def _with_unit(label: str, unit: str | None, unit_words: Mapping[str, str]) -> str:
    """The label with its unit once: "(degrees)" is not followed by "(deg)"."""
    if not unit or label.rstrip().endswith(")"):
        # No unit, or the label already ends with its own "(degrees)" or "(0 to 5)".
        return label
    return f"{label} ({unit_words.get(unit, unit)})"


def _indent(text: str, first: str = "   ", rest: str | None = None) -> str:
    return textwrap.fill(
        " ".join(text.split()), 88, initial_indent=first, subsequent_indent=rest or first
    )


def _ledger(args: argparse.Namespace, content: Content) -> int:
    from backbalance.cli.ledger import run_ledger

    return run_ledger(args, content)


COMMANDS: dict[str, Callable[[argparse.Namespace, Content], int]] = {
    "evaluate": _evaluate,
    "schema": _schema,
    "content_check": _content_check,
    "plan": _plan,
    "exercises": _exercises,
    "figures": _figures,
    "tests": _tests,
    "ledger": _ledger,
}
