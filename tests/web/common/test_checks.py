"""A licensed wording file that cannot be used is named at start, before anything is served."""

from __future__ import annotations

from pathlib import Path

from pytest_django.fixtures import Settings as SettingsWrapper

from backbalance.web.common.checks import licensed_wording_files


def test_no_wording_file_is_fine(settings: SettingsWrapper) -> None:
    settings.LICENSED_WORDING_FILES = []
    assert licensed_wording_files(None) == []


def test_a_file_with_an_unknown_instrument_is_named(
    tmp_path: Path, settings: SettingsWrapper
) -> None:
    wording = tmp_path / "wording.yaml"
    wording.write_text('{"instrument": "not_there", "licence": "x licence", "items": {}}')
    settings.LICENSED_WORDING_FILES = [wording]
    errors = licensed_wording_files(None)
    assert [error.id for error in errors] == ["backbalance.E001"]
    assert "not_there" in errors[0].msg and str(wording) in errors[0].msg
