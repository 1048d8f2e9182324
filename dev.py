#!/usr/bin/env python3
"""Bootstrap a local .venv and run the project's everyday commands.

Only the standard library is used here, so a fresh machine with nothing but
Python 3.11 can run it:

    python3 dev.py run [--demo]  # serve the web app on http://127.0.0.1:8000/
    python3 dev.py test          # the whole suite: lint, types, contracts, tests
    python3 dev.py bench         # benchmarks, written to benchmarks/results/
    python3 dev.py bench web     # one of them: evaluate, web (pages), load (50 users)

The test command runs the tests on SQLite, and runs the web tests a second time on
PostgreSQL when BACKBALANCE_TEST_POSTGRES_URL names a server (.ci/run starts one).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / "python"
STAMP = VENV / ".installed-from"
PYTEST_NO_TESTS_COLLECTED = 5


def _say(message: str) -> None:
    print(f"[dev] {message}", flush=True)


def _requirements_fingerprint() -> str:
    # Reinstall only when the declared dependencies change, so repeat runs are fast.
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def ensure_venv() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - this script may be started by an older python3
        sys.exit("backbalance needs Python 3.11 or newer; run this with python3.11.")
    if not PYTHON.exists():
        _say(f"creating {VENV.relative_to(ROOT)} …")
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    fingerprint = _requirements_fingerprint()
    if STAMP.exists() and STAMP.read_text() == fingerprint:
        return
    _say("installing backbalance and its development tools into .venv (first run only) …")
    pip = [str(PYTHON), "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "install", "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "install", "-e", f"{ROOT}[dev]"], check=True)
    STAMP.write_text(fingerprint)


def _run(*args: str) -> int:
    return subprocess.run(list(args), cwd=ROOT).returncode


def tool(name: str) -> str:
    return str(BIN / name)


def cmd_run(extra: list[str]) -> int:
    # Ctrl+C stops the server; that is the normal way to end it, not an error.
    try:
        return _run(str(PYTHON), "-m", "backbalance.web", "serve", *extra)
    except KeyboardInterrupt:
        return 0


def cmd_test(extra: list[str]) -> int:
    steps: list[tuple[str, list[str]]] = [
        ("ruff (lint)", [tool("ruff"), "check", "src", "tests", "benchmarks", "dev.py"]),
        (
            "ruff (format)",
            [tool("ruff"), "format", "--check", "src", "tests", "benchmarks", "dev.py"],
        ),
        (
            "mypy --strict (the package, its tests and the benchmarks)",
            [tool("mypy"), "src/backbalance", "tests", "benchmarks"],
        ),
        ("import contracts", [tool("lint-imports")]),
        ("content check", [tool("backbalance"), "content", "check"]),
        (
            "migrations match the models",
            [str(PYTHON), "-m", "backbalance.web", "manage", "makemigrations", "--check"],
        ),
    ]
    for title, command in steps:
        _say(title)
        if _run(*command) != 0:
            _say(f"FAILED: {title}")
            return 1
    _say("pytest (SQLite)")
    code = _pytest(extra, {})
    if code != 0:
        return code
    postgres = os.environ.get("BACKBALANCE_TEST_POSTGRES_URL", "")
    if not postgres:
        _say("no BACKBALANCE_TEST_POSTGRES_URL: the PostgreSQL run is left out here")
        return 0
    _say("pytest (PostgreSQL): the web tests again, on a real server")
    return _pytest(extra or ["tests/web"], {"DATABASE_URL": postgres})


def _pytest(args: list[str], env: dict[str, str]) -> int:
    code = subprocess.run([tool("pytest"), *args], cwd=ROOT, env={**os.environ, **env}).returncode
    if code == PYTEST_NO_TESTS_COLLECTED:
        _say("pytest collected no tests for this selection; nothing failed.")
        return 0
    return code


BENCHMARKS = {
    "evaluate": ["benchmarks/bench_evaluate.py"],
    "web": ["-m", "benchmarks.bench_web"],
    "load": ["-m", "benchmarks.load"],
}


def cmd_bench(extra: list[str]) -> int:
    # `bench` runs them all; `bench web --years 1` runs one, passing its options on.
    if extra and extra[0] in BENCHMARKS:
        return _run(str(PYTHON), *BENCHMARKS[extra[0]], *extra[1:])
    for name, command in BENCHMARKS.items():
        _say(f"benchmark: {name}")
        code = _run(str(PYTHON), *command, *extra)
        if code != 0:
            return code
    return 0


COMMANDS = {"run": cmd_run, "test": cmd_test, "bench": cmd_bench}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in COMMANDS:
        print(__doc__)
        return 2
    ensure_venv()
    return COMMANDS[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
