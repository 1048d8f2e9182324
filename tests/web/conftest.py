"""Personas and fixtures for the web tests: the owner, a stranger, and nobody."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings as SettingsWrapper

from backbalance.web.checkup.models import Assessment

# Playwright's sync API runs an event loop in the test thread; Django's ORM would refuse
# to run there without this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cases"
PASSWORD = "a-long-test-password-7"


def example_case(name: str) -> dict[str, Any]:
    case: dict[str, Any] = json.loads((EXAMPLES / name).read_text())
    return case


@pytest.fixture(autouse=True)
def _plain_static_files(settings: SettingsWrapper) -> None:
    # The hashed names of the production storage need collectstatic; tests serve the
    # files from the apps' folders instead.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _quick_password_hashing(settings: SettingsWrapper) -> None:
    # Argon2 is slow on purpose; the personas' passwords need no protection. The sign-up
    # test puts the real hashers back to check that a new account gets Argon2.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_person(username: str, case_name: str | None = None) -> User:
    """A user; with ``case_name``, one finished check-up from that example case."""
    user = User.objects.create_user(username, password=PASSWORD)
    if case_name is not None:
        case = example_case(case_name)
        Assessment.objects.create(
            owner=user,
            person=case["person"],
            screening=case["screening"],
            screened_at=timezone.now(),
            context=case.get("context"),
            questionnaires=case.get("questionnaires", {}),
            tests=case.get("tests", {}),
            completed_at=timezone.now(),
        )
    return user


@pytest.fixture
def owner(db: None) -> User:
    return make_person("owner", "01_lower_crossed_office_worker.json")


@pytest.fixture
def stranger(db: None) -> User:
    return make_person("stranger", "01_lower_crossed_office_worker.json")


@pytest.fixture
def owner_client(owner: User) -> Iterator[Client]:
    client = Client()
    client.force_login(owner)
    yield client


@pytest.fixture
def stranger_client(stranger: User) -> Iterator[Client]:
    client = Client()
    client.force_login(stranger)
    yield client
