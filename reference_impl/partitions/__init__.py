"""Partitions: definitions, keys, ranges, time windows, lazy key sequences and mappings."""

from reference_impl.partitions.base import PartitionKeyRange, PartitionsDefinition, TimeWindow
from reference_impl.partitions.cadence import (
    Cadence,
    DailyCadence,
    HourlyCadence,
    MonthlyCadence,
    WeeklyCadence,
    resolve_wall_time,
)
from reference_impl.partitions.lazy import LazyKeySequence, ProductKeySequence
from reference_impl.partitions.mappings import (
    AllPartitionMapping,
    IdentityPartitionMapping,
    LastPartitionMapping,
    MultiToSingleDimensionPartitionMapping,
    PartitionMapping,
    StaticPartitionMapping,
    TimeWindowPartitionMapping,
    default_partition_mapping,
)
from reference_impl.partitions.multi import (
    INVALID_STATIC_DIMENSION_CHARACTERS,
    MULTIPARTITION_KEY_DELIMITER,
    MultiPartitionKey,
    MultiPartitionsDefinition,
    PartitionDimensionDefinition,
)
from reference_impl.partitions.schedule import ScheduleType
from reference_impl.partitions.static import (
    INVALID_PARTITION_KEY_SUBSTRINGS,
    StaticPartitionsDefinition,
)
from reference_impl.partitions.time_window import TimeWindowPartitionsDefinition
from reference_impl.partitions.time_window_range import time_window_for_partition_key_range
from reference_impl.partitions.time_window_subclasses import (
    DEFAULT_DATE_FORMAT,
    DEFAULT_HOURLY_FORMAT,
    DailyPartitionsDefinition,
    HourlyPartitionsDefinition,
    MonthlyPartitionsDefinition,
    WeeklyPartitionsDefinition,
)

__all__ = [
    "DEFAULT_DATE_FORMAT",
    "DEFAULT_HOURLY_FORMAT",
    "INVALID_PARTITION_KEY_SUBSTRINGS",
    "INVALID_STATIC_DIMENSION_CHARACTERS",
    "MULTIPARTITION_KEY_DELIMITER",
    "AllPartitionMapping",
    "Cadence",
    "DailyCadence",
    "DailyPartitionsDefinition",
    "HourlyCadence",
    "HourlyPartitionsDefinition",
    "IdentityPartitionMapping",
    "LastPartitionMapping",
    "LazyKeySequence",
    "MonthlyCadence",
    "MonthlyPartitionsDefinition",
    "MultiPartitionKey",
    "MultiPartitionsDefinition",
    "MultiToSingleDimensionPartitionMapping",
    "PartitionDimensionDefinition",
    "PartitionKeyRange",
    "PartitionMapping",
    "PartitionsDefinition",
    "ProductKeySequence",
    "ScheduleType",
    "StaticPartitionMapping",
    "StaticPartitionsDefinition",
    "TimeWindow",
    "TimeWindowPartitionMapping",
    "TimeWindowPartitionsDefinition",
    "WeeklyCadence",
    "WeeklyPartitionsDefinition",
    "default_partition_mapping",
    "resolve_wall_time",
    "time_window_for_partition_key_range",
]
