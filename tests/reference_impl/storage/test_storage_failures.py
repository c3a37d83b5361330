"""Every store and load failure is typed (reference_impl.errors' storage hierarchy), names the
key, the partition and the storage root, chains the original exception, keeps the previous
value, and a failed first store leaves nothing behind. Faults are injected at the low-level
writer (tests may run as root, where chmod does not deny), plus a real RLIMIT_FSIZE child and
a real permission check when not root."""

from __future__ import annotations

import errno
import os
import resource
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pytest
from fsspec.implementations.memory import MemoryFileSystem

from reference_impl.context import build_input_context, build_output_context
from reference_impl.errors import (
    CorruptStoredValueError,
    LoadError,
    LoadIOError,
    LoadPermissionError,
    ReadOnlyStorageError,
    SerializationError,
    StorageError,
    StorageFullError,
    StoragePermissionError,
    StoredValueMissingKeyError,
    StoredValueNotFoundError,
    StoreError,
    StoreIOError,
    UnpicklableValueError,
)
from reference_impl.storage import InMemoryIOManager, confined
from tests.reference_impl.storage.faults import (
    JsonManager,
    entries,
    fork,
    load,
    make_manager,
    store,
    temporaries,
    wait,
)

KINDS = ["fast", "generic", "json", "memory"]
ERRNOS = {
    errno.ENOSPC: StorageFullError,
    errno.EDQUOT: StorageFullError,
    errno.EROFS: ReadOnlyStorageError,
    errno.EACCES: StoragePermissionError,
    errno.EIO: StoreIOError,
}


def test_the_hierarchy_keeps_builtin_bases() -> None:
    """Old handlers keep working: each typed error is also the builtin exception it was."""
    assert issubclass(UnpicklableValueError, SerializationError)
    assert issubclass(SerializationError, StoreError) and issubclass(SerializationError, TypeError)
    for kind in (StorageFullError, ReadOnlyStorageError, StoreIOError, CorruptStoredValueError,
                 LoadIOError):
        assert issubclass(kind, StorageError) and issubclass(kind, OSError)
    assert issubclass(StoragePermissionError, PermissionError)
    assert issubclass(LoadPermissionError, PermissionError)
    assert issubclass(StoredValueNotFoundError, LoadError)
    assert issubclass(StoredValueNotFoundError, FileNotFoundError)
    assert issubclass(StoredValueMissingKeyError, LoadError)
    assert issubclass(StoredValueMissingKeyError, KeyError)


class FailingFile:
    """A file that raises ``OSError(code)`` once more than ``budget`` bytes were written."""

    def __init__(self, handle: IO[bytes], code: int, budget: int) -> None:
        self.handle, self.code, self.budget = handle, code, budget

    def write(self, data: Any) -> int:
        self.budget -= len(data)
        if self.budget < 0:
            raise OSError(self.code, os.strerror(self.code))
        return self.handle.write(data)

    def flush(self) -> None:
        self.handle.flush()

    def fileno(self) -> int:
        return self.handle.fileno()

    def __enter__(self) -> FailingFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.close()


@pytest.fixture
def inject(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """``inject(kind, code)``: the next writes of a manager of ``kind`` fail with ``code``
    halfway (after 10 bytes), at the lowest writer that kind has."""

    def arm(kind: str, code: int) -> None:
        def failing_open(descriptor: int) -> Any:
            return FailingFile(open(descriptor, "wb"), code, 10)

        def failing_pipe(self: Any, path: str, value: bytes, **kwargs: Any) -> None:
            raise OSError(code, os.strerror(code), path)

        def failing_json(self: Any, context: Any, obj: Any, path: Any) -> None:
            raise OSError(code, os.strerror(code), str(path))

        monkeypatch.setattr(confined, "open_for_writing", failing_open)
        monkeypatch.setattr(MemoryFileSystem, "pipe_file", failing_pipe)
        monkeypatch.setattr(JsonManager, "dump_to_path", failing_json)

    yield arm


@pytest.fixture
def memory_cleanup() -> Iterator[None]:
    yield
    MemoryFileSystem.store.clear()
    MemoryFileSystem.pseudo_dirs[:] = [""]


@pytest.mark.usefixtures("memory_cleanup")
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("code", sorted(ERRNOS))
def test_os_errors_while_storing_are_typed_and_keep_the_previous_value(
        tmp_path: Path, inject: Any, kind: str, code: int) -> None:
    """ENOSPC/EDQUOT -> StorageFullError, EROFS -> ReadOnlyStorageError, EACCES ->
    StoragePermissionError, others -> StoreIOError; each names key, partition and root,
    chains the OSError, and the partition's previous value loads back unchanged."""
    root = tmp_path / "root"
    manager = make_manager(kind, root)
    store(manager, ["sales", "daily"], {"old": 1}, "p1")
    inject(kind, code)
    with pytest.raises(ERRNOS[code]) as raised:
        store(manager, ["sales", "daily"], {"new": b"x" * 1000}, "p1")
    error = raised.value
    assert error.key == ["sales", "daily"] and error.partition == "p1"
    assert error.storage_root is not None and str(root) in error.storage_root
    assert isinstance(error.__cause__, OSError) and error.__cause__.errno == code
    assert "['sales', 'daily']" in str(error) and "'p1'" in str(error)
    assert load(manager, ["sales", "daily"], "p1") == {"old": 1}
    if kind != "memory":
        assert temporaries(root) == []


@pytest.mark.usefixtures("memory_cleanup")
@pytest.mark.parametrize("kind", KINDS)
def test_failed_first_store_leaves_nothing_behind(tmp_path: Path, inject: Any,
                                                  kind: str) -> None:
    """A first store that fails removes the directories, markers and temporary file it
    created: the root is as empty as before."""
    root = tmp_path / "root"
    root.mkdir()
    manager = make_manager(kind, root)
    inject(kind, errno.ENOSPC)
    with pytest.raises(StorageFullError):
        store(manager, ["a", "b"], b"y" * 100, "p2")
    if kind == "memory":
        assert manager.fs.find(manager.base_path.path) == []
    else:
        assert entries(root) == []


class Exploding:
    """Pickling fails halfway with ``error`` (after the big payload before it was written)."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def __reduce__(self) -> Any:
        raise self.error


@pytest.mark.usefixtures("memory_cleanup")
@pytest.mark.parametrize("kind", ["fast", "generic", "memory"])
@pytest.mark.parametrize("error", [RuntimeError("boom"), OSError(errno.EIO, "in reduce"),
                                   ValueError("bad")], ids=type)
def test_serialization_failures_are_typed_even_when_they_are_os_errors(
        tmp_path: Path, kind: str, error: Exception) -> None:
    """Whatever a value's pickling raises (even OSError halfway through) is an
    UnpicklableValueError chaining it: a SerializationError, not a storage fault."""
    root = tmp_path / "root"
    manager = make_manager(kind, root)
    with pytest.raises(UnpicklableValueError) as first:
        store(manager, ["v"], [b"z" * 300_000, Exploding(error)])
    assert first.value.__cause__ is error and first.value.key == ["v"]
    if kind != "memory":
        assert not root.exists() or entries(root) == []
    store(manager, ["v"], "kept")
    with pytest.raises(SerializationError):
        store(manager, ["v"], [b"z" * 300_000, Exploding(error)])
    assert load(manager, ["v"]) == "kept"


@pytest.mark.parametrize("kind", ["fast", "generic"])
def test_directory_creation_on_a_read_only_file_system(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    root = tmp_path / "root"
    root.mkdir()
    manager = make_manager(kind, root)

    def read_only(*args: Any, **kwargs: Any) -> None:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(os, "mkdir", read_only)
    with pytest.raises(ReadOnlyStorageError, match="read-only"):
        store(manager, ["deep", "key"], 1)
    assert entries(root) == []


@pytest.mark.parametrize("kind", ["fast", "generic"])
def test_load_failures_are_typed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 kind: str) -> None:
    """A refused read is a LoadPermissionError, bad bytes a CorruptStoredValueError; both
    name the key and the storage root."""
    manager = make_manager(kind, tmp_path)
    store(manager, ["a"], 1)
    (tmp_path / "bad").write_bytes(b"not a pickle")
    with pytest.raises(CorruptStoredValueError) as corrupt:
        load(manager, ["bad"])
    assert corrupt.value.key == ["bad"] and str(tmp_path) in str(corrupt.value)

    def refuse(self: Any, parts: Any) -> None:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(confined.LocalTree, "open_for_reading", refuse)
    with pytest.raises(LoadPermissionError) as denied:
        load(manager, ["a"])
    assert denied.value.key == ["a"] and denied.value.storage_root is not None


@pytest.mark.skipif(os.geteuid() == 0, reason="root is not denied by file modes")
def test_real_permission_denied(tmp_path: Path) -> None:
    root = tmp_path / "root"
    manager = make_manager("fast", root)
    store(manager, ["a"], 1)
    root.chmod(0o500)
    try:
        with pytest.raises(StoragePermissionError):
            store(manager, ["a"], 2)
        with pytest.raises(StoragePermissionError):
            store(manager, ["b"], 2)
    finally:
        root.chmod(0o700)
    assert load(manager, ["a"]) == 1


def test_file_size_limit_in_a_child_is_a_storage_full_error(tmp_path: Path) -> None:
    """A real limit: a child with RLIMIT_FSIZE = 64 KiB stores 1 MiB over a small value; it
    gets StorageFullError (EFBIG) and the small value survives."""
    manager = make_manager("fast", tmp_path)
    store(manager, ["a"], "small")

    def child() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))
        try:
            store(make_manager("fast", tmp_path), ["a"], b"q" * (1 << 20))
        except StorageFullError as error:
            assert isinstance(error.__cause__, OSError)
            assert error.__cause__.errno == errno.EFBIG
            return
        raise AssertionError("no StorageFullError")

    assert wait(fork(child)) == 0
    assert load(manager, ["a"]) == "small"
    assert temporaries(tmp_path) == []


def test_in_memory_missing_value_is_a_load_error() -> None:
    manager = InMemoryIOManager()
    with pytest.raises(LoadError):
        manager.load_input(build_input_context(upstream_output=build_output_context(
            run_id="r", step_key="s", name="n")))
