"""Export -> import -> export gives the same data, for generated histories.

The source account's records are exported, imported into a new account and exported
again: the two files hold the same records, field for field, apart from the owner. When
the source is deleted first, its ids are free and kept; when it still exists, every id is
replaced in the same order, so the records match one for one with the ids mapped.
"""

from __future__ import annotations

import json
import math
from typing import Any

from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from backbalance.web.common.content import content
from backbalance.web.journal.models import CheckIn
from backbalance.web.ownership import services
from backbalance.web.ownership.records import kind_of, owned_models
from tests.web.conftest import make_person
from tests.web.ownership.conftest import HistorySpec, check_in_question_ids, fill_history

REGIONS = st.sampled_from(
    [("", ""), ("low_back", "centre"), ("hip", "left"), ("thigh", "right"), ("buttock", "both")]
)


def _days_between_vibration_sessions() -> int:
    allowed = (
        content().adjuncts.therapy("vibration").protocol.stages[0].setting("sessions_per_week")
    )
    assert allowed is not None
    return math.ceil(7 / allowed.figure.value)


@st.composite
def histories(draw: st.DrawFn) -> HistorySpec:
    questions = check_in_question_ids()
    check_ins = []
    for hours in sorted(draw(st.lists(st.integers(1, 24 * 60), max_size=8, unique=True))):
        region, side = draw(REGIONS)
        # Most check-ins answer "no" throughout; some raise a sign, so the re-judging
        # on import meets urgent and emergency levels as well as plain ones.
        raised = draw(
            st.one_of(
                st.just({}),
                st.dictionaries(
                    st.sampled_from(questions), st.sampled_from(["yes", "unsure"]), max_size=2
                ),
            )
        )
        check_ins.append((hours, draw(st.integers(0, 10)), region, side, raised))
    return HistorySpec(
        check_ins=check_ins,
        visits_after_hours=draw(st.lists(st.integers(1, 24 * 60), max_size=2)),
        sessions=draw(
            st.lists(
                st.tuples(
                    st.integers(0, 60),
                    st.none() | st.integers(0, 10),
                    st.sampled_from(["", "better", "same", "worse"]),
                ),
                max_size=4,
            )
        ),
        device_sessions=[
            # Spaced as the first stage's sessions a week allow (the import holds them to it).
            (1 + 24 * _days_between_vibration_sessions() * slot, tolerated, rating)
            for slot, tolerated, rating in draw(
                st.lists(
                    st.tuples(st.integers(0, 14), st.booleans(), st.none() | st.integers(0, 10)),
                    max_size=3,
                    unique_by=lambda drawn: drawn[0],
                )
            )
        ],
        stage_moves=draw(st.integers(0, 2)),
        proposal=draw(st.booleans()),
        # Any text a form accepts: Django's text fields refuse the null character, and a
        # browser never sends a lone surrogate (the database cannot store one either).
        note=draw(
            st.text(
                st.characters(codec="utf-8", exclude_characters="\x00"),
                max_size=30,
            )
        ),
    )


def _records(export: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    records: dict[str, list[dict[str, Any]]] = export["records"]
    return records


def _with_ids_mapped(export: dict[str, Any], onto: dict[str, Any]) -> dict[str, Any]:
    """``export``'s records with each id replaced by the id of the record in ``onto`` at
    the same place, and every mention of it likewise."""
    mapping: dict[str, str] = {}
    for kind, rows in _records(export).items():
        for row, original in zip(rows, _records(onto)[kind], strict=True):
            mapping[row["id"]] = original["id"]
    return {kind: _mapped(rows, mapping) for kind, rows in _records(export).items()}


def _mapped(value: Any, mapping: dict[str, str]) -> Any:
    # Deep: a check-up's derived result names the check-up by its id.
    if isinstance(value, str):
        return mapping.get(value, value)
    if isinstance(value, list):
        return [_mapped(item, mapping) for item in value]
    if isinstance(value, dict):
        return {key: _mapped(item, mapping) for key, item in value.items()}
    return value


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(spec=histories(), delete_source_first=st.booleans())
def test_export_import_export_gives_the_same_records(
    db: None, spec: HistorySpec, delete_source_first: bool
) -> None:
    with transaction.atomic():
        source = make_person("source", "01_lower_crossed_office_worker.json")
        fill_history(source, spec)
        levels = set(CheckIn.objects.filter(owner=source).values_list("level", flat=True))
        for level in sorted(levels):
            event(f"a check-in judged {level}")
        first = services.export_account(source)
        text = json.dumps(first)
        if delete_source_first:
            services.delete_account(source)
        target = make_person("target")
        summary = services.import_account(target, text)
        event("ids kept" if summary.ids_kept else "ids given anew")
        assert summary.ids_kept == delete_source_first
        second = services.export_account(target)

        assert set(_records(first)) == {kind_of(model) for model in owned_models()}
        assert second["account"] == {"username": "target"}
        assert summary.counts == {kind: len(rows) for kind, rows in _records(first).items()}
        if delete_source_first:
            assert _records(second) == _records(first)
        else:
            assert _with_ids_mapped(second, first) == _records(first)
            assert not set(_ids(first)) & set(_ids(second))
        transaction.set_rollback(True)


def _ids(export: dict[str, Any]) -> list[str]:
    return [row["id"] for rows in _records(export).values() for row in rows]
