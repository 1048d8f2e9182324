"""``manage backup DEST``: a consistent copy of the SQLite database, while the app runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from backbalance.web.ownership.services import NotSqlite, backup_sqlite


class Command(BaseCommand):
    help = "Copy the SQLite database to DEST with SQLite's online backup (safe while serving)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("destination", metavar="DEST", help="the file to write the copy to")

    def handle(self, *args: Any, **options: Any) -> None:
        destination = Path(options["destination"])
        if destination.is_dir():
            raise CommandError(f"DEST: {destination} is a folder; give a file name", returncode=2)
        try:
            size = backup_sqlite(destination)
        except NotSqlite as other:
            raise CommandError(
                "This app runs on PostgreSQL, whose data is not one file: back it up with "
                "PostgreSQL's own tool, for example  pg_dump --format=custom --file=DEST  "
                "with the DATABASE_URL's database.",
                returncode=2,
            ) from other
        self.stdout.write(f"Backup written to {destination} ({size:,} bytes).")
