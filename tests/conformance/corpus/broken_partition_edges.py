"""Broken managers for reported partition edge cases (IOM-PART-021, IOM-PART-022, IOM-ID-012,
IOM-SEC-001)."""

from __future__ import annotations

import datetime
import hashlib
import os
import pickle
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tests.conformance.corpus.base import (
    DictManager,
    MissingValueError,
    PickleDirManager,
    StorageKey,
    allows_missing,
    write_atomically,
)


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


class TimeWindowByStartDate(DictManager):
    """Places a time partition by the date its window starts, read from the output context's
    ``asset_partitions_time_window`` (as table managers derive a partition predicate from the
    window, dagster#15051), so the hourly partitions of one day share one value."""

    breaks = "IOM-ID-012"

    def handle_output(self, context: Any, obj: Any) -> None:
        if (context.has_asset_partitions and _is_time_partitioned(context)
                and len(list(context.asset_partition_keys)) == 1):
            window = context.asset_partitions_time_window
            self.put(("asset", tuple(context.asset_key.path), window.start.date()), obj)
            return
        super().handle_output(context, obj)

    def asset_key(self, context: Any, partition: str | None) -> StorageKey:
        if partition is not None and _is_time_partitioned(context):
            window = context.asset_partitions_def.time_window_for_partition_key(partition)
            return ("asset", tuple(context.asset_key.path), window.start.date())
        return super().asset_key(context, partition)


def _is_time_partitioned(context: Any) -> bool:
    return callable(getattr(context.asset_partitions_def, "time_window_for_partition_key", None))


class AbsolutePartitionKeyEscapes(PickleDirManager):
    """Joins the partition key into the file path unchecked, so an absolute-path key names a
    file outside the root (dagster#16064: the user's input file was overwritten).

    Safety guard for the test machine: the kit hands out absolute keys inside its sandbox
    (``<sandbox>/absolute/...``); a path outside the sandbox is refused, never written."""

    breaks = "IOM-SEC-001"

    def path_for(self, key: StorageKey) -> Path:
        kind, components, *partition = key
        folder = self.root / hashlib.sha256(repr((kind, components)).encode()).hexdigest()
        if not partition or partition[0] is None:
            return folder / "value.pkl"
        joined = Path(os.path.normpath(os.path.join(folder, str(partition[0]))))
        layout = len(self.root.parents) >= 5 and self.root.parents[3].name == "l1"
        sandbox = self.root.parents[4] if layout else self.root  # <sandbox>/l1/l2/l3/l4/root
        if not joined.is_relative_to(sandbox):
            raise PermissionError(f"corpus safety guard: refusing to write {joined}")
        return joined

    def put(self, key: StorageKey, obj: Any) -> None:
        data = pickle.dumps(obj)
        path = self.path_for(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, data)


BROKEN_PARTITION_EDGES: tuple[type, ...] = (
    AllowedMissingSingleAsMapping,
    RangeKeyedByDate,
    PartitionFallsBackToUnpartitioned,
    TimeWindowByStartDate,
    AbsolutePartitionKeyEscapes,
)
