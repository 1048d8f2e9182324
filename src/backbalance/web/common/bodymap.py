"""The body map: a calm front and back outline, drawn on the server as plain SVG.

Two uses share one drawing:

* :func:`findings_map` colours each muscle group the self-tests judged, by what they found
  (short or tight: warm and hatched; weak or lax: cool and dotted; not judged: a dotted
  outline), so the results page can show the findings as a picture next to the table.
* :class:`PainRegionPicker` and :class:`PainSidePicker` are form widgets for the check-in:
  "where does it hurt" as large tappable regions on the same body, and which side. Each
  region is a real radio input inside a label, so it works with the keyboard, with a
  screen reader and with no JavaScript at all.

The shapes below are presentation data only (where a muscle group sits on a simple
drawing), not clinical facts. No inline style is written anywhere (the content security
policy forbids it): colours come from classes in ``common/bodymap.css`` and patterns from
SVG attributes.

Sides: the front view shows the person as if facing us, so *their* right is on the
viewer's left; the back view shows them from behind, so their left is on the viewer's
left. Every view says so in words under the drawing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

View = Literal["front", "back"]
MapSide = Literal["left", "right", "centre"]

WIDTH = 200
HEIGHT = 450
MIDLINE = WIDTH / 2


# --------------------------------------------------------------------------- shapes


@dataclass(frozen=True)
class Ellipse:
    cx: float
    cy: float
    rx: float
    ry: float
    angle: float = 0.0

    def mirrored(self) -> Ellipse:
        return Ellipse(2 * MIDLINE - self.cx, self.cy, self.rx, self.ry, -self.angle)

    def svg(self, css_class: str, fill: str | None = None) -> SafeString:
        turn = (
            format_html(
                ' transform="rotate({} {} {})"', _num(self.angle), _num(self.cx), _num(self.cy)
            )
            if self.angle
            else ""
        )
        paint = format_html(' fill="{}"', fill) if fill else ""
        return format_html(
            '<ellipse class="{}" cx="{}" cy="{}" rx="{}" ry="{}"{}{}/>',
            css_class,
            _num(self.cx),
            _num(self.cy),
            _num(self.rx),
            _num(self.ry),
            turn,
            paint,
        )


def _num(value: float) -> str:
    return f"{value:g}"


@dataclass(frozen=True)
class Region:
    """Where something sits on the drawing.

    For a sided region the shapes are drawn on the viewer's left half and mirrored for the
    other side; a midline region is drawn once, as given.
    """

    view: View
    shapes: tuple[Ellipse, ...]
    sided: bool = True

    def shapes_for(self, side: MapSide) -> tuple[Ellipse, ...]:
        if not self.sided or side == "centre":
            return self.shapes
        on_viewer_left = (self.view == "front") == (side == "right")
        return self.shapes if on_viewer_left else tuple(s.mirrored() for s in self.shapes)


# Every muscle group the content can name in a finding (content/data/muscles.yaml). A test
# checks this against the content, so a new muscle group cannot be left off the map.
MUSCLE_REGIONS: dict[str, Region] = {
    "iliopsoas": Region("front", (Ellipse(86, 214, 7, 16, -25),)),
    "rectus_femoris": Region("front", (Ellipse(78, 275, 10, 38, 4),)),
    "tfl_itb": Region("front", (Ellipse(63, 262, 5, 44, 2),)),
    "adductors": Region("front", (Ellipse(93, 268, 5.5, 26, -6),)),
    "obliques": Region("front", (Ellipse(75, 165, 9, 22, -8),)),
    "rectus_abdominis": Region("front", (Ellipse(100, 160, 11, 34),), sided=False),
    "transversus_abdominis": Region("front", (Ellipse(100, 202, 22, 8),), sided=False),
    "lumbar_erectors": Region(
        "back", (Ellipse(92, 172, 5.5, 26), Ellipse(108, 172, 5.5, 26)), sided=False
    ),
    "quadratus_lumborum": Region("back", (Ellipse(79, 182, 6, 15, 8),)),
    "gluteus_medius": Region("back", (Ellipse(72, 211, 11, 8, -25),)),
    "deep_hip_rotators": Region("back", (Ellipse(89, 215, 8, 5, 18),)),
    "gluteus_maximus": Region("back", (Ellipse(83, 238, 15, 14),)),
    "hamstrings": Region("back", (Ellipse(80, 292, 11, 36, 3),)),
}

# Where it hurts, for the check-in. The ids are stored in journal.CheckIn.region; keep them.
PAIN_REGION_LABELS: dict[str, Any] = {
    "neck": gettext_lazy("Neck"),
    "upper_back": gettext_lazy("Upper back"),
    "mid_back": gettext_lazy("Mid back"),
    "low_back": gettext_lazy("Low back"),
    "buttock": gettext_lazy("Buttock"),
    "hip": gettext_lazy("Hip"),
    "groin": gettext_lazy("Groin"),
    "thigh": gettext_lazy("Thigh"),
    "knee": gettext_lazy("Knee"),
    "lower_leg": gettext_lazy("Lower leg"),
    "foot": gettext_lazy("Foot"),
}
PAIN_REGIONS: dict[str, Region] = {
    "neck": Region("back", (Ellipse(100, 66, 9, 8),), sided=False),
    "upper_back": Region("back", (Ellipse(100, 105, 30, 18),), sided=False),
    "mid_back": Region("back", (Ellipse(100, 145, 26, 15),), sided=False),
    "low_back": Region("back", (Ellipse(100, 182, 24, 14),), sided=False),
    "buttock": Region("back", (Ellipse(83, 230, 15, 16), Ellipse(117, 230, 15, 16)), sided=False),
    "hip": Region("front", (Ellipse(62, 220, 6, 12), Ellipse(138, 220, 6, 12)), sided=False),
    "groin": Region("front", (Ellipse(100, 236, 14, 8),), sided=False),
    "thigh": Region("front", (Ellipse(79, 280, 13, 34), Ellipse(121, 280, 13, 34)), sided=False),
    "knee": Region("front", (Ellipse(79, 330, 10, 9), Ellipse(121, 330, 10, 9)), sided=False),
    "lower_leg": Region("front", (Ellipse(79, 375, 8, 26), Ellipse(121, 375, 8, 26)), sided=False),
    "foot": Region("front", (Ellipse(78, 424, 11, 6), Ellipse(122, 424, 11, 6)), sided=False),
}
# The label boxes of the picker (x, y of the top-left corner; all the same size), placed
# over or beside their region so each is a large target.
_SPOT_W, _SPOT_H = 84, 30
_PAIN_SPOTS: dict[str, tuple[float, float]] = {
    "neck": (58, 50),
    "upper_back": (58, 92),
    "mid_back": (58, 131),
    "low_back": (58, 170),
    "buttock": (58, 218),
    "hip": (2, 186),
    "groin": (58, 224),
    "thigh": (58, 266),
    "knee": (58, 317),
    "lower_leg": (58, 362),
    "foot": (58, 402),
}
# The part of each view the picker shows (top and bottom, in drawing units): the back from
# the head to the buttocks, the front from the hips to the feet, where its regions are. The
# rest of the figure adds nothing to tap and made the check-in two screens longer on a
# phone. The side words go where the figure leaves room: at the top of the back (beside
# the head), at the bottom of the front (beside the feet).
_PICKER_SPAN: dict[View, tuple[float, float]] = {"back": (0, 262), "front": (176, HEIGHT)}
_PICKER_SIDE_WORDS_Y: dict[View, float] = {"back": 18, "front": HEIGHT - 4}
PAIN_SIDE_LABELS: dict[str, Any] = {
    "left": gettext_lazy("Left"),
    "right": gettext_lazy("Right"),
    "both": gettext_lazy("Both sides"),
    "centre": gettext_lazy("In the middle"),
}


# --------------------------------------------------------------------------- the outline


def _smooth_closed_path(points: Sequence[tuple[float, float]]) -> str:
    """A closed curve through ``points`` (Catmull-Rom turned into cubic Béziers)."""
    count = len(points)
    parts = [f"M{_num(points[0][0])} {_num(points[0][1])}"]
    for i in range(count):
        p0, p1 = points[i - 1], points[i]
        p2, p3 = points[(i + 1) % count], points[(i + 2) % count]
        c1 = (p1[0] + (p2[0] - p0[0]) / 6, p1[1] + (p2[1] - p0[1]) / 6)
        c2 = (p2[0] - (p3[0] - p1[0]) / 6, p2[1] - (p3[1] - p1[1]) / 6)
        parts.append("C" + " ".join(f"{_num(round(v, 1))}" for v in (*c1, *c2, p2[0], p2[1])))
    return "".join(parts) + "Z"


# The viewer's left half of the body outline, from the neck down around the arm and the
# leg to the crotch; the right half is its mirror image.
_HALF_OUTLINE: tuple[tuple[float, float], ...] = (
    (91, 58),
    (90, 74),
    (66, 82),
    (52, 92),
    (46, 120),
    (41, 165),
    (36, 210),
    (33, 238),
    (36, 252),
    (43, 248),
    (45, 225),
    (50, 180),
    (56, 136),
    (61, 150),
    (66, 188),
    (59, 222),
    (60, 270),
    (67, 322),
    (66, 360),
    (71, 405),
    (66, 420),
    (70, 430),
    (90, 430),
    (90, 405),
    (91, 360),
    (92, 322),
    (96, 268),
    (100, 250),
)


def _outline_path() -> str:
    mirrored = [(2 * MIDLINE - x, y) for x, y in reversed(_HALF_OUTLINE[:-1])]
    return _smooth_closed_path([*_HALF_OUTLINE, *mirrored])


_OUTLINE = _outline_path()


def _body(view: View) -> SafeString:
    spine = (
        mark_safe('<path class="bm-spine" d="M100 78 V246"/>')
        if view == "back"
        else mark_safe('<circle class="bm-navel" cx="100" cy="190" r="1.6"/>')
    )
    return format_html(
        '<ellipse class="bm-body" cx="100" cy="32" rx="21" ry="26"/>'
        '<path class="bm-body" d="{}"/>{}',
        _OUTLINE,
        spine,
    )


def _side_words(view: View, y: float = HEIGHT - 4) -> SafeString:
    """ "your right / your left" at height ``y`` (under the drawing unless told), on the side
    the viewer sees them."""
    left_of_viewer, right_of_viewer = (
        (_("your right"), _("your left")) if view == "front" else (_("your left"), _("your right"))
    )
    return format_html(
        '<text class="bm-side-word" x="6" y="{y}">{}</text>'
        '<text class="bm-side-word" x="194" y="{y}" text-anchor="end">{}</text>',
        left_of_viewer,
        right_of_viewer,
        y=y,
    )


def view_title(view: View) -> str:
    return _("Front") if view == "front" else _("Back")


# --------------------------------------------------------------------------- findings map

# What the map shows for one muscle group on one side, strongest first.
Fill = Literal["tight", "weak", "both", "normal", "untested"]
_TIGHT = {"tight", "short"}
_WEAK = {"weak", "lax"}


@dataclass(frozen=True)
class RegionState:
    fill: Fill
    # True when a test on this group could not be judged (it should be redone).
    unsure: bool
    statuses: tuple[str, ...]


def region_states(findings: Iterable[Mapping[str, Any]]) -> dict[tuple[str, MapSide], RegionState]:
    """What each (muscle group, side) on the map shows, from the core's findings.

    A bilateral finding on a sided group counts for both sides; a midline group (the
    belly muscles) has one region, "centre".
    """
    statuses: dict[tuple[str, MapSide], list[str]] = {}
    for finding in findings:
        muscle = finding["muscle"]
        region = MUSCLE_REGIONS[muscle]
        sides: tuple[MapSide, ...]
        if not region.sided:
            sides = ("centre",)
        elif finding["side"] == "bilateral":
            sides = ("left", "right")
        else:
            sides = (finding["side"],)
        for side in sides:
            statuses.setdefault((muscle, side), []).append(finding["status"])
    return {key: _state(found) for key, found in statuses.items()}


def _state(statuses: list[str]) -> RegionState:
    tight = any(s in _TIGHT for s in statuses)
    weak = any(s in _WEAK for s in statuses)
    fill: Fill
    if tight and weak:
        fill = "both"
    elif tight:
        fill = "tight"
    elif weak:
        fill = "weak"
    elif "normal" in statuses:
        fill = "normal"
    else:
        fill = "untested"
    return RegionState(fill, "inconclusive" in statuses, tuple(dict.fromkeys(statuses)))


def fill_words(fill: Fill) -> str:
    return {
        "tight": _("short or tight"),
        "weak": _("weak or lax"),
        "both": _("short or tight in one test, weak in another"),
        "normal": _("in the usual range"),
        "untested": _("not tested"),
    }[fill]


def side_words(side: str) -> str:
    return {
        "left": _("your left"),
        "right": _("your right"),
        "centre": _("both sides"),
        "bilateral": _("both sides"),
    }.get(side, side)


def pattern_defs(prefix: str) -> SafeString:
    """The hatch patterns, in a tiny hidden SVG the maps and the legend refer to."""
    return format_html(
        '<svg class="bm-defs" aria-hidden="true" focusable="false" width="0" height="0">'
        "<defs>"
        '<pattern id="{p}-hatch-tight" width="6" height="6" patternUnits="userSpaceOnUse"'
        ' patternTransform="rotate(45)">'
        '<line class="bm-hatch-tight" x1="0" y1="0" x2="0" y2="6" stroke-width="2.2"/>'
        "</pattern>"
        '<pattern id="{p}-hatch-weak" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<circle class="bm-hatch-weak" cx="3" cy="3" r="1.4"/>'
        "</pattern>"
        "</defs></svg>",
        p=prefix,
    )


def _overlays(fill: Fill, prefix: str) -> tuple[str, ...]:
    return {
        "tight": (f"url(#{prefix}-hatch-tight)",),
        "weak": (f"url(#{prefix}-hatch-weak)",),
        "both": (f"url(#{prefix}-hatch-tight)", f"url(#{prefix}-hatch-weak)"),
    }.get(fill, ())


def _painted(shapes: Iterable[Ellipse], fill: Fill, unsure: bool, prefix: str) -> SafeString:
    css = f"bm-shape bm-{fill}" + (" bm-unsure" if unsure else "")
    pieces = [shape.svg(css) for shape in shapes]
    for overlay in _overlays(fill, prefix):
        pieces.extend(shape.svg("bm-overlay", fill=overlay) for shape in shapes)
    return mark_safe("".join(pieces))


def findings_map(
    findings: Sequence[Mapping[str, Any]],
    muscle_names: Mapping[str, str],
    *,
    prefix: str = "bm",
) -> SafeString:
    """The front and back views with every judged muscle group coloured by its findings.

    Groups no test judged are drawn faintly, so the person sees what was not looked at.
    Each view is its own ``role="img"`` picture with a title and a description; the page
    shows the same findings as a table too.
    """
    states = region_states(findings)
    views = []
    for view in ("front", "back"):
        regions: list[SafeString] = []
        described: list[str] = []
        for muscle, region in MUSCLE_REGIONS.items():
            if region.view != view:
                continue
            sides: tuple[MapSide, ...] = ("left", "right") if region.sided else ("centre",)
            for side in sides:
                state = states.get((muscle, side), RegionState("untested", False, ()))
                name = muscle_names.get(muscle, muscle)
                words = fill_words(state.fill)
                if state.unsure:
                    words = _("%(words)s; a test to redo") % {"words": words}
                label = _("%(muscle)s, %(side)s: %(state)s") % {
                    "muscle": name,
                    "side": side_words(side),
                    "state": words,
                }
                if state.fill != "untested" or state.unsure:
                    described.append(label)
                regions.append(
                    format_html(
                        '<g class="bm-region" data-muscle="{}" data-side="{}" data-fill="{}">'
                        "<title>{}</title>{}</g>",
                        muscle,
                        side,
                        state.fill + ("-unsure" if state.unsure else ""),
                        label,
                        _painted(region.shapes_for(side), state.fill, state.unsure, prefix),
                    )
                )
        title_id = f"{prefix}-{view}-title"
        desc_id = f"{prefix}-{view}-desc"
        title = _("Body map, %(view)s view") % {"view": view_title(view).lower()}
        desc = "; ".join(described) if described else _("No muscle group on this side was judged.")
        views.append(
            format_html(
                '<figure class="bm-view">'
                '<svg class="bm-svg" viewBox="0 0 {w} {h}" role="img"'
                ' aria-labelledby="{t} {d}" xmlns="http://www.w3.org/2000/svg">'
                '<title id="{t}">{}</title><desc id="{d}">{}</desc>{}{}{}</svg>'
                '<figcaption class="bm-caption">{}</figcaption></figure>',
                title,
                desc,
                _body(view),
                mark_safe("".join(regions)),
                _side_words(view),
                view_title(view),
                w=WIDTH,
                h=HEIGHT,
                t=title_id,
                d=desc_id,
            )
        )
    return format_html(
        '<div class="bm-map">{}{}</div>', pattern_defs(prefix), mark_safe("".join(views))
    )


def legend(prefix: str = "bm") -> SafeString:
    """The key to the colours and patterns, each with a small sample."""
    rows = [
        ("tight", False, _("Short or tight")),
        ("weak", False, _("Weak or lax")),
        ("both", False, _("Short in one test, weak in another")),
        ("normal", False, _("In the usual range")),
        ("untested", True, _("Could not be judged: a test to redo")),
        ("untested", False, _("Not tested")),
    ]
    items = format_html_join(
        "",
        '<li><svg class="bm-swatch" viewBox="0 0 40 24" aria-hidden="true" focusable="false">'
        "{}</svg><span>{}</span></li>",
        (
            (_painted((Ellipse(20, 12, 17, 9),), fill, unsure, prefix), words)  # type: ignore[arg-type]
            for fill, unsure, words in rows
        ),
    )
    return format_html('<ul class="bm-legend">{}</ul>', items)


# --------------------------------------------------------------------------- pain picker


def pain_region_choices() -> list[tuple[str, Any]]:
    return list(PAIN_REGION_LABELS.items())


def pain_side_choices() -> list[tuple[str, Any]]:
    return list(PAIN_SIDE_LABELS.items())


def _spot(name: str, region_id: str, checked: bool, base_id: str) -> SafeString:
    x, y = _PAIN_SPOTS[region_id]
    input_id = f"{base_id}_{region_id}"
    return format_html(
        '<foreignObject x="{}" y="{}" width="{}" height="{}">'
        '<label class="bm-spot" for="{}">'
        '<input type="radio" name="{}" value="{}" id="{}"{}>'
        "<span>{}</span></label></foreignObject>",
        _num(x),
        _num(y),
        _SPOT_W,
        _SPOT_H,
        input_id,
        name,
        region_id,
        input_id,
        mark_safe(" checked") if checked else "",
        PAIN_REGION_LABELS[region_id],
    )


def pain_picker(name: str, value: str | None, base_id: str) -> SafeString:
    """Front and back with one large labelled radio button per pain region.

    The drawing behind each label lights up when its radio is chosen (a CSS ``:has``
    rule); without that support the label itself still shows the choice.
    """
    views = []
    view: View
    for view in ("back", "front"):
        top, bottom = _PICKER_SPAN[view]
        shapes = []
        spots = []
        for region_id, region in PAIN_REGIONS.items():
            if region.view != view:
                continue
            shapes.append(
                format_html(
                    '<g class="bm-pain-region" data-region="{}">{}</g>',
                    region_id,
                    mark_safe("".join(s.svg("bm-shape") for s in region.shapes)),
                )
            )
            spots.append(_spot(name, region_id, value == region_id, base_id))
        views.append(
            format_html(
                '<figure class="bm-view bm-picker-view">'
                '<svg class="bm-svg" viewBox="0 {} {} {}" xmlns="http://www.w3.org/2000/svg">'
                "{}{}{}{}</svg>"
                '<figcaption class="bm-caption">{}</figcaption></figure>',
                top,
                WIDTH,
                bottom - top,
                _body(view),
                mark_safe("".join(shapes)),
                mark_safe("".join(spots)),
                _side_words(view, _PICKER_SIDE_WORDS_Y[view]),
                view_title(view),
            )
        )
    return format_html('<div class="bm-map bm-picker">{}</div>', mark_safe("".join(views)))


class PainRegionPicker(forms.Widget):
    """A form widget: where it hurts, tapped on the body map (one region id or nothing)."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        base_id = (attrs or {}).get("id") or f"id_{name}"
        chosen = str(value) if value else None
        return pain_picker(name, chosen, base_id)

    def id_for_label(self, id_: str) -> str:
        # The field's label names the whole group; each region has its own label.
        return ""


class PainSidePicker(forms.Widget):
    """A form widget: left, right, both sides or in the middle, as four big choices."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        base_id = (attrs or {}).get("id") or f"id_{name}"
        choices = format_html_join(
            "",
            '<label class="choice" for="{0}_{1}"><input type="radio" name="{2}" value="{1}"'
            ' id="{0}_{1}"{3}><span>{4}</span></label>',
            (
                (base_id, side, name, mark_safe(" checked") if value == side else "", words)
                for side, words in PAIN_SIDE_LABELS.items()
            ),
        )
        return format_html('<div class="choices bm-sides">{}</div>', choices)

    def id_for_label(self, id_: str) -> str:
        return ""


class PainRegionField(forms.ChoiceField):
    """Where it hurts: one of the pain region ids, chosen on the body map."""

    widget = PainRegionPicker

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", gettext_lazy("Where does it hurt most?"))
        super().__init__(choices=pain_region_choices(), **kwargs)


class PainSideField(forms.ChoiceField):
    """Which side the pain is on."""

    widget = PainSidePicker

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", gettext_lazy("Which side?"))
        super().__init__(choices=pain_side_choices(), **kwargs)
