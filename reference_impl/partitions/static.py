"""``StaticPartitionsDefinition``: a fixed, ordered list of string keys."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Final

from reference_impl.errors import InvalidPartitionsDefinitionError
from reference_impl.partitions.base import PartitionsDefinition

__all__ = ["INVALID_PARTITION_KEY_SUBSTRINGS", "StaticPartitionsDefinition"]

INVALID_PARTITION_KEY_SUBSTRINGS: Final[tuple[str, ...]] = (
    "...", "\a", "\b", "\f", "\n", "\r", "\t", "\v", "\0",
)
"""Substrings no partition key may contain (as in Dagster)."""


def check_static_keys(keys: Iterable[object], forbidden: Sequence[str]) -> tuple[str, ...]:
    """``keys`` as a tuple of str.

    Raises ``InvalidPartitionsDefinitionError`` for a non-str key, a key containing one of
    ``forbidden``, or a duplicate key.
    """
    checked = tuple(keys)
    not_str = [key for key in checked if not isinstance(key, str)]
    if not_str:
        raise InvalidPartitionsDefinitionError(
            f"Partition keys must be str, got {not_str[0]!r} ({type(not_str[0]).__name__}). "
            "Convert every key to str."
        )
    str_keys = tuple(key for key in checked if isinstance(key, str))
    bad = sorted({part for key in str_keys for part in forbidden if part in key})
    if bad:
        raise InvalidPartitionsDefinitionError(
            f"{bad!r} are invalid substrings in a partition key; offending keys: "
            f"{[key for key in str_keys if any(part in key for part in bad)]!r}. "
            "Remove these substrings from the keys."
        )
    duplicates = [key for key, count in Counter(str_keys).items() if count > 1]
    if duplicates:
        raise InvalidPartitionsDefinitionError(
            f"Partition keys must be unique; duplicated: {sorted(set(duplicates))!r}. "
            "Remove the repeated keys."
        )
    return str_keys


class StaticPartitionsDefinition(PartitionsDefinition):
    """A fixed list of keys, in the given order.

    Raises ``InvalidPartitionsDefinitionError`` when a key is not a str, contains one of
    :data:`INVALID_PARTITION_KEY_SUBSTRINGS`, or is repeated. A bare ``str`` is accepted as
    Dagster does (it iterates per character).
    """

    def __init__(self, partition_keys: Sequence[str]) -> None:
        self._keys = check_static_keys(partition_keys, INVALID_PARTITION_KEY_SUBSTRINGS)
        self._index = {key: position for position, key in enumerate(self._keys)}

    def get_partition_keys(self, current_time: datetime | None = None) -> Sequence[str]:
        """The keys in the given order."""
        return list(self._keys)

    def has_partition_key(self, partition_key: str, current_time: datetime | None = None) -> bool:
        """Whether ``partition_key`` is one of the keys; never raises."""
        return isinstance(partition_key, str) and partition_key in self._index

    def index_of(self, partition_key: str) -> int:
        """The position of a key that :meth:`has_partition_key`; ``KeyError`` otherwise."""
        return self._index[partition_key]

    def get_num_partitions(self, current_time: datetime | None = None) -> int:
        """How many keys there are."""
        return len(self._keys)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, StaticPartitionsDefinition):
            return NotImplemented
        return self._keys == other._keys

    def __hash__(self) -> int:
        return hash((StaticPartitionsDefinition, self._keys))

    def __repr__(self) -> str:
        shown = list(self._keys[:5])
        more = f" (+{len(self._keys) - 5} more)" if len(self._keys) > 5 else ""
        return f"StaticPartitionsDefinition({shown!r}{more})"
