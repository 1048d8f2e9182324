"""Helpers for the journal tests: a check-in as the browser would send it."""

from __future__ import annotations

import uuid
from typing import Any

from django.test import Client
from django.urls import reverse

from backbalance.core import api
from backbalance.web.common.content import content


def check_in_ids() -> list[str]:
    return [q.id for q in api.check_in_questions(content().red_flags)]


def check_in_form(
    pain: int | str = 3,
    answers: dict[str, str] | None = None,
    token: uuid.UUID | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A complete check-in: every safety question "no" unless ``answers`` says otherwise
    (an answer of "" leaves the question out, as an untouched radio group does)."""
    given = {question_id: "no" for question_id in check_in_ids()} | (answers or {})
    data: dict[str, Any] = {
        "pain_now": str(pain),
        "client_token": str(token or uuid.uuid4()),
        **{f"safety_{qid}": value for qid, value in given.items() if value != ""},
    }
    data.update(extra)
    return data


def post_check_in(client: Client, **kwargs: Any) -> Any:
    # Any: the test client's response carries .context, which its stub type does not show.
    return client.post(reverse("journal:check_in"), check_in_form(**kwargs))
