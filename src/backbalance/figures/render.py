"""Turn a pose description into a small, stand-alone SVG line drawing.

The figure is built in three dimensions (so a knee that falls out to the side still
shows when we look down on it a little) and drawn with a plain orthographic camera:
forward kinematics from the pelvis, then props placed against named body points, then
everything shifted so the floor is at height zero, projected, and written as SVG.

Only the standard library is used and every number is rounded to one decimal, so the
same pose always gives the same bytes.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from xml.sax.saxutils import escape

from backbalance.figures.poses import POSES, Arrow, Highlight, Limb, Pose, Prop

Vec = tuple[float, float, float]
Pt = tuple[float, float]

# Body proportions in "units": a standing person is about 100 units tall.
LOWER_TRUNK = 13.0
UPPER_TRUNK = 17.0
NECK = 7.0
HEAD_R = 5.5
HIP_HALF = 4.5
SHOULDER_HALF = 7.0
THIGH = 25.0
SHIN = 26.0
FOOT = 8.0
HEEL = 2.0
UPPER_ARM = 15.0
FOREARM = 15.0

# Stroke widths and colours. Dark body on white, props in light grey, one calm accent.
TRUNK_W = 4.2
NEAR_W = 3.2
FAR_W = 2.9
NEAR_COLOUR = "#2b3440"
FAR_COLOUR = "#8e9aa7"
PROP_STROKE = "#9aa6b2"
PROP_FILL = "#eef1f4"
ACCENT = "#0b7a83"
HIGHLIGHT_W = 6.5
HIGHLIGHT_OPACITY = "0.4"
HIGHLIGHT_OFFSET = 2.6
MARGIN = 5.0

MAT_T = 1.6
BENCH_H = 34.0
PLATFORM_H = 5.0
PIVOT_H = 42.0
SIDE_BOX_DEPTH = 18.0

# The body points a prop, highlight or arrow may name.
BODY_POINTS = (
    "pelvis",
    "waist",
    "neck",
    "head",
    "nose",
    *(
        f"{side}_{part}"
        for side in ("near", "far")
        for part in (
            "hip",
            "mid_thigh",
            "knee",
            "ankle",
            "heel",
            "toe",
            "sole",
            "shoulder",
            "elbow",
            "hand",
        )
    ),
)


# ------------------------------------------------------------------------ vector maths


def _add(a: Vec, b: Vec) -> Vec:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])


def _sub(a: Vec, b: Vec) -> Vec:
    return (a[0] - b[0], a[1] - b[1], a[2] - b[2])


def _mul(a: Vec, k: float) -> Vec:
    return (a[0] * k, a[1] * k, a[2] * k)


def _dot(a: Vec, b: Vec) -> float:
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def _cross(a: Vec, b: Vec) -> Vec:
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])


def _unit(a: Vec) -> Vec:
    n = math.sqrt(_dot(a, a))
    return a if n < 1e-9 else _mul(a, 1.0 / n)


def _lerp(a: Vec, b: Vec, t: float) -> Vec:
    return _add(a, _mul(_sub(b, a), t))


def _turn(v: Vec, axis: Vec, degrees: float) -> Vec:
    """Rotate ``v`` about the unit vector ``axis`` by the right-hand rule (Rodrigues)."""
    th = math.radians(degrees)
    c, s = math.cos(th), math.sin(th)
    k = axis
    return _add(
        _add(_mul(v, c), _mul(_cross(k, v), s)),
        _mul(k, _dot(k, v) * (1.0 - c)),
    )


@dataclass(frozen=True)
class Frame:
    """Three unit directions fixed to a body part: along it, its front, its right side."""

    along: Vec
    front: Vec
    right: Vec

    def turned(self, axis: Vec, degrees: float) -> Frame:
        return Frame(
            _turn(self.along, axis, degrees),
            _turn(self.front, axis, degrees),
            _turn(self.right, axis, degrees),
        )


# ------------------------------------------------------------------------- skeleton


@dataclass(frozen=True)
class Skeleton:
    points: dict[str, Vec]
    # The frame of each drawn segment, to offset highlights towards its front or side.
    frames: dict[str, Frame]


def _limb(
    root: Vec, body: Frame, side: int, limb: Limb, lengths: tuple[float, float], leg: bool
) -> tuple[list[Vec], Frame, Frame]:
    """Points and frames of a leg (hip, knee, ankle) or an arm (shoulder, elbow, hand).

    ``side`` is +1 for the near (right) limb and -1 for the far (left) one, so that
    abduction and outward rotation mirror between the two sides.
    """
    seg = Frame(_mul(body.along, -1.0), body.front, body.right)
    # Out to the side first, then forwards about the body's own side-to-side axis, so a
    # leg that is both flexed and abducted keeps its sideways lean.
    seg = seg.turned(_mul(body.front, -side), limb.abduct)
    seg = seg.turned(body.right, limb.flex)
    seg = seg.turned(_mul(seg.along, side), limb.rotate)
    upper_len, lower_len = lengths
    mid = _add(root, _mul(seg.along, upper_len))
    # Knees bend backwards, elbows forwards.
    hinge = _cross(seg.along, seg.front)
    lower = seg.turned(hinge if not leg else _mul(hinge, -1.0), limb.bend)
    end = _add(mid, _mul(lower.along, lower_len))
    return [root, mid, end], seg, lower


def _foot(shin: Frame, ankle: float | Literal["flat"]) -> Vec:
    """Direction from the ankle to the toes."""
    if isinstance(ankle, str):
        # Flat on the floor: the shin's front direction laid level, unless the shin is so
        # upright in the wrong way (lying down) that there is no level direction to use.
        flat = (shin.front[0], 0.0, shin.front[2])
        if math.sqrt(_dot(flat, flat)) > 0.2:
            return _unit(flat)
        return shin.front
    return _turn(shin.front, _unit(_cross(shin.front, shin.along)), ankle)


def build_skeleton(pose: Pose) -> Skeleton:
    """Forward kinematics from the pelvis (at the origin) out to the hands, feet and head."""
    t = math.radians(pose.trunk)
    up: Vec = (math.cos(t), math.sin(t), 0.0)
    right: Vec = (0.0, 0.0, 1.0)
    pelvis_frame = Frame(up, _cross(up, right), right)
    pelvis_frame = pelvis_frame.turned(up, -pose.roll)
    chest = pelvis_frame.turned(_mul(pelvis_frame.right, -1.0), pose.spine)
    chest = chest.turned(chest.front, pose.side_bend)
    chest = chest.turned(chest.along, -pose.twist)

    pelvis: Vec = (0.0, 0.0, 0.0)
    waist = _add(pelvis, _mul(pelvis_frame.along, LOWER_TRUNK))
    neck = _add(waist, _mul(chest.along, UPPER_TRUNK))
    head_dir = _turn(chest.along, _mul(chest.right, -1.0), pose.head)
    head = _add(neck, _mul(head_dir, NECK))

    face = _turn(chest.front, _mul(chest.right, -1.0), pose.head)
    nose = _add(head, _mul(face, HEAD_R + 1.3))
    pts: dict[str, Vec] = {
        "pelvis": pelvis,
        "waist": waist,
        "neck": neck,
        "head": head,
        "nose": nose,
    }
    frames: dict[str, Frame] = {"lower_trunk": pelvis_frame, "upper_trunk": chest}
    for name, side, leg, arm in (
        ("near", 1, pose.near_leg, pose.near_arm),
        ("far", -1, pose.far_leg, pose.far_arm),
    ):
        hip = _add(pelvis, _mul(pelvis_frame.right, side * HIP_HALF))
        (h, knee, ankle), thigh, shin = _limb(hip, pelvis_frame, side, leg, (THIGH, SHIN), True)
        foot = _foot(shin, leg.ankle)
        shoulder = _add(neck, _mul(chest.right, side * SHOULDER_HALF))
        shoulder = _add(shoulder, _mul(chest.along, -1.5))
        (s, elbow, hand), upper_arm, forearm = _limb(
            shoulder, chest, side, arm, (UPPER_ARM, FOREARM), False
        )
        pts.update(
            {
                f"{name}_hip": h,
                f"{name}_mid_thigh": _lerp(h, knee, 0.5),
                f"{name}_knee": knee,
                f"{name}_ankle": ankle,
                f"{name}_heel": _add(ankle, _mul(foot, -HEEL)),
                f"{name}_toe": _add(ankle, _mul(foot, FOOT)),
                f"{name}_sole": _add(ankle, _mul(foot, FOOT * 0.45)),
                f"{name}_shoulder": s,
                f"{name}_elbow": elbow,
                f"{name}_hand": hand,
            }
        )
        frames.update(
            {
                f"{name}_thigh": thigh,
                f"{name}_shin": shin,
                f"{name}_upper_arm": upper_arm,
                f"{name}_forearm": forearm,
            }
        )
    return Skeleton(pts, frames)


def _radius(name: str) -> float:
    """How far the drawn body reaches beyond a point: used to rest the body on things."""
    if name == "head":
        return HEAD_R
    if name == "nose":
        return 1.1
    if name in ("pelvis", "waist", "neck"):
        return TRUNK_W / 2
    return (NEAR_W if name.startswith("near") else FAR_W) / 2


def _lowest(points: dict[str, Vec], names: Iterable[str]) -> float:
    return min(points[n][1] - _radius(n) for n in names)


# ----------------------------------------------------------------------------- scene


@dataclass
class Scene:
    """Shapes in world units. Each shape is (layer, svg element name, attrs, 3-D points)."""

    shapes: list[tuple[int, str, dict[str, str], list[Vec]]]

    def add(self, layer: int, tag: str, attrs: dict[str, str], pts: Sequence[Vec]) -> None:
        self.shapes.append((layer, tag, attrs, list(pts)))


# Layers, back to front.
L_GROUND, L_PROP, L_HIGHLIGHT, L_FAR, L_TRUNK, L_NEAR, L_FRONT, L_ARROW = range(8)

PROP_LINE = {"stroke": PROP_STROKE, "stroke-width": "1.4", "fill": PROP_FILL}
STRAP_LINE = {"stroke": "#6b7885", "stroke-width": "1.6", "fill": "none"}
FRAME_LINE = {"stroke": PROP_STROKE, "stroke-width": "2.2", "fill": "none"}
# How far a mat, bed or step reaches beyond the body parts on it, front to back.
DEPTH_PAD = 7.0


def _depth(pts: dict[str, Vec], names: Iterable[str]) -> tuple[float, float]:
    zs = [pts[n][2] for n in names]
    return min(zs) - DEPTH_PAD, max(zs) + DEPTH_PAD


def _box(scene: Scene, xs: Pt, ys: Pt, zs: Pt, yaw: float, layer: int = L_PROP) -> None:
    """A box drawn as its faces that can face the viewer, farthest first."""
    (x0, x1), (y0, y1), (z0, z1) = sorted(xs), ys, zs
    ends = [x0, x1] if math.sin(math.radians(yaw)) <= 0 else [x1, x0]
    for x in ends:
        scene.add(layer, "polygon", PROP_LINE, [(x, y0, z0), (x, y1, z0), (x, y1, z1), (x, y0, z1)])
    scene.add(layer, "polygon", PROP_LINE, [(x0, y1, z0), (x1, y1, z0), (x1, y1, z1), (x0, y1, z1)])
    scene.add(layer, "polygon", PROP_LINE, [(x0, y0, z1), (x1, y0, z1), (x1, y1, z1), (x0, y1, z1)])


def _place_supports(pose: Pose, pts: dict[str, Vec]) -> float:
    """The floor height, given what the body rests on (floor, mat, bed, device)."""
    lowest = _lowest(pts, pts)
    floor = lowest
    for prop in pose.props:
        if prop.kind == "mat":
            floor = min(floor, lowest - MAT_T)
        elif prop.kind == "bench":
            floor = min(floor, _lowest(pts, prop.at) - BENCH_H)
        elif prop.kind == "step" and prop.size:
            # A step with a height of its own: the foot on it may be the lowest point
            # (the other foot hangs off its edge), so the floor is measured from that foot.
            floor = min(floor, _lowest(pts, prop.at) - prop.size)
        elif prop.kind == "vibration_platform":
            floor = min(floor, lowest - PLATFORM_H)
        elif prop.kind == "inversion_table":
            floor = min(floor, pts[prop.at[-1]][1] - PIVOT_H, lowest - 4.0)
    return floor


def _draw_props(pose: Pose, pts: dict[str, Vec], scene: Scene) -> None:
    """Draw the props; the floor is already at y = 0."""
    on_floor = [n for n, p in pts.items() if p[1] - _radius(n) < MAT_T + 5.0] or list(pts)
    ground = 0.0
    for prop in pose.props:
        if prop.kind == "mat":
            ground = MAT_T
            xs = [p[0] for p in pts.values()]
            x0, x1 = min(xs) - 4.0, max(xs) + 4.0
            _box(scene, (x0, x1), (0.0, MAT_T), _depth(pts, on_floor), pose.yaw, L_GROUND)
    for prop in pose.props:
        _draw_prop(prop, pts, ground, pose.yaw, scene)


def _draw_prop(prop: Prop, pts: dict[str, Vec], ground: float, yaw: float, scene: Scene) -> None:
    """Draw one prop against the body points it names."""
    at = [pts[n] for n in prop.at]
    sign = -1.0 if prop.side == "left" else 1.0
    if prop.kind == "wall":
        reach = [p[0] + sign * _radius(n) for n, p in zip(prop.at, at, strict=True)]
        x = (min(reach) if sign < 0 else max(reach)) + sign * prop.size
        top = max(p[1] for p in at) + 14.0
        panel = [
            (x, 0.0, 0.0),
            (x, top, 0.0),
            (x + sign * 4.0, top, 0.0),
            (x + sign * 4.0, 0.0, 0.0),
        ]
        scene.add(L_PROP, "polygon", PROP_LINE, panel)
    elif prop.kind == "bench":
        # The bed ends just past the first named point and runs under all the others.
        top = _lowest(pts, prop.at)
        edge = at[0][0] - sign * 3.0
        xs = [p[0] for p in at]
        end = (min(xs) if sign < 0 else max(xs)) + sign * 8.0
        zs = _depth(pts, prop.at)
        _box(scene, (edge, end), (0.0, top), zs, yaw)
    elif prop.kind == "chair":
        p = at[0]
        seat = p[1] - TRUNK_W / 2
        fwd = 1.0 if pts["near_knee"][0] >= p[0] else -1.0
        back_x, front_x = p[0] - fwd * 8.0, p[0] + fwd * 12.0
        scene.add(L_PROP, "polyline", FRAME_LINE, [(back_x, seat + 28.0, 0.0), (back_x, 0.0, 0.0)])
        seat_line = [(back_x, seat, 0.0), (front_x, seat, 0.0), (front_x, 0.0, 0.0)]
        scene.add(L_PROP, "polyline", FRAME_LINE, seat_line)
    elif prop.kind == "step" and prop.side != "below":
        # A box standing beside the body rather than under a foot (the sit-and-reach box):
        # its face just past the first named point (the soles pressed against it), its top
        # just under the last one (the fingertips sliding along it).
        face = at[0][0] + sign * _radius(prop.at[0])
        top = at[-1][1] - _radius(prop.at[-1])
        _box(scene, (face, face + sign * SIDE_BOX_DEPTH), (0.0, top), _depth(pts, prop.at), yaw)
    elif prop.kind == "step":
        p = at[0]
        top = p[1] - _radius(prop.at[0])
        zs = (p[2] - DEPTH_PAD, p[2] + DEPTH_PAD)
        _box(scene, (p[0] - 14.0, p[0] + 6.0), (0.0, top), zs, yaw)
    elif prop.kind == "strap":
        if len(at) >= 2:
            scene.add(L_FRONT, "polyline", STRAP_LINE, [at[0], at[1]])
        else:
            # A strap round the legs and the bed they lie on.
            p = at[0]
            low = p[1] - _radius(prop.at[0]) - 12.0
            loop = [
                (p[0] - 1.5, p[1] + 2.5, p[2]),
                (p[0] + 1.5, p[1] + 2.5, p[2]),
                (p[0] + 1.5, low, p[2]),
                (p[0] - 1.5, low, p[2]),
            ]
            scene.add(L_FRONT, "polygon", STRAP_LINE, loop)
    elif prop.kind == "band":
        scene.add(L_FRONT, "polyline", {**STRAP_LINE, "stroke-width": "2.2"}, at)
    elif prop.kind in ("roller", "ball"):
        p = at[0]
        r_body = _radius(prop.at[0])
        if prop.side == "below":
            # Fill the gap between the floor and the body part resting on it.
            radius = max(3.5, (p[1] - r_body - ground) / 2.0)
            centre: Vec = (p[0], ground + radius, p[2])
        else:
            radius = prop.size / 2.0
            centre = (p[0] + sign * (r_body + radius), p[1], p[2])
        fill = "#dfe5ea" if prop.kind == "roller" else "#c3ccd5"
        scene.add(L_PROP, "circle", {**PROP_LINE, "fill": fill, "r": _num(radius)}, [centre])
        if prop.kind == "roller":
            inner = {**PROP_LINE, "fill": "none", "r": _num(radius * 0.45)}
            scene.add(L_PROP, "circle", inner, [centre])
    elif prop.kind == "inversion_table":
        head, ankle, pivot = at[0], at[1], at[2]
        along = _unit(_sub(ankle, head))
        down: Vec = (along[1], -along[0], 0.0)
        if down[1] > 0:
            down = _mul(down, -1.0)
        off = _mul(down, TRUNK_W / 2 + 1.2)
        a = _add(_add(head, _mul(along, -6.0)), off)
        b = _add(_add(ankle, _mul(along, 3.0)), off)
        board = {**FRAME_LINE, "stroke-width": "2.6"}
        scene.add(L_PROP, "polyline", board, [a, b])
        scene.add(
            L_PROP, "polyline", board, [_add(b, _mul(along, -2.0)), _add(ankle, _mul(down, -3.0))]
        )
        piv = _add(pivot, off)
        legs = [(piv[0] - 16.0, 0.0, 0.0), piv, (piv[0] + 16.0, 0.0, 0.0)]
        scene.add(L_PROP, "polyline", FRAME_LINE, legs)
        scene.add(L_PROP, "circle", {**PROP_LINE, "r": "1.6"}, [piv])
    elif prop.kind == "vibration_platform":
        toe, hand = at[0], at[1]
        heel_x = min(pts[n][0] for n in ("near_heel", "far_heel"))
        x0, x1 = heel_x - 7.0, toe[0] + 9.0
        zs = _depth(pts, ("near_toe", "far_toe"))
        _box(scene, (x0, x1), (0.0, PLATFORM_H), zs, yaw)
        post = [
            (x1 - 2.0, PLATFORM_H, 0.0),
            (hand[0] + 3.0, hand[1], 0.0),
            (hand[0] - 1.0, hand[1] + 1.0, 0.0),
        ]
        scene.add(L_PROP, "polyline", FRAME_LINE, post)
        wave = {**FRAME_LINE, "stroke-width": "1.1"}
        for dy in (-1.2, 1.2):
            y = PLATFORM_H / 2 + dy
            zig = [(x1 + 2.0 + 1.5 * i, y + 0.8 * (i % 2), 0.0) for i in range(4)]
            scene.add(L_PROP, "polyline", wave, zig)


# ----------------------------------------------------------------------------- body


def _draw_body(pose: Pose, pts: dict[str, Vec], scene: Scene) -> None:
    def stroke(colour: str, width: float) -> dict[str, str]:
        return {"stroke": colour, "stroke-width": _num(width), "fill": "none"}

    for name, layer, colour, width in (
        ("far", L_FAR, FAR_COLOUR, FAR_W),
        ("near", L_NEAR, NEAR_COLOUR, NEAR_W),
    ):
        leg = [pts[f"{name}_{p}"] for p in ("hip", "knee", "ankle")]
        foot = [pts[f"{name}_ankle"], pts[f"{name}_heel"], pts[f"{name}_toe"]]
        arm = [pts[f"{name}_{p}"] for p in ("shoulder", "elbow", "hand")]
        scene.add(layer, "polyline", stroke(colour, width), leg)
        scene.add(layer, "polyline", stroke(colour, width * 0.8), [foot[1], foot[2]])
        # The near arm sits in front of the trunk, the far arm behind it.
        arm_layer = L_FRONT if name == "near" else L_FAR
        scene.add(arm_layer, "polyline", stroke(colour, width * 0.92), arm)
    trunk = stroke(NEAR_COLOUR, TRUNK_W)
    scene.add(L_TRUNK, "path", trunk, [pts["pelvis"], pts["waist"], pts["neck"]])
    girdle = stroke(NEAR_COLOUR, NEAR_W * 0.8)
    for a, b in (("near_hip", "far_hip"), ("near_shoulder", "far_shoulder")):
        scene.add(L_TRUNK, "polyline", girdle, [pts[a], pts[b]])
    scene.add(L_TRUNK, "polyline", girdle, [pts["neck"], pts["head"]])
    head = {"fill": NEAR_COLOUR, "stroke": "none", "r": _num(HEAD_R)}
    scene.add(L_TRUNK, "circle", head, [pts["head"]])
    # A small nose shows which way the face points (face up or face down when lying).
    scene.add(L_TRUNK, "polyline", stroke(NEAR_COLOUR, 2.2), [pts["head"], pts["nose"]])


def _region(sk: Skeleton, region: str) -> list[tuple[Vec, Frame | None, int]]:
    """Points along a highlight region with the frame that says where its front is."""
    p, f = sk.points, sk.frames
    lower, upper = f["lower_trunk"], f["upper_trunk"]
    if region in ("trunk", "lower_trunk", "upper_trunk"):
        start, end = {"trunk": (0.1, 0.9), "lower_trunk": (0.1, 0.4), "upper_trunk": (0.5, 0.92)}[
            region
        ]
        # Positions run from 0 at the pelvis to 1 at the neck, through the waist.
        waist_at = LOWER_TRUNK / (LOWER_TRUNK + UPPER_TRUNK)
        out: list[tuple[Vec, Frame | None, int]] = []
        for i in range(7):
            s = start + (end - start) * i / 6
            if s <= waist_at:
                out.append((_lerp(p["pelvis"], p["waist"], s / waist_at), lower, 1))
            else:
                t = (s - waist_at) / (1.0 - waist_at)
                out.append((_lerp(p["waist"], p["neck"], t), upper, 1))
        return out
    if region in ("pelvis", "shoulders"):
        key = "hip" if region == "pelvis" else "shoulder"
        a, b = p[f"near_{key}"], p[f"far_{key}"]
        return [(_lerp(a, b, -0.7), None, 1), (_lerp(a, b, 1.7), None, 1)]
    name, part = region.split("_", 1)
    side = 1 if name == "near" else -1
    hip, knee, ankle = p[f"{name}_hip"], p[f"{name}_knee"], p[f"{name}_ankle"]
    thigh, shin = f[f"{name}_thigh"], f[f"{name}_shin"]
    if part == "hip":
        return [
            (_lerp(p["pelvis"], p["waist"], 0.55), lower, side),
            (hip, lower, side),
            (_lerp(hip, knee, 0.35), thigh, side),
        ]
    if part == "thigh":
        return [(_lerp(hip, knee, 0.12), thigh, side), (_lerp(hip, knee, 0.88), thigh, side)]
    if part == "shin":
        return [(_lerp(knee, ankle, 0.12), shin, side), (_lerp(knee, ankle, 0.88), shin, side)]
    return [
        (_lerp(hip, knee, 0.12), thigh, side),
        (knee, thigh, side),
        (_lerp(knee, ankle, 0.88), shin, side),
    ]


def _draw_highlight(sk: Skeleton, hl: Highlight, scene: Scene) -> None:
    pts: list[Vec] = []
    for point, frame, side in _region(sk, hl.region):
        offset: Vec = (0.0, 0.0, 0.0)
        if frame is not None and hl.face != "on":
            axis = {
                "front": frame.front,
                "back": _mul(frame.front, -1.0),
                "outer": _mul(frame.right, side),
                "inner": _mul(frame.right, -side),
            }[hl.face]
            offset = _mul(axis, HIGHLIGHT_OFFSET)
        pts.append(_add(point, offset))
    attrs = {
        "stroke": ACCENT,
        "stroke-width": _num(HIGHLIGHT_W),
        "stroke-opacity": HIGHLIGHT_OPACITY,
        "fill": "none",
    }
    scene.add(L_HIGHLIGHT, "polyline", attrs, pts)


# ----------------------------------------------------------------------- projection


def _project(p: Vec, tilt: float, yaw: float) -> Pt:
    """Orthographic view: walk round the figure by ``yaw`` degrees, then look down by
    ``tilt`` degrees. SVG's y axis points down."""
    w, t = math.radians(yaw), math.radians(tilt)
    x = p[0] * math.cos(w) + p[2] * math.sin(w)
    z = -p[0] * math.sin(w) + p[2] * math.cos(w)
    y = p[1] * math.cos(t) - z * math.sin(t)
    return (x, -y)


def _arrow(arrow: Arrow, pts: dict[str, Pt]) -> tuple[list[Pt], list[Pt]]:
    """The arrow's shaft and its head triangle, in page coordinates (y down)."""
    start = pts[arrow.at]
    if arrow.about is not None:
        cx, cy = pts[arrow.about]
        r = math.hypot(start[0] - cx, start[1] - cy) + 5.0
        # Page angles are anticlockwise with y up; flip y for the maths.
        a0 = math.atan2(-(start[1] - cy), start[0] - cx)
        sweep = math.radians(arrow.turn)
        a0 += math.copysign(math.radians(4.0), sweep)
        steps = max(4, int(abs(arrow.turn) / 4))
        shaft = [
            (cx + r * math.cos(a0 + sweep * i / steps), cy - r * math.sin(a0 + sweep * i / steps))
            for i in range(steps + 1)
        ]
    else:
        d = math.radians(arrow.direction)
        ux, uy = math.cos(d), -math.sin(d)
        # The arrow's left, on the page.
        lx, ly = uy, -ux
        x0 = start[0] + ux * 5.0 + lx * arrow.shift
        y0 = start[1] + uy * 5.0 + ly * arrow.shift
        shaft = [(x0, y0), (x0 + ux * arrow.length, y0 + uy * arrow.length)]
    (x1, y1), (x2, y2) = shaft[-2], shaft[-1]
    n = math.hypot(x2 - x1, y2 - y1) or 1.0
    ux, uy = (x2 - x1) / n, (y2 - y1) / n
    tip = (x2 + ux * 3.2, y2 + uy * 3.2)
    head = [tip, (x2 - uy * 2.4, y2 + ux * 2.4), (x2 + uy * 2.4, y2 - ux * 2.4)]
    return shaft, head


# ------------------------------------------------------------------------------ svg


def _num(v: float) -> str:
    text = f"{v:.1f}"
    return "0.0" if text == "-0.0" else text


def _quote(text: str) -> str:
    return escape(text, {'"': "&quot;"})


def _attrs(attrs: dict[str, str]) -> str:
    return "".join(f' {k}="{_quote(v)}"' for k, v in attrs.items())


def _element(tag: str, attrs: dict[str, str], pts: list[Pt]) -> str:
    if tag == "circle":
        (x, y) = pts[0]
        return f'<circle cx="{_num(x)}" cy="{_num(y)}"{_attrs(attrs)}/>'
    if tag == "path":
        # Trunk: a smooth curve from the pelvis through (near) the waist to the neck.
        (x0, y0), (x1, y1), (x2, y2) = pts
        cx, cy = 2 * x1 - (x0 + x2) / 2, 2 * y1 - (y0 + y2) / 2
        d = f"M{_num(x0)} {_num(y0)} Q{_num(cx)} {_num(cy)} {_num(x2)} {_num(y2)}"
        return f'<path d="{d}"{_attrs(attrs)}/>'
    coords = " ".join(f"{_num(x)},{_num(y)}" for x, y in pts)
    return f'<{tag} points="{coords}"{_attrs(attrs)}/>'


def _bounds(
    pieces: list[tuple[str, dict[str, str], list[Pt]]],
) -> tuple[float, float, float, float]:
    xs: list[float] = []
    ys: list[float] = []
    for tag, attrs, pts in pieces:
        pad = float(attrs.get("r", "0")) if tag == "circle" else 0.0
        pad += float(attrs.get("stroke-width", "0")) / 2
        for x, y in pts:
            xs += [x - pad, x + pad]
            ys += [y - pad, y + pad]
        if tag == "path":
            # The curve's control point lies outside the curve; include it anyway.
            (x0, y0), (x1, y1), (x2, y2) = pts
            xs.append(2 * x1 - (x0 + x2) / 2)
            ys.append(2 * y1 - (y0 + y2) / 2)
    return min(xs), min(ys), max(xs), max(ys)


def render_pose(pose_id: str, *, highlight: bool = True, size: int = 240) -> str:
    """The figure for ``pose_id`` as an SVG string.

    ``highlight`` draws the accent stroke over the working body part (the motion arrow
    is always drawn); ``size`` is the longer side of the image in pixels.
    """
    return render(POSES[pose_id], highlight=highlight, size=size)


def render(pose: Pose, *, highlight: bool = True, size: int = 240) -> str:
    """Draw any pose description, registered in :data:`POSES` or not."""
    sk = build_skeleton(pose)
    floor = _place_supports(pose, sk.points)
    shift: Vec = (0.0, -floor, 0.0)
    world = {n: _add(p, shift) for n, p in sk.points.items()}
    sk = Skeleton(world, sk.frames)
    scene = Scene([])
    _draw_props(pose, world, scene)
    _draw_body(pose, world, scene)
    if highlight:
        for hl in pose.highlight:
            _draw_highlight(sk, hl, scene)

    pieces: list[tuple[int, str, dict[str, str], list[Pt]]] = [
        (layer, tag, attrs, [_project(p, pose.tilt, pose.yaw) for p in pts])
        for layer, tag, attrs, pts in scene.shapes
    ]
    page = {n: _project(p, pose.tilt, pose.yaw) for n, p in world.items()}
    if pose.arrow is not None:
        shaft, head = _arrow(pose.arrow, page)
        line = {"stroke": ACCENT, "stroke-width": "1.8", "fill": "none"}
        pieces.append((L_ARROW, "polyline", line, shaft))
        pieces.append((L_ARROW, "polygon", {"fill": ACCENT, "stroke": "none"}, head))

    if not pose.tilt:
        # The floor: a line under everything. Seen from above, the mat or bed shows the
        # floor instead.
        flat = [(tag, attrs, pts) for _, tag, attrs, pts in pieces]
        x0, _, x1, _ = _bounds(flat)
        floor_line = {"stroke": PROP_STROKE, "stroke-width": "1.6", "fill": "none"}
        pieces.append((L_GROUND, "polyline", floor_line, [(x0 - 4.0, 0.0), (x1 + 4.0, 0.0)]))

    pieces.sort(key=lambda piece: piece[0])  # stable: keeps drawing order within a layer
    flat = [(tag, attrs, pts) for _, tag, attrs, pts in pieces]
    min_x, min_y, max_x, max_y = _bounds(flat)
    min_x, min_y = min_x - MARGIN, min_y - MARGIN
    w, h = max_x - min_x + MARGIN, max_y - min_y + MARGIN
    scale = size / max(w, h)
    width, height = round(w * scale), round(h * scale)
    title = _quote(pose.name)
    body = "".join(_element(tag, attrs, pts) for tag, attrs, pts in flat)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{_num(min_x)} {_num(min_y)} '
        f'{_num(w)} {_num(h)}" width="{width}" height="{height}" role="img" '
        f'aria-label="{title}">'
        f"<title>{title}</title>"
        f'<g stroke-linecap="round" stroke-linejoin="round">{body}</g>'
        "</svg>"
    )


def render_all(out_dir: Path) -> list[Path]:
    """Write one ``<pose id>.svg`` per pose into ``out_dir``; return the paths, sorted."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for pose_id in sorted(POSES):
        path = out_dir / f"{pose_id}.svg"
        path.write_text(render_pose(pose_id), encoding="utf-8")
        written.append(path)
    return written
