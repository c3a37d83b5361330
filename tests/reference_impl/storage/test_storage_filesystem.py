"""PickledObjectFilesystemIOManager, FilesystemIOManager, fs_io_manager and the in-memory one."""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from upath import UPath

from reference_impl.context import build_input_context, build_output_context
from reference_impl.definitions import initialize_io_manager
from reference_impl.errors import (
    CorruptStoredValueError,
    StoredValueMissingKeyError,
    StoredValueNotFoundError,
    UnpicklableValueError,
)
from reference_impl.storage import (
    FilesystemIOManager,
    InMemoryIOManager,
    PickledObjectFilesystemIOManager,
    fs_io_manager,
    mem_io_manager,
)
from reference_impl.storage.base_dir import read_local_artifact_storage_dir, resolve_base_dir


def asset_round_trip(manager: Any, key: list[str], value: Any) -> Any:
    manager.handle_output(build_output_context(asset_key=key), value)
    return manager.load_input(build_input_context(asset_key=key))


def test_seed_example_asset_path(tmp_path: Path) -> None:
    """Seed: AssetKey(["one","two","three"]) is stored in a file "three" in <base>/one/two/."""
    manager = initialize_io_manager(FilesystemIOManager(base_dir=str(tmp_path)))
    assert asset_round_trip(manager, ["one", "two", "three"], [1, 2]) == [1, 2]
    with open(tmp_path / "one" / "two" / "three", "rb") as handle:
        assert pickle.load(handle) == [1, 2]


def test_op_output_round_trip_and_overwrite(tmp_path: Path) -> None:
    """IOM-STORE-001/003: the stored file is a protocol-4 pickle; storing again replaces it."""
    manager = PickledObjectFilesystemIOManager(str(tmp_path))
    output = build_output_context(step_key="op_a", name="result", run_id="RUN1")
    manager.handle_output(output, {"a": 1})
    manager.handle_output(build_output_context(step_key="op_a", name="result", run_id="RUN1"),
                          {"a": 2})
    assert manager.load_input(build_input_context(upstream_output=output)) == {"a": 2}
    data = (tmp_path / "RUN1" / "op_a" / "result").read_bytes()
    assert data[:2] == b"\x80\x04"


@pytest.mark.parametrize("bad", [lambda: 1, pytest.param("local", id="local-function"),
                                 pytest.param("recursive", id="recursion")])
def test_failed_pickle_keeps_the_previous_value(tmp_path: Path, bad: Any) -> None:
    """IOM-STORE-007 (deviation: Dagster truncates the file in place)."""
    if bad == "local":
        def bad() -> None: ...
    elif bad == "recursive":
        nested: list[Any] = []
        for _ in range(100_000):
            nested = [nested]
        bad = nested
    manager = PickledObjectFilesystemIOManager(str(tmp_path))
    manager.handle_output(build_output_context(asset_key=["a"]), "good")
    with pytest.raises(UnpicklableValueError, match="not picklable"):
        manager.handle_output(build_output_context(asset_key=["a"]), bad)
    assert manager.load_input(build_input_context(asset_key=["a"])) == "good"
    assert sorted(os.listdir(tmp_path)) == ["%@assets", "a"]


def test_corrupt_file_names_the_path(tmp_path: Path) -> None:
    manager = PickledObjectFilesystemIOManager(str(tmp_path))
    manager.handle_output(build_output_context(asset_key=["a"]), list(range(1000)))
    data = (tmp_path / "a").read_bytes()
    (tmp_path / "a").write_bytes(data[: len(data) // 2])
    with pytest.raises(CorruptStoredValueError, match=str(tmp_path / "a")):
        manager.load_input(build_input_context(asset_key=["a"]))


def test_missing_value_names_path_and_identifier(tmp_path: Path) -> None:
    manager = PickledObjectFilesystemIOManager(str(tmp_path))
    with pytest.raises(StoredValueNotFoundError, match=r"missing.*asset \['missing'\]"):
        manager.load_input(build_input_context(asset_key=["missing"]))


@pytest.mark.parametrize("key", [[".."], ["..", "c"], ["a", ".."], ["/abs"], ["x", "/abs"],
                                 [""], ["a", ""], ["."], ["a/b"], ["a\\b"], ["é" * 150]])
def test_adversarial_asset_keys_stay_inside_base_dir(tmp_path: Path, key: list[str]) -> None:
    """IOM-SEC-001/002 (deviation: Dagster writes ["..", "c"] outside base_dir)."""
    base = tmp_path / "base"
    manager = PickledObjectFilesystemIOManager(str(base))
    assert asset_round_trip(manager, key, key) == key
    assert os.listdir(tmp_path) == ["base"]


def test_colliding_keys_are_isolated(tmp_path: Path) -> None:
    """IOM-ID-011/012: keys that collide under a naive join are stored separately."""
    manager = PickledObjectFilesystemIOManager(str(tmp_path))
    keys = [["a/b", "c"], ["%a%2Fb", "c"], ["x", "/abs"], ["/abs"], ["x_y"], ["p", "."]]
    for key in keys:
        manager.handle_output(build_output_context(asset_key=key), key)
    for key in keys:
        assert manager.load_input(build_input_context(asset_key=key)) == key


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.text(max_size=8), min_size=1, max_size=3), min_size=1, max_size=6,
                unique_by=tuple))
def test_random_keys_round_trip_in_isolation(tmp_path_factory: pytest.TempPathFactory,
                                             keys: list[list[str]]) -> None:
    """IOM-ID-011, IOM-SEC-001/002: every key that can be stored loads back its own value;
    keys that would need a stored file as a directory are refused with a typed error; nothing
    is written outside the root."""
    base = tmp_path_factory.mktemp("random") / "base"
    manager = PickledObjectFilesystemIOManager(str(base), fsync=False)
    stored: dict[tuple[str, ...], list[str]] = {}
    for key in keys:
        try:
            manager.handle_output(build_output_context(asset_key=key), key)
        except ValueError:  # UnsafeKeyError: a prefix key occupies the path
            continue
        stored[tuple(key)] = key
    for parts, value in stored.items():
        assert manager.load_input(build_input_context(asset_key=list(parts))) == value
    assert os.listdir(base.parent) == ["base"]


def test_memory_url_base_dir(tmp_path: Path) -> None:
    manager = PickledObjectFilesystemIOManager(f"memory://fs-tests/{os.getpid()}")
    output = build_output_context(step_key="s", name="result", run_id="r")
    manager.handle_output(output, b"x" * 10)
    metadata = output.get_logged_metadata()
    assert metadata["path"].value == f"memory://fs-tests/{os.getpid()}/r/s/result"
    assert manager.load_input(build_input_context(upstream_output=output)) == b"x" * 10
    manager.handle_output(build_output_context(asset_key=["a"]), "v")
    with pytest.raises(UnpicklableValueError):
        manager.handle_output(build_output_context(asset_key=["a"]), lambda: 0)
    assert manager.load_input(build_input_context(asset_key=["a"])) == "v"


def test_base_dir_resolution_order(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    assert resolve_base_dir("/configured", {"DAGSTER_HOME": str(home)}) == "/configured"
    assert resolve_base_dir(None, {"DAGSTER_HOME": str(home)}) == str(home / "storage")
    (home / "dagster.yaml").write_text(
        "run_storage:\n  module: x\nlocal_artifact_storage:\n  module: dagster._core.storage.root\n"
        "  class: LocalArtifactStorage\n  config:\n    base_dir: '/artifacts'  # comment\n"
    )
    assert resolve_base_dir("", {"DAGSTER_HOME": str(home)}) == "/artifacts/storage"
    fallback = resolve_base_dir(None, {})
    assert fallback.endswith("storage") and os.path.isdir(os.path.dirname(fallback))


def test_yaml_reader_ignores_other_base_dirs(tmp_path: Path) -> None:
    yaml = tmp_path / "dagster.yaml"
    yaml.write_text("compute_logs:\n  config:\n    base_dir: /logs\n")
    assert read_local_artifact_storage_dir(str(yaml)) is None
    assert read_local_artifact_storage_dir(str(tmp_path / "absent.yaml")) is None


def test_fs_io_manager_config_and_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Seed: fs_io_manager.configured({"base_dir": ...}); base_dir also accepts {"env": ...}."""
    monkeypatch.setenv("STORAGE_TEST_DIR", str(tmp_path / "env"))
    env_config = {"base_dir": {"env": "STORAGE_TEST_DIR"}}
    from_env: Any = initialize_io_manager(fs_io_manager, config=env_config)
    assert str(from_env.base_path) == str(tmp_path / "env")
    configured = initialize_io_manager(fs_io_manager.configured({"base_dir": str(tmp_path)}))
    assert asset_round_trip(configured, ["asset1"], 1) == 1
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    from_home: Any = initialize_io_manager(fs_io_manager)
    factory_home: Any = initialize_io_manager(FilesystemIOManager())
    assert str(from_home.base_path) == str(tmp_path / "home" / "storage")
    assert str(factory_home.base_path) == str(tmp_path / "home" / "storage")


def test_in_memory_round_trip_and_missing_key() -> None:
    """Seed + §6: keyed by the run-scoped identifier; missing → a KeyError subclass."""
    manager = initialize_io_manager(mem_io_manager)
    assert isinstance(manager, InMemoryIOManager)
    output = build_output_context(step_key="s", name="result")
    manager.handle_output(output, [1])
    assert manager.values == {("__EPHEMERAL_RUN_ID", "s", "result"): [1]}
    assert manager.load_input(build_input_context(upstream_output=output)) == [1]
    other = build_output_context(step_key="s", name="other")
    with pytest.raises(StoredValueMissingKeyError, match="'other'") as raised:
        manager.load_input(build_input_context(upstream_output=other))
    assert isinstance(raised.value, KeyError)
    assert initialize_io_manager(mem_io_manager) is not manager


def test_upath_storage_options_are_passed(tmp_path: Path) -> None:
    manager = PickledObjectFilesystemIOManager(f"file://{tmp_path}", auto_mkdir=True)
    assert isinstance(manager.base_path, UPath)
    assert asset_round_trip(manager, ["a"], 1) == 1
    assert (tmp_path / "a").exists()
