"""The checks, one module per spec area; importing this package registers them all."""

from conformance.checks import (  # noqa: F401 - imported to register their checks
    contexts,
    cross_run,
    definitions,
    identifiers,
    key_domains,
    metadata,
    partition_contexts,
    partition_ranges,
    partitions,
    security,
    stateful,
    storage,
)
from conformance.checks.base import (
    CHECKS,
    Check,
    CheckEnv,
    Harness,
    NotApplicable,
    RequirementViolation,
    check,
)

__all__ = [
    "CHECKS",
    "Check",
    "CheckEnv",
    "Harness",
    "NotApplicable",
    "RequirementViolation",
    "check",
]
