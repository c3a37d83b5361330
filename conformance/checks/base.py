"""The names every check shares, re-exported from the modules that own them.

Registration and the check signals live in :mod:`conformance.checks.registry`, rejections in
:mod:`conformance.checks.rejections`, identity helpers in :mod:`conformance.checks.identity`,
the per-example harness in :mod:`conformance.checks.harness` and the environment a check runs
against in :mod:`conformance.checks.environment`. Checks import from here.
"""

from __future__ import annotations

from conformance.checks.environment import CheckEnv, outputs_for
from conformance.checks.harness import Harness, input_spec_for_output
from conformance.checks.identity import (
    Identity,
    Partitioning,
    StoredEntry,
    component_sequence,
    directory_kinds,
    identity_of,
    kinds_clash,
    partitioning_of,
    structurally_related,
)
from conformance.checks.registry import (
    CHECKS,
    HARNESS_REPORTS,
    Check,
    NotApplicable,
    RequirementViolation,
    Target,
    check,
)
from conformance.checks.rejections import clear_rejection_problem, is_plain_spec

__all__ = [
    "CHECKS",
    "HARNESS_REPORTS",
    "Check",
    "CheckEnv",
    "Harness",
    "Identity",
    "NotApplicable",
    "Partitioning",
    "RequirementViolation",
    "StoredEntry",
    "Target",
    "check",
    "clear_rejection_problem",
    "component_sequence",
    "directory_kinds",
    "identity_of",
    "input_spec_for_output",
    "is_plain_spec",
    "kinds_clash",
    "outputs_for",
    "partitioning_of",
    "structurally_related",
]
