"""The conformance kit: check an IO manager against the spec (``check_io_manager``).

Public names are loaded lazily so that importing one submodule (e.g. ``conformance.report``)
stays cheap and free of import cycles.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what the lazy names are, for type checkers
    from conformance.api import check_io_manager
    from conformance.checks.base import RequirementViolation
    from conformance.contexts import (
        ContextFactory,
        InputSpec,
        OutputSpec,
        PartitionsSpec,
        ReferenceContextFactory,
    )
    from conformance.parametrize import parametrize_with_checks
    from conformance.report import Report, RequirementResult, Status
    from conformance.shares import PartitionShares
    from conformance.subject import Capabilities, Subject, SubjectError

__all__ = [
    "Capabilities",
    "ContextFactory",
    "InputSpec",
    "OutputSpec",
    "PartitionShares",
    "PartitionsSpec",
    "ReferenceContextFactory",
    "Report",
    "RequirementResult",
    "RequirementViolation",
    "Status",
    "Subject",
    "SubjectError",
    "check_io_manager",
    "parametrize_with_checks",
]

_WHERE = {
    "Capabilities": "conformance.subject",
    "Subject": "conformance.subject",
    "SubjectError": "conformance.subject",
    "ContextFactory": "conformance.contexts",
    "InputSpec": "conformance.contexts",
    "OutputSpec": "conformance.contexts",
    "PartitionsSpec": "conformance.contexts",
    "PartitionShares": "conformance.shares",
    "ReferenceContextFactory": "conformance.contexts",
    "Report": "conformance.report",
    "RequirementResult": "conformance.report",
    "Status": "conformance.report",
    "RequirementViolation": "conformance.checks.base",
    "check_io_manager": "conformance.api",
    "parametrize_with_checks": "conformance.parametrize",
}


def __getattr__(name: str) -> Any:
    """Import public names on first use."""
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'conformance' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
