"""conformance.strategies.dataframes and the partition-column binding of conformance.field."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from hypothesis import given

pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")
dg = pytest.importorskip("dagster")

from conformance import PartitionShares  # noqa: E402
from conformance.equality import frames_equal  # noqa: E402
from conformance.field.binding import PartitionColumnBinding  # noqa: E402
from conformance.strategies.dataframes import (  # noqa: E402
    STATIC_PLACEHOLDER,
    TIME_PLACEHOLDER,
    PartitionKind,
    concat_frames,
    fill_partition_column,
    pandas_frames,
    polars_frames,
)

pytestmark = pytest.mark.field
COLUMNS: dict[str, PartitionKind] = {"color": "static", "ts": "time"}


@given(pandas_frames(partition_columns=COLUMNS))
def test_pandas_frames_schema(frame: Any) -> None:
    assert list(frame.columns) == ["id", "value", "label", "color", "ts"]
    assert [str(t) for t in frame.dtypes] == [
        "int64",
        "float64",
        "object",
        "object",
        "datetime64[ns]",
    ]
    assert set(frame["color"]) <= {STATIC_PLACEHOLDER}
    assert set(frame["ts"]) <= {pd.Timestamp(TIME_PLACEHOLDER)}
    assert not frame["value"].isna().any()


@given(polars_frames(partition_columns=COLUMNS))
def test_polars_frames_schema(frame: Any) -> None:
    assert frame.columns == ["id", "value", "label", "color", "ts"]
    assert frame.dtypes == [pl.Int64, pl.Float64, pl.String, pl.String, pl.Datetime("us")]


@given(pandas_frames(partition_columns=COLUMNS) | polars_frames(partition_columns=COLUMNS))
def test_fill_does_not_modify_the_input(frame: Any) -> None:
    before = frame.clone() if isinstance(frame, pl.DataFrame) else frame.copy()
    filled = fill_partition_column(frame, "color", "red")
    assert frames_equal(frame, before)
    assert filled.columns[-2] == "color" if len(filled.columns) > 1 else True
    assert frames_equal(fill_partition_column(filled, "color", STATIC_PLACEHOLDER), frame)


class _Recorder:
    def __init__(self) -> None:
        self.stored: object = None

    def handle_output(self, context: Any, obj: object) -> None:
        self.stored = obj

    def load_input(self, context: Any) -> object:
        return self.stored


def _daily() -> Any:
    return dg.DailyPartitionsDefinition(
        start_date="2024-01-01", end_date="2024-01-10", timezone="Europe/Berlin"
    )


def test_binding_fills_the_partition_being_stored_and_checks_loads() -> None:
    recorder = _Recorder()
    binding = PartitionColumnBinding(recorder, {"static": "color", "time": "ts"})
    frame = pd.DataFrame({"id": [1, 2]})
    frame = fill_partition_column(
        fill_partition_column(frame, "color", STATIC_PLACEHOLDER), "ts", TIME_PLACEHOLDER
    )
    parts = dg.StaticPartitionsDefinition(["red", "blue"])
    out = dg.build_output_context(asset_key="x", partition_key="red", asset_partitions_def=parts)
    binding.handle_output(out, frame)
    assert list(recorder.stored["color"]) == ["red", "red"]  # type: ignore[index]
    red = dg.build_input_context(asset_key="x", partition_key="red", asset_partitions_def=parts)
    assert frames_equal(binding.load_input(red), frame)
    blue = dg.build_input_context(asset_key="x", partition_key="blue", asset_partitions_def=parts)
    with pytest.raises(AssertionError, match="outside the requested partitions"):
        binding.load_input(blue)
    daily = _daily()
    out = dg.build_output_context(
        asset_key="x", partition_key="2024-01-02", asset_partitions_def=daily
    )
    binding.handle_output(out, frame)
    assert set(recorder.stored["ts"]) == {pd.Timestamp(datetime.datetime(2024, 1, 2))}  # type: ignore[index]
    day = dg.build_input_context(
        asset_key="x", partition_key="2024-01-02", asset_partitions_def=daily
    )
    assert frames_equal(binding.load_input(day), frame)
    other = dg.build_input_context(
        asset_key="x", partition_key="2024-01-03", asset_partitions_def=daily
    )
    with pytest.raises(AssertionError):
        binding.load_input(other)


def test_binding_leaves_unpartitioned_and_non_frames_alone() -> None:
    recorder = _Recorder()
    binding = PartitionColumnBinding(recorder, {"static": "color"})
    binding.handle_output(dg.build_output_context(asset_key="x"), "text")
    assert recorder.stored == "text"
    assert binding.load_input(dg.build_input_context(asset_key="x")) == "text"


def test_binding_stamps_and_concatenates_the_shares_of_a_range_output() -> None:
    """IOM-PART-018 convention: a ``PartitionShares`` for a range becomes one frame whose rows
    carry their own partition; a range load checks the rows against the whole range."""
    recorder = _Recorder()
    binding = PartitionColumnBinding(recorder, {"static": "color", "time": "ts"})
    one = fill_partition_column(pd.DataFrame({"id": [1]}), "color", STATIC_PLACEHOLDER)
    two = fill_partition_column(pd.DataFrame({"id": [2, 3]}), "color", STATIC_PLACEHOLDER)
    parts = dg.StaticPartitionsDefinition(["red", "green", "blue"])
    span = dg.PartitionKeyRange("red", "green")
    out = dg.build_output_context(
        asset_key="x", asset_partitions_def=parts, asset_partition_key_range=span
    )
    binding.handle_output(out, PartitionShares({"red": one, "green": two}))
    stored = recorder.stored
    assert list(stored["id"]) == [1, 2, 3]  # type: ignore[index]
    assert list(stored["color"]) == ["red", "green", "green"]  # type: ignore[index]
    assert list(stored.index) == [0, 1, 2]  # type: ignore[attr-defined]
    both = dg.build_input_context(
        asset_key="x", asset_partitions_def=parts, asset_partition_key_range=span
    )
    assert frames_equal(binding.load_input(both), concat_frames([one, two]))
    red = dg.build_input_context(asset_key="x", partition_key="red", asset_partitions_def=parts)
    with pytest.raises(AssertionError, match="outside the requested partitions"):
        binding.load_input(red)  # the stored frame also holds green rows

    daily = _daily()
    days = dg.PartitionKeyRange("2024-01-02", "2024-01-03")
    frames = [
        fill_partition_column(pl.DataFrame({"id": [i]}), "ts", TIME_PLACEHOLDER) for i in (1, 2)
    ]
    out = dg.build_output_context(
        asset_key="x", asset_partitions_def=daily, asset_partition_key_range=days
    )
    shares = dict(zip(["2024-01-02", "2024-01-03"], frames, strict=True))
    binding.handle_output(out, PartitionShares(shares))
    assert recorder.stored.get_column("ts").to_list() == [  # type: ignore[attr-defined]
        datetime.datetime(2024, 1, 2),
        datetime.datetime(2024, 1, 3),
    ]
    window = dg.build_input_context(
        asset_key="x", asset_partitions_def=daily, asset_partition_key_range=days
    )
    assert frames_equal(binding.load_input(window), concat_frames(frames))


def test_binding_passes_other_range_values_through() -> None:
    recorder = _Recorder()
    binding = PartitionColumnBinding(recorder, {"static": "color"})
    parts = dg.StaticPartitionsDefinition(["red", "green", "blue"])
    out = dg.build_output_context(
        asset_key="x",
        asset_partitions_def=parts,
        asset_partition_key_range=dg.PartitionKeyRange("red", "green"),
    )
    frame = pd.DataFrame({"id": [1]})
    binding.handle_output(out, frame)  # not shares: the manager decides (IOM-PART-010)
    assert recorder.stored is frame
    wrong_keys = PartitionShares({"red": frame, "blue": frame})
    binding.handle_output(out, wrong_keys)
    assert recorder.stored is wrong_keys
