"""The checks, one module per spec area; importing this package registers them all."""

# Imported to register their checks (`x as x`: kept as the package's attributes).
from conformance.checks import concurrency as concurrency
from conformance.checks import consistency as consistency
from conformance.checks import contexts as contexts
from conformance.checks import cross_run as cross_run
from conformance.checks import definitions as definitions
from conformance.checks import identifiers as identifiers
from conformance.checks import key_domains as key_domains
from conformance.checks import metadata as metadata
from conformance.checks import partition_contexts as partition_contexts
from conformance.checks import partition_edges as partition_edges
from conformance.checks import partition_ranges as partition_ranges
from conformance.checks import partitions as partitions
from conformance.checks import rematerialise as rematerialise
from conformance.checks import security as security
from conformance.checks import stateful as stateful
from conformance.checks import storage as storage
from conformance.checks import twins as twins
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
