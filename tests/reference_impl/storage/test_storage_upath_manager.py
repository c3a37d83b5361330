"""UPathIOManager: layout, metadata, partitions (sync and async), extension checks."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import Any

import pytest
from upath import UPath

from reference_impl.context import build_input_context, build_output_context
from reference_impl.errors import (
    ConfigError,
    PartitionCountError,
    StoredValueNotFoundError,
    UnsafeKeyError,
)
from reference_impl.metadata import MetadataValue
from reference_impl.partitions import (
    DailyPartitionsDefinition,
    MultiPartitionKey,
    MultiPartitionsDefinition,
    PartitionKeyRange,
    StaticPartitionsDefinition,
)
from reference_impl.storage import UPathIOManager
from reference_impl.storage.layout import MARKER_PREFIX
from spec.contexts import InputContextLike, OutputContextLike

STATIC = StaticPartitionsDefinition(["p1", "p2", "p3", "p4"])


class JsonManager(UPathIOManager):
    extension = ".json"

    def dump_to_path(self, context: OutputContextLike, obj: Any, path: UPath) -> None:
        path.write_text(json.dumps(obj))

    def load_from_path(self, context: InputContextLike, path: UPath) -> Any:
        return json.loads(path.read_text())


class AsyncJsonManager(JsonManager):
    async def load_from_path(self, context: InputContextLike, path: UPath) -> Any:
        await asyncio.sleep(0)
        return json.loads(path.read_text())


MANAGERS = [JsonManager, AsyncJsonManager]


def store_partition(manager: UPathIOManager, key: str, value: Any,
                    asset: str = "x") -> None:
    manager.handle_output(build_output_context(
        asset_key=[asset], partition_key=key, asset_partitions_def=STATIC), value)


def load_range(manager: UPathIOManager, start: str, end: str, **metadata: Any) -> Any:
    return manager.load_input(build_input_context(
        asset_key=["x"], asset_partition_key_range=PartitionKeyRange(start, end),
        asset_partitions_def=STATIC, definition_metadata=metadata))


def files_under(root: Path) -> set[str]:
    """Stored data files (layout markers ``%@<kind>`` left out)."""
    return {str(p.relative_to(root)) for p in root.rglob("*")
            if p.is_file() and not p.name.startswith(MARKER_PREFIX)}


def test_layout_of_op_outputs_assets_and_partitions(tmp_path: Path) -> None:
    manager = JsonManager(UPath(str(tmp_path)))
    manager.handle_output(build_output_context(step_key="s", name="result", run_id="r1"), 1)
    manager.handle_output(build_output_context(step_key="s", name="out", run_id="r1",
                                               mapping_key="m1"), 2)
    manager.handle_output(build_output_context(step_key="s", name="result", version="v1"), 3)
    manager.handle_output(build_output_context(asset_key=["one", "two", "name.v2"]), 4)
    store_partition(manager, "p1", 5)
    assert files_under(tmp_path) == {
        "r1/s/result.json", "r1/s/out/m1.json", "versioned_outputs/v1/s/result.json",
        "one/two/name.v2.json", "x/p1.json",
    }


def test_multi_partition_layout_uses_dimension_name_order(tmp_path: Path) -> None:
    definition = MultiPartitionsDefinition({
        "date": DailyPartitionsDefinition(start_date="2023-01-01"),
        "color": StaticPartitionsDefinition(["red", "blue"]),
    })
    key = MultiPartitionKey({"date": "2023-01-02", "color": "red"})
    manager = JsonManager(UPath(str(tmp_path)))
    manager.handle_output(build_output_context(asset_key=["mp"], partition_key=key,
                                               asset_partitions_def=definition), 7)
    assert files_under(tmp_path) == {"mp/red/2023-01-02.json"}
    loaded = manager.load_input(build_input_context(asset_key=["mp"], partition_key=key,
                                                    asset_partitions_def=definition))
    assert loaded == 7


def test_multi_partition_backcompat_path_is_read(tmp_path: Path) -> None:
    definition = MultiPartitionsDefinition({
        "date": DailyPartitionsDefinition(start_date="2023-01-01"),
        "color": StaticPartitionsDefinition(["red", "blue"]),
    })
    (tmp_path / "mp").mkdir()
    (tmp_path / "mp" / "red|2023-01-02.json").write_text("11")
    key = MultiPartitionKey({"date": "2023-01-02", "color": "red"})
    for manager_class in MANAGERS:
        manager = manager_class(UPath(str(tmp_path)))
        assert manager.load_input(build_input_context(
            asset_key=["mp"], partition_key=key, asset_partitions_def=definition)) == 11


def test_run_id_named_versioned_outputs_does_not_collide(tmp_path: Path) -> None:
    manager = JsonManager(UPath(str(tmp_path)))
    unversioned = build_output_context(run_id="versioned_outputs", step_key="v", name="s",
                                       mapping_key="n")
    versioned = build_output_context(version="v", step_key="s", name="n")
    manager.handle_output(unversioned, "run")
    manager.handle_output(versioned, "version")
    assert manager.load_input(build_input_context(upstream_output=unversioned)) == "run"
    assert manager.load_input(build_input_context(upstream_output=versioned)) == "version"


def test_path_metadata_and_custom_metadata(tmp_path: Path) -> None:
    class WithMetadata(JsonManager):
        def get_metadata(self, context: OutputContextLike, obj: Any) -> dict[str, Any]:
            return {"length": len(obj) if obj is not None else 0}

    manager = WithMetadata(UPath(str(tmp_path)))
    context = build_output_context(asset_key=["a"])
    manager.handle_output(context, [1, 2])
    metadata = context.get_logged_metadata()
    assert metadata["path"] == MetadataValue.path(str(tmp_path / "a.json"))
    assert metadata["length"] == MetadataValue.int(2)
    none_context = build_output_context(asset_key=["b"])
    manager.handle_output(none_context, None)
    assert "path" not in none_context.get_logged_metadata()
    assert (tmp_path / "b.json").exists()


@pytest.mark.parametrize("extension", ["json", "a.json", ".", "./x", ".a/b"])
def test_malformed_extension_is_a_config_error(tmp_path: Path, extension: str) -> None:
    class Bad(JsonManager):
        pass

    Bad.extension = extension
    with pytest.raises(ConfigError, match="extension"):
        Bad(UPath(str(tmp_path)))


def test_default_base_path_is_the_working_directory() -> None:
    assert str(JsonManager().base_path) == "."


@pytest.mark.parametrize("manager_class", MANAGERS)
def test_partition_shapes(tmp_path: Path, manager_class: type[UPathIOManager]) -> None:
    """IOM-PART-004/005/009: one → bare value, several → aligned dict, none → None."""
    manager = manager_class(UPath(str(tmp_path)))
    for index, key in enumerate(["p1", "p2", "p3"]):
        store_partition(manager, key, index)
    assert load_range(manager, "p2", "p2") == 1
    assert load_range(manager, "p1", "p3") == {"p1": 0, "p2": 1, "p3": 2}
    assert list(load_range(manager, "p1", "p3")) == ["p1", "p2", "p3"]
    assert load_range(manager, "p3", "p1") is None


@pytest.mark.parametrize("manager_class", MANAGERS)
def test_missing_partitions_raise_or_are_skipped_without_misalignment(
        tmp_path: Path, manager_class: type[UPathIOManager]) -> None:
    """IOM-PART-007/008: a missing partition raises a FileNotFoundError naming it; allowed,
    it is left out and every other key keeps its own value (Dagster's async path re-keys)."""
    manager = manager_class(UPath(str(tmp_path)))
    for key, value in {"p1": "A", "p3": "C", "p4": "D"}.items():
        store_partition(manager, key, value)
    with pytest.raises(StoredValueNotFoundError, match="'p2'") as raised:
        load_range(manager, "p1", "p4")
    assert isinstance(raised.value, FileNotFoundError)
    assert load_range(manager, "p1", "p4", allow_missing_partitions=True) == {
        "p1": "A", "p3": "C", "p4": "D"}
    assert load_range(manager, "p2", "p2", allow_missing_partitions=True) is None


@pytest.mark.parametrize("manager_class", MANAGERS)
def test_stored_none_is_kept_in_range_dicts(tmp_path: Path,
                                            manager_class: type[UPathIOManager]) -> None:
    """IOM-PART-017 (deviation): a stored None stays in the dict; Dagster drops it."""
    manager = manager_class(UPath(str(tmp_path)))
    store_partition(manager, "p1", None)
    store_partition(manager, "p2", 2)
    assert load_range(manager, "p1", "p2") == {"p1": None, "p2": 2}


def test_async_load_works_inside_a_running_event_loop(tmp_path: Path) -> None:
    """Deviation: Dagster calls asyncio.run and fails inside a running loop."""
    manager = AsyncJsonManager(UPath(str(tmp_path)))
    store_partition(manager, "p1", 1)
    store_partition(manager, "p2", 2)
    manager.handle_output(build_output_context(asset_key=["single"]), "s")

    async def main() -> tuple[Any, Any]:
        ranged = load_range(manager, "p1", "p2")
        single = manager.load_input(build_input_context(asset_key=["single"]))
        return ranged, single

    assert asyncio.run(main()) == ({"p1": 1, "p2": 2}, "s")


def test_async_partitions_load_concurrently(tmp_path: Path) -> None:
    """Deviation check: partitions are awaited together, so 8 loads of 0.1 s take ~0.1 s."""
    active = 0
    peak = 0

    class Slow(JsonManager):
        async def load_from_path(self, context: InputContextLike, path: UPath) -> Any:
            nonlocal active, peak
            active += 1
            peak = max(peak, active)
            await asyncio.sleep(0.05)
            active -= 1
            return json.loads(path.read_text())

    manager = Slow(UPath(str(tmp_path)))
    for key in ["p1", "p2", "p3", "p4"]:
        store_partition(manager, key, key)
    assert load_range(manager, "p1", "p4") == {k: k for k in ["p1", "p2", "p3", "p4"]}
    assert peak == 4


def test_output_covering_several_partitions_is_refused(tmp_path: Path) -> None:
    """IOM-PART-010: nothing is written for an output spanning a range."""
    manager = JsonManager(UPath(str(tmp_path)))
    context = build_output_context(asset_key=["x"], asset_partitions_def=STATIC,
                                   asset_partition_key_range=PartitionKeyRange("p1", "p2"))
    with pytest.raises(PartitionCountError, match="2 partitions"):
        manager.handle_output(context, {"p1": 1})
    assert files_under(tmp_path) == set()


@pytest.mark.parametrize("manager_class", MANAGERS)
def test_missing_single_value_is_typed(tmp_path: Path,
                                       manager_class: type[UPathIOManager]) -> None:
    """IOM-STORE-005, IOM-SEC-004: the error names the path and the identifier."""
    manager = manager_class(UPath(str(tmp_path)))
    upstream = build_output_context(step_key="s", name="result", run_id="r9")
    with pytest.raises(StoredValueNotFoundError, match=r"r9/s/result\.json.*'r9', 's'"):
        manager.load_input(build_input_context(upstream_output=upstream))


def test_prefix_keys_conflict_is_a_typed_error_and_keeps_values(tmp_path: Path) -> None:
    """IOM-SEC-002/003: ["a"] and ["a", ""] cannot both be files; the second store is refused
    with a typed error and the first value still loads."""
    manager = JsonManager(UPath(str(tmp_path)))
    manager.handle_output(build_output_context(asset_key=["k"]), 1)
    manager.handle_output(build_output_context(asset_key=["d", "x"]), 2)
    with pytest.raises(UnsafeKeyError):
        manager.handle_output(build_output_context(asset_key=["k.json", "z"]), 3)
    with pytest.raises(UnsafeKeyError, match="directory"):
        os.makedirs(tmp_path / "e.json")
        manager.handle_output(build_output_context(asset_key=["e"]), 4)
    assert manager.load_input(build_input_context(asset_key=["k"])) == 1
    assert manager.load_input(build_input_context(asset_key=["d", "x"])) == 2


def test_partitioned_transition_replaces_the_unpartitioned_file(tmp_path: Path) -> None:
    class Plain(JsonManager):
        extension = ""

    manager = Plain(UPath(str(tmp_path)))
    manager.handle_output(build_output_context(asset_key=["x"]), "old")
    store_partition(manager, "p1", "new")
    assert files_under(tmp_path) == {"x/p1"}
    assert load_range(manager, "p1", "p1") == "new"


def test_memory_filesystem_round_trip() -> None:
    root = UPath(f"memory://storage-tests/{os.getpid()}-{id(object())}")
    manager = AsyncJsonManager(root)
    store_partition(manager, "p1", 1)
    store_partition(manager, "p2", 2)
    context = build_output_context(asset_key=["a", "b"])
    manager.handle_output(context, {"v": 1})
    assert context.get_logged_metadata()["path"] == MetadataValue.path(str(root / "a" / "b.json"))
    assert manager.load_input(build_input_context(asset_key=["a", "b"])) == {"v": 1}
    assert load_range(manager, "p1", "p2") == {"p1": 1, "p2": 2}
