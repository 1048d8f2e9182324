"""Line-drawn SVG figures of every self-test and exercise position.

Each position is a small description in :mod:`backbalance.figures.poses` (joint angles,
props, what to highlight); :mod:`backbalance.figures.render` turns it into a stand-alone
SVG string with the Python standard library only.
"""

from __future__ import annotations

from backbalance.figures.poses import POSES, Arrow, Highlight, Limb, Pose, Prop
from backbalance.figures.render import render_all, render_pose

__all__ = ["POSES", "Arrow", "Highlight", "Limb", "Pose", "Prop", "render_all", "render_pose"]
