"""The errors the core raises to its callers, one type per kind of problem.

An adapter catches :class:`InputError` (or one of its kinds) to show the person what to
fix: every one carries :class:`FieldError` items, each naming a field by its dotted path
(``context.minutes_per_day``, ``tests.side_bridge.left.hold_s``). They stay subclasses of
``ValueError``, so older callers that caught that keep working.
"""

from __future__ import annotations

from backbalance.core.value import Value


class FieldError(Value, frozen=True):
    """One problem with an input, located by a dotted path such as ``tests.ober.left.result``."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class BackbalanceError(Exception):
    """Anything the core refuses on purpose; a bug shows as any other exception."""


class InputError(BackbalanceError, ValueError):
    """Input the core cannot use; ``errors`` names every bad field."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


class CaseError(InputError):
    """A case, or one part of it (screen, person, context, a self-test, a questionnaire),
    failed validation."""


class ProgressionError(InputError):
    """A logged session, a routine item's state or the logs given with it are not valid."""


class StaleProposalError(BackbalanceError, ValueError):
    """A progression proposal was applied to a state other than the one it was made for,
    so an old suggestion cannot be accepted twice or onto a changed item."""
