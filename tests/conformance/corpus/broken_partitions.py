"""Broken managers that mix up partitions and partition ranges (``IOM-PART-*``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tests.conformance.corpus.base import (
    DictManager,
    MissingValueError,
    StorageKey,
    allows_missing,
)


class SinglePartitionAsDict(DictManager):
    """Returns ``{key: value}`` for one partition instead of the bare value (Dagster #28942)."""

    breaks = "IOM-PART-004"

    def load_partitions(self, context: Any, partitions: Sequence[str]) -> Any:
        if len(partitions) == 1:
            return self.load_present(context, partitions)
        return super().load_partitions(context, partitions)


class RangeAsList(DictManager):
    """Returns a list of values for a range instead of a mapping keyed by partition."""

    breaks = "IOM-PART-005"

    def load_partitions(self, context: Any, partitions: Sequence[str]) -> Any:
        loaded = super().load_partitions(context, partitions)
        return list(loaded.values()) if len(partitions) > 1 else loaded


class OffByOneRangeEnd(DictManager):
    """Treats the range end as exclusive: the last partition is never loaded."""

    breaks = "IOM-PART-006"

    def load_partitions(self, context: Any, partitions: Sequence[str]) -> Any:
        if len(partitions) > 1:
            return self.load_present(context, partitions[:-1])
        return super().load_partitions(context, partitions)


class MisalignedWhenMissing(DictManager):
    """Collects present values in a list, then zips them with all keys (Dagster's async bug)."""

    breaks = "IOM-PART-008"

    def load_present(self, context: Any, partitions: Sequence[str]) -> dict[str, Any]:
        values = []
        for partition in partitions:
            try:
                values.append(self.get(self.asset_key(context, partition)))
            except MissingValueError:
                if not allows_missing(context):
                    raise
        return dict(zip(partitions, values, strict=False))


class SkipsMissingWhenNotAllowed(DictManager):
    """Ignores ``allow_missing_partitions``: always skips missing partitions silently."""

    breaks = "IOM-PART-007"

    def load_present(self, context: Any, partitions: Sequence[str]) -> dict[str, Any]:
        loaded = {}
        for partition in partitions:
            try:
                loaded[partition] = self.get(self.asset_key(context, partition))
            except MissingValueError:
                continue
        return loaded


class RaisesWhenAllowedMissing(DictManager):
    """Ignores ``allow_missing_partitions``: raises for a missing partition even when allowed."""

    breaks = "IOM-PART-008"

    def load_present(self, context: Any, partitions: Sequence[str]) -> dict[str, Any]:
        return {p: self.get(self.asset_key(context, p)) for p in partitions}


class NoneForMissingPartitions(DictManager):
    """Reports a missing partition as ``None`` instead of raising."""

    breaks = "IOM-PART-007"

    def load_present(self, context: Any, partitions: Sequence[str]) -> dict[str, Any]:
        loaded: dict[str, Any] = {}
        for partition in partitions:
            try:
                loaded[partition] = self.get(self.asset_key(context, partition))
            except MissingValueError:
                loaded[partition] = None
        return loaded


class CollapsesMultiPartitionOutput(DictManager):
    """Stores an output covering several partitions under its first partition only."""

    breaks = "IOM-PART-010"

    def output_partitions(self, context: Any) -> Sequence[str]:
        return list(context.asset_partition_keys)[:1]


class ReversedRangeOrder(DictManager):
    """Returns range mappings in reverse definition order."""

    breaks = "IOM-PART-015"

    def load_partitions(self, context: Any, partitions: Sequence[str]) -> Any:
        loaded = super().load_partitions(context, partitions)
        if len(partitions) > 1:
            return dict(reversed(list(loaded.items())))
        return loaded


class DropsNoneFromRange(DictManager):
    """Leaves partitions whose stored value is ``None`` out of range mappings (as Dagster does)."""

    breaks = "IOM-PART-017"

    def load_partitions(self, context: Any, partitions: Sequence[str]) -> Any:
        loaded = super().load_partitions(context, partitions)
        if len(partitions) > 1:
            return {k: v for k, v in loaded.items() if v is not None}
        return loaded


class FirstDimensionOnly(DictManager):
    """Keys a multi-partition by its first dimension only (``"x|y"`` is stored as ``"x"``)."""

    breaks = "IOM-PART-016"

    def asset_key(self, context: Any, partition: str | None) -> StorageKey:
        if partition is not None and "|" in partition:
            partition = partition.split("|", 1)[0]
        return super().asset_key(context, partition)


BROKEN_PARTITIONS: tuple[type, ...] = (
    SinglePartitionAsDict,
    RangeAsList,
    OffByOneRangeEnd,
    MisalignedWhenMissing,
    SkipsMissingWhenNotAllowed,
    RaisesWhenAllowedMissing,
    NoneForMissingPartitions,
    CollapsesMultiPartitionOutput,
    ReversedRangeOrder,
    DropsNoneFromRange,
    FirstDimensionOnly,
)
