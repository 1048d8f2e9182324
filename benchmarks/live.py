"""A real server in a child process and a small browser-like HTTP client for it.

Shared by the crash-safety test, the load script and the web benchmark. The server is the
one people run (``python -m backbalance.web serve``: waitress), on a throwaway data folder
over loopback; the client keeps cookies, sends the CSRF token with each form, and reads
the login and check-in forms the way a browser would. Standard library only.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
START_TIMEOUT_S = 90.0

# The pages a simulated person goes round, by URL name (kept as paths so a client needs no
# Django). tests/web check them against reverse().
LOGIN_PATH = "/account/log-in/"
CHECK_IN_PATH = "/journal/check-in/"
PAGE_PATHS = {
    "common:home": "/",
    "routine:today": "/routine/",
    "journal:check_in": CHECK_IN_PATH,
    "journal:progress": "/journal/progress/",
    "therapies:index": "/therapies/",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def server_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a local server on ``data_dir``: SQLite, no test-only settings."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("BACKBALANCE_")
        and key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return {**env, "BACKBALANCE_DATA_DIR": str(data_dir), **extra}


def manage(data_dir: Path, *args: str, **env: str) -> str:
    """Run ``python -m backbalance.web manage ...`` on ``data_dir``; its output."""
    done = subprocess.run(
        [sys.executable, "-m", "backbalance.web", "manage", *args],
        env=server_env(data_dir, **env),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"manage {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


@dataclass
class LiveServer:
    """``python -m backbalance.web serve`` in its own process group."""

    data_dir: Path
    port: int = field(default_factory=free_port)
    threads: int = 8
    env: Mapping[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> LiveServer:
        log = (self.data_dir / "server.log").open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "backbalance.web",
                "serve",
                "--port",
                str(self.port),
                "--threads",
                str(self.threads),
            ],
            env=server_env(self.data_dir, **self.env),
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            # Its own group, so a kill reaches the server and nothing else.
            start_new_session=True,
        )
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server stopped: {self.log()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.2)
        self.kill()
        raise RuntimeError(f"the server did not answer within {START_TIMEOUT_S} s: {self.log()}")

    def log(self) -> str:
        return (self.data_dir / "server.log").read_text(errors="replace")

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            self.process.wait(timeout=30)

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.kill()


class FormError(Exception):
    """A form came back with errors instead of being accepted."""


_INPUT = re.compile(r"<input\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r'([\w-]+)="([^"]*)"')


def form_inputs(html: str) -> list[dict[str, str]]:
    """The attributes of every <input> on a page."""
    return [dict(_ATTR.findall(tag)) for tag in _INPUT.findall(html)]


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: str


class Browser:
    """One person's connection: cookies, the CSRF token, keep-alive."""

    def __init__(self, port: int, timeout: float = 30.0) -> None:
        self.port = port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self._connection: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def request(
        self, method: str, path: str, form: Sequence[tuple[str, str]] | None = None
    ) -> Response:
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(list(form))
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self._connection is None:
            self._connection = http.client.HTTPConnection(
                "127.0.0.1", self.port, timeout=self.timeout
            )
        try:
            self._connection.request(method, path, body=body, headers=headers)
            raw = self._connection.getresponse()
            text = raw.read().decode("utf-8", errors="replace")
        except (http.client.HTTPException, OSError):
            self.close()
            raise
        for value in raw.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(value).items():
                self.cookies[name] = morsel.value
        return Response(raw.status, dict(raw.headers.items()), text)

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post_form(self, path: str, fields: Sequence[tuple[str, str]]) -> Response:
        """POST ``fields`` with the CSRF token a browser would send with them."""
        token = self.cookies.get("csrftoken")
        if token is None:
            raise RuntimeError("no CSRF cookie yet: GET the form page first")
        return self.request("POST", path, [("csrfmiddlewaretoken", token), *fields])

    def log_in(self, username: str, password: str) -> None:
        self.get(LOGIN_PATH)
        done = self.post_form(LOGIN_PATH, [("username", username), ("password", password)])
        if done.status != 302:
            raise FormError(f"log in as {username!r} answered {done.status}")


def check_in_fields(page_html: str, pain_now: int, token: uuid.UUID) -> list[tuple[str, str]]:
    """A calm check-in for the check-in form on ``page_html``: every safety answer "no".

    The safety questions are read from the form itself (``safety_<question id>``), so this
    sends exactly the questions the content asks today.
    """
    safety = sorted(
        {
            attrs["name"]
            for attrs in form_inputs(page_html)
            if attrs.get("name", "").startswith("safety_")
        }
    )
    return [
        ("pain_now", str(pain_now)),
        ("region", "low_back"),
        ("side", "centre"),
        ("sleep_quality", "3"),
        ("hours_sitting", "6.5"),
        ("client_token", str(token)),
        *[(name, "no") for name in safety],
    ]


def is_real_check_in_form(page_html: str) -> bool:
    """True once the check-in page is the real form (not the "not ready" placeholder)."""
    names = {attrs.get("name", "") for attrs in form_inputs(page_html)}
    return "client_token" in names and any(n.startswith("safety_") for n in names)
