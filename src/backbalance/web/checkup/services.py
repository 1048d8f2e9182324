"""Check-up services: the only place the checkup views reach the core.

The stored inputs are the truth; the result is derived from them by ``core.api`` and kept
with the engine and content versions that made it. :func:`result_for` re-derives it when
either version has changed since, so a page never shows a result the current rules would
not give.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from backbalance.core import api
from backbalance.web.checkup.models import Assessment
from backbalance.web.common.content import content


def _stale(assessment: Assessment) -> bool:
    return (
        assessment.result is None
        or assessment.result_engine_version != api.ENGINE_VERSION
        or assessment.result_content_version != content().version
    )


def result_for(assessment: Assessment) -> dict[str, Any]:
    """The core's result for the check-up, as JSON, derived again if it is stale.

    Raises ``api.CaseError`` when the stored inputs do not make a valid case yet (a
    check-up still in progress).
    """
    stored: dict[str, Any] | None = assessment.result
    if stored is not None and not _stale(assessment):
        return stored
    result = api.evaluate(api.parse_case(assessment.case(), content()), content())
    derived = api.result_to_jsonable(result)
    with transaction.atomic():
        assessment.result = derived
        assessment.result_engine_version = result.engine_version
        assessment.result_content_version = result.content_version
        assessment.save(update_fields=["result", "result_engine_version", "result_content_version"])
    return derived


def parsed_result(assessment: Assessment) -> api.Result:
    """The core's result as typed objects, for views that need more than the JSON."""
    return api.evaluate(api.parse_case(assessment.case(), content()), content())
