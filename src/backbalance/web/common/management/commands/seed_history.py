"""``manage seed_history``: a person with a long history, for the benchmarks.

    python -m backbalance.web manage seed_history --years 2 --username bench

Running it again replaces that person (and only that person) with a fresh history.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from backbalance.web.demo import seed_history

DAYS_PER_YEAR = 365


class Command(BaseCommand):
    help = "Create (or replace) a person with years of daily check-ins and sessions."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="bench")
        parser.add_argument("--password", default="bench-back-2026")
        length = parser.add_mutually_exclusive_group()
        length.add_argument("--years", type=float, default=None)
        length.add_argument("--days", type=int, default=None)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"]
        if days is None:
            years = 2.0 if options["years"] is None else options["years"]
            days = round(years * DAYS_PER_YEAR)
        if days < 1:
            raise CommandError(
                "--years or --days: the history must be at least one day long", returncode=2
            )
        login = seed_history(
            options["username"], options["password"], days=days, seed=options["seed"]
        )
        self.stdout.write(
            f"{login.username!r} has {days} days of history; password {login.password!r}"
        )
