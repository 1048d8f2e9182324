"""``manage import --user NAME FILE``: bring an export back into an empty account.

The account is made when it does not exist yet (with no password: set one with
``manage changepassword NAME``). A bad file is refused with every problem named, exit 2,
and nothing is stored.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from backbalance.core import api
from backbalance.web.ownership.services import AccountNotEmpty, import_account


class Command(BaseCommand):
    help = "Import an export FILE (JSON) into the account NAME, which must hold nothing yet."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, metavar="NAME", help="the login name")
        parser.add_argument("file", metavar="FILE", help="the JSON file made by export")

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["user"]
        try:
            text = Path(options["file"]).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as unreadable:
            raise CommandError(
                f"FILE: cannot read it as text ({unreadable})", returncode=2
            ) from None
        users = get_user_model()
        try:
            with transaction.atomic():
                user = users.objects.filter(username=name).first()
                made = user is None
                if user is None:
                    user = users.objects.create_user(username=name, password=None)
                summary = import_account(user, text)
        except api.CaseError as refused:
            for problem in refused.errors:
                self.stderr.write(f"{problem.path}: {problem.message}")
            raise CommandError("Nothing was imported.", returncode=2) from None
        except AccountNotEmpty:
            raise CommandError(
                f"--user: the account {name!r} already holds data; import into a new name",
                returncode=2,
            ) from None
        total = sum(summary.counts.values())
        self.stdout.write(f"Imported {total} records into {name}.")
        if made:
            self.stdout.write(
                f"The account is new: set its password with  manage changepassword {name}"
            )
        sys.stdout.flush()
