"""Partition mappings: which upstream partitions a set of downstream partitions reads."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Collection, Mapping, Sequence
from datetime import UTC, datetime

from reference_impl.errors import (
    InvalidPartitionsDefinitionError,
    NonexistentUpstreamPartitionsError,
)
from reference_impl.partitions.base import PartitionsDefinition, TimeWindow
from reference_impl.partitions.multi import MultiPartitionKey, MultiPartitionsDefinition
from reference_impl.partitions.time_window import TimeWindowPartitionsDefinition

__all__ = [
    "AllPartitionMapping",
    "IdentityPartitionMapping",
    "LastPartitionMapping",
    "MultiToSingleDimensionPartitionMapping",
    "PartitionMapping",
    "StaticPartitionMapping",
    "TimeWindowPartitionMapping",
    "default_partition_mapping",
]


def _raise_nonexistent(missing: Sequence[str], upstream: PartitionsDefinition) -> None:
    if missing:
        shown = ", ".join(repr(key) for key in missing[:10])
        more = f" (+{len(missing) - 10} more)" if len(missing) > 10 else ""
        raise NonexistentUpstreamPartitionsError(
            f"The downstream partitions depend on upstream partitions {shown}{more} that "
            f"{upstream!r} does not have. Extend the upstream definition, or use a mapping that "
            "allows nonexistent upstream partitions."
        )


def _in_upstream_order(keys: Collection[str], upstream: PartitionsDefinition) -> list[str]:
    wanted = set(keys)
    return [key for key in upstream.get_partition_keys() if key in wanted]


def _existing_in_upstream_order(
    keys: Sequence[str], upstream: PartitionsDefinition, current_time: datetime | None
) -> list[str]:
    """``keys`` in upstream order; raises ``NonexistentUpstreamPartitionsError`` when any key is
    not a partition of ``upstream``."""
    _raise_nonexistent(
        [key for key in keys if not upstream.has_partition_key(key, current_time)], upstream
    )
    return _in_upstream_order(keys, upstream)


class PartitionMapping(ABC):
    """Maps downstream partition keys to the upstream partition keys they depend on."""

    @abstractmethod
    def get_upstream_partition_keys(
        self,
        downstream_partition_keys: Sequence[str] | None,
        downstream_partitions_def: PartitionsDefinition | None,
        upstream_partitions_def: PartitionsDefinition,
        current_time: datetime | None = None,
    ) -> Sequence[str]:
        """The upstream keys read by ``downstream_partition_keys`` (``None``: the downstream is
        unpartitioned), in upstream definition order.

        Raises ``NonexistentUpstreamPartitionsError`` when required upstream partitions do not
        exist (unless the mapping allows that).
        """

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and vars(self) == vars(other)

    def __hash__(self) -> int:
        return hash((type(self), tuple(sorted(vars(self).items(), key=lambda item: item[0]))))

    def __repr__(self) -> str:
        arguments = ", ".join(f"{name}={value!r}" for name, value in vars(self).items())
        return f"{type(self).__name__}({arguments})"


class AllPartitionMapping(PartitionMapping):
    """Every downstream partition (or an unpartitioned downstream) reads every upstream one."""

    def get_upstream_partition_keys(
        self,
        downstream_partition_keys: Sequence[str] | None,
        downstream_partitions_def: PartitionsDefinition | None,
        upstream_partitions_def: PartitionsDefinition,
        current_time: datetime | None = None,
    ) -> Sequence[str]:
        """Every upstream key."""
        return upstream_partitions_def.get_partition_keys(current_time)


class LastPartitionMapping(PartitionMapping):
    """Every downstream partition reads the last upstream partition only."""

    def get_upstream_partition_keys(
        self,
        downstream_partition_keys: Sequence[str] | None,
        downstream_partitions_def: PartitionsDefinition | None,
        upstream_partitions_def: PartitionsDefinition,
        current_time: datetime | None = None,
    ) -> Sequence[str]:
        """``[last upstream key]``, or ``[]`` when the upstream has no keys."""
        last = upstream_partitions_def.get_last_partition_key(current_time)
        return [] if last is None else [last]


class IdentityPartitionMapping(PartitionMapping):
    """Each downstream partition reads the upstream partition with the same key."""

    def get_upstream_partition_keys(
        self,
        downstream_partition_keys: Sequence[str] | None,
        downstream_partitions_def: PartitionsDefinition | None,
        upstream_partitions_def: PartitionsDefinition,
        current_time: datetime | None = None,
    ) -> Sequence[str]:
        """The same keys. Raises ``InvalidPartitionsDefinitionError`` for an unpartitioned
        downstream and ``NonexistentUpstreamPartitionsError`` for keys the upstream lacks."""
        if downstream_partition_keys is None:
            raise InvalidPartitionsDefinitionError(
                "IdentityPartitionMapping needs a partitioned downstream asset; use "
                "AllPartitionMapping for an unpartitioned one."
            )
        return _existing_in_upstream_order(
            downstream_partition_keys, upstream_partitions_def, current_time
        )


class StaticPartitionMapping(PartitionMapping):
    """An explicit map from each upstream key to the downstream key(s) that read it."""

    def __init__(
        self,
        downstream_partition_keys_by_upstream_partition_key: Mapping[str, str | Collection[str]],
    ) -> None:
        self.downstream_partition_keys_by_upstream_partition_key = {
            upstream: frozenset([downstream] if isinstance(downstream, str) else downstream)
            for upstream, downstream in downstream_partition_keys_by_upstream_partition_key.items()
        }

    def get_upstream_partition_keys(
        self,
        downstream_partition_keys: Sequence[str] | None,
        downstream_partitions_def: PartitionsDefinition | None,
        upstream_partitions_def: PartitionsDefinition,
        current_time: datetime | None = None,
    ) -> Sequence[str]:
        """The upstream keys mapped to any of the downstream keys (all of them for ``None``).

        Raises ``NonexistentUpstreamPartitionsError`` when a mapped upstream key does not exist.
        """
        mapping = self.downstream_partition_keys_by_upstream_partition_key
        wanted = None if downstream_partition_keys is None else set(downstream_partition_keys)
        selected = [
            upstream
            for upstream, downstream in mapping.items()
            if wanted is None or downstream & wanted
        ]
        return _existing_in_upstream_order(selected, upstream_partitions_def, current_time)


class TimeWindowPartitionMapping(PartitionMapping):
    """Each downstream window reads the upstream windows that overlap it.

    ``start_offset``/``end_offset`` shift the downstream window's start and end by that many
    downstream windows. Upstream windows outside the upstream definition that overlap the
    unshifted downstream window are required: they raise
    ``NonexistentUpstreamPartitionsError`` unless ``allow_nonexistent_upstream_partitions``;
    the parts added by the offsets are clipped silently (as in Dagster).
    """

    def __init__(
        self,
        start_offset: int = 0,
        end_offset: int = 0,
        allow_nonexistent_upstream_partitions: bool = False,
    ) -> None:
        self.start_offset = start_offset
        self.end_offset = end_offset
        self.allow_nonexistent_upstream_partitions = allow_nonexistent_upstream_partitions

    def _windows(
        self, key: str, downstream: TimeWindowPartitionsDefinition
    ) -> tuple[TimeWindow, TimeWindow]:
        window = downstream.time_window_for_partition_key(key)
        index = downstream.cadence.index_at_or_after(window.start)
        shifted = TimeWindow(
            downstream.time_window_at(index + self.start_offset).start,
            downstream.time_window_at(index + self.end_offset).end,
        )
        return window, shifted

    def get_upstream_partition_keys(
        self,
        downstream_partition_keys: Sequence[str] | None,
        downstream_partitions_def: PartitionsDefinition | None,
        upstream_partitions_def: PartitionsDefinition,
        current_time: datetime | None = None,
    ) -> Sequence[str]:
        """The upstream keys overlapping the (shifted) downstream windows, in time order.

        Raises ``InvalidPartitionsDefinitionError`` unless both definitions are time-window
        based; ``NonexistentUpstreamPartitionsError`` as described on the class.
        """
        upstream, downstream = upstream_partitions_def, downstream_partitions_def
        if not isinstance(upstream, TimeWindowPartitionsDefinition) or not isinstance(
            downstream, TimeWindowPartitionsDefinition
        ):
            raise InvalidPartitionsDefinitionError(
                "TimeWindowPartitionMapping needs time-window partitions definitions upstream "
                f"and downstream, got {upstream!r} and {downstream!r}."
            )
        keys = (
            downstream.get_partition_keys(current_time)
            if downstream_partition_keys is None
            else downstream_partition_keys
        )
        existing = upstream.tick_indices(current_time)
        selected: set[int] = set()
        missing: set[int] = set()
        for key in keys:
            window, shifted = self._windows(key, downstream)
            required = _overlapping_indices(upstream, window)
            missing.update(index for index in required if index not in existing)
            selected.update(
                index for index in _overlapping_indices(upstream, shifted) if index in existing
            )
        if not self.allow_nonexistent_upstream_partitions:
            _raise_nonexistent(
                [upstream.get_partition_key_for_time(upstream.time_window_at(index).start)
                 for index in sorted(missing)],
                upstream,
            )
        return [
            upstream.get_partition_key_for_time(upstream.time_window_at(index).start)
            for index in sorted(selected)
        ]


def _overlapping_indices(definition: TimeWindowPartitionsDefinition, window: TimeWindow) -> range:
    """Cadence indices of the definition's windows that overlap ``window``."""
    if window.end.astimezone(UTC) <= window.start.astimezone(UTC):
        return range(0)
    first = definition.cadence.index_of_window_containing(window.start)
    stop = definition.cadence.index_at_or_after(window.end)
    return range(first, stop)


class MultiToSingleDimensionPartitionMapping(PartitionMapping):
    """Maps between a multi-partitioned asset and a single-dimension one.

    A multi-partition downstream key reads the upstream key of its ``partition_dimension_name``
    component; a single downstream key reads every upstream multi key whose component is that
    key. ``partition_dimension_name=None`` picks the dimension whose definition equals the
    single-dimension side.
    """

    def __init__(self, partition_dimension_name: str | None = None) -> None:
        self.partition_dimension_name = partition_dimension_name

    def _dimension(self, multi: MultiPartitionsDefinition, single: PartitionsDefinition) -> str:
        if self.partition_dimension_name is not None:
            multi.get_partitions_def_for_dimension(self.partition_dimension_name)  # validates
            return self.partition_dimension_name
        matching = [name for name, definition in multi.partitions_defs if definition == single]
        if len(matching) != 1:
            raise InvalidPartitionsDefinitionError(
                f"Cannot infer which dimension of {multi!r} matches {single!r}; pass "
                "partition_dimension_name."
            )
        return matching[0]

    def get_upstream_partition_keys(
        self,
        downstream_partition_keys: Sequence[str] | None,
        downstream_partitions_def: PartitionsDefinition | None,
        upstream_partitions_def: PartitionsDefinition,
        current_time: datetime | None = None,
    ) -> Sequence[str]:
        """The upstream keys sharing the dimension's key with the downstream keys.

        Raises ``InvalidPartitionsDefinitionError`` unless exactly one side is a
        multi-partitions definition.
        """
        upstream, downstream = upstream_partitions_def, downstream_partitions_def
        if downstream is None or downstream_partition_keys is None:
            return upstream.get_partition_keys(current_time)
        if isinstance(downstream, MultiPartitionsDefinition) and not isinstance(
            upstream, MultiPartitionsDefinition
        ):
            name = self._dimension(downstream, upstream)
            wanted = [
                downstream.get_partition_key_from_str(key).keys_by_dimension[name]
                for key in downstream_partition_keys
            ]
            return _existing_in_upstream_order(wanted, upstream, current_time)
        if isinstance(upstream, MultiPartitionsDefinition) and not isinstance(
            downstream, MultiPartitionsDefinition
        ):
            name = self._dimension(upstream, downstream)
            wanted_set = set(downstream_partition_keys)
            return [
                key
                for key in upstream.get_partition_keys(current_time)
                if isinstance(key, MultiPartitionKey) and key.keys_by_dimension[name] in wanted_set
            ]
        raise InvalidPartitionsDefinitionError(
            "MultiToSingleDimensionPartitionMapping needs exactly one multi-partitions side, got "
            f"{upstream!r} upstream and {downstream!r} downstream."
        )


def default_partition_mapping(
    upstream_partitions_def: PartitionsDefinition,
    downstream_partitions_def: PartitionsDefinition | None,
) -> PartitionMapping:
    """The mapping used when none is given: ``AllPartitionMapping`` for an unpartitioned
    downstream, ``TimeWindowPartitionMapping`` between two time-window definitions, else
    ``IdentityPartitionMapping``."""
    if downstream_partitions_def is None:
        return AllPartitionMapping()
    if isinstance(upstream_partitions_def, TimeWindowPartitionsDefinition) and isinstance(
        downstream_partitions_def, TimeWindowPartitionsDefinition
    ):
        return TimeWindowPartitionMapping()
    return IdentityPartitionMapping()
