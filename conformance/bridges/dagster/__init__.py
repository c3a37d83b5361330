"""Real Dagster contexts for the conformance kit (``check_io_manager(..., contexts="dagster")``).

Importing this package imports ``dagster``; install the extra with
``pip install 'iomanager-spec[dagster]'``.
"""

from __future__ import annotations

from conformance.bridges.dagster.factory import DagsterContextFactory
from conformance.bridges.dagster.partitions import (
    dagster_key_range,
    dagster_partitions_def,
    dagster_partitions_subset,
)

__all__ = [
    "DagsterContextFactory",
    "dagster_key_range",
    "dagster_partitions_def",
    "dagster_partitions_subset",
]
