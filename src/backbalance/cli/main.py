"""The ``backbalance`` command line: read the arguments, then hand over to the command.

Only what reading the command line needs is imported here; the core, the content and the
commands (:mod:`backbalance.cli.commands`) are loaded once the arguments are known to be
good, so ``--help``, ``--version`` and a usage error answer at once.

Exit codes: 0 success; 1 broken content; 2 bad input (unreadable or oversized file,
invalid or ambiguous JSON, or an invalid case — the message names the field); never a
traceback for bad input.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence

from backbalance import ENGINE_VERSION

# Commands about a person's stored data live with the web app's database; these names are
# handed to its management commands (``python -m backbalance.web manage NAME ...``) in a
# new process, so the command line never imports the web layer.
DATA_COMMANDS = ("export", "import", "backup", "report")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command in DATA_COMMANDS:
        import subprocess

        manage = [sys.executable, "-m", "backbalance.web", "manage", args.command]
        return subprocess.call([*manage, *args.rest])
    # Run as the program (the console script, ``python -m backbalance``; no arguments
    # given): one command, then the process ends, and all that is loaded from here on
    # (modules, models, the content) lives until then. So the cyclic collector, which
    # would walk it again and again while it is built and once more at exit, is paused
    # while it loads and then told to leave it alone for good (frozen): together about a
    # third of a floor at every start. Not done when called with arguments (tests, other
    # programs): their process goes on, and what it frees later must stay collectable.
    as_program = argv is None
    if as_program:
        gc.disable()
    try:
        from backbalance.cli import commands

        content = commands.load(args.command)
    finally:
        if as_program:
            gc.freeze()
            gc.enable()
    if content is None:
        return commands.EXIT_CONTENT
    return commands.run(args, content)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="backbalance",
        description="Find the muscle imbalance behind your back pain, safely, at home.",
    )
    parser.add_argument("--version", action="version", version=f"backbalance {ENGINE_VERSION}")
    commands = parser.add_subparsers(dest="name", required=True, metavar="COMMAND")

    evaluate = commands.add_parser("evaluate", help="evaluate a case file (JSON)")
    evaluate.add_argument("case", help="path to the case JSON file, or - for standard input")
    evaluate.add_argument("--format", choices=("json", "text"), default="json")
    evaluate.set_defaults(command="evaluate")

    schema = commands.add_parser("schema", help="print the JSON Schema of a case")
    schema.set_defaults(command="schema")

    content = commands.add_parser("content", help="work with the clinical content")
    content_commands = content.add_subparsers(
        dest="content_command", required=True, metavar="ACTION"
    )
    check = content_commands.add_parser("check", help="load and check every content file")
    check.set_defaults(command="content_check")

    plan = commands.add_parser("plan", help="print the daily routine for a case file (JSON)")
    plan.add_argument("case", help="path to the case JSON file, or - for standard input")
    plan.add_argument("--format", choices=("json", "text"), default="text")
    plan.set_defaults(command="plan")

    exercises = commands.add_parser("exercises", help="list the exercise library")
    exercises.add_argument("exercise_id", nargs="?", help="show this exercise in full")
    exercises.set_defaults(command="exercises")

    figures = commands.add_parser(
        "figures", help="write the figure of every self-test and exercise, with an index page"
    )
    figures.add_argument("out_dir", help="folder to write into (created if missing)")
    figures.set_defaults(command="figures")

    tests = commands.add_parser("tests", help="list the self-tests with their instructions")
    tests.add_argument("test_id", nargs="?", help="show only this test")
    tests.add_argument(
        "--case",
        metavar="CASE",
        help="a case file (JSON, or - for standard input): show which tests are offered to "
        "this person, why any are not, and their cautions",
    )
    tests.set_defaults(command="tests")

    ledger = commands.add_parser(
        "ledger", help="judge a course of care with a therapist from a ledger file (JSON)"
    )
    ledger.add_argument(
        "episode", nargs="?", help="path to the ledger JSON file, or - for standard input"
    )
    ledger.add_argument(
        "--as-of",
        metavar="DATE",
        help="judge the course as it stood on this day (YYYY-MM-DD); today by default",
    )
    ledger.add_argument("--format", choices=("json", "text"), default="text")
    ledger.add_argument(
        "--schema", action="store_true", help="print the JSON Schema of a ledger file and stop"
    )
    ledger.set_defaults(command="ledger")

    # Every argument, --help too, goes on to the data command: no help or options here.
    data_parsers = {
        "export": commands.add_parser(
            "export",
            help="write one person's data as JSON, CSV or a FHIR bundle (see export --help)",
            add_help=False,
            prefix_chars="\0",
        ),
        "import": commands.add_parser(
            "import",
            help="bring an export back into an account (see import --help)",
            add_help=False,
            prefix_chars="\0",
        ),
        "backup": commands.add_parser(
            "backup",
            help="copy the SQLite database safely while the app runs (see backup --help)",
            add_help=False,
            prefix_chars="\0",
        ),
        "report": commands.add_parser(
            "report",
            help="write a person's clinician report as a PDF (see report --help)",
            add_help=False,
            prefix_chars="\0",
        ),
    }
    for name, data in data_parsers.items():
        data.add_argument("rest", nargs=argparse.REMAINDER)
        data.set_defaults(command=name)
    return parser


if __name__ == "__main__":
    sys.exit(main())
