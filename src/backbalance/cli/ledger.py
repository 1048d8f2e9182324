"""``backbalance ledger``: judge one course of care with a therapist from a JSON file.

Prints the verdict, its reason, how each measure changed, the money, the cost per point
of improvement, the person's own trend, the caveats and the questions to ask. Bad input
exits with code 2 and names every bad field by its dotted path. Every word shown comes
from the content (``outcomes.yaml``).
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from datetime import date

from backbalance.cli.reading import Unreadable, read_text
from backbalance.core.api import (
    MAX_ERRORS_SHOWN,
    Content,
    CourseReport,
    FieldError,
    LedgerError,
    course_json_schema,
    echo,
    judge_course,
    parse_course_json,
    to_jsonable,
)

EXIT_INPUT = 2
_WIDTH = 88


def run_ledger(args: argparse.Namespace, content: Content) -> int:
    if args.schema:
        print(json.dumps(course_json_schema(content), indent=2, ensure_ascii=False))
        return 0
    try:
        if args.episode is None:
            raise LedgerError([FieldError("episode", "give the path of a ledger file")])
        as_of = _as_of(args.as_of)
        course = parse_course_json(_read(args.episode), content)
        report = judge_course(course, content, as_of)
    except LedgerError as exc:
        print("backbalance: invalid ledger:", file=sys.stderr)
        for error in exc.errors[:MAX_ERRORS_SHOWN]:
            print(f"  - {error}", file=sys.stderr)
        return EXIT_INPUT
    if args.format == "json":
        print(json.dumps(to_jsonable(report), indent=2, ensure_ascii=False))
    else:
        print(render_ledger(report, content), end="")
    return 0


def _as_of(text: str | None) -> date:
    if text is None:
        return date.today()  # the adapter reads the clock; the core is given the day
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise LedgerError(
            [FieldError("as_of", f"{echo(text)} is not a date like 2026-11-20")]
        ) from exc


def _read(source: str) -> str:
    try:
        return read_text(source, "ledger")
    except Unreadable as exc:
        raise LedgerError([FieldError("episode", str(exc))]) from exc


def render_ledger(report: CourseReport, content: Content) -> str:
    """The report as plain text for a terminal."""
    label = content.outcomes.labels
    money = report.totals
    unit = f" {money.currency}" if money.currency else ""
    lines = [
        f"{report.provider} ({report.kind}) — {label['as_of']} {report.as_of.isoformat()}",
        "",
        f"{label['verdict']}: {report.label}",
        *_wrapped(f"{label['why']}: {report.reason}"),
        "",
    ]
    if report.measures:
        lines.append(f"{label['measures']}:")
        for judged in report.measures:
            change = judged.change
            lines.extend(
                _wrapped(
                    f"- {judged.name} ({label['basis_' + judged.basis]}): "
                    f"{change.before:g} → {change.after:g}, {change.says}"
                )
            )
        lines.append("")
    lines.append(f"{label['money']}:")
    lines.append(f"  {label['spent']}: {money.spent:.2f}{unit}")
    lines.append(f"  {label['reimbursed']}: {money.reimbursed:.2f}{unit}")
    lines.append(f"  {label['net']}: {money.net:.2f}{unit}")
    per_point = (
        f"{report.cost_per_point:.2f}{unit}"
        if report.cost_per_point is not None
        else label["no_cost_per_point"]
    )
    lines.extend(_wrapped(f"{label['cost_per_point']}: {per_point}", "  "))
    lines.append("")
    if report.trend_before_care is not None:
        lines.append(f"{label['trend']}:")
        lines.extend(_wrapped(report.trend_before_care.says, "  "))
        lines.append("")
    recorded = [count for count in report.checklist if count.recorded]
    if recorded:
        lines.append(f"{label['checklist']}:")
        for count in recorded:
            lines.extend(_wrapped(f"- {count.label}: {count.ticked}/{count.recorded}"))
        lines.append("")
    if report.after_visits is not None:
        lines.append(f"{label['after_visits']}:")
        lines.extend(_wrapped(report.after_visits.says, "  "))
        lines.append("")
    for heading, items in (("caveats", report.caveats), ("questions", report.questions)):
        if items:
            lines.append(f"{label[heading]}:")
            for item in items:
                lines.extend(_wrapped(f"- {item}"))
            lines.append("")
    return "\n".join(lines)


def _wrapped(text: str, indent: str = "") -> list[str]:
    """One paragraph, wrapped; the lines after the first are indented under its text."""
    return textwrap.wrap(
        " ".join(text.split()), _WIDTH, initial_indent=indent, subsequent_indent=indent + "  "
    )
