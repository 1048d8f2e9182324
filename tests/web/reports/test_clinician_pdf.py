"""The report as a PDF: made by WeasyPrint from the page's template, with the same
sections; its text (pdftotext) holds the headings and a finding."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from backbalance.web.common import bodymap
from backbalance.web.reports.pdf import with_svg_styles
from tests.web.reports.conftest import history
from tests.web.reports.test_clinician import HEADINGS
from tests.web.routine.conftest import plan_of

URL = reverse("reports:clinician_pdf")


def _text(pdf: bytes, tmp_path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("needs pdftotext (apt poppler-utils; .ci/run installs it)")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    )
    return " ".join(done.stdout.split())


def test_the_pdf_holds_every_section_and_a_finding(
    owner: User, owner_client: Client, tmp_path: Path
) -> None:
    plan_of(owner_client)
    history(owner, 40)
    response = owner_client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="backbalance-report-')
    pdf = response.content
    assert pdf.startswith(b"%PDF-")
    text = _text(pdf, tmp_path)
    for heading in HEADINGS:
        assert heading in text, heading
    assert "Deep hip flexor (iliopsoas)" in text
    assert "No warning signs" in text
    assert "meaningfully better" in text  # the MCID marks of the trend chart


def test_the_pdf_keeps_to_the_chosen_sections(
    owner: User, owner_client: Client, tmp_path: Path
) -> None:
    history(owner, 10)
    response = owner_client.get(
        URL, {"start": "2026-01-01", "end": "2026-01-31", "sections": ["trends"]}
    )
    text = _text(response.content, tmp_path)
    assert "Safety screen" in text and "Pain trend" in text
    assert "Findings and their evidence" not in text
    assert "No check-ins in this period." in text


def test_a_bad_range_gives_the_form_with_the_problem_not_a_pdf(owner_client: Client) -> None:
    response = owner_client.get(URL, {"start": "2026-06-10", "end": "2026-06-01"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "The end date is before the start date." in response.content.decode()


def test_nobody_is_sent_to_log_in(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_each_body_map_drawing_carries_its_own_colours_and_patterns() -> None:
    # The report draws its map as the check-up results page does, with the prefix "bm".
    drawn = str(
        bodymap.findings_map(
            [{"muscle": "iliopsoas", "side": "left", "status": "short"}], {}, prefix="bm"
        )
    ) + str(bodymap.legend("bm"))
    styled = with_svg_styles(drawn)
    drawings = styled.count('<svg class="bm-svg"') + styled.count('<svg class="bm-swatch"')
    assert drawings == 2 + 6
    assert styled.count("<style>") == drawings
    assert styled.count('<pattern id="bm-hatch-tight"') == drawings + 1  # and the hidden one
    assert "url(#bm-hatch-tight)" in styled
