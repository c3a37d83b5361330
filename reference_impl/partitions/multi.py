"""``MultiPartitionsDefinition`` (two dimensions) and ``MultiPartitionKey``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Final, NamedTuple

from reference_impl.errors import (
    InvalidPartitionKeyError,
    InvalidPartitionsDefinitionError,
    NotTimePartitionedError,
)
from reference_impl.partitions.base import PartitionKeyRange, PartitionsDefinition
from reference_impl.partitions.lazy import ProductKeySequence
from reference_impl.partitions.static import StaticPartitionsDefinition, check_static_keys
from reference_impl.partitions.time_window import TimeWindowPartitionsDefinition

__all__ = [
    "INVALID_STATIC_DIMENSION_CHARACTERS",
    "MULTIPARTITION_KEY_DELIMITER",
    "MultiPartitionKey",
    "MultiPartitionsDefinition",
    "PartitionDimensionDefinition",
]

MULTIPARTITION_KEY_DELIMITER: Final = "|"
INVALID_STATIC_DIMENSION_CHARACTERS: Final[tuple[str, ...]] = ("|", ",", "[", "]")
"""Characters a static dimension's keys may not contain (on top of the usual substrings)."""


class MultiPartitionKey(str):
    """A multi-partition key: a ``str`` of the dimensions' keys joined by ``|`` in
    dimension-name order, which also remembers ``keys_by_dimension``.

    Equal to (and hashed like) the plain string; picklable.
    """

    _keys_by_dimension: dict[str, str]

    def __new__(cls, keys_by_dimension: Mapping[str, str]) -> MultiPartitionKey:
        ordered = dict(sorted(keys_by_dimension.items()))
        bad = {name: key for name, key in ordered.items() if not isinstance(key, str)}
        if bad:
            raise InvalidPartitionKeyError(
                f"Multi-partition key values must be str, got {bad!r}; convert them to str."
            )
        key = super().__new__(cls, MULTIPARTITION_KEY_DELIMITER.join(ordered.values()))
        key._keys_by_dimension = ordered
        return key

    @property
    def keys_by_dimension(self) -> dict[str, str]:
        """A new dict from dimension name to that dimension's key, in name order."""
        return dict(self._keys_by_dimension)

    def __getnewargs__(self) -> tuple[dict[str, str]]:  # type: ignore[override]
        return (self._keys_by_dimension,)


class PartitionDimensionDefinition(NamedTuple):
    """One named dimension of a multi-partitions definition."""

    name: str
    partitions_def: PartitionsDefinition


def _check_dimension(name: object, definition: object) -> PartitionDimensionDefinition:
    if not isinstance(name, str) or not name:
        raise InvalidPartitionsDefinitionError(
            f"Dimension names must be non-empty str, got {name!r}."
        )
    if isinstance(definition, StaticPartitionsDefinition):
        check_static_keys(definition.get_partition_keys(), INVALID_STATIC_DIMENSION_CHARACTERS)
    elif not isinstance(definition, TimeWindowPartitionsDefinition):
        raise InvalidPartitionsDefinitionError(
            f"Dimension {name!r} must be a static or time-window partitions definition, got "
            f"{definition!r}."
        )
    return PartitionDimensionDefinition(name, definition)


class MultiPartitionsDefinition(PartitionsDefinition):
    """The Cartesian product of exactly two named partitions definitions.

    Dimensions are kept sorted by name; keys are :class:`MultiPartitionKey` strings with the
    first dimension varying slowest. Raises ``InvalidPartitionsDefinitionError`` for a number of
    dimensions other than two, an unsupported dimension type, or a static key containing one of
    ``| , [ ]``.
    """

    def __init__(self, partitions_defs: Mapping[str, PartitionsDefinition]) -> None:
        if not isinstance(partitions_defs, Mapping) or len(partitions_defs) != 2:
            count = len(partitions_defs) if isinstance(partitions_defs, Mapping) else "no"
            raise InvalidPartitionsDefinitionError(
                f"MultiPartitionsDefinition needs exactly 2 dimensions, got {count}. Pass a dict "
                "of two dimension names to partitions definitions."
            )
        self._dimensions = tuple(
            _check_dimension(name, definition)
            for name, definition in sorted(partitions_defs.items(), key=lambda item: item[0])
        )

    @property
    def partitions_defs(self) -> Sequence[PartitionDimensionDefinition]:
        """The dimensions, sorted by name."""
        return self._dimensions

    @property
    def partition_dimension_names(self) -> list[str]:
        """The dimension names, sorted."""
        return [dimension.name for dimension in self._dimensions]

    def get_partitions_def_for_dimension(self, dimension_name: str) -> PartitionsDefinition:
        """The definition of one dimension; ``InvalidPartitionKeyError`` for an unknown name."""
        for dimension in self._dimensions:
            if dimension.name == dimension_name:
                return dimension.partitions_def
        raise InvalidPartitionKeyError(
            f"No dimension named {dimension_name!r}; dimensions are "
            f"{self.partition_dimension_names!r}."
        )

    @property
    def time_window_dimensions(self) -> list[PartitionDimensionDefinition]:
        """The dimensions partitioned by time."""
        return [
            dimension
            for dimension in self._dimensions
            if isinstance(dimension.partitions_def, TimeWindowPartitionsDefinition)
        ]

    @property
    def has_one_time_window_dimension(self) -> bool:
        """Whether exactly one dimension is partitioned by time."""
        return len(self.time_window_dimensions) == 1

    @property
    def time_window_dimension(self) -> PartitionDimensionDefinition:
        """The single time dimension; ``NotTimePartitionedError`` unless there is exactly one."""
        time_dimensions = self.time_window_dimensions
        if len(time_dimensions) != 1:
            raise NotTimePartitionedError(
                f"{self!r} has {len(time_dimensions)} time-window dimensions; a time window "
                "needs exactly one."
            )
        return time_dimensions[0]

    @property
    def primary_dimension(self) -> PartitionDimensionDefinition:
        """The time dimension if there is exactly one, else the first dimension by name."""
        time_dimensions = self.time_window_dimensions
        return time_dimensions[0] if len(time_dimensions) == 1 else self._dimensions[0]

    # ------------------------------------------------------------------ keys
    def _combine(self, outer: str, inner: str) -> str:
        first, second = self._dimensions
        return MultiPartitionKey({first.name: outer, second.name: inner})

    def _split(self, key: str) -> tuple[str, str] | None:
        parts = key.split(MULTIPARTITION_KEY_DELIMITER)
        return (parts[0], parts[1]) if len(parts) == 2 else None

    def get_partition_key_from_str(self, partition_key_str: str) -> MultiPartitionKey:
        """The :class:`MultiPartitionKey` of ``"v1|v2"`` (values in dimension-name order).

        Raises ``InvalidPartitionKeyError`` when the string has not exactly one ``|``. The
        values themselves are not checked against the dimensions.
        """
        parts = self._split(partition_key_str) if isinstance(partition_key_str, str) else None
        if parts is None:
            raise InvalidPartitionKeyError(
                f"Expected 2 partition keys joined by '|' in partition key string "
                f"{partition_key_str!r} (dimensions {self.partition_dimension_names!r})."
            )
        first, second = self._dimensions
        return MultiPartitionKey({first.name: parts[0], second.name: parts[1]})

    def get_partition_keys(self, current_time: datetime | None = None) -> Sequence[str]:
        """Every :class:`MultiPartitionKey`, the first dimension varying slowest (lazy)."""
        first, second = self._dimensions
        return ProductKeySequence(
            first.partitions_def.get_partition_keys(current_time),
            second.partitions_def.get_partition_keys(current_time),
            self._combine,
            self._split,
        )

    def has_partition_key(self, partition_key: str, current_time: datetime | None = None) -> bool:
        """Whether each dimension has its part of ``"v1|v2"``; never raises."""
        parts = self._split(partition_key) if isinstance(partition_key, str) else None
        return parts is not None and all(
            dimension.partitions_def.has_partition_key(part, current_time)
            for dimension, part in zip(self._dimensions, parts, strict=True)
        )

    def get_partition_keys_in_range(
        self, partition_key_range: PartitionKeyRange, current_time: datetime | None = None
    ) -> Sequence[str]:
        """The rectangle: the product of each dimension's sub-range from start to end.

        Raises ``InvalidPartitionKeyError`` naming endpoints that are not keys; a range reversed
        in any dimension is empty.
        """
        start, end = partition_key_range
        self.validate_partition_keys(list(dict.fromkeys((start, end))), current_time)
        start_parts, end_parts = self._split(start), self._split(end)
        assert start_parts is not None and end_parts is not None  # validated above
        first, second = self._dimensions
        return ProductKeySequence(
            first.partitions_def.get_partition_keys_in_range(
                PartitionKeyRange(start_parts[0], end_parts[0]), current_time
            ),
            second.partitions_def.get_partition_keys_in_range(
                PartitionKeyRange(start_parts[1], end_parts[1]), current_time
            ),
            self._combine,
            self._split,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, MultiPartitionsDefinition):
            return NotImplemented
        return self._dimensions == other._dimensions

    def __hash__(self) -> int:
        return hash((MultiPartitionsDefinition, self._dimensions))

    def __repr__(self) -> str:
        inner = ", ".join(f"{name!r}: {definition!r}" for name, definition in self._dimensions)
        return f"MultiPartitionsDefinition({{{inner}}})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (MultiPartitionsDefinition, (dict(self._dimensions),))
