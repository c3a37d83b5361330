"""A correct table-like manager: range outputs, concatenated range loads, pinned partitioning.

:class:`RowTableManager` models what Dagster's ``DbIOManager`` does (IOM-PART-018/019,
IOM-STORE-009), on values that are tables: lists of rows. Every partition of an asset lives in
one table; an output covering several partitions (a ``PartitionShares``) replaces exactly those
partitions' rows; a range loads as one table of the rows of its partitions; a table keeps the
partitioning it was created with and refuses, typed and without touching it, a partition of
another partitioning. The broken managers of ``broken_partition_ranges`` each override one
method of it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from hypothesis import strategies as st

from conformance.subject import Capabilities, Subject
from tests.conformance.corpus.base import MissingValueError, allows_missing

__all__ = [
    "PartitioningChangedError",
    "RowTableManager",
    "concat_rows",
    "row_tables",
    "rows_equal",
]

Asset = tuple[str, ...]


class PartitioningChangedError(ValueError):
    """A partition's partitioning differs from the one its asset's table was created with."""


def row_tables() -> st.SearchStrategy[object]:
    """Tables as lists of ``(int, str)`` rows, duplicates allowed."""
    row = st.tuples(st.integers(-3, 3), st.text("ab", max_size=2))
    return st.lists(row, max_size=3)


def rows_equal(left: object, right: object) -> bool:
    """Both lists holding the same rows as a multiset (a table has no row order; ``repr`` keeps
    ``1`` and ``True`` apart); anything else compares with ``==`` and its type."""
    if isinstance(left, list) and isinstance(right, list):
        return Counter(map(repr, left)) == Counter(map(repr, right))
    return type(left) is type(right) and bool(left == right)


def concat_rows(values: Sequence[object]) -> object:
    """One table holding the rows of every table in ``values``."""
    rows: list[object] = []
    for value in values:
        if not isinstance(value, list):
            raise TypeError(f"not a table (list of rows): {value!r}")
        rows.extend(value)
    return rows


def _family(context: Any) -> tuple[str, object]:
    name = type(context.asset_partitions_def).__name__
    family = "static" if "Static" in name else "multi" if "Multi" in name else "time window"
    return family, context.definition_metadata.get("partition_expr")


class RowTableManager:
    """Partitions of an asset in one table (partition -> rows); other outputs in a dict."""

    def __init__(self) -> None:
        self.tables: dict[Asset, dict[str, object]] = {}
        self.partitioning: dict[Asset, tuple[str, object]] = {}
        self.values: dict[tuple[object, ...], object] = {}

    @classmethod
    def subject(cls) -> Subject:
        """The subject the kit checks: values are tables, a range loads as one table."""
        return Subject(
            cls.__name__,
            cls,
            Capabilities(
                partition_ranges=False,
                partition_range_outputs=True,
                concatenated_range_loads=True,
            ),
            values=row_tables(),
            equals=rows_equal,
            concat=concat_rows,
        )

    # ------------------------------------------------------------------ the protocol
    def handle_output(self, context: Any, obj: Any) -> None:
        """Replace the rows of the partitions the output covers, or store the value."""
        if context.has_asset_key and context.has_asset_partitions:
            asset = tuple(context.asset_key.path)
            keys = [str(k) for k in context.asset_partition_keys]
            self.check_partitioning(context, asset)
            if len(keys) == 1:
                self.replace_partitions(asset, keys, {keys[0]: obj})
            elif isinstance(obj, Mapping) and set(obj) == set(keys):
                self.replace_partitions(asset, keys, obj)
            else:
                raise TypeError(
                    f"an output covering partitions {keys[:5]} must map each to its rows "
                    f"(a PartitionShares); got {type(obj).__name__}"
                )
            self.partitioning.setdefault(asset, _family(context))
        elif context.has_asset_key:
            self.values[("asset", tuple(context.asset_key.path))] = obj
        else:
            self.values[("op", tuple(context.get_identifier()))] = obj

    def load_input(self, context: Any) -> Any:
        """One partition's rows, one table for a range, or the stored value."""
        if context.has_asset_key and context.has_asset_partitions:
            asset = tuple(context.asset_key.path)
            keys = [str(k) for k in context.asset_partition_keys]
            if len(keys) == 1:
                return self.partition(asset, keys[0])
            return self.load_range(context, asset, keys)
        key: tuple[object, ...] = (
            ("asset", tuple(context.asset_key.path))
            if context.has_asset_key
            else ("op", tuple(context.get_identifier()))
        )
        if key not in self.values:
            raise MissingValueError(f"nothing stored for {key!r}")
        return self.values[key]

    # ------------------------------------------------------------------ the table
    def check_partitioning(self, context: Any, asset: Asset) -> None:
        """Refuse (typed, nothing changed) a partitioning other than the table's."""
        pinned = self.partitioning.get(asset)
        if pinned is not None and pinned != _family(context):
            raise PartitioningChangedError(
                f"table {asset!r} is partitioned as {pinned}, not {_family(context)}: a table "
                "cannot change its partitioning in place"
            )

    def replace_partitions(
        self, asset: Asset, keys: Sequence[str], shares: Mapping[str, object]
    ) -> None:
        """Delete the rows of ``keys`` and insert each partition's share."""
        table = self.tables.setdefault(asset, {})
        for key in keys:
            table[key] = shares[key]

    def partition(self, asset: Asset, key: str) -> object:
        """The rows stored for one partition; missing raises."""
        table = self.tables.get(asset, {})
        if key not in table:
            raise MissingValueError(f"partition {key!r} of {asset!r} was never stored")
        return table[key]

    def load_range(self, context: Any, asset: Asset, keys: Sequence[str]) -> object:
        """The rows of every partition of ``keys``; a missing one raises unless allowed, and
        then contributes nothing. An empty range is ``None``."""
        if not keys:
            return None
        table = self.tables.get(asset, {})
        present = []
        for key in keys:
            if key in table:
                present.append(table[key])
            elif not allows_missing(context):
                raise MissingValueError(f"partition {key!r} of {asset!r} was never stored")
        return concat_rows(present)
