"""Tests of ``time_window_for_partition_key_range``."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

import reference_impl.partitions as P
from reference_impl.errors import InvalidPartitionKeyError, NotTimePartitionedError


def test_window_of_a_daily_range() -> None:
    definition = P.DailyPartitionsDefinition("2023-01-01", end_date="2023-02-01")
    window = P.time_window_for_partition_key_range(
        definition, P.PartitionKeyRange("2023-01-02", "2023-01-04")
    )
    assert window == P.TimeWindow(
        datetime(2023, 1, 2, tzinfo=UTC), datetime(2023, 1, 5, tzinfo=UTC)
    )


def test_single_repeated_dst_hour_has_a_one_hour_window() -> None:
    definition = P.HourlyPartitionsDefinition(
        "2023-11-05-00:00", end_date="2023-11-05-04:00", timezone="America/New_York"
    )
    window = P.time_window_for_partition_key_range(
        definition, P.PartitionKeyRange("2023-11-05-01:00", "2023-11-05-01:00")
    )
    assert (window.end.timestamp() - window.start.timestamp()) == 3600


@pytest.mark.parametrize(
    "definition",
    [
        None,
        P.StaticPartitionsDefinition(["a"]),
        P.MultiPartitionsDefinition(
            {"x": P.StaticPartitionsDefinition(["a"]), "y": P.StaticPartitionsDefinition(["b"])}
        ),
        P.MultiPartitionsDefinition(
            {"x": P.DailyPartitionsDefinition("2023-01-01"),
             "y": P.DailyPartitionsDefinition("2023-01-01")}
        ),
    ],
)
def test_needs_exactly_one_time_dimension(definition: P.PartitionsDefinition | None) -> None:
    with pytest.raises(NotTimePartitionedError, match="time"):
        P.time_window_for_partition_key_range(definition, P.PartitionKeyRange("a", "a"))


def test_missing_or_reversed_endpoints_raise() -> None:
    definition = P.DailyPartitionsDefinition("2023-01-01", end_date="2023-02-01")
    with pytest.raises(InvalidPartitionKeyError, match="2023-03-01"):
        P.time_window_for_partition_key_range(
            definition, P.PartitionKeyRange("2023-01-02", "2023-03-01")
        )
    with pytest.raises(InvalidPartitionKeyError, match="reversed"):
        P.time_window_for_partition_key_range(
            definition, P.PartitionKeyRange("2023-01-04", "2023-01-02")
        )
