"""Tests of ``MultiPartitionsDefinition`` and ``MultiPartitionKey``."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

import reference_impl.partitions as P
from reference_impl.errors import (
    InvalidPartitionKeyError,
    InvalidPartitionsDefinitionError,
    NotTimePartitionedError,
)

COLORS = ["red", "green", "blue"]


def _color_by_day(days: int = 4) -> P.MultiPartitionsDefinition:
    end = f"2023-01-{1 + days:02d}"
    return P.MultiPartitionsDefinition(
        {"date": P.DailyPartitionsDefinition("2023-01-01", end_date=end),
         "color": P.StaticPartitionsDefinition(COLORS)}
    )


def test_multi_partition_key_is_the_joined_string() -> None:
    key = P.MultiPartitionKey({"b": "1", "a": "2"})
    assert key == "2|1" and hash(key) == hash("2|1")
    assert key.keys_by_dimension == {"a": "2", "b": "1"}
    clone = pickle.loads(pickle.dumps(key))
    assert clone == key and clone.keys_by_dimension == key.keys_by_dimension


def test_dimensions_are_sorted_and_the_first_varies_slowest() -> None:
    definition = _color_by_day(2)
    assert definition.partition_dimension_names == ["color", "date"]
    assert list(definition.get_partition_keys()) == [
        "red|2023-01-01", "red|2023-01-02", "green|2023-01-01", "green|2023-01-02",
        "blue|2023-01-01", "blue|2023-01-02",
    ]


def test_time_dimension_and_primary_dimension() -> None:
    definition = _color_by_day()
    assert definition.time_window_dimension.name == "date"
    assert definition.primary_dimension.name == "date"
    statics = P.MultiPartitionsDefinition(
        {"y": P.StaticPartitionsDefinition(["1"]), "x": P.StaticPartitionsDefinition(["2"])}
    )
    assert statics.primary_dimension.name == "x"
    with pytest.raises(NotTimePartitionedError):
        _ = statics.time_window_dimension


@pytest.mark.parametrize("count", [1, 3])
def test_exactly_two_dimensions(count: int) -> None:
    defs = {f"d{i}": P.StaticPartitionsDefinition(["a"]) for i in range(count)}
    with pytest.raises(InvalidPartitionsDefinitionError, match="exactly 2 dimensions"):
        P.MultiPartitionsDefinition(defs)


@pytest.mark.parametrize("bad", ["a|b", "a,b", "[a", "a]"])
def test_static_dimensions_forbid_separator_characters(bad: str) -> None:
    with pytest.raises(InvalidPartitionsDefinitionError, match="invalid substrings"):
        P.MultiPartitionsDefinition(
            {"x": P.StaticPartitionsDefinition([bad]), "y": P.StaticPartitionsDefinition(["a"])}
        )


def test_get_partition_key_from_str() -> None:
    definition = _color_by_day()
    key = definition.get_partition_key_from_str("red|2023-01-02")
    assert key.keys_by_dimension == {"color": "red", "date": "2023-01-02"}
    with pytest.raises(InvalidPartitionKeyError, match="Expected 2 partition keys"):
        definition.get_partition_key_from_str("red")
    assert not definition.has_partition_key("2023-01-02|red")
    assert definition.has_partition_key("red|2023-01-02")


def test_rectangle_and_reversed_ranges() -> None:
    definition = _color_by_day()
    rect = definition.get_partition_keys_in_range(
        P.PartitionKeyRange("red|2023-01-02", "green|2023-01-03")
    )
    assert list(rect) == ["red|2023-01-02", "red|2023-01-03", "green|2023-01-02",
                          "green|2023-01-03"]
    reversed_in_time = definition.get_partition_keys_in_range(
        P.PartitionKeyRange("red|2023-01-03", "blue|2023-01-02")
    )
    assert list(reversed_in_time) == []
    with pytest.raises(InvalidPartitionKeyError, match="purple"):
        definition.get_partition_keys_in_range(P.PartitionKeyRange("red|2023-01-01",
                                                                   "purple|2023-01-01"))


def test_time_window_of_a_multi_range_uses_the_time_dimension() -> None:
    window = P.time_window_for_partition_key_range(
        _color_by_day(), P.PartitionKeyRange("red|2023-01-02", "red|2023-01-04")
    )
    assert window == P.TimeWindow(
        datetime(2023, 1, 2, tzinfo=UTC), datetime(2023, 1, 5, tzinfo=UTC)
    )


@given(data=st.data())
def test_ranges_are_rectangles(data: st.DataObject) -> None:
    """IOM-PART-013: the keys of a multi range are the product of the per-dimension sub-ranges,
    the first dimension (by name) varying slowest; reversed in any dimension → empty."""
    definition = _color_by_day(5)
    days = list(definition.get_partitions_def_for_dimension("date").get_partition_keys())
    pick = st.integers(0, 4)
    c0, c1 = data.draw(st.integers(0, 2)), data.draw(st.integers(0, 2))
    d0, d1 = data.draw(pick), data.draw(pick)
    start, end = f"{COLORS[c0]}|{days[d0]}", f"{COLORS[c1]}|{days[d1]}"
    expected = [f"{color}|{day}" for color in COLORS[c0 : c1 + 1] for day in days[d0 : d1 + 1]]
    assert list(definition.get_partition_keys_in_range(P.PartitionKeyRange(start, end))) == (
        expected
    )
