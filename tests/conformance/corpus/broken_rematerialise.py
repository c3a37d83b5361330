"""Broken managers for the re-materialisation laws (IOM-PART-020, IOM-STORE-010, IOM-STORE-011)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from tests.conformance.corpus.base import DictManager, StorageKey
from tests.conformance.corpus.columns import ColumnTableManager
from tests.conformance.corpus.tables import Asset, RowTableManager


class RematerialiseDropsSiblings(DictManager):
    """Re-storing a partition deletes every stored partition of its asset first (a delete
    predicate on the asset, not on the partition), then stores the new value."""

    breaks = "IOM-PART-020"

    def put(self, key: StorageKey, obj: Any) -> None:
        if key[0] == "asset" and key[2] is not None and key in self.values:
            for other in [k for k in self.values if k[:2] == key[:2] and k[2] is not None]:
                del self.values[other]
        super().put(key, obj)


class RestoreSameBatchAppends(RowTableManager):
    """Makes re-stores "idempotent" with a content hash as the batch id: it deletes only the
    rows of *other* batches of the partition, then inserts; re-storing the same rows therefore
    deletes nothing and inserts them again (duplicated rows)."""

    breaks = "IOM-STORE-010"

    def __init__(self) -> None:
        super().__init__()
        self.batches: dict[tuple[Asset, str], str] = {}

    def replace_partitions(
        self, asset: Asset, keys: Sequence[str], shares: Mapping[str, object]
    ) -> None:
        table = self.tables.setdefault(asset, {})
        for key in keys:
            rows = shares[key]
            batch = hashlib.sha256(repr(rows).encode()).hexdigest()
            if self.batches.get((asset, key)) == batch and isinstance(rows, list):
                table[key] = [*table[key], *rows]  # type: ignore[misc]
            else:
                table[key] = rows
            self.batches[(asset, key)] = batch


class ProjectionIgnoresColumns(ColumnTableManager):
    """Reads ``columns`` from the upstream output's metadata instead of the input's, so an
    input's projection is never applied: every column loads."""

    breaks = "IOM-STORE-011"

    def load_input(self, context: Any) -> Any:
        loaded = DictManager.load_input(self, context)
        upstream = context.upstream_output
        columns = None if upstream is None else upstream.definition_metadata.get("columns")
        if columns is None:
            return loaded
        return self.select(loaded, list(columns), several=self.is_range(context))


BROKEN_REMATERIALISE: tuple[type, ...] = (
    RematerialiseDropsSiblings,
    RestoreSameBatchAppends,
    ProjectionIgnoresColumns,
)
