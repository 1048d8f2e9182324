"""Line-drawn SVG figures of every self-test and exercise position.

Each position is a small description in :mod:`backbalance.figures.poses` (joint angles,
props, what to highlight); :mod:`backbalance.figures.render` turns it into a stand-alone
SVG string with the Python standard library only.

The names below are imported on first use, not with the package: most commands never
draw a figure, and the pose table is slow to build.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from backbalance.figures.poses import POSES, Arrow, Highlight, Limb, Pose, Prop
    from backbalance.figures.render import render_all, render_pose

_HOME = {
    "POSES": "backbalance.figures.poses",
    "Arrow": "backbalance.figures.poses",
    "Highlight": "backbalance.figures.poses",
    "Limb": "backbalance.figures.poses",
    "Pose": "backbalance.figures.poses",
    "Prop": "backbalance.figures.poses",
    "render_all": "backbalance.figures.render",
    "render_pose": "backbalance.figures.render",
}

__all__ = ["POSES", "Arrow", "Highlight", "Limb", "Pose", "Prop", "render_all", "render_pose"]


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(home), name)
