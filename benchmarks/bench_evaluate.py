"""Measure the engine: cold content load, `evaluate` and routine generation per example.

Reports medians and writes them to benchmarks/results/evaluate.json. It measures and
reports only; nothing here asserts a timing.

    python3 dev.py bench            # or: .venv/bin/python benchmarks/bench_evaluate.py
"""

from __future__ import annotations

import json
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

from backbalance import ENGINE_VERSION
from backbalance.content.loader import load_content
from backbalance.core.case import parse_case
from backbalance.core.engine import evaluate
from backbalance.core.program import build_routine

ROOT = Path(__file__).resolve().parent.parent
CASES = sorted((ROOT / "examples" / "cases").glob("*.json"))
RESULTS = ROOT / "benchmarks" / "results" / "evaluate.json"
REPEATS = 200
COLD_RUNS = 5

COLD_SNIPPET = """
import time
t0 = time.perf_counter()
from backbalance.content.loader import load_content
load_content()
print(time.perf_counter() - t0)
"""


def cold_load_seconds() -> list[float]:
    """Import plus first content load, each in a fresh interpreter."""
    runs = []
    for _ in range(COLD_RUNS):
        out = subprocess.run(
            [sys.executable, "-c", COLD_SNIPPET], capture_output=True, text=True, check=True
        )
        runs.append(float(out.stdout.strip()))
    return runs


def warm_reload_seconds() -> list[float]:
    """Parsing and checking the YAML again in this process (imports already done)."""
    runs = []
    for _ in range(COLD_RUNS):
        load_content.cache_clear()
        t0 = time.perf_counter()
        load_content()
        runs.append(time.perf_counter() - t0)
    return runs


def main() -> None:
    cold = cold_load_seconds()
    reload = warm_reload_seconds()
    content = load_content()
    per_case: dict[str, float] = {}
    per_plan: dict[str, float] = {}
    for path in CASES:
        case = parse_case(json.loads(path.read_text()), content)
        evaluate(case, content)  # warm-up
        samples = []
        for _ in range(REPEATS):
            t0 = time.perf_counter()
            evaluate(case, content)
            samples.append(time.perf_counter() - t0)
        per_case[path.name] = statistics.median(samples) * 1000
        if case.context is not None:
            result = evaluate(case, content)
            plan_samples = []
            for _ in range(REPEATS):
                t0 = time.perf_counter()
                build_routine(result, case.context, content)
                plan_samples.append(time.perf_counter() - t0)
            per_plan[path.name] = statistics.median(plan_samples) * 1000
    report = {
        "engine_version": ENGINE_VERSION,
        "content_version": content.version,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cold_import_and_load_ms_median": statistics.median(cold) * 1000,
        "content_reload_ms_median": statistics.median(reload) * 1000,
        "evaluate_ms_median_per_case": per_case,
        "evaluate_ms_median_over_cases": statistics.median(per_case.values()) if per_case else None,
        "plan_ms_median_per_case": per_plan,
        "plan_ms_median_over_cases": statistics.median(per_plan.values()) if per_plan else None,
        "repeats_per_case": REPEATS,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(
        f"cold import + content load (fresh interpreter, median of {COLD_RUNS}): "
        f"{report['cold_import_and_load_ms_median']:.1f} ms"
    )
    print(
        f"content reload in process (median of {COLD_RUNS}): "
        f"{report['content_reload_ms_median']:.1f} ms"
    )
    print(f"evaluate (whole chain incl. routine and adjuncts), median of {REPEATS} runs per case:")
    for name, ms in per_case.items():
        print(f"  {name:50} {ms:7.3f} ms")
    print(f"routine generation alone (build_routine), median of {REPEATS} runs per case:")
    for name, ms in per_plan.items():
        print(f"  {name:50} {ms:7.3f} ms")
    print(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
