"""Web benchmark: a person with two years of history, page by page, and the dashboard's
throughput against a hello-world page served by the same server in the same run.

1. A throwaway SQLite data folder; ``seed_history`` makes a person with two years of daily
   check-ins and sessions (two a day on most days, device sessions, re-tests).
2. Server time per main page, in process (Django's full stack, no network): the median and
   95th percentile over many requests, and the number of database queries of one request.
3. Throughput over loopback on the real server (waitress via ``python -m backbalance.web
   serve``) with ``benchmarks.web_settings``, which adds one hello-world page: a few
   clients in a closed loop, hello and dashboard in alternating turns, and the ratio of the
   dashboard's requests per second to hello's. A third page, hello for a signed-in person
   (the session and the user read, nothing else), shows how much of hello's rate any page
   of a person's own data can keep at best.

It reports (benchmarks/results/web.json) and asserts nothing. Aims: p95 <= 100 ms per
page, dashboard/hello >= 0.5.

    python3 dev.py bench web
    .venv/bin/python -m benchmarks.bench_web [--years 2] [--requests 100]
    .venv/bin/python -m benchmarks.bench_web --page journal:what_helps  # server time only
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"
USERNAME = "bench"
PASSWORD = "bench-back-2026"
WARM_UP = 5
AIM_P95_MS = 100
AIM_RATIO = 0.5


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _setup(data_dir: Path) -> None:
    os.environ["BACKBALANCE_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.web_settings"
    import django

    django.setup()


def _server_times(days: int, requests: int, names: list[str]) -> dict[str, Any]:
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from backbalance.web.demo import seed_history
    from benchmarks.pages import MAIN_PAGES, main_page_url

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    started = time.perf_counter()
    seed_history(USERNAME, PASSWORD, days=days)
    seeded_s = time.perf_counter() - started
    user = User.objects.get(username=USERNAME)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    pages: dict[str, Any] = {}
    for name in names or MAIN_PAGES:
        url = main_page_url(name, user)
        if url is None:
            pages[name] = {"missing": "no such page in this build"}
            continue
        for _ in range(WARM_UP):
            client.get(url)
        with CaptureQueriesContext(connection) as queries:
            status = client.get(url).status_code
        # Read now: the captured list is a view of the log, which each request clears.
        query_count = len(queries.captured_queries)
        timings = []
        for _ in range(requests):
            began = time.perf_counter()
            client.get(url)
            timings.append(time.perf_counter() - began)
        pages[name] = {
            "url": url,
            "status": status,
            "queries": query_count,
            "median_ms": round(statistics.median(timings) * 1000, 2),
            "p95_ms": round(_percentile(timings, 0.95) * 1000, 2),
        }
    from backbalance.web.journal.models import CheckIn
    from backbalance.web.routine.models import Session

    connection.close()
    return {
        "history": {
            "days": days,
            "check_ins": CheckIn.objects.filter(owner=user).count(),
            "sessions": Session.objects.filter(owner=user).count(),
            "seeded_in_s": round(seeded_s, 2),
        },
        "pages": pages,
    }


def _closed_loop(port: int, path: str, clients: int, seconds: float) -> tuple[int, int]:
    """Requests answered 200 (and other answers) by ``clients`` looping for ``seconds``."""
    from benchmarks.live import Browser

    browsers = [Browser(port) for _ in range(clients)]
    for browser in browsers:
        browser.log_in(USERNAME, PASSWORD)
    counts = [0] * clients
    failures = [0] * clients
    stop_at = time.monotonic() + seconds

    def loop(index: int) -> None:
        while time.monotonic() < stop_at:
            if browsers[index].get(path).status == 200:
                counts[index] += 1
            else:
                failures[index] += 1

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for browser in browsers:
        browser.close()
    return sum(counts), sum(failures)


def _throughput(data_dir: Path, clients: int, seconds: float, rounds: int) -> dict[str, Any]:
    from benchmarks.live import LiveServer
    from benchmarks.web_urls import HELLO_PATH, SIGNED_IN_HELLO_PATH

    turns = (("hello", HELLO_PATH), ("signed_in_hello", SIGNED_IN_HELLO_PATH), ("dashboard", "/"))
    totals = dict.fromkeys((label for label, _ in turns), 0)
    failures = 0
    with LiveServer(data_dir, env={"DJANGO_SETTINGS_MODULE": "benchmarks.web_settings"}) as live:
        _closed_loop(live.port, "/", clients, 1.0)  # warm the server up
        for _ in range(rounds):
            for label, path in turns:
                answered, failed = _closed_loop(live.port, path, clients, seconds)
                totals[label] += answered
                failures += failed
    span = rounds * seconds
    hello_rps = totals["hello"] / span
    signed_in_rps = totals["signed_in_hello"] / span
    dashboard_rps = totals["dashboard"] / span
    return {
        "clients": clients,
        "seconds_each": span,
        "hello_rps": round(hello_rps, 1),
        "signed_in_hello_rps": round(signed_in_rps, 1),
        "dashboard_rps": round(dashboard_rps, 1),
        "ratio": round(dashboard_rps / hello_rps, 3) if hello_rps else None,
        # What reading the session and the user alone leaves of hello's rate: no page of a
        # person's own data can do better than this against hello.
        "signed_in_hello_ratio": round(signed_in_rps / hello_rps, 3) if hello_rps else None,
        "dashboard_to_signed_in_hello": round(dashboard_rps / signed_in_rps, 3)
        if signed_in_rps
        else None,
        "failed_requests": failures,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Web benchmark (reports, asserts nothing).")
    parser.add_argument("--years", type=float, default=2.0)
    parser.add_argument("--requests", type=int, default=100, help="timed requests per page")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=5.0, help="per throughput turn")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--page",
        action="append",
        default=[],
        metavar="URL_NAME",
        help="time only this main page (repeatable); the throughput turns are then skipped",
    )
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="backbalance-bench-web-") as folder:
        data_dir = Path(folder)
        _setup(data_dir)
        from benchmarks.pages import MAIN_PAGES

        unknown = sorted(set(options.page) - set(MAIN_PAGES))
        if unknown:
            parser.error(f"--page: no main page {', '.join(unknown)} (one of {sorted(MAIN_PAGES)})")
        report: dict[str, Any] = {
            "what": "server time per main page (in process) and dashboard/hello throughput",
            "aims": {"p95_ms": AIM_P95_MS, "dashboard_to_hello": AIM_RATIO},
            **_server_times(round(options.years * 365), options.requests, options.page),
            "throughput": None
            if options.page
            else _throughput(data_dir, options.clients, options.seconds, options.rounds),
            "machine": {
                "python": platform.python_version(),
                "platform": platform.platform(),
                "cpus": os.cpu_count(),
            },
        }
    RESULTS.mkdir(exist_ok=True)
    target = RESULTS / "web.json"
    target.write_text(json.dumps(report, indent=2) + "\n")
    print(f"[bench web] history: {report['history']}")
    for name, page in report["pages"].items():
        if "missing" in page:
            print(f"[bench web] {name:18} {page['missing']}")
            continue
        print(
            f"[bench web] {name:18} {page['status']}  median {page['median_ms']:7.2f} ms  "
            f"p95 {page['p95_ms']:7.2f} ms  queries {page['queries']}"
        )
    flow = report["throughput"]
    if flow is None:
        return 0
    print(
        f"[bench web] hello {flow['hello_rps']} req/s, dashboard {flow['dashboard_rps']} req/s,"
        f" ratio {flow['ratio']} (aim >= {AIM_RATIO}) -> {target}"
    )
    print(
        f"[bench web] signed-in hello {flow['signed_in_hello_rps']} req/s: "
        f"{flow['signed_in_hello_ratio']} of hello; the dashboard makes "
        f"{flow['dashboard_to_signed_in_hello']} of signed-in hello"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
