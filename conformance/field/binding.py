"""The asset body of a partitioned table: fill the partition column, check it on the way back.

A database-style manager (``DbIOManager``: DuckDB, Delta Lake, ...) keeps every partition of an
asset in one table and selects a partition by the column its ``partition_expr`` definition
metadata names. The asset that produces partition ``p`` is responsible for putting ``p`` in that
column; a downstream asset can rely on every row it loads for ``p`` carrying ``p``.
:class:`PartitionColumnBinding` models exactly those two sides around the manager under test:

* ``handle_output`` of one partition: the frame's partition column is filled with the partition
  key (static) or the start of the partition's time window (time, naive wall-clock time of the
  definition's timezone), as the asset body would, then handed to the manager;
* ``load_input``: every loaded row's partition column must belong to the requested partitions
  (an ``AssertionError`` otherwise: a wrong row is a failed load), then the column is set back
  to the unbound placeholder, so the loaded frame compares equal to the frame drawn.

* ``handle_output`` of a range (an output covering several partitions, IOM-PART-018): the kit
  hands a :class:`~conformance.shares.PartitionShares` (partition key -> frame); the binding
  stamps each share's partition column with its own partition, concatenates the shares into
  one frame, and hands that to the manager, as an asset body materializing the range in one
  run would return it.

Nothing else is changed: a non-frame value, an unpartitioned context, and a range output whose
value is not a ``PartitionShares`` of frames with exactly the range's keys pass through
untouched.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from typing_extensions import TypeIs

from conformance.shares import PartitionShares
from conformance.strategies.dataframes import (
    PartitionKind,
    concat_frames,
    fill_partition_column,
    placeholder,
)
from reference_impl.narrowing import is_mapping

__all__ = ["PartitionColumnBinding"]


def _is_frame(value: object) -> bool:
    module = type(value).__module__.split(".")[0]
    return module in ("pandas", "polars") and type(value).__name__ == "DataFrame"


def _column_values(frame: Any, column: str) -> list[object]:
    if type(frame).__module__.startswith("polars"):
        return list(frame.get_column(column).to_list())
    return list(frame[column].tolist())


def _naive(moment: datetime.datetime) -> datetime.datetime:
    return moment.replace(tzinfo=None)


def _as_datetime(value: object) -> datetime.datetime | None:
    to_pydatetime = getattr(value, "to_pydatetime", None)
    if callable(to_pydatetime):
        value = to_pydatetime()
    return _naive(value) if isinstance(value, datetime.datetime) else None


def _is_shares(value: object) -> TypeIs[PartitionShares[object]]:
    """``isinstance(value, PartitionShares)``, with the share type spelled out."""
    return isinstance(value, PartitionShares)


class PartitionColumnBinding:
    """Wraps ``manager``; ``columns`` maps a partition kind to the column ``partition_expr``
    names for definitions of that kind (e.g. ``{"static": "color", "time": "ts"}``)."""

    def __init__(self, manager: Any, columns: Mapping[PartitionKind, str]) -> None:
        self.manager = manager
        self.columns = dict(columns)

    def __repr__(self) -> str:
        return f"PartitionColumnBinding({self.manager!r}, {self.columns!r})"

    # ------------------------------------------------------------------ partition facts

    @staticmethod
    def _kind(context: Any) -> PartitionKind | None:
        if not getattr(context, "has_asset_partitions", False):
            return None
        try:
            context.asset_partitions_time_window  # noqa: B018 - raises for non-time partitions
        except Exception:
            return "static"
        return "time"

    def handle_output(self, context: Any, obj: object) -> None:
        """Fill the partition column of a one-partition output, or stamp and concatenate the
        shares of a range output, then store."""
        kind = self._kind(context)
        column = self.columns.get(kind) if kind is not None else None
        if column is not None and kind is not None:
            keys = [str(k) for k in context.asset_partition_keys]
            if _is_frame(obj) and len(keys) == 1:
                obj = fill_partition_column(obj, column, self._bound(context, kind, keys[0]))
            elif (
                _is_shares(obj)
                and len(keys) > 1
                and set(obj) == set(keys)
                and all(_is_frame(share) for share in obj.values())
            ):
                obj = concat_frames(
                    [
                        fill_partition_column(share, column, self._bound(context, kind, key))
                        for key, share in obj.items()
                    ]
                )
        self.manager.handle_output(context, obj)

    @staticmethod
    def _bound(context: Any, kind: PartitionKind, key: str) -> object:
        """What the partition column holds for partition ``key``: the key itself (static) or
        the start of its time window (naive wall-clock time of the definition's timezone)."""
        if kind == "static":
            return key
        if len(context.asset_partition_keys) == 1:
            return _naive(context.asset_partitions_time_window.start)
        window = context.asset_partitions_def.time_window_for_partition_key(key)
        return _naive(window.start)

    def load_input(self, context: Any) -> object:
        """Load, check every row's partition column, and unbind it."""
        loaded = self.manager.load_input(context)
        kind = self._kind(context)
        column = self.columns.get(kind) if kind is not None else None
        if column is None or kind is None:
            return loaded
        if is_mapping(loaded):
            return {k: self._unbind(context, kind, column, v, [str(k)]) for k, v in loaded.items()}
        return self._unbind(
            context, kind, column, loaded, [str(k) for k in context.asset_partition_keys]
        )

    def _unbind(
        self, context: Any, kind: PartitionKind, column: str, frame: object, keys: list[str]
    ) -> object:
        if not _is_frame(frame) or column not in getattr(frame, "columns", ()):
            return frame
        found = _column_values(frame, column)
        if kind == "static":
            stray = sorted({str(v) for v in found} - set(keys))
        else:
            window = context.asset_partitions_time_window
            start, end = _naive(window.start), _naive(window.end)
            moments = [_as_datetime(v) for v in found]
            stray = sorted({repr(v) for v in moments if v is None or not start <= v < end})
        if stray:
            raise AssertionError(
                f"loaded rows whose partition column {column!r} holds {stray}, outside the "
                f"requested partitions {keys}"
            )
        return fill_partition_column(frame, column, placeholder(kind))
