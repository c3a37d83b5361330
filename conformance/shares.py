"""The value the kit hands ``handle_output`` for an output covering several partitions.

A run that materializes a partition range in one step (a single-run backfill) gives the IO
manager one output for the whole range. What the asset body returns then is the asset's own
business: a table manager (``DbIOManager``) expects one table whose partition column tells the
partitions' rows apart, another asset may return a mapping. The kit does not guess: for a range
output it hands ``handle_output`` a :class:`PartitionShares`, a read-only mapping from each
partition key of the range (in range order) to the value that partition must load afterwards
(its *share*, IOM-PART-018). A subject whose asset body returns one value for the range wraps
its manager and builds that value from the shares (``conformance.field.binding`` does it for
partitioned tables: each share's partition column is stamped with its partition, then the
shares are concatenated).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Generic, TypeVar

__all__ = ["PartitionShares"]

V = TypeVar("V")


class PartitionShares(Mapping[str, V], Generic[V]):
    """Partition key -> the value stored for that partition by one range output (read-only,
    iterating in the order given: the range's order)."""

    __slots__ = ("_shares",)

    def __init__(self, shares: Mapping[str, V]) -> None:
        self._shares: dict[str, V] = {str(key): value for key, value in shares.items()}

    def __getitem__(self, key: str) -> V:
        return self._shares[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._shares)

    def __len__(self) -> int:
        return len(self._shares)

    def __repr__(self) -> str:
        return f"PartitionShares({self._shares!r})"
