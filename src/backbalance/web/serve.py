"""Start the app: prepare the database, then serve it with a production WSGI server.

The server is waitress: pure Python, so it runs the same on Linux, macOS and Windows.
For several processes behind one PostgreSQL database, run gunicorn on the same WSGI
application instead (see the README).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys

from django.core.exceptions import ImproperlyConfigured


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backbalance.web.settings")
    import django

    django.setup()


def _prepare(*, demo: bool) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if demo:
        from backbalance.web.demo import seed_demo

        login = seed_demo()
        print(f"Demo person ready. Log in as {login.username!r} with password {login.password!r}")


def load_what_every_request_reads() -> None:
    """Load the URLs and the clinical content now, then set everything loaded so far aside
    from the garbage collector.

    These objects live as long as the server. Left in the collector's care, every full
    collection walks all of them again (tens of milliseconds on a request that happens to
    trigger one); frozen, a collection only walks what requests create. Done here, where
    the server process starts, and not when the WSGI module is imported: a process that
    imports the application for a while (a test's live server) must keep collecting what
    it drops, database connections included.
    """
    from django.urls import get_resolver

    from backbalance.web.common.content import content

    get_resolver().url_patterns  # noqa: B018 - imports every app's views and URLs
    content()
    gc.collect()
    gc.freeze()


def serve(host: str, port: int, *, demo: bool, threads: int) -> int:
    _setup_django()
    _prepare(demo=demo)
    from django.conf import settings
    from waitress import serve as waitress_serve

    from backbalance.web.wsgi import application

    load_what_every_request_reads()
    print(f"backbalance is running at http://{host}:{port}/  (data: {settings.DATA_DIR})")
    print("Press Ctrl+C to stop.", flush=True)
    waitress_serve(application, host=host, port=port, threads=threads, ident="backbalance")
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m backbalance.web")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("serve", help="prepare the database and serve the app")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=int(os.environ.get("BACKBALANCE_PORT", "8000")))
    run.add_argument("--threads", type=int, default=8)
    run.add_argument(
        "--demo", action="store_true", help="add a demo person with ten weeks of history"
    )
    manage = commands.add_parser("manage", help="run a Django management command")
    manage.add_argument("args", nargs=argparse.REMAINDER)
    options = parser.parse_args(argv)
    try:
        return _run(options)
    except ImproperlyConfigured as problem:
        # A setting missing from the environment: say which, without a traceback.
        print(f"backbalance: {problem}", file=sys.stderr)
        return 2


def _run(options: argparse.Namespace) -> int:
    if options.command == "serve":
        return serve(options.host, options.port, demo=options.demo, threads=options.threads)
    _setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["backbalance-web", *options.args])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
