"""Broken managers for reported partition edge cases (IOM-PART-021, IOM-PART-022, IOM-ID-012)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from tests.conformance.corpus.base import DictManager, MissingValueError, allows_missing


class AllowedMissingSingleAsMapping(DictManager):
    """Under ``allow_missing_partitions`` a one-partition load returns ``{key: value}`` (or
    ``{}`` when missing), as Dagster 1.13's async UPath loading does (dagster#28942)."""

    breaks = "IOM-PART-021"

    def load_partitions(self, context: Any, partitions: Sequence[str]) -> Any:
        if len(partitions) == 1 and allows_missing(context):
            return self.load_present(context, partitions)
        return super().load_partitions(context, partitions)


def _as_date(key: str) -> object:
    try:
        return datetime.date.fromisoformat(key)
    except ValueError:
        return key


class RangeKeyedByDate(DictManager):
    """Keys a range mapping by the partition column's type: a key that parses as a date
    becomes a ``datetime.date`` (it prints the same, but ``loaded["2024-01-01"]`` misses)."""

    breaks = "IOM-PART-022"

    def load_partitions(self, context: Any, partitions: Sequence[str]) -> Any:
        loaded = super().load_partitions(context, partitions)
        if len(partitions) > 1 and isinstance(loaded, dict):
            return {_as_date(str(k)): v for k, v in loaded.items()}
        return loaded


class PartitionFallsBackToUnpartitioned(DictManager):
    """Reads a never-stored partition from the asset's unpartitioned value when there is one
    (a "legacy layout" fallback for assets that became partitioned, dagster#19613)."""

    breaks = "IOM-ID-012"

    def load_present(self, context: Any, partitions: Sequence[str]) -> dict[str, Any]:
        loaded: dict[str, Any] = {}
        for partition in partitions:
            try:
                loaded[partition] = self.get(self.asset_key(context, partition))
            except MissingValueError:
                try:
                    loaded[partition] = self.get(self.asset_key(context, None))
                except MissingValueError:
                    if not allows_missing(context):
                        raise
        return loaded


BROKEN_PARTITION_EDGES: tuple[type, ...] = (
    AllowedMissingSingleAsMapping,
    RangeKeyedByDate,
    PartitionFallsBackToUnpartitioned,
)
