"""Self-test readings → findings per muscle group and side, each with its evidence.

How it works, in three steps:

1. Each test reading is checked for validity, then every rule of that test is applied.
   A rule that fires yields *evidence*: a status (or a sign) for a muscle on a side,
   with the readings, the rule and its sources. A rule that could run but did not fire
   yields "normal" evidence for the muscles it speaks about.
2. Cross-side rules (left against right within a test) and cross-test ratio rules add
   more evidence. A side difference counts only when it passes both the relative
   threshold and the test's measurement error.
3. Evidence is combined per muscle, side and aspect (length or strength) into one
   finding with a confidence: the reliability of the best test, one step up when two
   tests agree, one step down when another test disagrees, and "inconclusive" when
   the disagreement outweighs the agreement.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping

from msgspec.structs import replace

from backbalance.content.loader import Content
from backbalance.content.schema import (
    AgeSexBand,
    Effect,
    Figure,
    MatchRule,
    Operand,
    RatioRule,
    SelfTest,
    SexFigures,
    SideDifferenceRule,
    ThresholdRule,
)
from backbalance.content.vocabulary import NormSex
from backbalance.content.wording import fill
from backbalance.core.types import (
    CONFIDENCE_ORDER,
    Aspect,
    Case,
    Confidence,
    Evidence,
    Finding,
    Measure,
    Person,
    Reading,
    Reference,
    Side,
    SideResult,
    SignFinding,
    Status,
    Warning,
    other_side,
)
from backbalance.core.value import Value

ASPECT_OF: dict[str, Aspect] = {
    "tight": "length",
    "short": "length",
    "lax": "length",
    "weak": "strength",
}
SIDE_ORDER: dict[Side, int] = {"left": 0, "right": 1, "bilateral": 2}
_CONFIDENCE_BY_ORDER: dict[int, Confidence] = {v: k for k, v in CONFIDENCE_ORDER.items()}
NORM_SEXES: tuple[NormSex, ...] = ("female", "male")


class Assessment(Value, frozen=True):
    findings: tuple[Finding, ...]
    signs: tuple[SignFinding, ...]
    warnings: tuple[Warning, ...]
    # Every ratio and left-right difference worked out, flagged or not, with its references.
    measures: tuple[Measure, ...] = ()


class _Item(Value, frozen=True):
    """One piece of evidence before combination, keyed by what it is about."""

    muscle: str | None
    sign: str | None
    side: Side
    aspect: Aspect | None
    evidence: Evidence


def assess(
    case: Case, content: Content, not_offered: Mapping[str, str] | None = None
) -> Assessment:
    """Apply every test rule to the case's readings and combine the evidence.

    ``not_offered`` maps the id of each self-test the person is not offered now
    (core/gates.py) to the reason why. Its readings are left out completely, so no
    finding, sign, ratio or measure can rest on a test that was not safe to do.
    """
    not_offered = not_offered or {}
    items: list[_Item] = []
    warnings: list[Warning] = []
    measures: list[Measure] = []
    valid: dict[tuple[str, Side], Reading] = {}
    # Readings given but not usable (painful, not done, a failed validity check).
    unusable: set[tuple[str, Side]] = set()

    for test in content.tests.values():
        result = case.tests.get(test.id)
        if result is None:
            continue
        if test.id in not_offered:
            warnings.append(
                Warning(
                    code="test_not_offered",
                    message=fill(
                        content.engine.messages.assessment.test_not_offered,
                        test=test.name,
                        why=not_offered[test.id],
                    ),
                    about=test.id,
                )
            )
            continue
        readings: list[tuple[Side, SideResult | None]] = (
            [("left", result.left), ("right", result.right)]
            if test.per_side
            else [("bilateral", result.single)]
        )
        for side, reading in readings:
            if reading is None:
                continue
            usable = _reading_items(test, side, reading, case.person, content, items, warnings)
            if usable:
                valid[(test.id, side)] = reading.values
            else:
                unusable.add((test.id, side))
        if test.per_side:
            _side_difference_items(test, valid, items, content)
            measures.extend(_side_difference_measures(test, valid, unusable, content))

    for ratio in content.ratios:
        _ratio_items(ratio, valid, case.person, content, items, warnings)
        measure = _ratio_measure(ratio, valid, unusable, case.person, content)
        if measure is not None:
            measures.append(measure)

    findings = _combine_findings(items, content)
    signs = _combine_signs(items, content)
    warnings.extend(_clinician_notes(signs, content))
    return Assessment(
        findings=findings, signs=signs, warnings=tuple(warnings), measures=tuple(measures)
    )


# --------------------------------------------------------------------------- one reading


def _side_word(side: str, content: Content) -> str:
    """Left or right as a sentence says it (content wording)."""
    return content.engine.messages.side_words[side]


def _grade(test: SelfTest) -> Confidence:
    return test.reliability.grade


def _rule_grade(test: SelfTest, cap: Confidence | None) -> Confidence:
    """The test's reliability, lowered to the rule's own grade where the rule has one."""
    if cap is None:
        return _grade(test)
    return min(_grade(test), cap, key=CONFIDENCE_ORDER.__getitem__)


def _beyond_error(threshold: Figure, op: str, test: SelfTest) -> Figure:
    """The cut-off moved outwards by the test's measurement error (same unit, checked at load).

    A reading within the error of the cut-off cannot be told apart from it, so it is not a
    finding; the error's sources join the cut-off's.
    """
    error = test.measurement_error
    assert error is not None
    shift = error.value if op in ("gt", "ge") else -error.value
    sources = [*threshold.sources, *(s for s in error.sources if s not in threshold.sources)]
    return dataclasses.replace(threshold, value=threshold.value + shift, sources=sources)


def _confirmed(rule: ThresholdRule | MatchRule, values: Reading) -> bool:
    condition = rule.only_if
    if condition is None:
        return True
    value = values.get(condition.field)
    return any(value == wanted and type(value) is type(wanted) for wanted in condition.values)


def _reading_items(
    test: SelfTest,
    side: Side,
    reading: SideResult,
    person: Person,
    content: Content,
    items: list[_Item],
    warnings: list[Warning],
) -> bool:
    """Evidence from one reading; returns whether the reading is valid for further rules."""
    said = content.engine.messages.assessment
    where = (
        test.name
        if side == "bilateral"
        else fill(said.test_on_side, test=test.name, side=_side_word(side, content))
    )
    if reading.could_not_do is not None:
        if reading.could_not_do == "too_hard" and test.if_too_hard is not None:
            evidence = Evidence(
                test=test.id,
                rule="could_not_do",
                status=test.if_too_hard,
                readings={"could_not_do": "too_hard"},
                explain=said.could_not_do_points_to_weakness,
                grade=_grade(test),
                sources=tuple(test.sources),
            )
            for muscle in test.targets:
                items.extend(_muscle_items(muscle, side, test.if_too_hard, evidence, content))
        elif reading.could_not_do == "pain":
            _inconclusive(test, side, said.why_painful, items, content)
            warnings.append(
                Warning(
                    code="painful_test",
                    message=fill(said.painful_test, where=where),
                    about=test.id,
                )
            )
        else:
            # Too hard where that says nothing about the muscle (a length test), or not
            # done for another reason (no partner, no space): shown as not judged.
            too_hard = reading.could_not_do == "too_hard"
            why = said.why_could_not_be_done if too_hard else said.why_not_done
            _inconclusive(test, side, why, items, content)
        return False

    for check in test.validity:
        value = reading.values.get(check.field)
        if value is None and not test.field(check.field).required:
            continue  # an optional check that was not recorded cannot fail
        if not check.passes(value):
            _inconclusive(test, side, check.message, items, content)
            code = "tell_clinician" if check.tell_clinician else "invalid_test"
            warnings.append(Warning(code=code, message=f"{where}: {check.message}", about=test.id))
            return False

    # Which rules could run, and which fired, per muscle: a muscle is "normal" on this
    # reading only if at least one rule about it could run and none of them fired.
    evaluated: set[tuple[str, Aspect]] = set()
    fired: set[tuple[str, Aspect]] = set()
    for rule in test.rules:
        if isinstance(rule, SideDifferenceRule):
            continue
        value = reading.values.get(rule.field)
        if value is None:
            continue
        if isinstance(rule, ThresholdRule):
            if rule.by_age_and_sex is not None:
                threshold = _age_and_sex_norm(rule.by_age_and_sex, person)
                if threshold is None:
                    _not_judged_for_age_or_sex(test, side, rule, person, items, warnings, content)
                    continue
            else:
                threshold = _threshold_for(rule.threshold, rule.by_sex, person)
            if threshold is None:
                warnings.append(_no_norm_warning(test.name, rule.id, rule.by_sex, person, content))
                continue
            if rule.beyond_measurement_error:
                threshold = _beyond_error(threshold, rule.op, test)
            assert isinstance(value, int | float)
            hit = _compare(float(value), rule.op, threshold.value)
            sources = tuple(threshold.sources)
        else:
            hit = _matches(rule, value)
            sources = tuple(rule.sources)
        if rule.only_if is not None and not _confirmed(rule, reading.values):
            # A rough reading its confirming check did not back up: no finding either way.
            if hit:
                warnings.append(
                    Warning(
                        code="not_confirmed",
                        message=f"{where}: {rule.only_if.message}",
                        about=rule.id,
                    )
                )
            continue
        muscle_keys = {
            (e.muscle, ASPECT_OF[e.status]) for e in rule.effects if e.muscle and e.status
        }
        evaluated |= muscle_keys
        if not hit:
            continue
        fired |= muscle_keys
        field_side = _side_from_field(rule.side_field, reading.values, test)
        evidence_values = {rule.field: value}
        if rule.side_field:
            evidence_values[rule.side_field] = reading.values.get(rule.side_field, "")
        for effect in rule.effects:
            evidence = Evidence(
                test=test.id,
                rule=rule.id,
                status=effect.status,
                readings=dict(evidence_values),
                explain=rule.explain,
                grade=_rule_grade(test, rule.grade),
                sources=sources,
            )
            items.extend(_effect_items(effect, side, field_side, evidence, content))

    for muscle, aspect in sorted(evaluated - fired):
        evidence = Evidence(
            test=test.id,
            rule="no_rule_fired",
            status="normal",
            readings=dict(reading.values),
            explain=fill(content.engine.messages.assessment.nothing_unusual, test=test.name),
            grade=_grade(test),
            sources=tuple(test.sources),
        )
        items.extend(_muscle_items(muscle, side, "normal", evidence, content, aspect))
    return True


def _inconclusive(
    test: SelfTest, side: Side, why: str, items: list[_Item], content: Content
) -> None:
    evidence = Evidence(
        test=test.id,
        rule="not_judged",
        status="inconclusive",
        readings={},
        explain=fill(content.engine.messages.assessment.not_judged, why=why),
        grade="low",
        sources=tuple(test.sources),
    )
    aspects = sorted({ASPECT_OF[e.status] for r in test.rules for e in r.effects if e.status})
    for muscle in test.targets:
        for aspect in aspects:
            items.extend(_muscle_items(muscle, side, "inconclusive", evidence, content, aspect))


def _compare(value: float, op: str, threshold: float) -> bool:
    if op == "gt":
        return value > threshold
    if op == "ge":
        return value >= threshold
    if op == "lt":
        return value < threshold
    return value <= threshold


def _matches(rule: MatchRule, value: float | str | bool) -> bool:
    return any(value == wanted and type(value) is type(wanted) for wanted in rule.values)


def _threshold_for(
    threshold: Figure | None, by_sex: SexFigures | None, person: Person
) -> Figure | None:
    if threshold is not None:
        return threshold
    if by_sex is None or person.sex not in ("female", "male"):
        return None
    return by_sex.female if person.sex == "female" else by_sex.male


def _no_norm_warning(
    name: str, rule_id: str, by_sex: SexFigures | None, person: Person, content: Content
) -> Warning:
    said = content.engine.messages.assessment
    if person.sex in ("female", "male"):
        message = fill(said.no_norm_for_your_sex, test=name)
    else:
        message = fill(said.no_norm_sex_not_given, test=name)
    return Warning(code="no_norm", message=message, about=rule_id)


def _age_and_sex_norm(bands: list[AgeSexBand], person: Person) -> Figure | None:
    """The figure for the person's age band and sex; None when the table has none for them."""
    if person.sex not in ("female", "male"):
        return None
    for band in bands:
        if band.min_age <= person.age <= band.max_age:
            return band.female if person.sex == "female" else band.male
    return None


def _not_judged_for_age_or_sex(
    test: SelfTest,
    side: Side,
    rule: ThresholdRule,
    person: Person,
    items: list[_Item],
    warnings: list[Warning],
    content: Content,
) -> None:
    """A reading with no norm for this person is recorded as not judged, with a plain note.

    Norm tables by age and sex (the sit-and-reach) say nothing about people outside
    them, so the muscles the rule speaks about get inconclusive evidence rather than
    being silently left out or called normal.
    """
    said = content.engine.messages.assessment
    if person.sex not in ("female", "male"):
        why = said.norms_differ_by_sex
    else:
        spans = _age_spans(b for b in rule.by_age_and_sex or [] if getattr(b, person.sex))
        joiners = content.engine.messages.joiners
        covered = joiners.join(
            joiners.and_word, (fill(said.age_span, low=low, high=high) for low, high in spans)
        )
        why = (
            fill(said.norms_cover_other_ages, ages=covered, age=person.age)
            if covered
            else said.no_norms_for_your_sex
        )
    _inconclusive(test, side, why, items, content)
    warnings.append(
        Warning(
            code="no_norm",
            message=fill(said.not_judged_for_age_or_sex, test=test.name, why=why),
            about=rule.id,
        )
    )


def _age_spans(bands: Iterable[AgeSexBand]) -> list[tuple[int, int]]:
    """Age bands merged where they touch: 18-25, 26-35 and 36-45 read "18 to 45"."""
    spans: list[tuple[int, int]] = []
    for band in sorted(bands, key=lambda b: b.min_age):
        if spans and band.min_age == spans[-1][1] + 1:
            spans[-1] = (spans[-1][0], band.max_age)
        else:
            spans.append((band.min_age, band.max_age))
    return spans


def _side_from_field(field: str | None, values: Reading, test: SelfTest) -> Side | None:
    """The side named by a choice such as "left_higher"; None for "level" or no field."""
    if field is None:
        return None
    value = values.get(field)
    for choice in test.field(field).choices:
        if choice.id == value:
            return choice.names_side
    return None


def _effect_items(
    effect: Effect, tested: Side, field_side: Side | None, evidence: Evidence, content: Content
) -> Iterator[_Item]:
    if effect.side == "tested":
        side = tested
    elif effect.side == "opposite":
        side = other_side(tested)
    elif effect.side == "from_field":
        if field_side is None:
            return
        side = field_side
    else:
        side = "bilateral"
    if effect.muscle is not None and effect.status is not None:
        yield from _muscle_items(effect.muscle, side, effect.status, evidence, content)
    elif effect.sign is not None:
        sign = content.signs[effect.sign]
        if not sign.sided:
            yield _Item(None, effect.sign, "bilateral", None, evidence)
        elif side == "bilateral":
            yield _Item(None, effect.sign, "left", None, evidence)
            yield _Item(None, effect.sign, "right", None, evidence)
        else:
            yield _Item(None, effect.sign, side, None, evidence)


def _muscle_items(
    muscle: str,
    side: Side,
    status: Status,
    evidence: Evidence,
    content: Content,
    aspect: Aspect | None = None,
) -> Iterator[_Item]:
    """Midline muscles are judged as one; a sided muscle seen on both sides counts for each."""
    aspect = aspect or ASPECT_OF.get(status)
    if not content.muscles[muscle].sided:
        yield _Item(muscle, None, "bilateral", aspect, evidence)
    elif side == "bilateral":
        yield _Item(muscle, None, "left", aspect, evidence)
        yield _Item(muscle, None, "right", aspect, evidence)
    else:
        yield _Item(muscle, None, side, aspect, evidence)


# --------------------------------------------------------------------------- across sides


def _side_difference_items(
    test: SelfTest, valid: dict[tuple[str, Side], Reading], items: list[_Item], content: Content
) -> None:
    left, right = valid.get((test.id, "left")), valid.get((test.id, "right"))
    if left is None or right is None:
        return
    for rule in test.rules:
        if not isinstance(rule, SideDifferenceRule):
            continue
        error = test.measurement_error
        assert error is not None  # the schema requires it for side_difference rules
        lv, rv = left.get(rule.field), right.get(rule.field)
        if not isinstance(lv, int | float) or not isinstance(rv, int | float):
            continue
        relative_pct, counts = _side_gap(rule, error, float(lv), float(rv))
        if not counts:
            continue
        left_is_worse = (lv < rv) if rule.worse == "lower" else (lv > rv)
        worse: Side = "left" if left_is_worse else "right"
        evidence = Evidence(
            test=test.id,
            rule=rule.id,
            status=None,
            readings={
                f"left_{rule.field}": lv,
                f"right_{rule.field}": rv,
                "difference_pct": round(relative_pct, 1),
            },
            explain=rule.explain,
            grade=test.reliability.grade,
            sources=tuple([*rule.relative_threshold.sources, *error.sources]),
        )
        for effect in rule.effects:
            items.extend(
                _effect_items(effect, worse, None, _with_status(evidence, effect.status), content)
            )


def _with_status(evidence: Evidence, status: Status | None) -> Evidence:
    return replace(evidence, status=status)


def _side_gap(
    rule: SideDifferenceRule, error: Figure, left: float, right: float
) -> tuple[float, bool]:
    """The gap as a share of the bigger side (%), and whether it counts as real.

    It counts only beyond both the relative threshold and the test's measurement error.
    """
    difference = abs(left - right)
    biggest = max(abs(left), abs(right))
    if difference == 0 or biggest == 0:
        return 0.0, False
    relative_pct = 100.0 * difference / biggest
    beyond_error = relative_pct > error.value if error.unit == "%" else difference > error.value
    return relative_pct, relative_pct > rule.relative_threshold.value and beyond_error


def _side_difference_measures(
    test: SelfTest,
    valid: dict[tuple[str, Side], Reading],
    unusable: set[tuple[str, Side]],
    content: Content,
) -> Iterator[Measure]:
    """Each left-right difference with what counts as real, flagged or not.

    When one side did not count, the difference cannot be worked out; the measure says so,
    and the side that counts is still judged on its own by the test's other rules.
    """
    error = test.measurement_error
    said = content.engine.messages.assessment
    for rule in test.rules:
        if not isinstance(rule, SideDifferenceRule) or error is None:
            continue
        references = (
            Reference(
                "counts_as_different",
                rule.relative_threshold.value,
                rule.relative_threshold.unit,
                "gt",
                tuple(rule.relative_threshold.sources),
            ),
            Reference("measurement_error", error.value, error.unit, "gt", tuple(error.sources)),
        )
        measure_id = f"{test.id}.{rule.id}"
        name = fill(said.left_against_right, test=test.name)
        unit = test.field(rule.field).unit or ""
        values = {
            side: valid[(test.id, side)].get(rule.field)
            for side in ("left", "right")
            if (test.id, side) in valid
        }
        numbers = {side: v for side, v in values.items() if isinstance(v, int | float)}
        if len(numbers) == 2:
            lv, rv = float(numbers["left"]), float(numbers["right"])
            relative_pct, counts = _side_gap(rule, error, lv, rv)
            yield Measure(
                id=measure_id,
                name=name,
                value=round(relative_pct, 1),
                unit="%",
                readings={"left": lv, "right": rv},
                readings_unit=unit,
                references=references,
                flagged=counts,
            )
            continue
        not_counted = [side for side in ("left", "right") if (test.id, side) in unusable]
        if not numbers and not not_counted:
            continue
        if len(not_counted) == 2:
            why = said.neither_side_counted
        elif not_counted:
            why = fill(said.one_side_not_counted, side=_side_word(not_counted[0], content))
        else:
            why = said.only_one_side
        yield Measure(
            id=measure_id,
            name=name,
            value=None,
            unit="%",
            readings={side: float(v) for side, v in numbers.items()},
            readings_unit=unit,
            references=references,
            flagged=False,
            not_worked_out=why,
        )


# --------------------------------------------------------------------------- across tests


def _ratio_items(
    rule: RatioRule,
    valid: dict[tuple[str, Side], Reading],
    person: Person,
    content: Content,
    items: list[_Item],
    warnings: list[Warning],
) -> None:
    if not rule.effects:
        return  # shown only (see _ratio_measure), never judged
    top = valid.get((rule.numerator.test, rule.numerator.side or "bilateral"), {})
    bottom = valid.get((rule.denominator.test, rule.denominator.side or "bilateral"), {})
    numerator, denominator = top.get(rule.numerator.field), bottom.get(rule.denominator.field)
    if not isinstance(numerator, int | float) or not isinstance(denominator, int | float):
        return
    if denominator <= 0:
        return
    threshold = _threshold_for(rule.threshold, rule.by_sex, person)
    if threshold is None:
        warnings.append(_no_norm_warning(rule.id, rule.id, rule.by_sex, person, content))
        return
    ratio = float(numerator) / float(denominator)
    assert rule.op is not None  # the schema requires it for a judged ratio
    if not _compare(ratio, rule.op, threshold.value):
        return
    readings: dict[str, float | str | bool] = {
        "ratio": round(ratio, 2),
        "threshold": threshold.value,
    }
    reference = _threshold_for(None, rule.reference_by_sex, person)
    if reference is not None:
        readings["healthy_average_for_your_sex"] = reference.value
    tests = [content.tests[rule.numerator.test], content.tests[rule.denominator.test]]
    grade = min((t.reliability.grade for t in tests), key=CONFIDENCE_ORDER.__getitem__)
    for effect in rule.effects:
        evidence = Evidence(
            test=rule.numerator.test,
            divided_by=rule.denominator.test,
            rule=rule.id,
            status=effect.status,
            readings=readings,
            explain=rule.explain,
            grade=grade,
            sources=tuple(threshold.sources),
        )
        items.extend(
            _effect_items(effect, rule.numerator.side or "bilateral", None, evidence, content)
        )


def _operand_key(operand: Operand) -> tuple[str, Side]:
    return (operand.test, operand.side or "bilateral")


def _ratio_measure(
    rule: RatioRule,
    valid: dict[tuple[str, Side], Reading],
    unusable: set[tuple[str, Side]],
    person: Person,
    content: Content,
) -> Measure | None:
    """A McGill ratio with its target and healthy averages, flagged or not."""
    operands = (rule.numerator, rule.denominator)
    keys = [_operand_key(o) for o in operands]
    if not all(k in valid or k in unusable for k in keys):
        return None  # a test behind it was not done at all: nothing to show
    threshold = _threshold_for(rule.threshold, rule.by_sex, person)
    references: list[Reference] = []
    if threshold is not None:
        references.append(
            Reference("target", threshold.value, threshold.unit, rule.op, tuple(threshold.sources))
        )
    elif rule.target is not None:
        target = rule.target
        references.append(
            Reference("target", target.value, target.unit, None, tuple(target.sources))
        )
    if rule.reference_by_sex is not None:
        # The person's own norm, or both when the person's sex has no norm of its own.
        sexes = [sex for sex in NORM_SEXES if sex == person.sex] or list(NORM_SEXES)
        for sex in sexes:
            average: Figure | None = getattr(rule.reference_by_sex, sex)
            if average is not None:
                references.append(
                    Reference(
                        "healthy_average",
                        average.value,
                        average.unit,
                        None,
                        tuple(average.sources),
                        sex=sex,
                    )
                )
    joiners = content.engine.messages.joiners
    name = rule.name or joiners.join(
        joiners.compared_with, (content.tests[o.test].name for o in operands)
    )
    numbers = [valid.get(k, {}).get(o.field) for k, o in zip(keys, operands, strict=True)]
    readings = {
        part: float(v)
        for part, v in zip(("numerator", "denominator"), numbers, strict=True)
        if isinstance(v, int | float)
    }
    unit = content.tests[rule.numerator.test].field(rule.numerator.field).unit or ""
    top, bottom = numbers
    if not isinstance(top, int | float) or not isinstance(bottom, int | float) or bottom <= 0:
        missing = [content.tests[k[0]].name for k in keys if k in unusable]
        said = content.engine.messages.assessment
        why = (
            fill(said.ratio_reading_not_counted, tests=joiners.join(joiners.and_the, missing))
            if missing
            else said.ratio_reading_missing
        )
        return Measure(
            id=rule.id,
            name=name,
            value=None,
            unit="ratio",
            readings=readings,
            readings_unit=unit,
            references=tuple(references),
            flagged=False,
            not_worked_out=why,
        )
    ratio = float(top) / float(bottom)
    flagged = (
        threshold is not None and rule.op is not None and _compare(ratio, rule.op, threshold.value)
    )
    return Measure(
        id=rule.id,
        name=name,
        value=round(ratio, 2),
        unit="ratio",
        readings=readings,
        readings_unit=unit,
        references=tuple(references),
        flagged=flagged,
    )


# --------------------------------------------------------------------------- combining


def _step(confidence: Confidence, steps: int) -> Confidence:
    order = max(0, min(2, CONFIDENCE_ORDER[confidence] + steps))
    return _CONFIDENCE_BY_ORDER[order]


def _best(evidence: list[Evidence]) -> Confidence:
    return max((e.grade for e in evidence), key=CONFIDENCE_ORDER.__getitem__)


def _vote_key(evidence: Evidence) -> str:
    """Which reading a piece of evidence rests on, so one reading is counted once.

    A ratio (mcgill_flexor divided by biering_sorensen) rests on the reading it divides
    by, which other ratios and the test itself share; counting each ratio as its own test
    would let one extensor hold outvote itself.
    """
    return evidence.divided_by or evidence.test


def _per_test(evidence: list[Evidence]) -> dict[str, Evidence]:
    """One vote per reading: a test that fired two rules about one muscle counts once."""
    votes: dict[str, Evidence] = {}
    for e in evidence:
        key = _vote_key(e)
        if key not in votes or CONFIDENCE_ORDER[e.grade] > CONFIDENCE_ORDER[votes[key].grade]:
            votes[key] = e
    return votes


def _combine_findings(items: list[_Item], content: Content) -> tuple[Finding, ...]:
    weight = content.engine.evidence_weight.weight
    groups: dict[tuple[str, Side, Aspect], list[Evidence]] = defaultdict(list)
    for item in items:
        if item.muscle is not None and item.aspect is not None:
            groups[(item.muscle, item.side, item.aspect)].append(item.evidence)

    muscle_order = {muscle_id: n for n, muscle_id in enumerate(content.muscles)}
    findings: list[Finding] = []
    for (muscle, side, aspect), evidence in sorted(
        groups.items(), key=lambda kv: (muscle_order[kv[0][0]], SIDE_ORDER[kv[0][1]], kv[0][2])
    ):
        findings.append(_combine_one(muscle, side, aspect, evidence, weight, content))
    return tuple(findings)


def _combine_one(
    muscle: str,
    side: Side,
    aspect: Aspect,
    evidence: list[Evidence],
    weight: dict[Confidence, float],
    content: Content,
) -> Finding:
    abnormal = _per_test([e for e in evidence if e.status not in ("normal", "inconclusive")])
    normal = _per_test([e for e in evidence if e.status == "normal"])
    # A test counted as abnormal is not also counted as normal (e.g. two rules, one fired).
    for test in abnormal:
        normal.pop(test, None)
    names = {t.id: t.name for t in content.tests.values()}
    said = content.engine.messages.assessment
    steps = content.engine.confidence_steps
    joiners = content.engine.messages.joiners

    def named(evidence: Evidence) -> str:
        parts = [names.get(test, test) for test in evidence.tests()]
        return parts[0] if len(parts) == 1 else joiners.join(joiners.compared_with, parts)

    def listed(votes: dict[str, Evidence]) -> str:
        return ", ".join(named(e) for e in votes.values())

    ordered = tuple(sorted(evidence, key=lambda e: (e.status == "normal", e.test, e.rule)))

    def inconclusive(why: str) -> Finding:
        return Finding(muscle, side, aspect, "inconclusive", "low", why, ordered)

    if abnormal:
        statuses = {e.status for e in abnormal.values() if e.status is not None}
        if "lax" in statuses and statuses & {"short", "tight"}:
            return inconclusive(fill(said.tests_disagree_short_and_loose, tests=listed(abnormal)))
        status: Status = "short" if "short" in statuses else next(iter(sorted(statuses)))
        confidence = _best(list(abnormal.values()))
        why = [fill(said.found_by, tests=listed(abnormal))]
        if len(abnormal) >= 2:
            confidence = _step(confidence, +steps.tests_agree)
            why.append(said.tests_agree)
        against = sum(weight[e.grade] for e in normal.values())
        support = sum(weight[e.grade] for e in abnormal.values())
        if normal and against > support:
            return inconclusive(
                fill(
                    said.tests_disagree_outweighed, found=listed(abnormal), not_found=listed(normal)
                )
            )
        if normal:
            confidence = _step(confidence, -steps.test_disagrees)
            why.append(fill(said.test_disagrees, tests=listed(normal)))
        return Finding(muscle, side, aspect, status, confidence, " ".join(why), ordered)

    if normal:
        confidence = _best(list(normal.values()))
        if len(normal) >= 2:
            confidence = _step(confidence, +steps.tests_agree)
        checked = said.checked_length if aspect == "length" else said.checked_strength
        return Finding(
            muscle,
            side,
            aspect,
            "normal",
            confidence,
            fill(said.looked_normal, checked=checked, tests=listed(normal)),
            ordered,
        )
    return inconclusive("; ".join(sorted({e.explain for e in evidence})))


def _combine_signs(items: list[_Item], content: Content) -> tuple[SignFinding, ...]:
    groups: dict[tuple[str, Side], list[Evidence]] = defaultdict(list)
    for item in items:
        if item.sign is not None:
            groups[(item.sign, item.side)].append(item.evidence)
    sign_order = {sign_id: n for n, sign_id in enumerate(content.signs)}
    signs: list[SignFinding] = []
    for (sign, side), evidence in sorted(
        groups.items(), key=lambda kv: (sign_order[kv[0][0]], SIDE_ORDER[kv[0][1]])
    ):
        votes = _per_test(evidence)
        confidence = _best(list(votes.values()))
        if len(votes) >= 2:
            confidence = _step(confidence, +content.engine.confidence_steps.tests_agree)
        signs.append(SignFinding(sign, side, confidence, tuple(evidence)))
    return tuple(signs)


def _clinician_notes(signs: tuple[SignFinding, ...], content: Content) -> Iterator[Warning]:
    for found in signs:
        sign = content.signs[found.sign]
        if sign.tell_clinician:
            said = content.engine.messages.assessment
            message = (
                fill(said.tell_clinician, sign=sign.name, meaning=sign.meaning)
                if found.side == "bilateral"
                else fill(
                    said.tell_clinician_on_side,
                    sign=sign.name,
                    side=_side_word(found.side, content),
                    meaning=sign.meaning,
                )
            )
            yield Warning(
                code="tell_clinician",
                message=message,
                about=sign.id,
            )
