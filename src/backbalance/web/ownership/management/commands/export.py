"""``manage export --user NAME [--format json|csv|fhir] OUT``: one person's data to a file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from backbalance.web.ownership.fhir import fhir_bundle
from backbalance.web.ownership.services import export_csv, export_text


class Command(BaseCommand):
    help = "Write everything one account owns to OUT (JSON to import again, CSV zip, or FHIR)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, metavar="NAME", help="the login name")
        parser.add_argument("--format", choices=("json", "csv", "fhir"), default="json")
        parser.add_argument("out", metavar="OUT", help="the file to write ('-' for the screen)")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(
                f"--user: there is no account named {options['user']!r}", returncode=2
            )
        kind = options["format"]
        body: str | bytes
        if kind == "json":
            body = export_text(user)
        elif kind == "fhir":
            body = fhir_bundle(user).model_dump_json(indent=1)
        else:
            body = export_csv(user)
        if options["out"] == "-":
            if isinstance(body, bytes):
                raise CommandError(
                    "OUT: a zip cannot go to the screen; give a file name", returncode=2
                )
            self.stdout.write(body)
            return
        out = Path(options["out"])
        if isinstance(body, bytes):
            out.write_bytes(body)
        else:
            out.write_text(body, encoding="utf-8")
        self.stdout.write(f"Exported {options['user']} as {kind} to {out}.")
