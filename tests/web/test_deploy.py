"""Production settings: clean under ``check --deploy``, and no start without a secret."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

# These start fresh Python processes with their own settings; no database is touched.
_TIMEOUT_S = 120


def _run(args: list[str], data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("BACKBALANCE_")}
    base.pop("DATABASE_URL", None)
    base.pop("DJANGO_SETTINGS_MODULE", None)
    # The test process allows the ORM in Playwright's event loop; a server never should.
    base.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, "-m", "backbalance.web", *args],
        env={**base, "BACKBALANCE_DATA_DIR": str(data_dir), **env},
        capture_output=True,
        text=True,
        timeout=_TIMEOUT_S,
    )


def test_deploy_check_has_no_warning_over_https(tmp_path: Path) -> None:
    done = _run(
        ["manage", "check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        BACKBALANCE_HTTPS="1",
        BACKBALANCE_SECRET_KEY=secrets.token_urlsafe(64),
        BACKBALANCE_ALLOWED_HOSTS="backbalance.example.org",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_the_deploy_check_can_fail(tmp_path: Path) -> None:
    # The same check without https settings warns, so the test above is not vacuous.
    done = _run(
        ["manage", "check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        BACKBALANCE_SECRET_KEY=secrets.token_urlsafe(64),
    )
    assert done.returncode != 0
    assert "security.W" in done.stderr + done.stdout


@pytest.mark.parametrize("secret", [None, ""])
def test_a_production_start_refuses_to_run_without_a_secret(
    tmp_path: Path, secret: str | None
) -> None:
    env = {"BACKBALANCE_HTTPS": "1"}
    if secret is not None:
        env["BACKBALANCE_SECRET_KEY"] = secret
    done = _run(["serve", "--port", "8219"], tmp_path, **env)
    assert done.returncode == 2
    assert "BACKBALANCE_SECRET_KEY" in done.stderr
    assert "Traceback" not in done.stderr
    assert "is running" not in done.stdout
    # Nothing was prepared: no database, and no key made up in the data folder.
    assert not (tmp_path / "backbalance.sqlite3").exists()
    assert not (tmp_path / "secret_key").exists()


def test_a_management_command_also_refuses(tmp_path: Path) -> None:
    done = _run(["manage", "migrate"], tmp_path, BACKBALANCE_HTTPS="1")
    assert done.returncode == 2
    assert "BACKBALANCE_SECRET_KEY" in done.stderr
    assert not (tmp_path / "backbalance.sqlite3").exists()


def test_the_server_loads_the_content_and_sets_it_aside_from_the_collector(
    tmp_path: Path,
) -> None:
    # What every request reads is loaded before the server answers, and frozen, so a full
    # garbage collection during a request does not walk all of it. Importing the WSGI
    # application alone (as a test's live server does) freezes nothing.
    probe = (
        "import gc; from backbalance.web import serve; serve._setup_django(); "
        "from backbalance.web import wsgi; print(gc.get_freeze_count()); "
        "from backbalance.web.common.content import content; "
        "serve.load_what_every_request_reads(); "
        "print(gc.get_freeze_count() > 10000, content.cache_info().currsize)"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("BACKBALANCE_")}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    shown = subprocess.run(
        [sys.executable, "-c", probe],
        env={**env, "BACKBALANCE_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        check=True,
        timeout=_TIMEOUT_S,
    ).stdout.split()
    assert shown == ["0", "True", "1"]
