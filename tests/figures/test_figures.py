"""Every figure exists, is a clean stand-alone SVG, and every test and exercise names one."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from backbalance.content.loader import load_content
from backbalance.figures import POSES, render_all, render_pose
from backbalance.figures.render import (
    ACCENT,
    BODY_POINTS,
    FAR_COLOUR,
    NEAR_COLOUR,
    Scene,
    _draw_props,
    _place_supports,
    build_skeleton,
)

SVG = "{http://www.w3.org/2000/svg}"

# The pose ids fixed in the project brief; content files may name only these.
BRIEF_POSE_IDS = [
    "standing",
    "standing_one_leg",
    "hip_hinge",
    "squat",
    "split_squat",
    "step_up",
    "wall_sit",
    "standing_side_bend",
    "half_kneeling_lunge",
    "hands_and_knees",
    "bird_dog",
    "cat_rounded",
    "cat_arched",
    "child_pose",
    "back_knees_bent",
    "back_legs_straight",
    "back_knee_to_chest",
    "back_leg_raised_strap",
    "back_figure_four",
    "back_knees_to_side",
    "bridge",
    "single_leg_bridge",
    "curl_up",
    "dead_bug",
    "front_lying",
    "front_leg_lift",
    "front_knee_bend",
    "front_press_up",
    "side_lying",
    "side_leg_raise",
    "clamshell",
    "side_bridge_knees",
    "side_bridge",
    "sitting_chair",
    "sitting_hamstring_stretch",
    "sitting_piriformis_stretch",
    "thomas_test",
    "ober_test",
    "trunk_extensor_hold",
    "trunk_flexor_hold",
    "roller_front_thigh",
    "roller_side_thigh",
    "ball_buttock",
    "ball_lower_back_side",
    "inversion_table",
    "vibration_platform",
    "standing_pelvis_check",
    "forward_bend",
]

# Poses added after the brief, where no listed pose showed what an exercise or test asks.
ADDED_POSE_IDS = [
    "walking",
    "hip_hitch_step",
    "single_leg_hinge",
    "side_lunge",
    "band_side_step",
    "standing_hip_flexor",
    "standing_outer_hip",
    "wall_side_bridge",
    "half_kneeling_reach",
    "bird_dog_leg",
    "back_heel_slide",
    "back_leg_lift",
    "back_leg_raised",
    "back_knee_extension",
    "back_figure_four_pull",
    "back_butterfly",
    "single_leg_bridge_box",
    "front_on_elbows",
    "side_lying_quad",
    "side_lying_outer_hip",
    "sit_to_stand",
    "standing_side_check",
    "sit_and_reach",
    "standing_back_bend",
]
ALL_POSE_IDS = BRIEF_POSE_IDS + ADDED_POSE_IDS

SELF_TESTS = load_content().tests

RENDERED = {pose_id: render_pose(pose_id) for pose_id in sorted(POSES)}


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def view_box(root: ET.Element) -> tuple[float, float, float, float]:
    x, y, w, h = (float(v) for v in root.attrib["viewBox"].split())
    return x, y, w, h


def drawn_points(root: ET.Element) -> list[tuple[float, float]]:
    """Every coordinate an element draws at, circles widened by their radius."""
    points: list[tuple[float, float]] = []
    for el in root.iter():
        tag = el.tag.removeprefix(SVG)
        if tag in ("polyline", "polygon"):
            for pair in el.attrib["points"].split():
                x, y = pair.split(",")
                points.append((float(x), float(y)))
        elif tag == "circle":
            cx, cy, r = (float(el.attrib[k]) for k in ("cx", "cy", "r"))
            points += [(cx - r, cy - r), (cx + r, cy + r)]
        elif tag == "path":
            numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", el.attrib["d"])]
            points += list(zip(numbers[::2], numbers[1::2], strict=True))
    return points


# ----------------------------------------------------------------------------- poses


def test_the_brief_lists_each_pose_id_once() -> None:
    assert len(BRIEF_POSE_IDS) == len(set(BRIEF_POSE_IDS)) == 48


def test_each_pose_id_is_listed_once_across_the_brief_and_the_additions() -> None:
    assert len(ALL_POSE_IDS) == len(set(ALL_POSE_IDS)) == 48 + 24


@pytest.mark.parametrize("pose_id", ALL_POSE_IDS)
def test_every_listed_pose_id_has_a_pose(pose_id: str) -> None:
    assert pose_id in POSES
    assert POSES[pose_id].id == pose_id


def test_there_are_no_poses_beyond_the_listed_ones() -> None:
    assert set(POSES) == set(ALL_POSE_IDS)


@pytest.mark.parametrize("pose_id", sorted(POSES))
def test_every_point_a_pose_names_is_a_body_point(pose_id: str) -> None:
    pose = POSES[pose_id]
    named = [n for prop in pose.props for n in prop.at]
    if pose.arrow is not None:
        named += [pose.arrow.at, *([pose.arrow.about] if pose.arrow.about else [])]
    assert set(named) <= set(BODY_POINTS)


# ------------------------------------------------------------------------------ svg


@pytest.mark.parametrize("pose_id", sorted(POSES))
def test_pose_renders_to_an_svg_with_a_title_and_a_view_box(pose_id: str) -> None:
    root = parse(RENDERED[pose_id])
    assert root.tag == f"{SVG}svg"
    assert root.attrib["role"] == "img"
    title = root.find(f"{SVG}title")
    assert title is not None
    assert title.text == POSES[pose_id].name
    assert root.attrib["aria-label"] == POSES[pose_id].name
    _, _, w, h = view_box(root)
    assert w > 0
    assert h > 0


@pytest.mark.parametrize("pose_id", sorted(POSES))
def test_pose_svg_is_self_contained_with_no_scripts_links_or_text(pose_id: str) -> None:
    svg = RENDERED[pose_id]
    tags = {el.tag.removeprefix(SVG) for el in parse(svg).iter()}
    assert tags <= {"svg", "title", "g", "polyline", "polygon", "circle", "path"}
    assert "href" not in svg
    assert "url(" not in svg
    assert "font" not in svg


@pytest.mark.parametrize("pose_id", sorted(POSES))
def test_all_drawn_points_lie_inside_the_view_box(pose_id: str) -> None:
    root = parse(RENDERED[pose_id])
    x0, y0, w, h = view_box(root)
    points = drawn_points(root)
    assert points
    outside = [(x, y) for x, y in points if not (x0 <= x <= x0 + w and y0 <= y <= y0 + h)]
    assert outside == []


@pytest.mark.parametrize("pose_id", sorted(POSES))
def test_near_limbs_are_dark_and_far_limbs_light(pose_id: str) -> None:
    svg = RENDERED[pose_id]
    assert f'stroke="{NEAR_COLOUR}"' in svg
    assert f'stroke="{FAR_COLOUR}"' in svg


@pytest.mark.parametrize("size", [120, 240, 480])
@pytest.mark.parametrize("pose_id", ["standing", "back_legs_straight", "thomas_test"])
def test_size_sets_the_longer_side_in_pixels(pose_id: str, size: int) -> None:
    root = parse(render_pose(pose_id, size=size))
    assert max(int(root.attrib["width"]), int(root.attrib["height"])) == size


def test_rendering_is_deterministic() -> None:
    again = {pose_id: render_pose(pose_id) for pose_id in sorted(POSES)}
    assert again == RENDERED


def test_no_two_poses_render_identically() -> None:
    bodies = [re.sub(r"<title>.*?</title>|aria-label=\"[^\"]*\"", "", s) for s in RENDERED.values()]
    assert len(set(bodies)) == len(bodies)


@pytest.mark.parametrize("pose_id", sorted(p for p in POSES if POSES[p].highlight))
def test_highlight_off_removes_only_the_soft_accent_stroke(pose_id: str) -> None:
    with_highlight = RENDERED[pose_id]
    without = render_pose(pose_id, highlight=False)
    assert "stroke-opacity" in with_highlight
    assert "stroke-opacity" not in without
    # The motion arrow is part of the instruction, so it stays.
    assert (f'fill="{ACCENT}"' in without) == (POSES[pose_id].arrow is not None)


def test_render_all_writes_one_svg_file_per_pose(tmp_path: Path) -> None:
    written = render_all(tmp_path / "figures")
    assert [p.name for p in written] == [f"{pose_id}.svg" for pose_id in sorted(POSES)]
    for path in written:
        assert path.read_text(encoding="utf-8") == RENDERED[path.stem]


def test_an_unknown_pose_id_is_an_error() -> None:
    with pytest.raises(KeyError):
        render_pose("handstand")


# ---------------------------------------------------------------------- content links


@pytest.mark.parametrize("test_id", sorted(SELF_TESTS))
def test_every_self_test_names_a_pose_that_exists(test_id: str) -> None:
    figure = SELF_TESTS[test_id].figure
    assert figure is not None
    assert figure in POSES


def exercise_figures() -> dict[str, str]:
    return {e.id: e.figure for e in load_content().exercises.values()}


def test_every_exercise_names_a_pose_that_exists() -> None:
    figures = exercise_figures()
    assert figures
    missing = {ex: fig for ex, fig in figures.items() if fig not in POSES}
    assert missing == {}


def test_the_skeleton_has_exactly_the_named_body_points() -> None:
    assert set(build_skeleton(POSES["standing"]).points) == set(BODY_POINTS)


@pytest.mark.parametrize(
    ("pose_id", "lower", "higher"),
    [
        ("bridge", "neck", "pelvis"),  # hips lifted off the floor
        ("thomas_test", "near_ankle", "near_knee"),  # the lower leg hangs off the bed
        ("standing", "near_ankle", "head"),
        ("front_leg_lift", "far_ankle", "near_ankle"),  # the lifted leg is off the floor
        ("hands_and_knees", "near_knee", "pelvis"),
        ("front_on_elbows", "pelvis", "neck"),  # chest propped up, hips down
        ("front_on_elbows", "near_elbow", "near_shoulder"),
        ("back_knee_extension", "near_hip", "near_knee"),  # thigh held upright
        ("back_knee_extension", "near_knee", "near_ankle"),  # lower leg reaching up
        ("dead_bug", "near_hip", "near_knee"),  # knees over the hips
        ("dead_bug", "far_ankle", "near_ankle"),  # one leg reaching out low
        ("curl_up", "pelvis", "neck"),  # head and shoulders lifted
        ("hip_hitch_step", "far_hip", "near_hip"),  # the free side of the pelvis drops
        ("hip_hitch_step", "far_ankle", "near_ankle"),  # the free foot hangs off the step
        ("single_leg_bridge_box", "neck", "pelvis"),
        ("single_leg_bridge_box", "pelvis", "near_heel"),  # heel up on the box
        ("back_leg_lift", "far_ankle", "near_ankle"),
        ("side_lying_outer_hip", "near_ankle", "near_hip"),  # top leg sinking to the floor
        ("squat", "pelvis", "head"),
        ("squat", "near_knee", "pelvis"),  # sitting back, hips above the knees
    ],
)
def test_poses_put_body_parts_where_the_position_needs_them(
    pose_id: str, lower: str, higher: str
) -> None:
    points = build_skeleton(POSES[pose_id]).points
    assert points[lower][1] < points[higher][1]


@pytest.mark.parametrize(
    ("pose_id", "a", "b", "within"),
    [
        ("side_lying_quad", "near_hand", "near_ankle", 4.0),  # the hand holds the top ankle
        ("side_lying_quad", "near_heel", "near_hip", 12.0),  # heel drawn to the buttock
        ("back_figure_four_pull", "far_ankle", "near_knee", 4.0),  # ankle over the knee
        ("back_figure_four_pull", "near_hand", "near_mid_thigh", 4.0),  # hands behind the thigh
        ("back_knee_extension", "near_hand", "near_mid_thigh", 4.0),
        ("back_butterfly", "near_sole", "far_sole", 3.0),  # soles together
        ("back_butterfly", "near_hand", "waist", 4.0),  # hands resting on the belly
    ],
)
def test_poses_bring_body_parts_together_where_the_position_needs_it(
    pose_id: str, a: str, b: str, within: float
) -> None:
    points = build_skeleton(POSES[pose_id]).points
    assert math.dist(points[a], points[b]) <= within


@pytest.mark.parametrize(
    ("pose_id", "near", "far"),
    [
        # Seen from the front with the wall on the left: the body leans its head to the
        # wall while the feet stand away from it, in one line.
        ("wall_side_bridge", "head", "near_ankle"),
        ("wall_side_bridge", "near_hand", "head"),
        ("standing_outer_hip", "pelvis", "neck"),  # hip pushed to the wall, chest away
        ("band_side_step", "near_ankle", "near_hip"),  # the leading foot steps out sideways
    ],
)
def test_poses_put_body_parts_towards_the_wall_or_the_step(
    pose_id: str, near: str, far: str
) -> None:
    points = build_skeleton(POSES[pose_id]).points
    assert points[near][0] < points[far][0]


def test_a_step_with_a_height_lifts_the_standing_foot_while_the_free_foot_hangs() -> None:
    pose = POSES["hip_hitch_step"]
    (step,) = [prop for prop in pose.props if prop.kind == "step"]
    points = build_skeleton(pose).points
    floor = _place_supports(pose, points)
    standing_foot = points["near_toe"][1] - floor
    free_foot = points["far_toe"][1] - floor
    assert standing_foot >= step.size
    assert 0.0 < free_foot < standing_foot


# The exercises and tests whose position no pose in the brief showed; each names its own.
@pytest.mark.parametrize(
    ("item_id", "pose_id"),
    [
        ("side_lying_quad_stretch", "side_lying_quad"),
        ("lying_figure_four", "back_figure_four_pull"),
        ("prone_on_elbows", "front_on_elbows"),
        ("hip_hitch", "hip_hitch_step"),
        ("side_lying_outer_hip_stretch", "side_lying_outer_hip"),
        ("wall_side_bridge", "wall_side_bridge"),
        ("banded_side_steps", "band_side_step"),
    ],
)
def test_exercises_show_their_own_position(item_id: str, pose_id: str) -> None:
    assert exercise_figures()[item_id] == pose_id


def test_the_knee_straightening_test_shows_the_thigh_held_upright() -> None:
    assert SELF_TESTS["active_knee_extension"].figure == "back_knee_extension"
    assert SELF_TESTS["faber"].figure == "back_figure_four"


def test_the_sit_and_reach_figure_shows_straight_legs_and_hands_reaching_past_the_soles() -> None:
    assert SELF_TESTS["sit_and_reach"].figure == "sit_and_reach"
    pose = POSES["sit_and_reach"]
    points = build_skeleton(pose).points
    # Legs straight along the floor: hip, knee and ankle at one height.
    assert pose.near_leg.bend == pose.far_leg.bend == 0.0
    assert abs(points["near_knee"][1] - points["near_hip"][1]) < 1.0
    assert abs(points["near_ankle"][1] - points["near_hip"][1]) < 1.0
    # Both hands level and together (seen from the side), past the soles, above the toes.
    assert points["near_hand"][:2] == pytest.approx(points["far_hand"][:2], abs=0.1)
    assert points["near_hand"][0] > points["near_sole"][0]
    assert points["near_hand"][1] > points["near_toe"][1]


def test_the_sit_and_reach_box_stands_against_the_soles_under_the_fingertips() -> None:
    pose = POSES["sit_and_reach"]
    points = build_skeleton(pose).points
    floor = _place_supports(pose, points)
    world = {name: (x, y - floor, z) for name, (x, y, z) in points.items()}
    scene = Scene([])
    _draw_props(pose, world, scene)
    corners = [p for _, tag, _, pts in scene.shapes if tag == "polygon" for p in pts]
    xs, ys = [p[0] for p in corners], [p[1] for p in corners]
    assert min(ys) == 0.0  # it stands on the floor
    assert world["near_sole"][0] < min(xs) < world["near_sole"][0] + 3.0  # against the soles
    assert min(xs) < world["near_hand"][0] < max(xs)  # the fingertips are over its top
    assert world["near_toe"][1] <= max(ys) < world["near_hand"][1]  # top under the hands
