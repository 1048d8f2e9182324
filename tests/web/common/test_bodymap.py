"""The body map: every muscle a finding can name has a region; the pain picker works."""

from __future__ import annotations

import re
from dataclasses import fields, is_dataclass
from typing import Any

from django import forms

from backbalance.web.common import bodymap
from backbalance.web.common.content import content

PAIN_REGION_IDS = [
    "neck",
    "upper_back",
    "mid_back",
    "low_back",
    "buttock",
    "hip",
    "groin",
    "thigh",
    "knee",
    "lower_leg",
    "foot",
]


def _muscles_named_in(value: Any, found: set[str]) -> set[str]:
    """Every muscle id a content object names: test targets and rule effects, at any depth."""
    if is_dataclass(value):
        for one in fields(value):
            name, item = one.name, getattr(value, one.name)
            if name == "muscle" and isinstance(item, str):
                found.add(item)
            elif name == "targets" and isinstance(item, list):
                found.update(item)
            else:
                _muscles_named_in(item, found)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _muscles_named_in(item, found)
    elif isinstance(value, dict):
        for item in value.values():
            _muscles_named_in(item, found)
    return found


def test_every_muscle_a_finding_can_name_has_a_region_on_the_map() -> None:
    loaded = content()
    named = _muscles_named_in([loaded.tests, loaded.ratios], set())
    # The walk above really reaches the rules (a broken walk would pass on nothing).
    assert {"iliopsoas", "gluteus_medius", "rectus_abdominis"} <= named
    missing = (named | set(loaded.muscles)) - set(bodymap.MUSCLE_REGIONS)
    assert not missing, f"add a body-map region for: {sorted(missing)}"


def test_a_region_is_drawn_on_the_side_the_viewer_sees_it() -> None:
    # Front view: the person's right is on the viewer's left (x below the midline).
    front = bodymap.MUSCLE_REGIONS["rectus_femoris"]
    assert front.shapes_for("right")[0].cx < bodymap.MIDLINE < front.shapes_for("left")[0].cx
    # Back view: the person's left is on the viewer's left.
    back = bodymap.MUSCLE_REGIONS["hamstrings"]
    assert back.shapes_for("left")[0].cx < bodymap.MIDLINE < back.shapes_for("right")[0].cx


def test_short_and_weak_in_different_tests_shows_both() -> None:
    states = bodymap.region_states(
        [
            {"muscle": "hamstrings", "side": "left", "status": "short"},
            {"muscle": "hamstrings", "side": "left", "status": "weak"},
            {"muscle": "hamstrings", "side": "bilateral", "status": "inconclusive"},
            {"muscle": "obliques", "side": "right", "status": "lax"},
        ]
    )
    assert states["hamstrings", "left"].fill == "both"
    assert states["hamstrings", "left"].unsure
    assert states["hamstrings", "right"] == bodymap.RegionState("untested", True, ("inconclusive",))
    assert states["obliques", "right"].fill == "weak"
    assert ("obliques", "left") not in states


def test_the_map_marks_tight_and_weak_with_patterns_not_colour_alone() -> None:
    html = bodymap.findings_map(
        [
            {"muscle": "iliopsoas", "side": "left", "status": "tight"},
            {"muscle": "gluteus_maximus", "side": "right", "status": "weak"},
        ],
        {"iliopsoas": "Deep hip flexor"},
        prefix="t",
    )
    tight = re.search(r'data-muscle="iliopsoas" data-side="left".*?</g>', html)
    weak = re.search(r'data-muscle="gluteus_maximus" data-side="right".*?</g>', html)
    assert tight and 'fill="url(#t-hatch-tight)"' in tight.group(0)
    assert weak and 'fill="url(#t-hatch-weak)"' in weak.group(0)
    assert "<title>Deep hip flexor, your left: short or tight</title>" in html
    assert 'id="t-hatch-tight"' in html and "style=" not in html


class CheckInPain(forms.Form):
    region = bodymap.PainRegionField(required=False)
    side = bodymap.PainSideField(required=False)


def test_the_picker_draws_every_region_as_a_labelled_control() -> None:
    html = str(CheckInPain()["region"])
    for region_id in PAIN_REGION_IDS:
        label = bodymap.PAIN_REGION_LABELS[region_id]
        control = re.search(
            rf'<label class="bm-spot" for="id_region_{region_id}">'
            rf'<input type="radio" name="region" value="{region_id}" id="id_region_{region_id}">'
            rf"<span>{label}</span></label>",
            html,
        )
        assert control, f"no labelled control for {region_id}"
    assert list(bodymap.PAIN_REGION_LABELS) == PAIN_REGION_IDS
    assert "style=" not in html and "<script" not in html


def test_the_picker_round_trips_a_posted_value() -> None:
    form = CheckInPain(data={"region": "low_back", "side": "left"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"region": "low_back", "side": "left"}
    html = str(form["region"]) + str(form["side"])
    assert 'value="low_back" id="id_region_low_back" checked' in html
    assert 'value="left" id="id_side_left" checked' in html
    assert html.count(" checked") == 2


def test_the_picker_refuses_a_region_it_does_not_draw() -> None:
    form = CheckInPain(data={"region": "elbow", "side": "sideways"})
    assert not form.is_valid()
    assert set(form.errors) == {"region", "side"}


def test_the_picker_shows_every_region_and_its_label_inside_its_view() -> None:
    # The picker shows only part of each figure; no region or label may fall outside it.
    from backbalance.web.common.bodymap import (
        _PAIN_SPOTS,
        _PICKER_SIDE_WORDS_Y,
        _PICKER_SPAN,
        _SPOT_H,
        PAIN_REGIONS,
    )

    for region_id, region in PAIN_REGIONS.items():
        top, bottom = _PICKER_SPAN[region.view]
        _, spot_y = _PAIN_SPOTS[region_id]
        assert top <= spot_y and spot_y + _SPOT_H <= bottom, region_id
        for shape in region.shapes:
            assert top <= shape.cy - shape.ry and shape.cy + shape.ry <= bottom, region_id
    for view, (top, bottom) in _PICKER_SPAN.items():
        assert top < _PICKER_SIDE_WORDS_Y[view] <= bottom, view
