"""``manage report --user NAME OUT.pdf [--from DATE] [--to DATE]``: the clinician report.

The same report as the page and its PDF download (one template), for a person chosen by
name, written to a file; for a clinic that prints reports without a browser.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.loader import render_to_string
from django.test import RequestFactory

from backbalance.web.journal.safety import current_safety
from backbalance.web.reports import services
from backbalance.web.reports.forms import ReportForm, default_range


class Command(BaseCommand):
    help = "Write the clinician report of one person as a PDF."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="the person's login name")
        parser.add_argument("output", metavar="OUT.pdf", help="the PDF file to write")
        parser.add_argument("--from", dest="start", help="first day (YYYY-MM-DD)")
        parser.add_argument("--to", dest="end", help="last day (YYYY-MM-DD)")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"--user: nobody is called {options['user']!r}", returncode=2)
        first, last = default_range()
        form = ReportForm(
            {
                "start": options["start"] or first.isoformat(),
                "end": options["end"] or last.isoformat(),
                "sections": list(services.SECTIONS),
            }
        )
        if not form.is_valid():
            option = {"start": "--from", "end": "--to"}
            problems = "; ".join(
                f"{option.get(name, name)}: {' '.join(str(e) for e in errors)}"
                for name, errors in form.errors.items()
            )
            raise CommandError(problems, returncode=2)
        data = form.cleaned_data
        report = services.build_report(
            user, current_safety(user), data["start"], data["end"], list(data["sections"])
        )
        # The template is the page's; it reads the request only for the user and the site.
        request = RequestFactory().get("/", HTTP_HOST=settings.ALLOWED_HOSTS[0])
        request.user = user
        html = render_to_string(
            "reports/clinician_pdf.html",
            {"report": report, "user_name": user.get_username()},
            request,
        )
        output = Path(options["output"])
        output.write_bytes(services.report_pdf(html, base_url=request.build_absolute_uri("/")))
        self.stdout.write(f"Report for {user.get_username()} written to {output}.")
