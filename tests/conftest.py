"""Fixtures shared by the test packages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from backbalance.content.loader import default_data_dir


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of the content folder, for tests that break it on purpose."""
    target = tmp_path / "data"
    shutil.copytree(default_data_dir(), target)
    return target
