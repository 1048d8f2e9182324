"""The comparison of a re-test with the check-up before it: each reading judged against
its test's measurement error, each finding, the two body maps, and the guards."""

from __future__ import annotations

import copy
import re
import uuid
from html import escape

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from backbalance.web.checkup.models import Assessment
from backbalance.web.common.content import content
from tests.web.checkup import journey
from tests.web.journal.conftest import post_check_in


def _retest(owner: User, **changes: dict[str, dict[str, float]]) -> Assessment:
    """A finished re-test of the owner's check-up with some readings changed."""
    previous = Assessment.objects.get(owner=owner)
    tests = copy.deepcopy(previous.tests)
    for test_id, sides in changes.items():
        for side, fields in sides.items():
            tests[test_id][side].update(fields)
    return Assessment.objects.create(
        owner=owner,
        retest_of=previous,
        person=previous.person,
        screening=previous.screening,
        screened_at=timezone.now(),
        context=previous.context,
        questionnaires=previous.questionnaires,
        tests=tests,
        completed_at=timezone.now(),
    )


def _url(assessment: Assessment) -> str:
    return reverse("checkup:compare", kwargs={"pk": assessment.pk})


def _verdict(html: str, label: str, side: str) -> str:
    """The verdict class of the row for ``label`` on ``side`` ("your left")."""
    match = re.search(
        rf'<tr class="change-([a-z_]+)"><th scope="row">{re.escape(label)} '
        rf'<span class="muted small">{side}</span>',
        html,
    )
    assert match, f"no row for {label}, {side}"
    return match.group(1)


def test_changes_inside_the_measurement_error_are_unchanged_and_beyond_it_judged(
    owner: User, owner_client: Client
) -> None:
    hip = content().tests["modified_thomas"].field("hip_angle").label
    hold = content().tests["side_bridge"].field("hold_s").label
    # Before: hip angle 12 left, 10 right; side bridge 45 s left, 47 s right.
    retest = _retest(
        owner,
        modified_thomas={"left": {"hip_angle": 10}, "right": {"hip_angle": 2}},
        side_bridge={"left": {"hold_s": 70}, "right": {"hold_s": 34}},
    )
    response = owner_client.get(_url(retest))
    assert response.status_code == 200
    html = response.content.decode()
    # 2 degrees less: inside the 4-degree error. 8 less: beyond it, and lower is better.
    assert _verdict(html, hip, "your left") == "unchanged"
    assert _verdict(html, hip, "your right") == "better"
    # 25 s longer: beyond the 13.5 s error. 13 s shorter: inside it.
    assert _verdict(html, hold, "your left") == "better"
    assert _verdict(html, hold, "your right") == "unchanged"
    assert "measuring error ±4.0 deg" in html
    # The deep hip flexor on the right no longer tests short: a better finding.
    iliopsoas = content().muscles["iliopsoas"].name
    assert _verdict(html, iliopsoas, "your right") == "better"
    assert _verdict(html, iliopsoas, "your left") == "unchanged"
    # The body map before and after, each its own labelled set of pictures.
    assert 'aria-labelledby="before-front-title' in html
    assert 'aria-labelledby="after-front-title' in html
    assert "style=" not in html


def test_a_worse_reading_beyond_the_error_is_worse(owner: User, owner_client: Client) -> None:
    hip = content().tests["modified_thomas"].field("hip_angle").label
    retest = _retest(owner, modified_thomas={"left": {"hip_angle": 20}})
    html = owner_client.get(_url(retest)).content.decode()
    assert _verdict(html, hip, "your left") == "worse"


def test_the_results_of_a_re_test_link_to_the_comparison(owner: User, owner_client: Client) -> None:
    retest = _retest(owner)
    html = owner_client.get(reverse("checkup:results", kwargs={"pk": retest.pk})).content
    assert _url(retest).encode() in html


def test_a_check_up_that_is_no_re_test_shows_its_results(owner: User, owner_client: Client) -> None:
    first = Assessment.objects.get(owner=owner)
    assert owner_client.get(_url(first))["Location"] == reverse(
        "checkup:results", kwargs={"pk": first.pk}
    )


def test_an_unfinished_re_test_is_not_compared(owner: User, owner_client: Client) -> None:
    retest = _retest(owner)
    Assessment.objects.filter(pk=retest.pk).update(completed_at=None)
    assert owner_client.get(_url(retest))["Location"] == reverse("checkup:start")


def test_an_emergency_standing_now_shows_only_where_to_go(
    owner: User, owner_client: Client
) -> None:
    retest = _retest(owner)
    post_check_in(owner_client, answers={"ces_saddle_numbness": "yes"})
    html = owner_client.get(_url(retest)).content.decode()
    assert "Each reading" not in html
    assert "<title>" in html and "Get medical help now" in html
    assert 'class="go-now" role="alert"' in html


def test_a_stranger_gets_404(owner: User, stranger_client: Client) -> None:
    retest = _retest(owner)
    assert stranger_client.get(_url(retest)).status_code == 404
    assert stranger_client.post(_url(retest)).status_code == 404


@pytest.mark.django_db
def test_an_unknown_id_is_404(owner_client: Client) -> None:
    assert (
        owner_client.get(reverse("checkup:compare", kwargs={"pk": uuid.uuid4()})).status_code == 404
    )


def test_anonymous_is_sent_to_log_in(owner: User) -> None:
    journey.assert_login_redirect(Client().get(_url(_retest(owner))))


def _row(html: str, label: str, side: str | None = None) -> str:
    """The whole table row of ``label`` (on ``side`` for a per-side test)."""
    side_part = rf' <span class="muted small">{side}</span>' if side else ""
    match = re.search(
        rf'<tr class="change-[a-z_]+"><th scope="row">{re.escape(label)}{side_part}</th>.*?</tr>',
        html,
        re.DOTALL,
    )
    assert match, f"no row for {label}, {side}"
    return match.group(0)


def test_a_reading_with_no_published_error_moved_but_is_never_called_better(
    owner: User, owner_client: Client
) -> None:
    said = content().engine.messages.retest
    angle = content().tests["straight_leg_raise"].field("angle").label
    assert content().tests["straight_leg_raise"].measurement_error is None
    # Before: 85 degrees left, 84 right.
    retest = _retest(owner, straight_leg_raise={"left": {"angle": 60}})
    html = owner_client.get(_url(retest)).content.decode()
    moved = _row(html, angle, "your left")
    assert _verdict(html, angle, "your left") == "moved_error_unknown"
    assert f">{said.verdicts['moved_error_unknown']}</span>" in moved
    assert escape(said.no_known_error) in moved
    assert "measuring error ±" not in moved
    same = _row(html, angle, "your right")
    assert _verdict(html, angle, "your right") == "unchanged"
    assert said.no_known_error not in same
    assert escape(said.how_judged) in html


def test_the_back_extensor_hold_is_judged_against_its_published_error(
    owner: User, owner_client: Client
) -> None:
    test = content().tests["biering_sorensen"]
    hold = test.field("hold_s").label
    previous = Assessment.objects.get(owner=owner)
    assert previous.tests["biering_sorensen"] == {"hold_s": 150}
    # 40 s longer: inside the 48.5 s error. Then 50 s longer: beyond it.
    retest = _retest(owner)
    for after, verdict in ((190, "unchanged"), (200, "better")):
        retest.tests["biering_sorensen"] = {"hold_s": after}
        retest.save(update_fields=["tests"])
        html = owner_client.get(_url(retest)).content.decode()
        # Other holds share the label: read the row inside this test's own section.
        section = html[html.index(f"<span>{escape(test.name)}</span>") :]
        row = _row(section, hold)
        assert f'class="change-{verdict}"' in row
        assert "measuring error ±48.5 s" in row


def _finding_row(html: str, muscle: str, side: str) -> str:
    """The row of a muscle group on one side in the findings table."""
    section = html[html.index('id="findings-title"') : html.index('id="readings-title"')]
    match = re.search(
        rf'<tr class="change-[a-z_]+"><th scope="row">{re.escape(muscle)} '
        rf'<span class="muted small">{side}</span>.*?</tr>',
        section,
        re.DOTALL,
    )
    assert match, f"no row for {muscle}, {side}"
    return match.group(0)


def test_a_result_that_flipped_inside_the_measuring_error_says_it_may_be_the_test(
    owner: User, owner_client: Client
) -> None:
    said = content().engine.messages.retest
    iliopsoas = content().muscles["iliopsoas"].name
    previous = Assessment.objects.get(owner=owner)
    # Before: the left thigh 5 degrees up, just past the cut-off (short); the right 10.
    previous.tests["modified_thomas"]["left"]["hip_angle"] = 5
    previous.save(update_fields=["tests"])
    # Now 3 degrees on the left (2 less: inside the 4-degree error) and 2 on the right
    # (8 less: beyond it). Both read normal now.
    retest = _retest(owner, modified_thomas={"left": {"hip_angle": 3}, "right": {"hip_angle": 2}})
    html = owner_client.get(_url(retest)).content.decode()
    left = _finding_row(html, iliopsoas, "your left")
    assert 'class="change-within_error"' in left
    assert f">{said.verdicts['within_error']}</span>" in left
    assert escape(said.finding_within_error) in left
    assert said.verdicts["better"] + "</span>" not in left
    right = _finding_row(html, iliopsoas, "your right")
    assert 'class="change-better"' in right
    assert escape(said.finding_within_error) not in right
    assert escape(said.finding_error_unknown) not in right
    assert "1 changed within the measuring error." in html


def test_a_result_that_flipped_on_a_test_with_no_published_error_says_none_is_known(
    owner: User, owner_client: Client
) -> None:
    said = content().engine.messages.retest
    assert content().tests["mcgill_flexor"].measurement_error is None
    muscle = content().muscles["rectus_abdominis"].name
    # Before: a 40 s front hold (weak). Now 90 s: normal, with no error to weigh it.
    retest = _retest(owner)
    retest.tests["mcgill_flexor"] = {"hold_s": 90}
    retest.save(update_fields=["tests"])
    html = owner_client.get(_url(retest)).content.decode()
    row = _finding_row(html, muscle, "both sides")
    assert 'class="change-better"' in row
    assert escape(said.finding_error_unknown) in row


def test_a_finding_gone_after_the_same_tests_reads_nothing_unusual_not_not_tested(
    owner: User, owner_client: Client
) -> None:
    muscle = content().muscles["quadratus_lumborum"].name
    previous = Assessment.objects.get(owner=owner)
    # Before: the right side bridge far shorter than the left, which is the only thing
    # that names the right quadratus lumborum. Now both sides hold alike.
    previous.tests["side_bridge"] = {"left": {"hold_s": 52}, "right": {"hold_s": 30}}
    previous.save(update_fields=["tests"])
    retest = _retest(owner, side_bridge={"left": {"hold_s": 52}, "right": {"hold_s": 52}})
    html = owner_client.get(_url(retest)).content.decode()
    row = _finding_row(html, muscle, "your right")
    assert 'class="change-better"' in row
    assert '<td data-label="Now">nothing unusual found</td>' in row
    assert "not tested" not in row

    # Skipped at the re-test: then it is not tested, and nothing is judged.
    del retest.tests["side_bridge"]
    retest.result = None  # the stored result is derived again from the changed inputs
    retest.save(update_fields=["tests", "result"])
    html = owner_client.get(_url(retest)).content.decode()
    row = _finding_row(html, muscle, "your right")
    assert 'class="change-not_judged"' in row
    assert '<td data-label="Now">not tested</td>' in row
