"""The asset partitions a context covers, derived once when the context is built.

Derivation (IOM-CTX-003, Dagster's builders):

1. a run partition key and an asset key, and no explicit range → the one-key range ``(pk, pk)``;
2. a range and a partitions definition → the definition's keys in the range, validated
   (``InvalidPartitionKeyError`` naming the missing endpoints, IOM-PART-003);
3. a range and no definition → the range as given; its keys can only be listed when
   ``start == end`` (``MissingPartitionsDefinitionError`` otherwise);
4. otherwise the context covers no asset partitions.

Keys are the definition's lazy sequence, never a materialized list, so a context over a huge time
range costs no more than one over a single key.
"""

from __future__ import annotations

from collections.abc import Sequence

from reference_impl.errors import (
    MissingPartitionsDefinitionError,
    NotTimePartitionedError,
    PartitionCountError,
)
from reference_impl.partitions import (
    MultiPartitionsDefinition,
    PartitionKeyRange,
    PartitionsDefinition,
    TimeWindowPartitionsDefinition,
    time_window_for_partition_key_range,
)
from spec.values import PartitionKeyRangeLike, PartitionsDefinitionLike, TimeWindowLike

__all__ = ["AssetPartitions", "derive_asset_partitions"]


class AssetPartitions:
    """The covered partitions: a key range, the definition (if any) and the keys (if known).

    ``subject`` (``"output"`` or ``"input"``) and ``asset`` (a description of the asset) only
    shape error messages.
    """

    __slots__ = ("_asset", "_definition", "_key_range", "_keys", "_subject")

    def __init__(
        self,
        key_range: PartitionKeyRangeLike,
        definition: PartitionsDefinitionLike | None,
        subject: str,
        asset: str,
    ) -> None:
        self._key_range = key_range
        self._definition = definition
        self._subject = subject
        self._asset = asset
        self._keys: Sequence[str] | None = None
        if definition is not None:
            self._keys = definition.get_partition_keys_in_range(key_range)

    @property
    def definition(self) -> PartitionsDefinitionLike | None:
        """The partitions definition the range was validated against, or ``None``."""
        return self._definition

    def keys(self) -> Sequence[str]:
        """Every covered key, in the definition's order (lazy for time ranges).

        Raises ``MissingPartitionsDefinitionError`` for a multi-key range without a definition.
        """
        if self._keys is not None:
            return self._keys
        start, end = self._key_range.start, self._key_range.end
        if start == end:
            return (start,)
        raise MissingPartitionsDefinitionError(
            f"Cannot list the partition keys of range {start!r}..{end!r} of {self._asset}: the "
            f"context has no partitions definition. Pass asset_partitions_def=... when building "
            "the context."
        )

    def single_key(self) -> str:
        """The one covered key. Raises ``PartitionCountError`` unless exactly one is covered."""
        keys = self.keys()
        if len(keys) != 1:
            raise PartitionCountError(
                f"Tried to access the partition key of {self._asset}, but the number of "
                f"{self._subject} partitions is {len(keys)}, not 1 (range "
                f"{self._key_range.start!r}..{self._key_range.end!r}). Use asset_partition_keys "
                "or asset_partition_key_range for several partitions."
            )
        return keys[0]

    def key_range(self) -> PartitionKeyRangeLike:
        """The covered keys as one contiguous range of the definition.

        Raises ``PartitionCountError`` when they form zero or several contiguous ranges (an empty
        range, or a multi-partition rectangle spanning several rows).
        """
        if self._keys is None or self._definition is None:
            return self._key_range
        count = count_key_ranges(self._definition, self._keys)
        if count != 1:
            raise PartitionCountError(
                f"Tried to access asset_partition_key_range of {self._asset}, but there are "
                f"({count}) key ranges associated with this {self._subject}. Use "
                "asset_partition_keys instead."
            )
        return PartitionKeyRange(self._keys[0], self._keys[-1])

    def time_window(self) -> TimeWindowLike:
        """The window from the start of the first key to the end of the last.

        Raises ``MissingPartitionsDefinitionError`` without a definition, ``PartitionCountError``
        when the keys are not one contiguous range and ``NotTimePartitionedError`` when the
        definition is not time-based.
        """
        if self._definition is None:
            raise MissingPartitionsDefinitionError(
                f"Tried to access asset_partitions_time_window of {self._asset}, but the "
                f"{self._subject} has no partitions definition. Pass asset_partitions_def=... "
                "when building the context."
            )
        if not isinstance(self._definition, PartitionsDefinition):
            raise NotTimePartitionedError(
                f"Tried to access asset_partitions_time_window of {self._asset}, but its "
                f"partitions definition {self._definition!r} is not a reference_impl "
                "time-window (or multi with one time dimension) definition."
            )
        key_range = self.key_range()
        window: TimeWindowLike = time_window_for_partition_key_range(
            self._definition, PartitionKeyRange(key_range.start, key_range.end)
        )
        return window


def count_key_ranges(definition: PartitionsDefinitionLike, keys: Sequence[str]) -> int:
    """How many maximal runs of consecutive definition keys ``keys`` consists of.

    ``keys`` must be a subset of the definition's keys in the definition's order. Time-window
    ranges are always one run; multi-partition rectangles follow Dagster's decomposition; other
    definitions are checked against their full key order.
    """
    count = len(keys)
    if count <= 1:
        return count
    if isinstance(definition, TimeWindowPartitionsDefinition):
        return 1
    if isinstance(definition, MultiPartitionsDefinition):
        return _count_rectangle_ranges(definition, keys)
    all_keys = definition.get_partition_keys()
    first = _index_of(all_keys, keys[0])
    last = first + count - 1
    if last < len(all_keys) and all_keys[last] == keys[-1]:
        return 1
    position = {key: index for index, key in enumerate(all_keys)}
    runs = 1
    previous = position[keys[0]]
    for key in keys[1:]:
        current = position[key]
        if current != previous + 1:
            runs += 1
        previous = current
    return runs


def _count_rectangle_ranges(definition: MultiPartitionsDefinition, keys: Sequence[str]) -> int:
    """Dagster's count for a multi-partition rectangle: one range when some dimension has a
    single key in it, else one per key of the narrower dimension (observed on Dagster 1.13)."""
    first = definition.get_partition_key_from_str(keys[0]).keys_by_dimension
    last = definition.get_partition_key_from_str(keys[-1]).keys_by_dimension
    widths = [
        len(
            definition.get_partitions_def_for_dimension(name).get_partition_keys_in_range(
                PartitionKeyRange(first[name], last[name])
            )
        )
        for name in definition.partition_dimension_names
    ]
    return 1 if min(widths) <= 1 else min(widths)


def _index_of(keys: Sequence[str], key: str) -> int:
    index: int = keys.index(key)
    return index


def derive_asset_partitions(
    *,
    partition_key: str | None,
    has_asset_key: bool,
    key_range: PartitionKeyRangeLike | None,
    definition: PartitionsDefinitionLike | None,
    subject: str,
    asset: str,
) -> AssetPartitions | None:
    """Apply the derivation rules of this module; ``None`` when no asset partitions are covered.

    Raises whatever the definition raises for an invalid range (``InvalidPartitionKeyError``).
    """
    if key_range is None and partition_key and has_asset_key:
        key_range = PartitionKeyRange(partition_key, partition_key)
    if key_range is None:
        return None
    return AssetPartitions(key_range, definition, subject, asset)
