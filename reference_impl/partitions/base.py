"""The value types of partitions and the abstract ``PartitionsDefinition`` base."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from reference_impl.errors import InvalidPartitionKeyError

__all__ = ["PartitionKeyRange", "PartitionsDefinition", "TimeWindow"]


class PartitionKeyRange(NamedTuple):
    """A range of partition keys, inclusive at both ends, in the definition's order.

    Nothing is validated at construction; definitions validate ranges when they resolve them.
    """

    start: str
    end: str


class TimeWindow(NamedTuple):
    """The half-open interval ``[start, end)`` of timezone-aware datetimes."""

    start: datetime
    end: datetime


def _describe_keys(keys: Sequence[str]) -> str:
    return ", ".join(repr(key) for key in keys)


class PartitionsDefinition(ABC):
    """An ordered set of string partition keys.

    Subclasses implement :meth:`get_partition_keys`; the other methods have generic
    implementations on top of it that subclasses may replace with faster ones.
    """

    @abstractmethod
    def get_partition_keys(self, current_time: datetime | None = None) -> Sequence[str]:
        """Every key, in definition order. ``current_time`` ("now") only matters for time
        windows without an end."""

    def has_partition_key(self, partition_key: str, current_time: datetime | None = None) -> bool:
        """Whether ``partition_key`` is a key of this definition; never raises for a bad key."""
        return isinstance(partition_key, str) and partition_key in self.get_partition_keys(
            current_time
        )

    def validate_partition_keys(
        self, partition_keys: Sequence[str], current_time: datetime | None = None
    ) -> None:
        """Raise ``InvalidPartitionKeyError`` naming every key that is not in this definition."""
        missing = [key for key in partition_keys if not self.has_partition_key(key, current_time)]
        if missing:
            raise InvalidPartitionKeyError(
                f"Partition keys {_describe_keys(missing)} are not keys of {self!r}. "
                "Use keys returned by get_partition_keys()."
            )

    def get_partition_keys_in_range(
        self, partition_key_range: PartitionKeyRange, current_time: datetime | None = None
    ) -> Sequence[str]:
        """The keys from ``range.start`` to ``range.end``, both included, in definition order.

        Raises ``InvalidPartitionKeyError`` naming the endpoints that are not keys; a reversed
        range gives an empty sequence.
        """
        start, end = partition_key_range
        self.validate_partition_keys(list(dict.fromkeys((start, end))), current_time)
        keys = self.get_partition_keys(current_time)
        first, last = keys.index(start), keys.index(end)
        return keys[first : last + 1]

    def get_first_partition_key(self, current_time: datetime | None = None) -> str | None:
        """The first key, or ``None`` when there are no keys."""
        keys = self.get_partition_keys(current_time)
        return keys[0] if len(keys) else None

    def get_last_partition_key(self, current_time: datetime | None = None) -> str | None:
        """The last key, or ``None`` when there are no keys."""
        keys = self.get_partition_keys(current_time)
        return keys[-1] if len(keys) else None

    def get_num_partitions(self, current_time: datetime | None = None) -> int:
        """How many keys the definition has."""
        return len(self.get_partition_keys(current_time))
