"""``manage seed_history``: a person with a long history, for the benchmarks.

    python -m backbalance.web manage seed_history --years 2 --username bench
    python -m backbalance.web manage seed_history --days 14 --username load --count 50

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
        parser.add_argument(
            "--count",
            type=int,
            default=1,
            help="make this many people, named <username>1, <username>2, ... (for load tests)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"]
        if days is None:
            years = 2.0 if options["years"] is None else options["years"]
            days = round(years * DAYS_PER_YEAR)
        if days < 1:
            raise CommandError(
                "--years or --days: the history must be at least one day long", returncode=2
            )
        count = options["count"]
        if count < 1:
            raise CommandError("--count: make at least one person", returncode=2)
        names = (
            [options["username"]]
            if count == 1
            else [f"{options['username']}{number}" for number in range(1, count + 1)]
        )
        for name in names:
            login = seed_history(name, options["password"], days=days, seed=options["seed"])
            self.stdout.write(
                f"{login.username!r} has {days} days of history; password {login.password!r}"
            )
