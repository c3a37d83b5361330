"""Atomic publication of local stores: ``renameat2(RENAME_EXCHANGE)`` and its ``os.replace``
fallback. Every behaviour is checked in both modes; no mode ever leaves a temporary file
behind after a store returns or raises, and a failed store keeps the old value."""

from __future__ import annotations

import ctypes
import errno
import os
import pickle
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import pytest

from reference_impl.context import build_input_context, build_output_context
from reference_impl.errors import UnpicklableValueError, UnsafeKeyError
from reference_impl.storage import PickledObjectFilesystemIOManager, atomic
from reference_impl.storage import exchange as exchange_module
from reference_impl.storage.atomic import publish, write_local
from reference_impl.storage.exchange import exchange
from reference_impl.storage.safe_paths import TEMP_FILE_MARKER

MODES = ["exchange", "replace"]


@pytest.fixture(params=MODES)
def mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """``exchange``: the real ``renameat2`` (skipped where unavailable); ``replace``: the
    fallback, forced by disabling the exchange for the test."""
    name: str = request.param
    if name == "exchange" and not exchange_module.is_available():
        pytest.skip("renameat2 is not available on this platform")
    if name == "replace":
        monkeypatch.setattr(exchange_module, "_renameat2", None)
    yield name


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[bool]]:
    """Records what each publication did: exchange results and ``os.replace`` calls."""
    seen: dict[str, list[bool]] = {"exchange": [], "replace": []}
    real_replace = os.replace

    def spy_exchange(source: str, target: str) -> bool:
        result = exchange(source, target)
        seen["exchange"].append(result)
        return result

    def spy_replace(source: Any, target: Any) -> None:
        seen["replace"].append(True)
        real_replace(source, target)

    monkeypatch.setattr(atomic, "exchange", spy_exchange)
    monkeypatch.setattr(os, "replace", spy_replace)
    return seen


def temporaries(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.name.startswith(TEMP_FILE_MARKER)]


def writer(value: Any) -> Callable[[IO[bytes]], None]:
    def write(handle: IO[bytes]) -> None:
        pickle.dump(value, handle, 4)
    return write


def stored(path: Path) -> Any:
    with open(path, "rb") as handle:
        return pickle.load(handle)


def test_overwrite_publishes_the_new_value_and_leaves_no_temporary(
        tmp_path: Path, mode: str, calls: dict[str, list[bool]]) -> None:
    target = tmp_path / "value"
    write_local(str(tmp_path), str(target), writer("old"), fsync=False)
    assert calls == {"exchange": [False], "replace": [True]}  # nothing to swap with yet
    write_local(str(tmp_path), str(target), writer("new"), fsync=False)
    if mode == "exchange":  # the old file was swapped out and unlinked, no rename over it
        assert calls == {"exchange": [False, True], "replace": [True]}
    else:
        assert calls == {"exchange": [False, False], "replace": [True, True]}
    assert stored(target) == "new"
    assert os.listdir(tmp_path) == ["value"]


def test_fsync_publishes_with_replace(tmp_path: Path, mode: str,
                                      calls: dict[str, list[bool]]) -> None:
    """After an fsync ext4 has nothing left to flush in a replacing rename: os.replace it is."""
    target = tmp_path / "value"
    for value in ("old", "new"):
        write_local(str(tmp_path), str(target), writer(value), fsync=True)
    assert calls == {"exchange": [], "replace": [True, True]}
    assert stored(target) == "new" and os.listdir(tmp_path) == ["value"]


@pytest.mark.parametrize("fsync", [False, True])
def test_manager_round_trips_in_both_modes(tmp_path: Path, mode: str, fsync: bool) -> None:
    manager = PickledObjectFilesystemIOManager(str(tmp_path), fsync=fsync)
    for value in ({"a": 1}, b"\x02" * 300_000, None, {"a": 2}):
        manager.handle_output(build_output_context(asset_key=["k", "v"]), value)
        assert manager.load_input(build_input_context(asset_key=["k", "v"])) == value
    assert temporaries(tmp_path) == []


def test_failed_pickle_keeps_the_old_value_and_leaves_no_temporary(
        tmp_path: Path, mode: str) -> None:
    manager = PickledObjectFilesystemIOManager(str(tmp_path))
    manager.handle_output(build_output_context(asset_key=["a"]), "good")
    with pytest.raises(UnpicklableValueError):
        manager.handle_output(build_output_context(asset_key=["a"]), lambda: 1)
    assert manager.load_input(build_input_context(asset_key=["a"])) == "good"
    assert temporaries(tmp_path) == []


def test_interrupted_write_keeps_the_old_value(tmp_path: Path, mode: str) -> None:
    target = tmp_path / "value"
    write_local(str(tmp_path), str(target), writer("old"), fsync=False)

    def interrupted(handle: IO[bytes]) -> None:
        handle.write(b"\x80\x04partial")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_local(str(tmp_path), str(target), interrupted, fsync=False)
    assert stored(target) == "old"
    assert os.listdir(tmp_path) == ["value"]


def test_directory_at_the_target_is_left_in_place(
        tmp_path: Path, mode: str, calls: dict[str, list[bool]]) -> None:
    """The exchange swaps the directory out; it is swapped back before the error."""
    target = tmp_path / "value"
    (target / "inner").mkdir(parents=True)
    (target / "inner" / "leaf").write_bytes(b"kept")
    with pytest.raises(IsADirectoryError):
        write_local(str(tmp_path), str(target), writer("new"), fsync=False)
    assert calls["exchange"] == ([True, True] if mode == "exchange" else [False])
    assert (target / "inner" / "leaf").read_bytes() == b"kept"
    assert os.listdir(tmp_path) == ["value"]


def test_manager_refuses_a_key_that_is_a_directory_of_longer_keys(
        tmp_path: Path, mode: str) -> None:
    manager = PickledObjectFilesystemIOManager(str(tmp_path))
    manager.handle_output(build_output_context(asset_key=["a", "b"]), "inner")
    with pytest.raises(UnsafeKeyError, match="is a directory"):
        manager.handle_output(build_output_context(asset_key=["a"]), "outer")
    assert manager.load_input(build_input_context(asset_key=["a", "b"])) == "inner"
    assert temporaries(tmp_path) == []


def test_symlink_at_the_target_is_replaced_not_followed(tmp_path: Path, mode: str) -> None:
    outside = tmp_path / "outside"
    outside.write_bytes(b"untouched")
    root = tmp_path / "root"
    root.mkdir()
    (root / "value").symlink_to(outside)
    write_local(str(root), str(root / "value"), writer("new"), fsync=False)
    assert not (root / "value").is_symlink() and stored(root / "value") == "new"
    assert outside.read_bytes() == b"untouched"
    assert os.listdir(root) == ["value"]


def test_exchange_swaps_two_files_and_reports_a_missing_target(tmp_path: Path) -> None:
    if not exchange_module.is_available():
        pytest.skip("renameat2 is not available on this platform")
    (tmp_path / "one").write_bytes(b"1")
    (tmp_path / "two").write_bytes(b"2")
    assert exchange(str(tmp_path / "one"), str(tmp_path / "two"))
    assert (tmp_path / "one").read_bytes() == b"2" and (tmp_path / "two").read_bytes() == b"1"
    assert not exchange(str(tmp_path / "one"), str(tmp_path / "missing"))
    assert sorted(os.listdir(tmp_path)) == ["one", "two"]


def failing_renameat2(code: int, seen: list[int]) -> Callable[..., int]:
    def renameat2(*args: Any) -> int:
        seen.append(code)
        ctypes.set_errno(code)
        return -1
    return renameat2


@pytest.mark.parametrize("code", [errno.EINVAL, errno.EPERM, errno.EOPNOTSUPP])
def test_unsupported_exchange_falls_back_to_replace_per_call(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    """A file system without RENAME_EXCHANGE (EINVAL) or a seccomp filter (EPERM): each store
    falls back to os.replace and the exchange stays enabled for other file systems."""
    seen: list[int] = []
    monkeypatch.setattr(exchange_module, "_renameat2", failing_renameat2(code, seen))
    target = tmp_path / "value"
    for value in ("old", "new"):
        publish_value(tmp_path, target, value)
    assert stored(target) == "new" and os.listdir(tmp_path) == ["value"]
    assert seen == [code, code] and exchange_module.is_available()


def test_kernel_without_renameat2_disables_the_exchange(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[int] = []
    monkeypatch.setattr(exchange_module, "_renameat2", failing_renameat2(errno.ENOSYS, seen))
    target = tmp_path / "value"
    for value in ("old", "new", "newer"):
        publish_value(tmp_path, target, value)
    assert stored(target) == "newer" and os.listdir(tmp_path) == ["value"]
    assert seen == [errno.ENOSYS] and not exchange_module.is_available()


def publish_value(directory: Path, target: Path, value: Any) -> None:
    temporary = directory / f"{TEMP_FILE_MARKER}test"
    temporary.write_bytes(pickle.dumps(value, 4))
    publish(str(temporary), str(target))


def test_old_file_that_cannot_be_unlinked_does_not_fail_the_store(
        tmp_path: Path, mode: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """After the exchange the new value is published; a leftover old file (at a temporary
    name, which no key can read) is not an error, as with a rename that replaces a file."""
    target = tmp_path / "value"
    write_local(str(tmp_path), str(target), writer("old"), fsync=False)

    def refuse(path: Any) -> None:
        raise PermissionError(errno.EACCES, "refused", path)

    with monkeypatch.context() as patch:
        patch.setattr(os, "unlink", refuse)
        write_local(str(tmp_path), str(target), writer("new"), fsync=False)
    assert stored(target) == "new"
    leftovers = temporaries(tmp_path)
    assert len(leftovers) == (1 if mode == "exchange" else 0)
    if leftovers:
        assert stored(leftovers[0]) == "old"
