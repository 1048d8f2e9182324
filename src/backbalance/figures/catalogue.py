"""A picture catalogue: every self-test and exercise figure, with its name, as files.

``write_catalogue`` writes one SVG per self-test and exercise (named by its id) and an
``index.html`` that shows them in a grid, so a person can see each position at a glance
in any browser, offline.
"""

from __future__ import annotations

import html
from pathlib import Path

from backbalance.content.loader import Content
from backbalance.figures.render import render_pose

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>backbalance: self-tests and exercises</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 1.5rem; color: #1f2933; }}
h1 {{ font-size: 1.4rem; }} h2 {{ font-size: 1.15rem; margin-top: 2rem; }}
ul {{ list-style: none; padding: 0; display: grid; gap: 1rem;
     grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); }}
li {{ border: 1px solid #d9dee3; border-radius: 8px; padding: .5rem; text-align: center; }}
img {{ width: 100%; height: 150px; object-fit: contain; }}
span {{ display: block; font-size: .95rem; }}
</style></head><body>
<h1>Self-tests and exercises</h1>
{sections}
</body></html>
"""


def _section(title: str, entries: list[tuple[str, str, str]], folder: str) -> str:
    cards = "\n".join(
        f'<li><img src="{folder}/{item_id}.svg" alt="{html.escape(name)}">'
        f"<span>{html.escape(name)}</span></li>"
        for item_id, name, _ in entries
    )
    return f"<h2>{html.escape(title)}</h2>\n<ul>\n{cards}\n</ul>"


def write_catalogue(content: Content, out_dir: Path) -> Path:
    """Write the figures and the index page into ``out_dir``; return the index path."""
    groups = {
        "tests": [(t.id, t.name, t.figure) for t in content.tests.values() if t.figure],
        "exercises": [(e.id, e.name, e.figure) for e in content.exercises.values()],
    }
    for folder, entries in groups.items():
        (out_dir / folder).mkdir(parents=True, exist_ok=True)
        for item_id, _, pose_id in entries:
            assert pose_id is not None
            (out_dir / folder / f"{item_id}.svg").write_text(render_pose(pose_id), encoding="utf-8")
    sections = "\n".join(
        [
            _section("Self-tests", groups["tests"], "tests"),
            _section("Exercises", groups["exercises"], "exercises"),
        ]
    )
    index = out_dir / "index.html"
    index.write_text(PAGE.format(sections=sections), encoding="utf-8")
    return index
