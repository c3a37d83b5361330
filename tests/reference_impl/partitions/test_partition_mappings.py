"""Tests of partition mappings and the default mapping."""

from __future__ import annotations

import pytest

import reference_impl.partitions as P
from reference_impl.errors import (
    InvalidPartitionsDefinitionError,
    NonexistentUpstreamPartitionsError,
)

DAILY = P.DailyPartitionsDefinition("2023-01-01", end_date="2023-01-10")
HOURLY = P.HourlyPartitionsDefinition("2023-01-02-00:00", end_date="2023-01-05-00:00")
STATIC = P.StaticPartitionsDefinition(["a", "b", "c"])


def test_hourly_upstream_of_a_daily_downstream_gives_its_24_hours() -> None:
    keys = P.TimeWindowPartitionMapping().get_upstream_partition_keys(["2023-01-03"], DAILY,
                                                                      HOURLY)
    assert list(keys) == [f"2023-01-03-{hour:02d}:00" for hour in range(24)]


def test_daily_upstream_of_an_hourly_downstream_gives_its_day() -> None:
    keys = P.TimeWindowPartitionMapping().get_upstream_partition_keys(["2023-01-03-05:00"],
                                                                      HOURLY, DAILY)
    assert list(keys) == ["2023-01-03"]


def test_offsets_shift_and_clip_at_the_first_partition() -> None:
    mapping = P.TimeWindowPartitionMapping(start_offset=-1)
    assert mapping.get_upstream_partition_keys(["2023-01-03"], DAILY, DAILY) == [
        "2023-01-02", "2023-01-03",
    ]
    assert mapping.get_upstream_partition_keys(["2023-01-01"], DAILY, DAILY) == ["2023-01-01"]


def test_nonexistent_upstream_raises_unless_allowed() -> None:
    with pytest.raises(NonexistentUpstreamPartitionsError, match="2023-01-01-00:00"):
        P.TimeWindowPartitionMapping().get_upstream_partition_keys(["2023-01-01"], DAILY, HOURLY)
    allowed = P.TimeWindowPartitionMapping(allow_nonexistent_upstream_partitions=True)
    keys = allowed.get_upstream_partition_keys(["2023-01-01", "2023-01-02"], DAILY, HOURLY)
    assert len(keys) == 24 and keys[0] == "2023-01-02-00:00"


def test_time_window_mapping_needs_time_definitions() -> None:
    with pytest.raises(InvalidPartitionsDefinitionError, match="time-window"):
        P.TimeWindowPartitionMapping().get_upstream_partition_keys(["a"], STATIC, STATIC)


def test_identity_all_last() -> None:
    assert P.IdentityPartitionMapping().get_upstream_partition_keys(["c", "a"], STATIC,
                                                                    STATIC) == ["a", "c"]
    with pytest.raises(NonexistentUpstreamPartitionsError, match="'z'"):
        P.IdentityPartitionMapping().get_upstream_partition_keys(["z"], STATIC, STATIC)
    with pytest.raises(InvalidPartitionsDefinitionError, match="AllPartitionMapping"):
        P.IdentityPartitionMapping().get_upstream_partition_keys(None, None, STATIC)
    assert list(P.AllPartitionMapping().get_upstream_partition_keys(None, None, STATIC)) == [
        "a", "b", "c",
    ]
    assert P.LastPartitionMapping().get_upstream_partition_keys(["x"], STATIC, STATIC) == ["c"]


def test_static_mapping() -> None:
    mapping = P.StaticPartitionMapping({"a": "x", "b": ["x", "y"], "c": "y"})
    downstream = P.StaticPartitionsDefinition(["x", "y"])
    assert mapping.get_upstream_partition_keys(["y"], downstream, STATIC) == ["b", "c"]
    with pytest.raises(NonexistentUpstreamPartitionsError, match="'q'"):
        P.StaticPartitionMapping({"q": "x"}).get_upstream_partition_keys(["x"], downstream,
                                                                          STATIC)


def test_multi_to_single_dimension() -> None:
    multi = P.MultiPartitionsDefinition({"letter": STATIC, "date": DAILY})
    mapping = P.MultiToSingleDimensionPartitionMapping()
    assert mapping.get_upstream_partition_keys(["2023-01-02|b", "2023-01-02|a"], multi,
                                               STATIC) == ["a", "b"]
    upstream = mapping.get_upstream_partition_keys(["b"], STATIC, multi)
    assert len(upstream) == 9 and all(key.endswith("|b") for key in upstream)
    with pytest.raises(InvalidPartitionsDefinitionError, match="partition_dimension_name"):
        mapping.get_upstream_partition_keys(["a"], P.StaticPartitionsDefinition(["a"]), multi)


def test_default_partition_mapping() -> None:
    assert isinstance(P.default_partition_mapping(STATIC, None), P.AllPartitionMapping)
    assert P.default_partition_mapping(HOURLY, DAILY) == P.TimeWindowPartitionMapping()
    assert isinstance(P.default_partition_mapping(STATIC, STATIC), P.IdentityPartitionMapping)
