"""durable_writes: a completed store is fsynced (file, its directory, and the directories a
first store created), the way SQLite commits; off by default (no fsync at all)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from reference_impl.definitions import initialize_io_manager
from reference_impl.storage import FilesystemIOManager, PickledObjectFilesystemIOManager
from tests.reference_impl.storage.faults import load, make_manager, store


@pytest.fixture
def fsyncs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What each ``os.fsync`` call flushed: ``file`` or ``dir``."""
    seen: list[str] = []
    real = os.fsync

    def spy(descriptor: Any) -> None:
        seen.append("dir" if os.path.isdir(f"/proc/self/fd/{descriptor}") else "file")
        real(descriptor)

    monkeypatch.setattr(os, "fsync", spy)
    return seen


@pytest.mark.parametrize("kind", ["fast", "generic"])
def test_default_stores_never_fsync(tmp_path: Path, fsyncs: list[str], kind: str) -> None:
    manager = make_manager(kind, tmp_path)
    store(manager, ["a", "b"], 1)
    store(manager, ["a", "b"], 2)
    assert fsyncs == []


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc to tell fds apart")
@pytest.mark.parametrize("kind", ["fast", "generic"])
def test_durable_stores_fsync_the_file_and_its_directories(
        tmp_path: Path, fsyncs: list[str], kind: str) -> None:
    """The file first, then its directory; a first store also flushes the directories above
    (their new entries); an overwrite flushes the file and its directory only."""
    manager = make_manager(kind, tmp_path, durable_writes=True)
    store(manager, ["a", "b"], 1)
    assert fsyncs[:2] == ["file", "dir"] and fsyncs.count("dir") >= 2
    fsyncs.clear()
    store(manager, ["a", "b"], 2)
    assert fsyncs[0] == "file" and "dir" in fsyncs
    assert load(manager, ["a", "b"]) == 2


def test_fsync_is_an_alias_and_the_factory_has_the_option(tmp_path: Path) -> None:
    assert make_manager("fast", tmp_path, fsync=True).durable_writes
    assert not make_manager("fast", tmp_path).durable_writes
    factory = FilesystemIOManager(base_dir=str(tmp_path), durable_writes=True)
    manager = initialize_io_manager(factory)
    assert isinstance(manager, PickledObjectFilesystemIOManager) and manager.durable_writes
