"""Partitioned assets: output partition keys, input ranges through partition mappings."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import pytest

from reference_impl.errors import InvalidPartitionKeyError
from reference_impl.execution import AssetIn, asset, materialize
from reference_impl.partitions import (
    DailyPartitionsDefinition,
    PartitionKeyRange,
    StaticPartitionsDefinition,
    TimeWindowPartitionMapping,
)
from reference_impl.storage import FilesystemIOManager
from tests.reference_impl.execution.recording import RecordingIOManager

DAILY = DailyPartitionsDefinition(start_date="2023-01-01")


def test_daily_upstream_to_daily_downstream_on_the_filesystem(tmp_path: Path) -> None:
    @asset(partitions_def=DAILY)
    def up(context: Any) -> str:
        return f"up-{context.partition_key}"

    @asset(partitions_def=DAILY)
    def down(up: str) -> str:
        return up + "!"

    resources = {"io_manager": FilesystemIOManager(base_dir=str(tmp_path))}
    for key in ("2023-01-01", "2023-01-02"):
        assert materialize([up, down], resources=resources, partition_key=key).success

    assert pickle.loads((tmp_path / "up" / "2023-01-02").read_bytes()) == "up-2023-01-02"
    assert pickle.loads((tmp_path / "down" / "2023-01-01").read_bytes()) == "up-2023-01-01!"
    stored = sorted(p.name for p in (tmp_path / "down").iterdir() if not p.name.startswith("%@"))
    assert stored == ["2023-01-01", "2023-01-02"]  # "%@" names are the storage's layout markers


def test_partitioned_contexts_carry_keys_definitions_and_ranges() -> None:
    manager = RecordingIOManager()

    @asset(partitions_def=DAILY)
    def up() -> int:
        return 1

    @asset(partitions_def=DAILY,
           ins={"up": AssetIn(partition_mapping=TimeWindowPartitionMapping(start_offset=-1))})
    def down(up: Any) -> Any:
        return up

    materialize([up], resources={"io_manager": manager}, partition_key="2023-01-01")
    result = materialize([up, down], resources={"io_manager": manager},
                         partition_key="2023-01-02")

    output = manager.outputs[-1]
    assert output.asset_partition_key == "2023-01-02" and output.partition_key == "2023-01-02"
    assert output.asset_partitions_def is DAILY
    loaded = manager.inputs[-1]
    assert loaded.asset_partitions_def is DAILY
    assert loaded.asset_partition_key_range == PartitionKeyRange("2023-01-01", "2023-01-02")
    assert result.asset_value("down") == {"2023-01-01": 1, "2023-01-02": 1}


def test_static_upstream_to_unpartitioned_downstream_loads_a_dict(tmp_path: Path) -> None:
    static = StaticPartitionsDefinition(["a", "b"])

    @asset(partitions_def=static)
    def sup(context: Any) -> str:
        return str(context.partition_key).upper()

    @asset
    def agg(sup: dict[str, str]) -> dict[str, str]:
        return sup

    resources = {"io_manager": FilesystemIOManager(base_dir=str(tmp_path))}
    for key in ("a", "b"):
        materialize([sup], resources=resources, partition_key=key)
    result = materialize([sup, agg], resources=resources, selection=[agg])

    assert result.asset_value("agg") == {"a": "A", "b": "B"}
    assert pickle.loads((tmp_path / "agg").read_bytes()) == {"a": "A", "b": "B"}


def test_unpartitioned_asset_in_a_partitioned_run_is_stored_unpartitioned(tmp_path: Path) -> None:
    static = StaticPartitionsDefinition(["a", "b"])
    manager = RecordingIOManager()

    @asset(partitions_def=static)
    def sup() -> int:
        return 1

    @asset
    def agg(sup: Any) -> Any:
        return sup

    materialize([sup], resources={"io_manager": manager}, partition_key="b")
    materialize([sup, agg], resources={"io_manager": manager}, partition_key="a")

    agg_output = manager.outputs[-1]
    assert not agg_output.has_asset_partitions
    assert manager.inputs[-1].asset_partition_key_range == PartitionKeyRange("a", "b")
    assert manager.store[("asset", "agg")] == {"a": 1, "b": 1}


def test_partition_key_errors_are_typed() -> None:
    @asset(partitions_def=DAILY)
    def up() -> int:
        return 1

    with pytest.raises(InvalidPartitionKeyError, match="no partition key"):
        materialize([up])
    with pytest.raises(InvalidPartitionKeyError, match="not a partition"):
        materialize([up], partition_key="1999-01-01")


def test_mapping_with_no_upstream_partitions_gives_none_without_calling_the_manager() -> None:
    manager = RecordingIOManager()
    previous_day = TimeWindowPartitionMapping(start_offset=-1, end_offset=-1,
                                              allow_nonexistent_upstream_partitions=True)

    @asset(partitions_def=DAILY)
    def up() -> int:
        return 1

    @asset(partitions_def=DAILY, ins={"up": AssetIn(partition_mapping=previous_day)})
    def down(up: Any) -> Any:
        return up

    result = materialize([up, down], resources={"io_manager": manager},
                         partition_key="2023-01-01")

    assert result.asset_value("down") is None
    assert manager.inputs == []
