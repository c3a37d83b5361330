"""IOM-ID-011/012: identifiers that Dagster's layout maps to one path never overwrite (or are
read as) each other: asset ["x","a"] vs partition "a" of asset ["x"], asset [run, step, name]
vs that op output. Checked on the local fast path and on the generic UPath path."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from upath import UPath

from reference_impl.context import build_input_context, build_output_context
from reference_impl.errors import StoredValueNotFoundError, UnsafeKeyError
from reference_impl.partitions import PartitionKeyRange, StaticPartitionsDefinition
from reference_impl.storage import PickledObjectFilesystemIOManager
from spec.contexts import InputContextLike

POOL = ["x", "a", "b"]
PARTS = StaticPartitionsDefinition(POOL)


class GenericPickleManager(PickledObjectFilesystemIOManager):
    """Overrides a hook, so it takes the generic UPath path (no local fast path)."""

    def load_from_path(self, context: InputContextLike, path: UPath) -> Any:
        return super().load_from_path(context, path)


def managers(root: Path) -> list[PickledObjectFilesystemIOManager]:
    return [PickledObjectFilesystemIOManager(str(root / "fast")),
            GenericPickleManager(str(root / "generic"))]


def test_fast_path_is_used_only_without_overridden_hooks(tmp_path: Path) -> None:
    fast, generic = managers(tmp_path)
    assert fast._local is not None and generic._local is None
    assert PickledObjectFilesystemIOManager("memory://bucket/x")._local is None


def store(manager: Any, key: list[str], value: Any, partition: str | None = None) -> None:
    if partition is None:
        manager.handle_output(build_output_context(asset_key=key), value)
    else:
        manager.handle_output(build_output_context(
            asset_key=key, partition_key=partition, asset_partitions_def=PARTS), value)


def load(manager: Any, key: list[str], partition: str | None = None) -> Any:
    if partition is None:
        return manager.load_input(build_input_context(asset_key=key))
    return manager.load_input(build_input_context(
        asset_key=key, partition_key=partition, asset_partitions_def=PARTS))


@pytest.mark.parametrize("order", ["asset-first", "partition-first"])
def test_asset_and_partition_at_one_path_are_refused(tmp_path: Path, order: str) -> None:
    for manager in managers(tmp_path):
        if order == "asset-first":
            store(manager, ["x", "a"], "asset")
            with pytest.raises(UnsafeKeyError, match=r"partition 'a' of asset \['x'\].*"
                                                     r"asset \['x', 'a'\]"):
                store(manager, ["x"], "partition", "a")
            assert load(manager, ["x", "a"]) == "asset"
            with pytest.raises(StoredValueNotFoundError, match="asset"):
                load(manager, ["x"], "a")
        else:
            store(manager, ["x"], "partition", "a")
            with pytest.raises(UnsafeKeyError, match=r"asset \['x', 'a'\].*partition 'a'"):
                store(manager, ["x", "a"], "asset")
            assert load(manager, ["x"], "a") == "partition"
            with pytest.raises(StoredValueNotFoundError, match="partition"):
                load(manager, ["x", "a"])
            # a sibling asset is refused too: it would later be read as partition "b"
            with pytest.raises(UnsafeKeyError):
                store(manager, ["x", "b"], "asset")


def test_missing_partitions_in_an_asset_directory_are_missing(tmp_path: Path) -> None:
    for manager in managers(tmp_path):
        store(manager, ["x", "a"], "asset")
        context = build_input_context(asset_key=["x"], asset_partitions_def=PARTS,
                                      asset_partition_key_range=PartitionKeyRange("x", "b"),
                                      definition_metadata={"allow_missing_partitions": True})
        assert manager.load_input(context) == {}


def test_asset_spelling_an_op_output_path_is_refused(tmp_path: Path) -> None:
    for manager in managers(tmp_path):
        output = build_output_context(run_id="r", step_key="s", name="result")
        manager.handle_output(output, "op")
        with pytest.raises(UnsafeKeyError, match="op output"):
            store(manager, ["r", "s", "result"], "asset")
        with pytest.raises(StoredValueNotFoundError, match="op output"):
            load(manager, ["r", "s", "result"])
        assert manager.load_input(build_input_context(upstream_output=output)) == "op"
        store(manager, ["q", "s", "result"], "asset")
        with pytest.raises(UnsafeKeyError, match="asset"):
            manager.handle_output(build_output_context(run_id="q", step_key="s",
                                                       name="other"), "op")


def test_legacy_directory_without_markers(tmp_path: Path) -> None:
    """Directories written by Dagster (no markers) stay usable; a partition is not written over
    an existing file there, since it may be an unpartitioned asset."""
    for writer in managers(tmp_path):
        root = Path(str(writer.base_path))
        store(writer, ["x"], "p", "a")
        for marker in root.rglob("%@*"):
            marker.unlink()
        manager = type(writer)(str(root))  # a new process: nothing remembered
        assert load(manager, ["x"], "a") == "p"
        with pytest.raises(UnsafeKeyError, match="without layout markers"):
            store(manager, ["x"], "p2", "a")
        store(manager, ["x"], "q", "b")
        assert load(manager, ["x"], "b") == "q"
        assert load(manager, ["x"], "a") == "p"


def test_markers_are_not_key_paths(tmp_path: Path) -> None:
    """The marker names are never produced by the key encoding, so keys equal to them work."""
    manager = PickledObjectFilesystemIOManager(str(tmp_path))
    for key in (["%@assets"], ["x", "%@partitions"], ["%@outputs", "y"]):
        store(manager, key, key)
        assert load(manager, key) == key


def test_symlinked_directory_out_of_the_root_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    root = tmp_path / "root"
    root.mkdir()
    (root / "link").symlink_to(outside)
    manager = PickledObjectFilesystemIOManager(str(root))
    with pytest.raises(UnsafeKeyError, match="not inside"):
        store(manager, ["link", "a"], 1)
    (outside / "secret").write_bytes(b"x")
    with pytest.raises(UnsafeKeyError):
        load(manager, ["link", "secret"])
    os.symlink(outside / "secret", root / "direct")
    with pytest.raises(UnsafeKeyError):
        load(manager, ["direct"])
    assert sorted(os.listdir(outside)) == ["secret"]


OPERATION = st.one_of(
    st.tuples(st.just("asset"), st.lists(st.sampled_from(POOL), min_size=1, max_size=2),
              st.none()),
    st.tuples(st.just("partition"), st.lists(st.sampled_from(POOL), min_size=1, max_size=2),
              st.sampled_from(POOL)),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(OPERATION, min_size=1, max_size=8), st.booleans())
def test_interleavings_never_overwrite_silently(
        tmp_path_factory: pytest.TempPathFactory,
        operations: list[tuple[str, list[str], str | None]], generic: bool) -> None:
    """IOM-ID-011/012: for any interleaving of unpartitioned and partitioned stores over small
    overlapping pools, every successful store loads back its own value, every refusal is an
    UnsafeKeyError, and refused stores leave all earlier values intact. (Storing a partition
    of an asset whose unpartitioned value exists replaces that value, as in Dagster.)"""
    root = tmp_path_factory.mktemp("interleave")
    manager_class = GenericPickleManager if generic else PickledObjectFilesystemIOManager
    manager = manager_class(str(root))
    stored: dict[tuple[tuple[str, ...], str | None], Any] = {}
    for index, (kind, key, partition) in enumerate(operations):
        value = (index, kind, tuple(key), partition)
        try:
            store(manager, key, value, partition)
        except UnsafeKeyError:
            pass
        else:
            if partition is not None:
                stored.pop((tuple(key), None), None)  # documented transition
            stored[(tuple(key), partition)] = value
        for (stored_key, stored_partition), expected in stored.items():
            assert load(manager, list(stored_key), stored_partition) == expected


def test_interleaving_examples(tmp_path: Path) -> None:
    """Explicit cases of the property above that a search might not hit."""
    for manager in managers(tmp_path):
        store(manager, ["x", "b"], "asset")
        with pytest.raises(UnsafeKeyError):
            store(manager, ["x"], "p", "a")  # would later let partition b shadow ["x","b"]
        store(manager, ["a"], "p", "x")
        with pytest.raises(UnsafeKeyError):
            store(manager, ["a", "x"], "p", "b")  # partitioned asset inside a partition dir
        assert load(manager, ["x", "b"]) == "asset"
        assert load(manager, ["a"], "x") == "p"


