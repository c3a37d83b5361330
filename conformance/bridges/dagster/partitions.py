"""Kit partition descriptions (:class:`~conformance.contexts.PartitionsSpec`) as Dagster objects.

Conversions are cached: equal specs share one Dagster definition, and equal (definition, range)
pairs share one immutable partitions subset, so building many contexts stays cheap.
"""

from __future__ import annotations

import datetime
import zoneinfo
from functools import lru_cache

import dagster as dg
from dagster._core.definitions.partitions.context import partition_loading_context
from dagster._core.definitions.partitions.subset import PartitionsSubset

from conformance.contexts import TIME_KINDS, PartitionsSpec

__all__ = [
    "dagster_key_range",
    "dagster_partitions_def",
    "dagster_partitions_subset",
    "effective_time",
]

_TIME_CLASSES: dict[str, type[dg.TimeWindowPartitionsDefinition]] = {
    "hourly": dg.HourlyPartitionsDefinition,
    "daily": dg.DailyPartitionsDefinition,
    "weekly": dg.WeeklyPartitionsDefinition,
    "monthly": dg.MonthlyPartitionsDefinition,
}


@lru_cache(maxsize=512)
def dagster_partitions_def(spec: PartitionsSpec) -> dg.PartitionsDefinition[str]:
    """The Dagster definition equivalent to ``spec`` (same keys, order, windows and timezone).

    Raises ``ValueError`` for an unknown kind; Dagster's own errors for invalid keys or dates.
    """
    if spec.kind == "static":
        return dg.StaticPartitionsDefinition(list(spec.keys))
    if spec.kind == "multi":
        dims = {name: dagster_partitions_def(dim) for name, dim in spec.dimensions}
        return dg.MultiPartitionsDefinition(dims)
    if spec.kind not in TIME_KINDS:
        raise ValueError(f"unknown partitions kind {spec.kind!r}; expected static, multi or "
                         f"one of {', '.join(TIME_KINDS)}")
    cls = _TIME_CLASSES[spec.kind]
    return cls(start_date=spec.start, end_date=spec.end, timezone=spec.timezone)  # type: ignore[call-arg]


def dagster_key_range(start: str, end: str) -> dg.PartitionKeyRange:
    """A Dagster ``PartitionKeyRange`` (inclusive on both ends, not validated)."""
    return dg.PartitionKeyRange(start, end)


def effective_time(spec: PartitionsSpec) -> datetime.datetime | None:
    """The latest ``end`` of ``spec``'s time dimensions (``None`` when it has none).

    Dagster cuts a time-window definition at the current time even when its ``end_date`` lies
    in the future; a spec's key set must not depend on the clock, so the bridge evaluates
    partitions "as of" this time (``dagster.partition_loading_context(effective_dt=...)``).
    """
    if spec.kind == "static":
        return None
    if spec.kind == "multi":
        ends = [t for _, dim in spec.dimensions if (t := effective_time(dim)) is not None]
        return max(ends, default=None)
    fmt = "%Y-%m-%d-%H:%M" if spec.kind == "hourly" else "%Y-%m-%d"
    naive = datetime.datetime.strptime(spec.end, fmt)
    return naive.replace(tzinfo=zoneinfo.ZoneInfo(spec.timezone))


@lru_cache(maxsize=4096)
def dagster_partitions_subset(spec: PartitionsSpec, start: str, end: str) -> PartitionsSubset:
    """The subset Dagster's ``build_*_context`` derives for a range over ``spec``.

    Same code path as the builders (``empty_subset().with_partition_key_range``), so Dagster's
    endpoint validation and its errors are kept; evaluated at :func:`effective_time`. The
    subset keeps its keys afterwards, whatever the clock. Failures are not cached.
    """
    defn = dagster_partitions_def(spec)
    at = effective_time(spec)
    with partition_loading_context(effective_dt=at, dynamic_partitions_store=None):
        return defn.empty_subset().with_partition_key_range(defn, dg.PartitionKeyRange(start, end))
