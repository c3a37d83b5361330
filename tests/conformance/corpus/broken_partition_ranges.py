"""Broken table managers: range outputs and concatenated range loads (IOM-PART-018/019)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tests.conformance.corpus.base import MissingValueError
from tests.conformance.corpus.tables import Asset, RowTableManager, concat_rows


class RangeOutputFirstPartitionOnly(RowTableManager):
    """Stores a range output under its first partition only (the others keep old rows)."""

    breaks = "IOM-PART-018"

    def replace_partitions(
        self, asset: Asset, keys: Sequence[str], shares: Mapping[str, object]
    ) -> None:
        super().replace_partitions(asset, keys[:1], shares)


class RangeOutputReplacesWholeTable(RowTableManager):
    """Overwrites the whole table with a range output's rows: partitions outside the range are
    gone (``mode="overwrite"`` without a partition predicate)."""

    breaks = "IOM-PART-018"

    def replace_partitions(
        self, asset: Asset, keys: Sequence[str], shares: Mapping[str, object]
    ) -> None:
        if len(keys) > 1:
            self.tables.pop(asset, None)
        super().replace_partitions(asset, keys, shares)


class RangeLoadDropsLastPartition(RowTableManager):
    """Treats a range's end as exclusive: the last partition's rows are never loaded."""

    breaks = "IOM-PART-019"

    def load_range(self, context: Any, asset: Asset, keys: Sequence[str]) -> object:
        return super().load_range(context, asset, keys[:-1] if len(keys) > 1 else keys)


class RangeLoadRaisesWhenAllowedMissing(RowTableManager):
    """Ignores ``allow_missing_partitions``: a range with a missing partition always raises."""

    breaks = "IOM-PART-019"

    def load_range(self, context: Any, asset: Asset, keys: Sequence[str]) -> object:
        table = self.tables.get(asset, {})
        missing = [k for k in keys if k not in table]
        if missing:
            raise MissingValueError(f"partitions {missing} of {asset!r} were never stored")
        return concat_rows([table[k] for k in keys]) if keys else None


BROKEN_PARTITION_RANGES: tuple[type, ...] = (
    RangeOutputFirstPartitionOnly,
    RangeOutputReplacesWholeTable,
    RangeLoadDropsLastPartition,
    RangeLoadRaisesWhenAllowedMissing,
)
