"""Measure start-up and the engine, against a floor measured in the same run.

Figures, each also given as a ratio to the floor:

- floor: a fresh ``python -c "import pydantic, yaml"``, the two libraries the app
  cannot start without;
- cold CLI evaluate: a fresh ``backbalance evaluate`` of an example case, with the
  checked-content cache in place, and with the cache turned off;
- content load: a fresh interpreter importing the loader and loading the content, with
  and without the cache;
- where a cold cached evaluate spends its time: a fresh interpreter that takes the same
  steps one after the other, timing each (an empty interpreter is timed on its own);
- evaluate in process: the median and 95th percentile over generated cases (each case
  timed as the median of a few runs), and the median per example case.

Fresh interpreters are timed in turns (floor, then each command), so a busy machine
slows them alike; every figure is the median of several runs. The children may write
compiled bytecode, as any normal install does, and use a cache folder of their own.
Results go to benchmarks/results/evaluate.json. It measures and reports only; nothing
here asserts a timing.

    python3 dev.py bench            # or: .venv/bin/python benchmarks/bench_evaluate.py
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

try:
    import resource  # POSIX only: CPU time of the fresh interpreters
except ImportError:  # pragma: no cover - Windows
    resource = None  # type: ignore[assignment]

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for the case generators in tests/strategies.py

from backbalance import ENGINE_VERSION  # noqa: E402
from backbalance.content.loader import CACHE_DIR_ENV, load_content  # noqa: E402
from backbalance.core.case import parse_case  # noqa: E402
from backbalance.core.engine import evaluate  # noqa: E402
from backbalance.core.types import Case  # noqa: E402

CASES = sorted((ROOT / "examples" / "cases").glob("*.json"))
EXAMPLE = ROOT / "examples" / "cases" / "01_lower_crossed_office_worker.json"
RESULTS = ROOT / "benchmarks" / "results" / "evaluate.json"
BIN = Path(sys.executable).parent

LOAD_SNIPPET = "from backbalance.content.loader import load_content; load_content()"

# The steps of a cold ``backbalance evaluate``, in the order it takes them, each timed.
# Importing a step's module also imports whatever it needs that no earlier step did.
# pydantic is not a step: it is imported only when content is checked, not when a checked
# copy is read from the cache.
STAGES = (
    ("content_models", "import backbalance.content.loader"),
    ("core", "import backbalance.core.api"),
    ("cli", "from backbalance.cli.main import main; import backbalance.cli.commands"),
    ("content_cache_read", "backbalance.content.loader.load_content()"),
    # As the console script calls it: no arguments given, sys.argv read.
    ("evaluate_command", "with redirect_stdout(io.StringIO()): main()"),
)
STAGE_LABELS = {
    "startup": "empty interpreter (python -c pass)",
    "content_models": "content classes (dataclasses) and loader",
    "core": "core (engine, value objects)",
    "cli": "command line",
    "content_cache_read": "read the content cache",
    "evaluate_command": "evaluate: parse arguments, case, engine, JSON",
}


def _stages_snippet() -> str:
    lines = [
        "import gc, time",
        # As the program does: the collector rests while things load (cli/main.py).
        "gc.disable()",
        "_t = [time.perf_counter()]",
        "import io, json",
        "import sys",
        "from contextlib import redirect_stdout",
        f"sys.argv = ['backbalance', 'evaluate', {str(EXAMPLE)!r}]",
    ]
    for name, step in STAGES:
        lines += [step, f"_t.append(time.perf_counter())  # {name}"]
    names = [name for name, _ in STAGES]
    lines.append(f"print(json.dumps(dict(zip({names!r}, [b - a for a, b in zip(_t, _t[1:])]))))")
    return "\n".join(lines)


def stage_breakdown(runs: int) -> dict[str, float]:
    """Median milliseconds of each step of a cold cached evaluate, and of an empty start."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    samples: dict[str, list[float]] = {"startup": [], **{name: [] for name, _ in STAGES}}
    with tempfile.TemporaryDirectory(prefix="backbalance-bench-") as cache:
        cached = {**env, CACHE_DIR_ENV: cache}
        stages = [sys.executable, "-c", _stages_snippet()]
        subprocess.run(stages, env=cached, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        for _ in range(runs):
            wall, _cpu = _fresh_run_seconds([sys.executable, "-c", "pass"], env)
            samples["startup"].append(wall)
            done = subprocess.run(
                stages, env=cached, cwd=ROOT, check=True, capture_output=True, text=True
            )
            for name, seconds in json.loads(done.stdout).items():
                samples[name].append(seconds)
    return {name: statistics.median(times) * 1000 for name, times in samples.items()}


def _children_cpu_seconds() -> float:
    if resource is None:
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _fresh_run_seconds(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of one fresh interpreter."""
    cpu0, t0 = _children_cpu_seconds(), time.perf_counter()
    subprocess.run(command, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0, _children_cpu_seconds() - cpu0


def fresh_interpreters(runs: int) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Each command in a fresh interpreter, in turns, ``runs`` times: wall and CPU times."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory(prefix="backbalance-bench-") as cache:
        cached = {**env, CACHE_DIR_ENV: cache}
        uncached = {**env, CACHE_DIR_ENV: ""}
        python = sys.executable
        cli = str(BIN / "backbalance")
        commands: dict[str, tuple[list[str], dict[str, str]]] = {
            "floor": ([python, "-c", "import pydantic, yaml"], env),
            "cli_evaluate_cached": ([cli, "evaluate", str(EXAMPLE)], cached),
            "cli_evaluate_uncached": ([cli, "evaluate", str(EXAMPLE)], uncached),
            "content_load_cached": ([python, "-c", LOAD_SNIPPET], cached),
            "content_load_uncached": ([python, "-c", LOAD_SNIPPET], uncached),
        }
        for command, command_env in commands.values():  # bytecode and cache in place
            _fresh_run_seconds(command, command_env)
        wall: dict[str, list[float]] = {name: [] for name in commands}
        cpu: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(runs):
            for name, (command, command_env) in commands.items():
                wall_seconds, cpu_seconds = _fresh_run_seconds(command, command_env)
                wall[name].append(wall_seconds)
                cpu[name].append(cpu_seconds)
    return wall, cpu


def generated_cases(count: int) -> list[Case]:
    """``count`` cases from the test suite's generators, the same ones every run."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import strategies as st
    from tests.strategies import cases, device_cases

    content = load_content()
    raw: list[dict[str, Any]] = []

    @settings(
        max_examples=count,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(st.one_of(cases(with_context=True), cases(), device_cases()))
    def collect(case: dict[str, Any]) -> None:
        raw.append(case)

    collect()
    return [parse_case(one, content) for one in raw]


def _median_seconds(run: Callable[[], object], repeats: int) -> float:
    samples = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        run()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def in_process(count: int, repeats: int) -> dict[str, Any]:
    content = load_content()
    generated = generated_cases(count)
    # Set-up leaves many objects (the case generators' among them) that a real app would
    # not hold; move them out of the collector's way so it times evaluate, not them.
    gc.collect()
    gc.freeze()
    per_generated = []
    for case in generated:
        evaluate(case, content)  # warm-up
        per_generated.append(_median_seconds(partial(evaluate, case, content), repeats))
    per_example = {}
    for path in CASES:
        case = parse_case(json.loads(path.read_text()), content)
        evaluate(case, content)
        per_example[path.name] = _median_seconds(partial(evaluate, case, content), repeats) * 1000
    return {
        "generated_cases": len(per_generated),
        "evaluate_ms_median": statistics.median(per_generated) * 1000,
        "evaluate_ms_p95": _percentile(per_generated, 0.95) * 1000,
        "evaluate_ms_max": max(per_generated) * 1000,
        "evaluate_ms_median_per_example": per_example,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="fresh interpreters per figure")
    parser.add_argument("--cases", type=int, default=300, help="generated cases to evaluate")
    parser.add_argument("--repeats", type=int, default=5, help="runs per case")
    args = parser.parse_args()

    wall, cpu = fresh_interpreters(args.runs)
    medians = {name: statistics.median(times) * 1000 for name, times in wall.items()}
    cpu_medians = {name: statistics.median(times) * 1000 for name, times in cpu.items()}
    floor, cpu_floor = medians["floor"], cpu_medians["floor"]
    stages = stage_breakdown(args.runs)
    engine = in_process(args.cases, args.repeats)
    content = load_content()
    report = {
        "engine_version": ENGINE_VERSION,
        "content_version": content.version,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "fresh_runs_per_figure": args.runs,
        "fresh_ms_median": medians,
        "fresh_ratio_to_floor": {name: ms / floor for name, ms in medians.items()},
        "fresh_cpu_ms_median": cpu_medians if resource is not None else None,
        "fresh_cpu_ratio_to_floor": (
            {name: ms / cpu_floor for name, ms in cpu_medians.items()} if cpu_floor else None
        ),
        "cold_cached_evaluate_stages_ms_median": stages,
        "repeats_per_case": args.repeats,
        **engine,
        "evaluate_ratio_to_floor": {
            "median": engine["evaluate_ms_median"] / floor,
            "p95": engine["evaluate_ms_p95"] / floor,
        },
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")

    labels = {
        "floor": 'floor: python -c "import pydantic, yaml"',
        "cli_evaluate_cached": "cold CLI evaluate (content cache in place)",
        "cli_evaluate_uncached": "cold CLI evaluate (no content cache)",
        "content_load_cached": "cold import + content load (cache in place)",
        "content_load_uncached": "cold import + content load (no cache)",
    }
    print(f"fresh interpreters, median of {args.runs} runs each (wall clock | CPU time):")
    for name, label in labels.items():
        line = f"  {label:46} {medians[name]:7.1f} ms {medians[name] / floor:5.2f} × floor"
        if cpu_floor:
            ms = cpu_medians[name]
            line += f" | {ms:6.1f} ms {ms / cpu_floor:5.2f} × floor"
        print(line)
    print("where a cold cached evaluate spends its time (median of each step):")
    for name, ms in stages.items():
        print(f"  {STAGE_LABELS[name]:46} {ms:7.1f} ms {ms / floor:5.2f} × floor")
    print(f"  {'sum of the steps (the exit is not timed)':46} {sum(stages.values()):7.1f} ms")
    print(
        f"evaluate in process over {engine['generated_cases']} generated cases "
        f"(median of {args.repeats} runs each):"
    )
    for key in ("median", "p95", "max"):
        ms = engine[f"evaluate_ms_{key}"]
        print(f"  {key:48} {ms:8.3f} ms  {ms / floor:7.4f} × floor")
    print("evaluate in process, example cases:")
    for name, ms in engine["evaluate_ms_median_per_example"].items():
        print(f"  {name:48} {ms:8.3f} ms")
    print(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
