"""A demo person to explore the app with, made by ``serve --demo``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from backbalance.web.checkup.models import Assessment
from backbalance.web.checkup.services import result_for

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-back-2026"
# The office worker with a forward pelvic tilt from the examples: a full check-up.
_DEMO_CASE = Path(__file__).with_name("demo_case.json")


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str


def seed_demo() -> DemoLogin:
    """Create (or reset) the demo person. Safe to run again: the old demo data goes."""
    case = json.loads(_DEMO_CASE.read_text())
    started = timezone.now() - timedelta(weeks=10)
    with transaction.atomic():
        User.objects.filter(username=DEMO_USERNAME).delete()
        user = User.objects.create_user(DEMO_USERNAME, password=DEMO_PASSWORD)
        assessment = Assessment.objects.create(
            owner=user,
            screening=case["screening"],
            screened_at=started,
            person=case["person"],
            context=case.get("context"),
            questionnaires=case.get("questionnaires", {}),
            tests=case.get("tests", {}),
            completed_at=started,
        )
        Assessment.objects.filter(pk=assessment.pk).update(created_at=started)
        result_for(assessment)
    return DemoLogin(DEMO_USERNAME, DEMO_PASSWORD)
