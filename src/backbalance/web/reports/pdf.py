"""What WeasyPrint needs on top of the report page's HTML to draw the same report."""

from __future__ import annotations

import re
from pathlib import Path

from backbalance.web.common import bodymap

_WEB = Path(__file__).resolve().parents[1]
# The page's own style sheets, then the one for paper (page size, margins, no menu).
_STYLESHEETS = (
    _WEB / "common" / "static" / "backbalance" / "app.css",
    _WEB / "reports" / "static" / "reports" / "report.css",
    _WEB / "reports" / "static" / "reports" / "report-pdf.css",
)
# The body map's classes with their colours written out, for drawings WeasyPrint renders
# apart from the page (it applies no page style sheet, nor its variables, inside an SVG).
_SVG_CSS = _WEB / "reports" / "static" / "reports" / "report-svg.css"
_BODY_MAP_SVG = re.compile(r'(<svg class="bm-(?:svg|swatch)"[^>]*>)')
_DEFS = re.compile(r"<defs>.*</defs>", re.S)


def stylesheet_paths() -> tuple[Path, ...]:
    return _STYLESHEETS


def with_svg_styles(html: str, prefix: str = "bm") -> str:
    """``html`` with the body map's colours and hatch patterns inside each of its drawings.

    ``prefix`` is the one the report's body map was drawn with (the check-up results'
    ``bm``), so the patterns' ids match what the drawing refers to.

    The PDF is never served as a page, so this style element meets no security policy.
    """
    css = _SVG_CSS.read_text()
    found = _DEFS.search(str(bodymap.pattern_defs(prefix)))
    defs = found.group(0) if found else ""
    return _BODY_MAP_SVG.sub(lambda m: f"{m.group(1)}<style>{css}</style>{defs}", html)
