"""A check-in the server has acknowledged survives the server being killed.

The real server (``python -m backbalance.web serve``, waitress, SQLite in WAL mode) runs in
a child process on a throwaway data folder. Several people-like clients log in over HTTP and
send check-ins as fast as they can; in the middle of that burst the server gets SIGKILL (no
clean shutdown, no chance to flush anything). Then the SQLite file is opened directly: every
check-in the server answered with its success redirect must be in it.
"""

from __future__ import annotations

import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from benchmarks.live import (
    CHECK_IN_PATH,
    LOGIN_PATH,
    PAGE_PATHS,
    Browser,
    LiveServer,
    check_in_fields,
    is_real_check_in_form,
    manage,
)
from django.urls import reverse

USERNAME = "crash"
PASSWORD = "a-long-test-password-7"
WRITERS = 4
# Kill once this many check-ins have been acknowledged, while the writers keep sending.
ACKNOWLEDGED_BEFORE_KILL = 40
BURST_TIMEOUT_S = 120.0


@dataclass
class Burst:
    acknowledged: set[uuid.UUID] = field(default_factory=set)
    # Answers other than the success redirect, before the kill: each is a failure.
    refused: list[str] = field(default_factory=list)
    # Requests that did not get an answer at all (the kill cut them off).
    cut_off: int = 0
    killed: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _writer(port: int, burst: Burst) -> None:
    browser = Browser(port, timeout=30)
    try:
        browser.log_in(USERNAME, PASSWORD)
        page = browser.get(CHECK_IN_PATH).body
        pain = 0
        while not burst.killed.is_set():
            token = uuid.uuid4()
            pain = (pain + 1) % 11
            try:
                answer = browser.post_form(CHECK_IN_PATH, check_in_fields(page, pain, token))
            except OSError:
                with burst.lock:
                    burst.cut_off += 1
                time.sleep(0.01)
                continue
            with burst.lock:
                if answer.status == 302 and "/journal/" in answer.headers.get("Location", ""):
                    burst.acknowledged.add(token)
                elif not burst.killed.is_set():
                    burst.refused.append(f"{answer.status}: {answer.body[:300]}")
    except OSError:
        with burst.lock:
            burst.cut_off += 1
    finally:
        browser.close()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LiveServer]:
    manage(tmp_path, "migrate", "--verbosity", "0")
    manage(tmp_path, "seed_history", "--days", "3", "--username", USERNAME, "--password", PASSWORD)
    live = LiveServer(tmp_path, threads=WRITERS + 2)
    with live:
        yield live


def _stored_tokens(database: Path) -> set[uuid.UUID]:
    # A fresh connection after the kill: SQLite recovers the write-ahead log by itself.
    connection = sqlite3.connect(database)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        rows = connection.execute("SELECT client_token FROM journal_checkin").fetchall()
    finally:
        connection.close()
    return {uuid.UUID(str(token)) for (token,) in rows}


def test_the_paths_are_the_urlconfs() -> None:
    # The HTTP client needs no Django, so it keeps paths; they must be the URLconf's.
    assert reverse("journal:check_in") == CHECK_IN_PATH
    assert reverse("accounts:login") == LOGIN_PATH
    for name, path in PAGE_PATHS.items():
        assert reverse(name) == path


def test_every_acknowledged_check_in_survives_a_kill(server: LiveServer) -> None:
    probe = Browser(server.port)
    probe.log_in(USERNAME, PASSWORD)
    page = probe.get(CHECK_IN_PATH).body
    probe.close()
    assert is_real_check_in_form(page)

    burst = Burst()
    writers = [threading.Thread(target=_writer, args=(server.port, burst)) for _ in range(WRITERS)]
    for writer in writers:
        writer.start()
    deadline = time.monotonic() + BURST_TIMEOUT_S
    while len(burst.acknowledged) < ACKNOWLEDGED_BEFORE_KILL and time.monotonic() < deadline:
        if burst.refused:
            break
        time.sleep(0.02)
    in_flight_when_killed = len(burst.acknowledged)
    server.kill()
    burst.killed.set()
    for writer in writers:
        writer.join(timeout=60)

    assert not burst.refused, f"the server refused check-ins: {burst.refused[:3]}"
    assert in_flight_when_killed >= ACKNOWLEDGED_BEFORE_KILL, server.log()
    stored = _stored_tokens(server.data_dir / "backbalance.sqlite3")
    missing = burst.acknowledged - stored
    assert not missing, f"{len(missing)} acknowledged check-ins are gone after the kill"
    # The seeded history is there too, so the file read is the server's database.
    assert len(stored) > len(burst.acknowledged)
