"""Fill a wording template from the content: the one helper every text goes through.

Every sentence a person reads is written in the content (YAML) as a template with
placeholders in braces, such as ``"{test}: your reading was not used ({why})."``. The core,
the text renderer and any later page or translation fill them here, so one wording is
shared and a placeholder left unfilled is a loud error, never a stray ``{x}`` on a page.

It lives beside the content (not in core) so the content's own checks can name the
placeholders a template uses with the same rule the filling follows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# A placeholder is a name in single braces; anything else in braces is not one.
PLACEHOLDER = re.compile(r"\{(\w+)\}")


class UnfilledPlaceholder(ValueError):
    """A template asked for a value the code did not give (a bug in code or content)."""


def placeholders(template: str) -> frozenset[str]:
    """The placeholder names a template uses."""
    return frozenset(PLACEHOLDER.findall(template))


def fill(template: str, **values: object) -> str:
    """The template with each ``{name}`` replaced by its value, spaces tidied to one.

    Values are put in as given and never read as templates themselves, so a question text
    holding braces stays as written. A placeholder with no value raises, so a sentence is
    never shown half-filled; a value the template does not use is allowed, so a
    translation may leave a detail out.
    """

    def value_of(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise UnfilledPlaceholder(f"no value for {{{name}}} in {template[:60]!r}")
        return str(values[name])

    return " ".join(PLACEHOLDER.sub(value_of, template).split())


def unknown_placeholders(texts: Iterable[str], allowed: Iterable[str]) -> list[str]:
    """Placeholders the texts use that the code never fills (sorted), for content checks."""
    known = frozenset(allowed)
    return sorted({name for text in texts for name in placeholders(text)} - known)
