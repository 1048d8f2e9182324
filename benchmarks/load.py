"""Load: many people using the app at once, on the SQLite default, over loopback.

Starts the real server (``python -m backbalance.web serve``: waitress) on a throwaway data
folder with one seeded person per simulated user, then runs that many users in threads for
a fixed time. Users arrive over a ramp (a few a second, as a load tool spawns them, so the
deliberately slow password hashing of fifty logins is not one spike), each logs in and
goes round the main pages with a short pause between them, sending a check-in on each
round, as a person would (``--think 0`` sends without pauses). Stops when the time is up
(bounded), then reports requests,
errors, throughput and the p50/p95 response times, overall and per page, to
benchmarks/results/load.json. It reports and never asserts a timing; errors are listed.

    python3 dev.py bench load            # 50 users for 60 s
    .venv/bin/python -m benchmarks.load --users 50 --seconds 60
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.live import (
    CHECK_IN_PATH,
    PAGE_PATHS,
    Browser,
    LiveServer,
    check_in_fields,
    is_real_check_in_form,
    manage,
)

RESULTS = Path(__file__).resolve().parent / "results"
PASSWORD = "load-back-2026"
USERNAME = "load"
HISTORY_DAYS = 14


@dataclass
class Tally:
    timings: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, page: str, seconds: float, problem: str | None) -> None:
        with self.lock:
            self.timings[page].append(seconds)
            if problem is not None:
                self.errors.append(f"{page}: {problem}")


def _timed(tally: Tally, page: str, call: Any, ok: set[int]) -> Any:
    started = time.perf_counter()
    try:
        answer = call()
    except OSError as failure:
        tally.record(page, time.perf_counter() - started, f"{type(failure).__name__}: {failure}")
        return None
    tally.record(
        page,
        time.perf_counter() - started,
        None if answer.status in ok else f"HTTP {answer.status}",
    )
    return answer


@dataclass(frozen=True)
class Pace:
    start_after_s: float
    think_s: float
    stop_at: float


def _user(port: int, number: int, pace: Pace, tally: Tally) -> None:
    rng = random.Random(number)
    stop_at = pace.stop_at
    time.sleep(pace.start_after_s)
    browser = Browser(port)
    try:
        started = time.perf_counter()
        try:
            browser.log_in(f"{USERNAME}{number}", PASSWORD)
            tally.record("log in", time.perf_counter() - started, None)
        except Exception as problem:  # every failure here is an error to report
            tally.record("log in", time.perf_counter() - started, repr(problem))
            return
        pain = number % 7
        while time.monotonic() < stop_at:
            for name, path in PAGE_PATHS.items():
                if time.monotonic() >= stop_at:
                    return
                # A person reads a page before the next: think time around the mean.
                time.sleep(rng.uniform(0.5, 1.5) * pace.think_s)
                page = _timed(tally, name, lambda path=path: browser.get(path), {200})
                if name == "journal:check_in" and page is not None:
                    if not is_real_check_in_form(page.body):
                        continue
                    pain = (pain + 1) % 8
                    fields = check_in_fields(page.body, pain, uuid.uuid4())
                    _timed(
                        tally,
                        "journal:check_in (send)",
                        lambda fields=fields: browser.post_form(CHECK_IN_PATH, fields),
                        {302},
                    )
    finally:
        browser.close()


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _summary(values: list[float]) -> dict[str, float]:
    return {
        "requests": len(values),
        "p50_ms": round(statistics.median(values) * 1000, 1),
        "p95_ms": round(_percentile(values, 0.95) * 1000, 1),
        "max_ms": round(max(values) * 1000, 1),
    }


def run(users: int, seconds: float, threads: int, ramp_s: float, think_s: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="backbalance-load-") as folder:
        data = Path(folder)
        print(f"[load] seeding {users} people with {HISTORY_DAYS} days of history …", flush=True)
        manage(data, "migrate", "--verbosity", "0")
        manage(
            data,
            "seed_history",
            "--days",
            str(HISTORY_DAYS),
            "--username",
            USERNAME,
            "--password",
            PASSWORD,
            "--count",
            str(users),
        )
        tally = Tally()
        with LiveServer(data, threads=threads) as server:
            print(f"[load] {users} users for {seconds:.0f} s on port {server.port} …", flush=True)
            began = time.monotonic()
            stop_at = began + seconds
            workers = [
                threading.Thread(
                    target=_user,
                    args=(server.port, n, Pace(ramp_s * (n - 1) / users, think_s, stop_at), tally),
                )
                for n in range(1, users + 1)
            ]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join(timeout=seconds + 120)
            elapsed = time.monotonic() - began
    every = [t for values in tally.timings.values() for t in values]
    return {
        "what": "simulated users on the SQLite default over loopback (waitress)",
        "users": users,
        "seconds": round(elapsed, 1),
        "server_threads": threads,
        "ramp_s": ramp_s,
        "think_s": think_s,
        "requests": len(every),
        "errors": len(tally.errors),
        "error_examples": tally.errors[:10],
        "throughput_rps": round(len(every) / elapsed, 1),
        "overall": _summary(every) if every else {},
        "pages": {page: _summary(values) for page, values in sorted(tally.timings.items())},
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--threads", type=int, default=8, help="the server's worker threads")
    parser.add_argument("--ramp", type=float, default=10.0, help="seconds over which users arrive")
    parser.add_argument(
        "--think", type=float, default=1.0, help="mean pause between a user's pages, in seconds"
    )
    options = parser.parse_args(argv)
    report = run(options.users, options.seconds, options.threads, options.ramp, options.think)
    RESULTS.mkdir(exist_ok=True)
    target = RESULTS / "load.json"
    target.write_text(json.dumps(report, indent=2) + "\n")
    overall = report["overall"]
    print(
        f"[load] {report['requests']} requests, {report['errors']} errors, "
        f"{report['throughput_rps']} requests/s, p50 {overall.get('p50_ms')} ms, "
        f"p95 {overall.get('p95_ms')} ms -> {target}"
    )
    for problem in report["error_examples"]:
        print(f"[load] error: {problem}")
    # Timings are reported, never judged; an error is a failure.
    return 1 if report["errors"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
