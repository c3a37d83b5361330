"""Protocols for the value types that IO-manager contexts hand out.

Every protocol is structural (``typing_extensions.Protocol``) and ``runtime_checkable`` so that
beartype and ``isinstance`` can use it without evaluating properties (see DESIGN.md §2). Members
are read-only properties; return types are ``Sequence``/``Mapping`` so that Dagster's own objects
conform; parameters that Dagster types narrowly are typed ``Any``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, TypeAlias

from typing_extensions import Protocol, runtime_checkable

__all__ = [
    "AssetEventLike",
    "AssetKeyLike",
    "AssetMaterializationLike",
    "AssetObservationLike",
    "DagsterTypeLike",
    "LoggerLike",
    "MetadataValueLike",
    "PartitionKeyRangeLike",
    "PartitionsDefinitionLike",
    "RawMetadataValue",
    "TimeWindowLike",
]


@runtime_checkable
class AssetKeyLike(Protocol):
    """An asset key: an ordered, non-lossy sequence of string components.

    Two keys are equal exactly when their ``path`` sequences are equal; keys are hashable.
    """

    @property
    def path(self) -> Sequence[str]:
        """The key's components, in order. Components may contain any character, ``/`` included."""
        ...

    def to_user_string(self) -> str:
        """The components joined with ``/``. Lossy: ``["a/b"]`` and ``["a", "b"]`` render alike."""
        ...


@runtime_checkable
class PartitionKeyRangeLike(Protocol):
    """A range of partition keys, inclusive at both ends, in the definition's order."""

    @property
    def start(self) -> str:
        """The first key of the range (included)."""
        ...

    @property
    def end(self) -> str:
        """The last key of the range (included)."""
        ...


@runtime_checkable
class TimeWindowLike(Protocol):
    """A half-open interval of time ``[start, end)`` with timezone-aware datetimes."""

    @property
    def start(self) -> datetime:
        """The inclusive, timezone-aware start of the window."""
        ...

    @property
    def end(self) -> datetime:
        """The exclusive, timezone-aware end of the window."""
        ...


@runtime_checkable
class PartitionsDefinitionLike(Protocol):
    """A definition of an asset's partitions: an ordered set of string keys."""

    def get_partition_keys(self) -> Sequence[str]:
        """Every key of the definition, in the definition's order (time order for time windows)."""
        ...

    def get_partition_keys_in_range(self, partition_key_range: Any) -> Sequence[str]:
        """The keys from ``range.start`` to ``range.end``, both included.

        Raises an error when either end is not a key of the definition. A reversed range yields
        an empty sequence.
        """
        ...

    def has_partition_key(self, partition_key: str) -> bool:
        """Whether ``partition_key`` is a key of this definition. Never raises for a bad key."""
        ...


@runtime_checkable
class MetadataValueLike(Protocol):
    """A normalized metadata value (``MetadataValue`` in Dagster): a typed wrapper of a value."""

    @property
    def value(self) -> Any:
        """The wrapped raw value."""
        ...


RawMetadataValue: TypeAlias = (
    MetadataValueLike
    | str
    | int
    | float
    | bool
    | Mapping[str, Any]
    | Sequence[Any]
    | os.PathLike[str]
    | AssetKeyLike
    | None
)
"""A metadata value before normalization.

Accepted: a ``MetadataValue``; ``str`` (text), ``int``, ``float``, ``bool``, ``None`` (null),
a ``dict`` or ``list`` (JSON), an ``os.PathLike`` (path) and an asset key. Rejected with a typed
error: ``tuple``, ``set``, ``bytes``, ``datetime`` and arbitrary objects.
"""


@runtime_checkable
class AssetEventLike(Protocol):
    """What an asset materialization and an asset observation share."""

    @property
    def asset_key(self) -> AssetKeyLike:
        """The asset the event is about."""
        ...

    @property
    def partition(self) -> str | None:
        """The partition the event is about, or ``None`` for the whole asset."""
        ...

    @property
    def description(self) -> str | None:
        """A human-readable description, or ``None``."""
        ...

    @property
    def metadata(self) -> Mapping[str, Any]:
        """The event's metadata, normalized to metadata values."""
        ...


@runtime_checkable
class AssetMaterializationLike(AssetEventLike, Protocol):
    """An event recording that an asset (or one partition of it) was written."""


@runtime_checkable
class AssetObservationLike(AssetEventLike, Protocol):
    """An event recording that an asset was observed without being written."""


@runtime_checkable
class DagsterTypeLike(Protocol):
    """The type descriptor behind ``context.dagster_type``."""

    @property
    def typing_type(self) -> Any:
        """The Python type the descriptor stands for (``typing.Any`` when unknown)."""
        ...

    @property
    def is_nothing(self) -> bool:
        """Whether this is the ``Nothing`` type (an output that carries no value)."""
        ...

    @property
    def display_name(self) -> str:
        """A short name for messages."""
        ...


@runtime_checkable
class LoggerLike(Protocol):
    """The logger a context hands out (``logging.Logger`` satisfies it)."""

    def debug(self, msg: str, *args: Any) -> None:
        """Log at DEBUG level; ``args`` are %-format arguments."""
        ...

    def info(self, msg: str, *args: Any) -> None:
        """Log at INFO level."""
        ...

    def warning(self, msg: str, *args: Any) -> None:
        """Log at WARNING level."""
        ...

    def error(self, msg: str, *args: Any) -> None:
        """Log at ERROR level."""
        ...
