"""``time_window_for_partition_key_range``: the time window covered by a range of keys."""

from __future__ import annotations

from datetime import UTC, datetime

from reference_impl.errors import InvalidPartitionKeyError, NotTimePartitionedError
from reference_impl.partitions.base import PartitionKeyRange, PartitionsDefinition, TimeWindow
from reference_impl.partitions.multi import MultiPartitionsDefinition
from reference_impl.partitions.time_window import TimeWindowPartitionsDefinition

__all__ = ["time_window_for_partition_key_range"]


def _time_definition_and_keys(
    partitions_def: PartitionsDefinition | None, key_range: PartitionKeyRange
) -> tuple[TimeWindowPartitionsDefinition, str, str]:
    if isinstance(partitions_def, TimeWindowPartitionsDefinition):
        return partitions_def, key_range.start, key_range.end
    if isinstance(partitions_def, MultiPartitionsDefinition):
        dimension = partitions_def.time_window_dimension  # raises unless exactly one
        assert isinstance(dimension.partitions_def, TimeWindowPartitionsDefinition)
        start = partitions_def.get_partition_key_from_str(key_range.start)
        end = partitions_def.get_partition_key_from_str(key_range.end)
        return (
            dimension.partitions_def,
            start.keys_by_dimension[dimension.name],
            end.keys_by_dimension[dimension.name],
        )
    raise NotTimePartitionedError(
        f"A time window needs a time-window partitions definition or a multi-partitions "
        f"definition with exactly one time dimension, got {partitions_def!r}."
    )


def time_window_for_partition_key_range(
    partitions_def: PartitionsDefinition | None,
    key_range: PartitionKeyRange,
    current_time: datetime | None = None,
) -> TimeWindow:
    """The window from the start of ``key_range.start``'s window to the end of ``key_range.end``'s.

    Raises ``NotTimePartitionedError`` unless ``partitions_def`` is time-window based or a
    multi-partitions definition with exactly one time dimension (whose keys are then used);
    ``InvalidPartitionKeyError`` when an endpoint is not a key or the range is reversed.
    """
    partitions_def_for_time, start, end = _time_definition_and_keys(partitions_def, key_range)
    assert partitions_def is not None
    partitions_def.validate_partition_keys(
        list(dict.fromkeys((key_range.start, key_range.end))), current_time
    )
    window = TimeWindow(
        partitions_def_for_time.time_window_for_partition_key(start).start,
        partitions_def_for_time.time_window_for_partition_key(end).end,
    )
    if window.end.astimezone(UTC) <= window.start.astimezone(UTC):
        raise InvalidPartitionKeyError(
            f"Partition key range {tuple(key_range)!r} is reversed in time; it has no time "
            "window. Put the earlier key first."
        )
    return window
