"""Every question asked at each check-in has a short wording for the check-in's list."""

from __future__ import annotations

from dataclasses import asdict

import pytest

from backbalance.content.loader import load_content
from backbalance.content.schema import RedFlagQuestion
from backbalance.content.validation import validate


def test_every_check_in_question_has_a_short_wording_and_no_other_does() -> None:
    questions = load_content().red_flags.questions
    assert any(q.every_check_in for q in questions)
    for question in questions:
        assert (question.check_in_wording is not None) == question.every_check_in, question.id


def _question(**changes: object) -> dict[str, object]:
    base = asdict(load_content().red_flags.questions[0])
    base.update(changes)
    return base


def test_a_check_in_question_without_a_short_wording_is_refused() -> None:
    with pytest.raises(ValueError, match="needs check_in_wording"):
        validate(RedFlagQuestion, _question(every_check_in=True, check_in_wording=None))


def test_a_short_wording_on_a_screen_only_question_is_refused() -> None:
    with pytest.raises(ValueError, match="only for every_check_in"):
        validate(RedFlagQuestion, _question(every_check_in=False, check_in_wording="Anything?"))
