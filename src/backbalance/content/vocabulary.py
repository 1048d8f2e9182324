"""The words every layer shares, each defined once: the content files are written in them,
the core computes with them, and the adapters show them.

They live here, at the bottom layer, because the content models need them first; the core
re-exports them from ``backbalance.core.types`` and adapters get them from
``backbalance.core.api``.
"""

from __future__ import annotations

from typing import Literal

# A side of the body. "bilateral" is both sides alike (or the only reading of a test that
# is not done per side).
Side = Literal["left", "right", "bilateral"]
# One side only: where a reading, a choice or an operand names a side.
OneSide = Literal["left", "right"]
# The sex a person gives. Norm tables have figures for some sexes only (NormSex); "other"
# and "not_stated" are judged without a sex-specific norm.
Sex = Literal["female", "male", "other", "not_stated"]
NormSex = Literal["female", "male"]
# An answer to a safety question.
Answer = Literal["yes", "no", "unsure"]
# How urgent the safety screen is; a triage rule raises one of the levels above "none".
Level = Literal["emergency", "urgent", "routine", "none"]
FlagLevel = Literal["emergency", "urgent", "routine"]
# What a finding says about a muscle group; the first four are the abnormal ones.
Status = Literal["tight", "short", "weak", "lax", "normal", "inconclusive"]
AbnormalStatus = Literal["tight", "short", "weak", "lax"]
# How far a test, a rule or a finding can be trusted. A test's reliability grade and a
# finding's confidence use the same three words on purpose: one caps the other.
Confidence = Literal["low", "moderate", "high"]
# How easily the pain is stirred up.
Irritability = Literal["low", "moderate", "high"]
# How a re-test reading or finding compares with the check-up before (core/retest.py).
# "better"/"worse": moved beyond the test's measurement error, in a known direction;
# "changed": beyond the error with no known better way, or a choice that changed;
# "moved_error_unknown": a number that moved on a test with no measurement error in the
# content, so nobody can say whether it moved more than a repeat does by itself;
# "within_error": a finding whose status flipped though no reading behind it moved beyond
# its test's measurement error that way, so a repeat of the test could give it by itself;
# "not_judged": a reading or a finding missing one of the times, or inconclusive.
ChangeVerdict = Literal[
    "better",
    "unchanged",
    "worse",
    "changed",
    "moved_error_unknown",
    "within_error",
    "not_judged",
]
