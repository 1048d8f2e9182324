"""Pose descriptions: one small record of numbers and names per figure.

A pose is a stick figure seen from the side, described the way a physiotherapist would:
how the trunk lies, and how far each joint is bent. :mod:`backbalance.figures.render`
does the geometry.

Conventions (all angles in degrees):

* ``trunk`` is the direction of the lower trunk (pelvis to waist) on the page, counted
  anticlockwise from "pointing right": 90 is upright, 180 is lying with the head to the
  left, 0 is lying with the head to the right.
* The person faces right when upright, and we see their right side, so the right limbs
  are the *near* ones (drawn dark) and the left limbs the *far* ones (drawn light).
  Lying on the back puts the head on the left; lying face down puts it on the right.
* ``roll`` turns the whole body about its long axis towards the viewer: 90 shows the
  front of the body (a front view when standing; lying on the left side, front towards
  us, when the trunk is horizontal). ``twist`` turns the chest back against the pelvis.
* ``tilt`` lifts the viewpoint so we look down on the figure, and ``yaw`` walks the
  viewpoint round it; together they let a knee that falls out to the side (figure-four,
  clamshell) be seen, and turn a mat into a floor seen in perspective.
* Joint angles are anatomical and relative: ``flex`` swings a thigh or arm forwards from
  the trunk line (negative = backwards), ``abduct`` swings it out to the side, ``rotate``
  turns it outwards about its own length, ``bend`` bends the knee or elbow, ``ankle``
  points the toes (negative pulls them up). ``ankle="flat"`` keeps the foot flat on the
  floor whatever the shin does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# Which body part carries the weight. It documents the pose for readers of this file; the
# drawing rests the lowest part of the body on the floor, and props (a chair, a bed, a
# device) say what else is under it.
Base = Literal[
    "feet",
    "one_foot",
    "back",
    "front",
    "side",
    "hands_and_knees",
    "knees_and_foot",
    "knees_and_shins",
    "seat",
    "forearms",
    "forearm_and_feet",
    "forearm_and_knees",
    "bed",
    "device",
]

PropKind = Literal[
    "mat",
    "wall",
    "chair",
    "step",
    "bench",
    "strap",
    "roller",
    "ball",
    "band",
    "inversion_table",
    "vibration_platform",
]

# Named stretches of the body a highlight can lie along. "near_"/"far_" pick the side.
Region = Literal[
    "trunk",
    "lower_trunk",
    "upper_trunk",
    "pelvis",
    "shoulders",
    "near_hip",
    "far_hip",
    "near_thigh",
    "far_thigh",
    "near_shin",
    "far_shin",
    "near_leg",
    "far_leg",
]

# Which face of the region: front, back, the outer side, the inner side, or on the line.
Face = Literal["front", "back", "outer", "inner", "on"]

# Which way from its body points a prop lies, in the picture (not a side of the body).
PropPlacement = Literal["left", "right", "below"]


@dataclass(frozen=True)
class Limb:
    """One leg or arm: how far each joint is turned from standing with the arm hanging."""

    flex: float = 0.0
    abduct: float = 0.0
    rotate: float = 0.0
    bend: float = 0.0
    ankle: float | Literal["flat"] = 0.0


@dataclass(frozen=True)
class Prop:
    """Equipment drawn with the figure, placed against named body points.

    ``at`` lists the body points the prop touches (see ``render.BODY_POINTS``); ``side``
    says which way from them the prop extends (a wall behind the back, a bed towards the
    head); ``size`` scales the few props that have a free size (a step given a size is
    that high, so a free foot can hang below its top). A step placed to the ``left`` or
    ``right`` stands beside the body instead of under a foot: its face rests against the
    first named point and its top lies under the last (the sit-and-reach box).
    """

    kind: PropKind
    at: tuple[str, ...] = ()
    side: PropPlacement = "below"
    size: float = 0.0


@dataclass(frozen=True)
class Highlight:
    """A soft accent stroke along the part of the body the exercise or test works on."""

    region: Region
    face: Face = "on"


@dataclass(frozen=True)
class Arrow:
    """Which way something moves.

    With ``about`` set, the arrow is an arc round that joint starting beside ``at`` and
    turning ``turn`` degrees (positive = anticlockwise on the page). Otherwise it is a
    straight arrow beside ``at`` pointing ``direction`` degrees on the page.
    """

    at: str
    about: str | None = None
    turn: float = 0.0
    direction: float = 90.0
    length: float = 12.0
    # Straight arrows only: move the arrow sideways (to its left) so it clears the body.
    shift: float = 0.0


@dataclass(frozen=True)
class Pose:
    id: str
    name: str
    base: Base
    trunk: float
    spine: float = 0.0
    side_bend: float = 0.0
    twist: float = 0.0
    roll: float = 0.0
    tilt: float = 0.0
    yaw: float = 0.0
    head: float = 0.0
    near_leg: Limb = Limb()
    far_leg: Limb = Limb()
    near_arm: Limb = Limb()
    far_arm: Limb = Limb()
    props: tuple[Prop, ...] = ()
    highlight: tuple[Highlight, ...] = ()
    arrow: Arrow | None = None


# ----------------------------------------------------------------------------- helpers
# Shared limb positions, so that poses which differ in one limb say only that.

STRAIGHT = Limb()
FLAT_FOOT = Limb(ankle="flat")
ARM_SOFT = Limb(flex=4.0, bend=12.0)
TOES_BACK = 70.0  # lying face down, the feet rest with the toes pointing back

# Lying on the back with the knees bent and feet flat.
CROOK = Limb(flex=50.0, bend=100.0, ankle="flat")
# On hands and knees with the trunk close to level.
QUAD_TRUNK = 6.0
QUAD_LEG = Limb(flex=90.0 - QUAD_TRUNK, bend=90.0, ankle=90.0)
QUAD_ARM = Limb(flex=90.0 - QUAD_TRUNK)
PRONE_LEG = Limb(ankle=TOES_BACK)
PRONE_ARMS = Limb(flex=165.0, bend=150.0)  # hands folded under the forehead
# Lying on the back, soles together and knees fallen out to the sides.
BUTTERFLY = Limb(flex=35.0, abduct=55.0, rotate=50.0, bend=135.0, ankle=30.0)
# Lying on the back, elbow on the floor and the hand resting on the belly.
HAND_ON_BELLY = Limb(abduct=30.0, rotate=-90.0, bend=100.0)
# Standing, arms folded across the chest.
ARMS_FOLDED = Limb(flex=15.0, abduct=20.0, rotate=-80.0, bend=110.0)
HIP_FRONT = Highlight("near_hip", "front")
BUTTOCK = Highlight("near_hip", "back")


def _poses(*items: Pose) -> dict[str, Pose]:
    return {p.id: p for p in items}


POSES: dict[str, Pose] = _poses(
    # ------------------------------------------------------------------- standing
    Pose(
        id="standing",
        name="Standing tall",
        base="feet",
        trunk=90.0,
        # Seen from the front, so the arms hang clear of the body.
        roll=90.0,
        near_leg=Limb(abduct=3.0),
        far_leg=Limb(abduct=3.0),
        near_arm=Limb(abduct=12.0, bend=8.0),
        far_arm=Limb(abduct=12.0, bend=8.0),
    ),
    Pose(
        id="walking",
        name="Walking tall at an easy pace",
        base="feet",
        trunk=90.0,
        near_leg=Limb(flex=22.0, bend=5.0, ankle=-12.0),
        far_leg=Limb(flex=-16.0, bend=22.0, ankle=25.0),
        near_arm=Limb(flex=-22.0, bend=15.0),
        far_arm=Limb(flex=22.0, bend=25.0),
    ),
    Pose(
        id="standing_one_leg",
        name="Standing on one leg",
        base="one_foot",
        trunk=90.0,
        roll=25.0,
        near_leg=FLAT_FOOT,
        far_leg=Limb(flex=75.0, bend=90.0, ankle=20.0),
        near_arm=Limb(abduct=20.0, bend=10.0),
        far_arm=Limb(abduct=20.0, bend=10.0),
        highlight=(Highlight("near_hip", "outer"),),
    ),
    Pose(
        id="hip_hitch_step",
        name="Standing on one leg on a step edge, the free side of the pelvis dropping and lifting",
        base="one_foot",
        # Seen from the front. The pelvis tips down on the free (far) side; the side bend
        # keeps the chest upright and the leg angles keep both legs vertical.
        trunk=80.0,
        roll=90.0,
        side_bend=10.0,
        near_leg=Limb(abduct=-10.0, ankle="flat"),
        far_leg=Limb(abduct=10.0, ankle="flat"),
        near_arm=Limb(abduct=22.0, bend=8.0),
        far_arm=Limb(abduct=22.0, bend=8.0),
        props=(Prop("step", at=("near_toe",), size=8.0),),
        highlight=(Highlight("pelvis"), Highlight("near_hip", "outer")),
        arrow=Arrow(at="far_hip", direction=90.0, length=10.0, shift=-5.0),
    ),
    Pose(
        id="hip_hinge",
        name="Hip hinge: bending forward from the hips with a straight back",
        base="feet",
        trunk=42.0,
        near_leg=Limb(flex=52.0, bend=18.0, ankle="flat"),
        far_leg=Limb(flex=52.0, bend=18.0, ankle="flat"),
        near_arm=Limb(flex=48.0),
        far_arm=Limb(flex=48.0),
        highlight=(BUTTOCK, Highlight("near_thigh", "back")),
        arrow=Arrow(at="head", about="pelvis", turn=30.0),
    ),
    Pose(
        id="single_leg_hinge",
        name="Single-leg hip hinge: bending forward on one leg, the other leg reaching back",
        base="one_foot",
        trunk=25.0,
        near_leg=Limb(flex=65.0, bend=10.0, ankle="flat"),
        far_leg=Limb(flex=0.0, bend=5.0, ankle=10.0),
        near_arm=Limb(flex=65.0),
        far_arm=Limb(flex=65.0),
        highlight=(BUTTOCK, Highlight("near_thigh", "back")),
        arrow=Arrow(at="head", about="pelvis", turn=30.0),
    ),
    Pose(
        id="squat",
        name="Squat",
        base="feet",
        trunk=60.0,
        near_leg=Limb(flex=100.0, bend=100.0, ankle="flat"),
        far_leg=Limb(flex=100.0, bend=100.0, ankle="flat"),
        near_arm=Limb(flex=120.0),
        far_arm=Limb(flex=120.0),
        highlight=(BUTTOCK, Highlight("near_thigh", "front")),
        arrow=Arrow(at="pelvis", direction=90.0),
    ),
    Pose(
        id="side_lunge",
        name="Side lunge: feet wide, one knee bent, the other leg straight",
        base="feet",
        trunk=90.0,
        roll=90.0,
        spine=20.0,
        near_leg=Limb(abduct=42.0, ankle="flat"),
        far_leg=Limb(flex=60.0, abduct=12.0, bend=90.0, ankle="flat"),
        near_arm=Limb(flex=40.0, bend=30.0),
        far_arm=Limb(flex=40.0, bend=30.0),
        highlight=(Highlight("near_thigh", "inner"),),
    ),
    Pose(
        id="band_side_step",
        name="Side steps in a slight squat with a band round the knees",
        base="feet",
        trunk=90.0,
        roll=90.0,
        spine=25.0,
        yaw=-25.0,
        near_leg=Limb(flex=55.0, abduct=22.0, bend=75.0, ankle="flat"),
        far_leg=Limb(flex=55.0, abduct=8.0, bend=75.0, ankle="flat"),
        near_arm=Limb(abduct=35.0, rotate=-90.0, bend=100.0),
        far_arm=Limb(abduct=35.0, rotate=-90.0, bend=100.0),
        props=(Prop("band", at=("near_knee", "far_knee")),),
        highlight=(Highlight("near_hip", "outer"), Highlight("far_hip", "outer")),
        arrow=Arrow(at="near_ankle", direction=180.0, length=10.0),
    ),
    Pose(
        id="split_squat",
        name="Split squat: one foot forward, lowering the back knee",
        base="feet",
        trunk=90.0,
        near_leg=Limb(flex=80.0, bend=85.0, ankle="flat"),
        far_leg=Limb(flex=-8.0, bend=95.0),
        near_arm=ARM_SOFT,
        far_arm=ARM_SOFT,
        highlight=(BUTTOCK, Highlight("near_thigh", "front")),
        arrow=Arrow(at="pelvis", direction=270.0),
    ),
    Pose(
        id="standing_hip_flexor",
        name="Standing hip flexor stretch: one foot back, back knee nearly straight",
        base="feet",
        trunk=92.0,
        near_leg=Limb(flex=-22.0, bend=6.0, ankle=30.0),
        far_leg=Limb(flex=25.0, bend=25.0, ankle="flat"),
        near_arm=ARM_SOFT,
        far_arm=ARM_SOFT,
        highlight=(HIP_FRONT,),
        arrow=Arrow(at="pelvis", direction=0.0),
    ),
    Pose(
        id="step_up",
        name="Step-up onto a low step",
        base="feet",
        trunk=84.0,
        near_leg=Limb(flex=55.0, bend=60.0, ankle="flat"),
        far_leg=Limb(flex=-6.0, bend=8.0, ankle="flat"),
        near_arm=Limb(flex=-15.0, bend=20.0),
        far_arm=Limb(flex=25.0, bend=20.0),
        props=(Prop("step", at=("near_toe",)),),
        highlight=(BUTTOCK, Highlight("near_thigh", "front")),
        arrow=Arrow(at="pelvis", direction=90.0, shift=9.0),
    ),
    Pose(
        id="wall_sit",
        name="Wall sit: back against a wall, knees bent",
        base="feet",
        trunk=90.0,
        near_leg=Limb(flex=85.0, bend=85.0, ankle="flat"),
        far_leg=Limb(flex=85.0, bend=85.0, ankle="flat"),
        near_arm=Limb(flex=40.0, bend=20.0),
        far_arm=Limb(flex=40.0, bend=20.0),
        props=(Prop("wall", at=("pelvis", "neck", "head"), side="left"),),
        highlight=(Highlight("near_thigh", "front"),),
    ),
    Pose(
        id="standing_side_bend",
        name="Standing side bend with one arm overhead",
        base="feet",
        trunk=90.0,
        roll=90.0,
        side_bend=-30.0,
        near_leg=Limb(abduct=6.0),
        far_leg=Limb(abduct=6.0),
        near_arm=Limb(abduct=195.0, bend=25.0),
        far_arm=Limb(abduct=8.0, bend=5.0),
        highlight=(Highlight("trunk", "outer"),),
        arrow=Arrow(at="near_hand", about="pelvis", turn=-18.0),
    ),
    Pose(
        id="standing_outer_hip",
        name="Standing side-on to a wall, the nearer leg crossed behind, hip pushed to the wall",
        base="feet",
        # Seen from the front: hips pushed left to the wall, chest leaning away from it.
        trunk=80.0,
        roll=90.0,
        side_bend=15.0,
        near_leg=Limb(flex=-8.0, abduct=-22.0, ankle="flat"),
        far_leg=Limb(abduct=2.0, ankle="flat"),
        near_arm=Limb(abduct=80.0, bend=10.0),
        far_arm=Limb(abduct=35.0, rotate=-90.0, bend=100.0),
        props=(Prop("wall", at=("near_hand",), side="left"),),
        highlight=(Highlight("near_hip", "outer"), Highlight("near_thigh", "outer")),
    ),
    Pose(
        id="wall_side_bridge",
        name="Side bridge against a wall: forearm on the wall, body leaning in one line",
        base="forearm_and_feet",
        # Seen from the front, leaning towards the wall on the left; the upper arm runs
        # level to the wall and the forearm rests up along it.
        trunk=108.0,
        roll=90.0,
        near_leg=Limb(abduct=-4.0, ankle="flat"),
        far_leg=Limb(abduct=-4.0, ankle="flat"),
        near_arm=Limb(abduct=105.0, rotate=90.0, bend=90.0),
        far_arm=Limb(abduct=35.0, rotate=-90.0, bend=100.0),
        props=(Prop("wall", at=("near_elbow", "near_hand"), side="left"),),
        highlight=(Highlight("trunk", "outer"),),
    ),
    Pose(
        id="half_kneeling_lunge",
        name="Half-kneeling hip flexor stretch",
        base="knees_and_foot",
        trunk=92.0,
        near_leg=Limb(flex=-12.0, bend=80.0, ankle=80.0),
        far_leg=Limb(flex=90.0, bend=90.0, ankle="flat"),
        near_arm=Limb(flex=5.0, bend=10.0),
        far_arm=Limb(flex=5.0, bend=10.0),
        highlight=(HIP_FRONT,),
        arrow=Arrow(at="pelvis", direction=0.0),
    ),
    Pose(
        id="half_kneeling_reach",
        name="Half-kneeling hip flexor stretch, reaching the arm on the kneeling side overhead",
        base="knees_and_foot",
        trunk=92.0,
        near_leg=Limb(flex=-12.0, bend=80.0, ankle=80.0),
        far_leg=Limb(flex=90.0, bend=90.0, ankle="flat"),
        near_arm=Limb(flex=170.0, bend=5.0),
        far_arm=Limb(flex=5.0, bend=10.0),
        highlight=(HIP_FRONT, Highlight("trunk", "front")),
        arrow=Arrow(at="pelvis", direction=0.0),
    ),
    # ------------------------------------------------------------- hands and knees
    Pose(
        id="hands_and_knees",
        name="On hands and knees",
        base="hands_and_knees",
        trunk=QUAD_TRUNK,
        near_leg=QUAD_LEG,
        far_leg=QUAD_LEG,
        near_arm=QUAD_ARM,
        far_arm=QUAD_ARM,
    ),
    Pose(
        id="bird_dog_leg",
        name="Bird dog, leg only: one leg reaches back, both hands stay down",
        base="hands_and_knees",
        trunk=QUAD_TRUNK,
        near_leg=Limb(flex=-QUAD_TRUNK, ankle=10.0),
        far_leg=QUAD_LEG,
        near_arm=QUAD_ARM,
        far_arm=QUAD_ARM,
        highlight=(BUTTOCK, Highlight("trunk", "back")),
    ),
    Pose(
        id="bird_dog",
        name="Bird dog: opposite arm and leg reach out",
        base="hands_and_knees",
        trunk=QUAD_TRUNK,
        near_leg=QUAD_LEG,
        far_leg=Limb(flex=-QUAD_TRUNK, ankle=10.0),
        near_arm=Limb(flex=180.0 - QUAD_TRUNK),
        far_arm=QUAD_ARM,
        highlight=(Highlight("trunk", "back"),),
    ),
    Pose(
        id="cat_rounded",
        name="Cat: back rounded up",
        base="hands_and_knees",
        trunk=24.0,
        spine=34.0,
        head=30.0,
        near_leg=Limb(flex=66.0, bend=90.0, ankle=90.0),
        far_leg=Limb(flex=66.0, bend=90.0, ankle=90.0),
        near_arm=Limb(flex=100.0),
        far_arm=Limb(flex=100.0),
        highlight=(Highlight("trunk", "back"),),
        arrow=Arrow(at="waist", direction=90.0),
    ),
    Pose(
        id="cat_arched",
        name="Cow: back gently hollowed",
        base="hands_and_knees",
        trunk=-6.0,
        spine=-26.0,
        head=-25.0,
        near_leg=Limb(flex=96.0, bend=90.0, ankle=90.0),
        far_leg=Limb(flex=96.0, bend=90.0, ankle=90.0),
        near_arm=Limb(flex=70.0),
        far_arm=Limb(flex=70.0),
        highlight=(Highlight("trunk", "front"),),
        arrow=Arrow(at="waist", direction=270.0),
    ),
    Pose(
        id="child_pose",
        name="Child's pose: sitting back on the heels, arms forward",
        base="knees_and_shins",
        trunk=-15.0,
        spine=10.0,
        near_leg=Limb(flex=150.0, bend=135.0, ankle=90.0),
        far_leg=Limb(flex=150.0, bend=135.0, ankle=90.0),
        near_arm=Limb(flex=195.0),
        far_arm=Limb(flex=195.0),
        highlight=(Highlight("trunk", "back"),),
    ),
    # ------------------------------------------------------------ lying on the back
    Pose(
        id="back_knees_bent",
        name="Lying on your back, knees bent",
        base="back",
        trunk=180.0,
        near_leg=CROOK,
        far_leg=CROOK,
        props=(Prop("mat"),),
    ),
    Pose(
        id="back_legs_straight",
        name="Lying on your back, legs straight",
        base="back",
        trunk=180.0,
        props=(Prop("mat"),),
    ),
    Pose(
        id="back_heel_slide",
        name="Lying on your back, one knee bent, sliding the other heel along the floor",
        base="back",
        trunk=180.0,
        near_leg=Limb(flex=18.0, bend=30.0, ankle=-10.0),
        far_leg=CROOK,
        props=(Prop("mat"),),
        highlight=(Highlight("lower_trunk", "front"),),
        arrow=Arrow(at="near_heel", direction=0.0, length=10.0, shift=-4.0),
    ),
    Pose(
        id="back_leg_lift",
        name="Lying on your back, lifting one straight leg just off the floor",
        base="back",
        trunk=180.0,
        near_leg=Limb(flex=8.0),
        far_leg=Limb(abduct=6.0),
        near_arm=Limb(flex=4.0),
        far_arm=Limb(flex=4.0),
        props=(Prop("mat"),),
        highlight=(Highlight("pelvis"),),
        arrow=Arrow(at="near_ankle", direction=90.0, length=8.0),
    ),
    Pose(
        id="back_knee_to_chest",
        name="Lying on your back, hugging one knee to the chest",
        base="back",
        trunk=180.0,
        near_leg=Limb(flex=125.0, bend=115.0, ankle=20.0),
        far_leg=CROOK,
        near_arm=Limb(flex=5.0, bend=75.0),
        far_arm=Limb(flex=10.0, abduct=-30.0, bend=60.0),
        props=(Prop("mat"),),
        highlight=(BUTTOCK, Highlight("lower_trunk", "back")),
        arrow=Arrow(at="near_knee", about="near_hip", turn=20.0),
    ),
    Pose(
        id="back_leg_raised",
        name="Lying on your back, one straight leg lifted high, the other flat",
        base="back",
        trunk=180.0,
        near_leg=Limb(flex=70.0, ankle=-10.0),
        props=(Prop("mat"),),
        highlight=(Highlight("near_thigh", "back"),),
        arrow=Arrow(at="near_ankle", about="near_hip", turn=12.0),
    ),
    Pose(
        id="back_leg_raised_strap",
        name="Lying on your back, one straight leg raised with a strap",
        base="back",
        trunk=180.0,
        # The strap goes round the heel and the foot hangs loose: a strap round the ball
        # of the foot would pull the ankle up and stretch the sciatic nerve as well.
        near_leg=Limb(flex=75.0, ankle=15.0),
        near_arm=Limb(flex=60.0, bend=25.0),
        far_arm=Limb(flex=60.0, bend=25.0),
        props=(Prop("mat"), Prop("strap", at=("near_hand", "near_heel"))),
        highlight=(Highlight("near_thigh", "back"),),
        arrow=Arrow(at="near_ankle", about="near_hip", turn=12.0),
    ),
    Pose(
        id="back_knee_extension",
        name="Lying on your back, thigh held upright, straightening the knee",
        base="back",
        trunk=180.0,
        spine=15.0,
        head=10.0,
        near_leg=Limb(flex=90.0, bend=25.0, ankle=10.0),
        near_arm=Limb(flex=20.0, bend=25.0),
        far_arm=Limb(flex=20.0, bend=25.0),
        props=(Prop("mat"),),
        highlight=(Highlight("near_thigh", "back"),),
        arrow=Arrow(at="near_ankle", about="near_knee", turn=-20.0),
    ),
    Pose(
        id="back_figure_four",
        name="Lying on your back, one ankle resting on the other knee (figure four)",
        base="back",
        trunk=180.0,
        tilt=45.0,
        yaw=-15.0,
        near_leg=Limb(flex=35.0, abduct=45.0, rotate=60.0, bend=120.0),
        props=(Prop("mat"),),
        highlight=(BUTTOCK,),
    ),
    Pose(
        id="back_figure_four_pull",
        name="Lying on your back, one ankle on the other knee, drawing that thigh in",
        base="back",
        trunk=180.0,
        # The near leg is the one held (thigh up, shin level); the far leg crosses it so
        # the view from beyond the feet shows its knee falling out, a '4' with the thigh.
        tilt=22.0,
        yaw=35.0,
        near_leg=Limb(flex=100.0, bend=100.0, ankle=10.0),
        far_leg=Limb(flex=100.0, abduct=50.0, rotate=90.0, bend=120.0),
        near_arm=Limb(flex=25.0, abduct=-5.0, bend=10.0),
        far_arm=Limb(flex=30.0, abduct=-20.0),
        props=(Prop("mat"),),
        highlight=(Highlight("far_hip", "back"),),
    ),
    Pose(
        id="back_butterfly",
        name="Lying on your back, soles together, knees falling out to the sides",
        base="back",
        trunk=180.0,
        tilt=60.0,
        yaw=-10.0,
        near_leg=BUTTERFLY,
        far_leg=BUTTERFLY,
        near_arm=HAND_ON_BELLY,
        far_arm=HAND_ON_BELLY,
        props=(Prop("mat"),),
        highlight=(Highlight("near_thigh", "inner"), Highlight("far_thigh", "inner")),
    ),
    Pose(
        id="back_knees_to_side",
        name="Lying on your back, both knees dropped to one side",
        base="back",
        trunk=180.0,
        roll=65.0,
        twist=-65.0,
        tilt=40.0,
        yaw=-10.0,
        near_leg=Limb(flex=70.0, bend=110.0),
        far_leg=Limb(flex=70.0, bend=110.0),
        near_arm=Limb(abduct=65.0),
        far_arm=Limb(abduct=65.0),
        props=(Prop("mat"),),
        highlight=(Highlight("lower_trunk", "outer"),),
    ),
    Pose(
        id="bridge",
        name="Bridge: hips lifted off the floor",
        base="back",
        trunk=215.0,
        spine=10.0,
        head=25.0,
        near_leg=Limb(flex=-7.0, bend=118.0, ankle="flat"),
        far_leg=Limb(flex=-7.0, bend=118.0, ankle="flat"),
        near_arm=Limb(flex=-25.0),
        far_arm=Limb(flex=-25.0),
        props=(Prop("mat"),),
        highlight=(BUTTOCK,),
        arrow=Arrow(at="pelvis", direction=90.0),
    ),
    Pose(
        id="single_leg_bridge",
        name="Single-leg bridge: hips lifted on one foot",
        base="back",
        trunk=215.0,
        spine=10.0,
        head=25.0,
        near_leg=Limb(flex=-7.0, bend=118.0, ankle="flat"),
        far_leg=Limb(flex=10.0),
        near_arm=Limb(flex=-25.0),
        far_arm=Limb(flex=-25.0),
        props=(Prop("mat"),),
        highlight=(BUTTOCK, Highlight("near_thigh", "back")),
        arrow=Arrow(at="pelvis", direction=90.0),
    ),
    Pose(
        id="single_leg_bridge_box",
        name="Single-leg bridge test: one heel on a chair seat, the other thigh pointing up",
        base="back",
        trunk=205.0,
        near_leg=Limb(flex=-5.0, bend=20.0, ankle=-10.0),
        far_leg=Limb(flex=65.0, bend=90.0),
        near_arm=Limb(flex=30.0, bend=130.0),
        far_arm=Limb(flex=30.0, bend=130.0),
        props=(Prop("mat"), Prop("bench", at=("near_heel",), side="right")),
        highlight=(BUTTOCK, Highlight("near_thigh", "back")),
        arrow=Arrow(at="pelvis", direction=90.0),
    ),
    Pose(
        id="curl_up",
        name="Curl-up: head and shoulders lifted a little",
        base="back",
        trunk=180.0,
        spine=18.0,
        near_leg=CROOK,
        near_arm=Limb(abduct=25.0, rotate=-90.0, bend=90.0),
        far_arm=Limb(abduct=25.0, rotate=-90.0, bend=90.0),
        props=(Prop("mat"),),
        highlight=(Highlight("trunk", "front"),),
        arrow=Arrow(at="neck", direction=90.0, length=9.0),
    ),
    Pose(
        id="dead_bug",
        name="Dead bug: arm and opposite leg reach out slowly",
        base="back",
        trunk=180.0,
        # Knees over the hips and arms up; the near arm and the far (opposite) leg reach out.
        near_leg=Limb(flex=90.0, bend=90.0),
        far_leg=Limb(flex=20.0),
        near_arm=Limb(flex=155.0),
        far_arm=Limb(flex=90.0),
        props=(Prop("mat"),),
        highlight=(Highlight("lower_trunk", "front"),),
        arrow=Arrow(at="far_ankle", about="far_hip", turn=-12.0),
    ),
    # ----------------------------------------------------------- lying face down
    Pose(
        id="front_lying",
        name="Lying face down",
        base="front",
        trunk=0.0,
        near_leg=PRONE_LEG,
        far_leg=PRONE_LEG,
        near_arm=PRONE_ARMS,
        far_arm=PRONE_ARMS,
        props=(Prop("mat"),),
    ),
    Pose(
        id="front_leg_lift",
        name="Lying face down, lifting one straight leg",
        base="front",
        trunk=0.0,
        near_leg=Limb(flex=-18.0, ankle=TOES_BACK),
        far_leg=PRONE_LEG,
        near_arm=PRONE_ARMS,
        far_arm=PRONE_ARMS,
        props=(Prop("mat"),),
        highlight=(BUTTOCK,),
        arrow=Arrow(at="near_ankle", about="near_hip", turn=-12.0),
    ),
    Pose(
        id="front_knee_bend",
        name="Lying face down, bending one knee",
        base="front",
        trunk=0.0,
        near_leg=Limb(bend=110.0, ankle=20.0),
        far_leg=PRONE_LEG,
        near_arm=PRONE_ARMS,
        far_arm=PRONE_ARMS,
        props=(Prop("mat"),),
        highlight=(Highlight("near_thigh", "front"),),
        arrow=Arrow(at="near_ankle", about="near_knee", turn=-25.0),
    ),
    Pose(
        id="front_on_elbows",
        name="Lying on your front, propped up on the forearms",
        base="forearms",
        trunk=12.0,
        spine=-38.0,
        head=20.0,
        near_leg=Limb(flex=-12.0, ankle=TOES_BACK),
        far_leg=Limb(flex=-12.0, ankle=TOES_BACK),
        near_arm=Limb(flex=40.0, bend=90.0),
        far_arm=Limb(flex=40.0, bend=90.0),
        props=(Prop("mat"),),
        highlight=(Highlight("lower_trunk", "back"),),
    ),
    Pose(
        id="front_press_up",
        name="Lying face down, pressing the chest up on the hands",
        base="front",
        trunk=30.0,
        spine=-35.0,
        head=-10.0,
        near_leg=Limb(flex=-30.0, ankle=TOES_BACK),
        far_leg=Limb(flex=-30.0, ankle=TOES_BACK),
        near_arm=Limb(flex=20.0, bend=15.0),
        far_arm=Limb(flex=20.0, bend=15.0),
        props=(Prop("mat"),),
        highlight=(Highlight("lower_trunk", "back"),),
    ),
    # ------------------------------------------------------------- lying on the side
    Pose(
        id="side_lying",
        name="Lying on your side, top knee bent forward",
        base="side",
        trunk=0.0,
        roll=90.0,
        tilt=25.0,
        yaw=15.0,
        near_leg=Limb(flex=60.0, abduct=-15.0, bend=70.0),
        far_arm=Limb(flex=150.0, bend=140.0),
        near_arm=Limb(flex=50.0, bend=30.0),
        props=(Prop("mat"),),
    ),
    Pose(
        id="side_lying_quad",
        name="Lying on your side, top heel drawn to the buttock with the top hand",
        base="side",
        # Back to the viewer and seen from above: the folded top leg and the hand on its
        # ankle then lie in the picture plane instead of hiding behind the thigh.
        trunk=180.0,
        roll=-90.0,
        tilt=70.0,
        near_leg=Limb(flex=-2.0, bend=150.0, ankle=20.0),
        far_leg=Limb(flex=70.0, bend=95.0),
        near_arm=Limb(flex=-25.0, abduct=-5.0, bend=5.0),
        far_arm=Limb(flex=150.0, bend=140.0),
        props=(Prop("mat"),),
        highlight=(Highlight("near_thigh", "front"),),
    ),
    Pose(
        id="side_leg_raise",
        name="Lying on your side, lifting the top leg",
        base="side",
        trunk=0.0,
        roll=90.0,
        tilt=15.0,
        yaw=15.0,
        near_leg=Limb(abduct=35.0, flex=-5.0),
        far_leg=Limb(flex=30.0, bend=60.0),
        far_arm=Limb(flex=150.0, bend=140.0),
        near_arm=Limb(flex=40.0, bend=40.0),
        props=(Prop("mat"),),
        highlight=(Highlight("near_hip", "outer"),),
        arrow=Arrow(at="near_ankle", about="near_hip", turn=-12.0),
    ),
    Pose(
        id="side_lying_outer_hip",
        name="Lying on your side, top leg taken back and dropping towards the floor",
        base="side",
        trunk=0.0,
        roll=90.0,
        tilt=30.0,
        yaw=15.0,
        near_leg=Limb(flex=-12.0, abduct=-10.0),
        far_leg=Limb(flex=60.0, bend=90.0),
        far_arm=Limb(flex=150.0, bend=140.0),
        near_arm=Limb(flex=60.0, bend=30.0),
        props=(Prop("mat"),),
        highlight=(Highlight("near_thigh", "outer"),),
        arrow=Arrow(at="near_ankle", about="near_hip", turn=10.0),
    ),
    Pose(
        id="clamshell",
        name="Clamshell: lying on your side, opening the top knee",
        base="side",
        trunk=0.0,
        roll=90.0,
        tilt=20.0,
        yaw=15.0,
        near_leg=Limb(flex=45.0, abduct=15.0, rotate=25.0, bend=90.0),
        far_leg=Limb(flex=45.0, bend=90.0),
        far_arm=Limb(flex=150.0, bend=140.0),
        near_arm=Limb(flex=40.0, bend=40.0),
        props=(Prop("mat"),),
        highlight=(Highlight("near_hip", "outer"),),
        arrow=Arrow(at="near_knee", direction=90.0, length=9.0),
    ),
    Pose(
        id="side_bridge_knees",
        name="Side plank on the forearm and knees",
        base="forearm_and_knees",
        trunk=15.0,
        roll=90.0,
        tilt=20.0,
        yaw=15.0,
        near_leg=Limb(bend=90.0),
        far_leg=Limb(bend=90.0),
        far_arm=Limb(abduct=75.0, bend=90.0),
        near_arm=Limb(flex=5.0),
        props=(Prop("mat"),),
        highlight=(Highlight("trunk", "inner"),),
        arrow=Arrow(at="pelvis", direction=90.0, length=9.0),
    ),
    Pose(
        id="side_bridge",
        name="Side plank on the forearm and feet",
        base="forearm_and_feet",
        trunk=10.0,
        roll=90.0,
        tilt=15.0,
        yaw=15.0,
        far_arm=Limb(abduct=80.0, bend=90.0),
        near_arm=Limb(flex=5.0),
        props=(Prop("mat"),),
        highlight=(Highlight("trunk", "inner"),),
    ),
    # --------------------------------------------------------------------- sitting
    Pose(
        id="sitting_chair",
        name="Sitting upright on a chair",
        base="seat",
        trunk=90.0,
        near_leg=Limb(flex=90.0, bend=90.0, ankle="flat"),
        far_leg=Limb(flex=90.0, bend=90.0, ankle="flat"),
        near_arm=Limb(flex=35.0, bend=45.0),
        far_arm=Limb(flex=35.0, bend=45.0),
        props=(Prop("chair", at=("pelvis",)),),
    ),
    Pose(
        id="sit_to_stand",
        name="Sit to stand: leaning forward from the hips on a chair, ready to stand up",
        base="seat",
        trunk=52.0,
        near_leg=Limb(flex=128.0, bend=100.0, ankle="flat"),
        far_leg=Limb(flex=128.0, bend=100.0, ankle="flat"),
        near_arm=Limb(flex=40.0, bend=125.0),
        far_arm=Limb(flex=40.0, bend=125.0),
        props=(Prop("chair", at=("pelvis",)),),
        highlight=(BUTTOCK, Highlight("near_thigh", "front")),
        arrow=Arrow(at="head", direction=45.0),
    ),
    Pose(
        id="sitting_hamstring_stretch",
        name="Sitting on a chair edge, one leg straight, leaning forward from the hips",
        base="seat",
        trunk=62.0,
        near_leg=Limb(flex=88.0, ankle=-15.0),
        far_leg=Limb(flex=118.0, bend=90.0, ankle="flat"),
        near_arm=Limb(flex=60.0, bend=10.0),
        far_arm=Limb(flex=60.0, bend=10.0),
        props=(Prop("chair", at=("pelvis",)),),
        highlight=(Highlight("near_thigh", "back"),),
    ),
    Pose(
        id="sitting_piriformis_stretch",
        name="Sitting on a chair, one ankle on the other knee, leaning forward",
        base="seat",
        trunk=72.0,
        near_leg=Limb(flex=115.0, abduct=45.0, rotate=90.0, bend=120.0),
        far_leg=Limb(flex=108.0, bend=90.0, ankle="flat"),
        near_arm=Limb(flex=40.0, bend=30.0),
        far_arm=Limb(flex=40.0, bend=30.0),
        props=(Prop("chair", at=("pelvis",)),),
        highlight=(BUTTOCK,),
    ),
    # --------------------------------------------------------------------- tests
    Pose(
        id="thomas_test",
        name="Thomas test: lying at the end of a bed, one knee hugged, the other leg hanging",
        base="bed",
        trunk=180.0,
        near_leg=Limb(flex=-5.0, bend=80.0, ankle=15.0),
        far_leg=Limb(flex=120.0, bend=120.0, ankle=20.0),
        near_arm=Limb(flex=50.0, bend=30.0),
        far_arm=Limb(flex=50.0, bend=30.0),
        props=(Prop("bench", at=("pelvis", "waist", "neck", "head"), side="left"),),
        highlight=(HIP_FRONT, Highlight("near_thigh", "front")),
    ),
    Pose(
        id="ober_test",
        name="Ober test: lying on your side, top leg lowered behind the body line",
        base="bed",
        trunk=0.0,
        roll=90.0,
        tilt=15.0,
        yaw=15.0,
        near_leg=Limb(flex=-8.0, abduct=-8.0),
        far_leg=Limb(flex=45.0, bend=90.0),
        far_arm=Limb(flex=150.0, bend=140.0),
        near_arm=Limb(flex=30.0, bend=40.0),
        props=(Prop("bench", at=("head", "pelvis", "far_knee", "far_ankle"), side="left"),),
        highlight=(Highlight("near_thigh", "outer"),),
        arrow=Arrow(at="near_ankle", about="near_hip", turn=10.0),
    ),
    Pose(
        id="trunk_extensor_hold",
        name="Back extensor hold: upper body held level over the end of a bed",
        base="bed",
        trunk=0.0,
        near_leg=Limb(ankle=TOES_BACK),
        far_leg=Limb(ankle=TOES_BACK),
        near_arm=Limb(flex=30.0, bend=130.0),
        far_arm=Limb(flex=30.0, bend=130.0),
        props=(
            Prop("bench", at=("pelvis", "near_knee", "near_ankle"), side="left"),
            Prop("strap", at=("near_ankle",)),
        ),
        highlight=(Highlight("trunk", "back"),),
    ),
    Pose(
        id="trunk_flexor_hold",
        name="Front trunk hold: sitting leaning back, knees bent",
        base="seat",
        trunk=120.0,
        near_leg=Limb(flex=105.0, bend=90.0, ankle="flat"),
        far_leg=Limb(flex=105.0, bend=90.0, ankle="flat"),
        near_arm=Limb(flex=30.0, bend=130.0),
        far_arm=Limb(flex=30.0, bend=130.0),
        props=(Prop("mat"),),
        highlight=(Highlight("trunk", "front"),),
    ),
    Pose(
        id="sit_and_reach",
        name="Sit-and-reach test: straight legs, soles against a box, reaching along its top",
        base="seat",
        # Trunk and legs make a sharp angle at the hips; the rounded spine carries the
        # shoulders forward so the level arms reach just past the box edge, where the
        # reading is taken. The box top sits under the fingertips.
        trunk=42.0,
        spine=32.0,
        head=-25.0,
        near_leg=Limb(flex=138.0),
        far_leg=Limb(flex=138.0),
        near_arm=Limb(flex=170.0),
        far_arm=Limb(flex=170.0),
        props=(Prop("step", at=("near_sole", "near_hand"), side="right"),),
        highlight=(Highlight("near_thigh", "back"), Highlight("lower_trunk", "back")),
        arrow=Arrow(at="near_hand", direction=0.0, length=10.0, shift=5.0),
    ),
    # --------------------------------------------------------------- rollers, balls
    Pose(
        id="roller_front_thigh",
        name="Front of the thigh on a foam roller, resting on the forearms",
        base="forearms",
        trunk=2.0,
        near_leg=Limb(flex=-2.0, ankle=TOES_BACK),
        far_leg=Limb(flex=-2.0, ankle=TOES_BACK),
        near_arm=Limb(flex=88.0, bend=90.0),
        far_arm=Limb(flex=88.0, bend=90.0),
        props=(Prop("roller", at=("near_mid_thigh",)),),
        highlight=(Highlight("near_thigh", "front"),),
        arrow=Arrow(at="pelvis", direction=0.0, shift=7.0),
    ),
    Pose(
        id="roller_side_thigh",
        name="Outer thigh on a foam roller, lying on your side",
        base="forearm_and_feet",
        trunk=10.0,
        roll=90.0,
        tilt=30.0,
        yaw=-20.0,
        near_leg=Limb(flex=70.0, bend=80.0, ankle="flat"),
        far_arm=Limb(abduct=80.0, bend=90.0),
        near_arm=Limb(flex=5.0),
        props=(Prop("mat"), Prop("roller", at=("far_mid_thigh",))),
        highlight=(Highlight("far_thigh", "outer"),),
    ),
    Pose(
        id="ball_buttock",
        name="Sitting on the floor, leaning back on the hands, a massage ball under one buttock",
        base="seat",
        trunk=128.0,
        near_leg=Limb(flex=87.0, bend=95.0, ankle="flat"),
        far_leg=Limb(flex=87.0, bend=95.0, ankle="flat"),
        near_arm=Limb(flex=-58.0),
        far_arm=Limb(flex=-58.0),
        props=(Prop("mat"), Prop("ball", at=("pelvis",))),
        highlight=(BUTTOCK,),
    ),
    Pose(
        id="ball_lower_back_side",
        name="Standing with the back to a wall, a massage ball beside the low back",
        base="feet",
        trunk=93.0,
        near_leg=Limb(flex=14.0, bend=22.0, ankle="flat"),
        far_leg=Limb(flex=14.0, bend=22.0, ankle="flat"),
        near_arm=ARM_SOFT,
        far_arm=ARM_SOFT,
        props=(
            Prop("wall", at=("waist", "neck"), side="left", size=8.0),
            Prop("ball", at=("waist",), side="left", size=8.0),
        ),
        highlight=(Highlight("lower_trunk", "back"),),
    ),
    # --------------------------------------------------------------------- devices
    Pose(
        id="inversion_table",
        name="Inversion table, tipped back a little",
        base="device",
        trunk=205.0,
        props=(Prop("inversion_table", at=("head", "near_ankle", "pelvis")),),
        highlight=(Highlight("lower_trunk", "back"),),
    ),
    Pose(
        id="vibration_platform",
        name="Standing on a vibration platform, knees soft",
        base="device",
        trunk=90.0,
        near_leg=Limb(flex=15.0, bend=25.0, ankle="flat"),
        far_leg=Limb(flex=15.0, bend=25.0, ankle="flat"),
        near_arm=Limb(flex=45.0, bend=30.0),
        far_arm=Limb(flex=45.0, bend=30.0),
        props=(Prop("vibration_platform", at=("near_toe", "near_hand")),),
    ),
    # ------------------------------------------------------------- standing checks
    Pose(
        id="standing_pelvis_check",
        name="Standing, hands on the hip bones, checking the pelvis is level",
        base="feet",
        trunk=90.0,
        roll=90.0,
        near_leg=Limb(abduct=5.0),
        far_leg=Limb(abduct=5.0),
        near_arm=Limb(abduct=35.0, rotate=-90.0, bend=100.0),
        far_arm=Limb(abduct=35.0, rotate=-90.0, bend=100.0),
        highlight=(Highlight("pelvis", "on"), Highlight("shoulders", "on")),
    ),
    Pose(
        id="standing_side_check",
        name="Standing side-on, arms folded across the chest, for a photo of the pelvis",
        base="feet",
        trunk=90.0,
        near_leg=Limb(abduct=3.0),
        far_leg=Limb(abduct=3.0),
        near_arm=ARMS_FOLDED,
        far_arm=ARMS_FOLDED,
        highlight=(Highlight("lower_trunk", "back"), Highlight("near_hip", "front")),
    ),
    Pose(
        id="standing_back_bend",
        name="Standing back bend: hands on the back of the hips, leaning back from the waist",
        base="feet",
        # Seen from the side, facing right: the legs stay upright while the trunk leans back
        # and the low back arches; the elbows point back and the hands rest on the back of
        # the hips; the head nods a little forward so the eyes stay near level.
        trunk=100.0,
        spine=-28.0,
        head=12.0,
        near_leg=Limb(flex=-10.0, ankle="flat"),
        far_leg=Limb(flex=-10.0, ankle="flat"),
        near_arm=Limb(flex=-45.0, bend=80.0),
        far_arm=Limb(flex=-45.0, bend=80.0),
        highlight=(Highlight("lower_trunk", "back"),),
        arrow=Arrow(at="head", about="pelvis", turn=22.0),
    ),
    Pose(
        id="forward_bend",
        name="Bending forward towards the toes",
        base="feet",
        trunk=22.0,
        spine=55.0,
        head=15.0,
        near_leg=Limb(flex=68.0),
        far_leg=Limb(flex=68.0),
        near_arm=Limb(flex=123.0),
        far_arm=Limb(flex=123.0),
        arrow=Arrow(at="head", about="pelvis", turn=30.0),
    ),
)
