"""Helpers of the fault-injection tests: the managers under test, stores and loads, forked
children, and listings of what a storage tree holds."""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from upath import UPath

from reference_impl.context import build_input_context, build_output_context
from reference_impl.partitions import StaticPartitionsDefinition
from reference_impl.storage import PickledObjectFilesystemIOManager, UPathIOManager
from reference_impl.storage.layout import MARKER_PREFIX
from reference_impl.storage.safe_paths import TEMP_FILE_MARKER
from spec.contexts import InputContextLike, OutputContextLike

PARTITIONS = StaticPartitionsDefinition([f"p{index}" for index in range(8)])
LOCAL_KINDS = ["fast", "generic", "json"]
"""The local managers: the fast path, the generic path of our pickle manager, and a
third-party UPathIOManager subclass that writes with ``UPath.write_text``."""


class GenericPickleManager(PickledObjectFilesystemIOManager):
    """Overrides a hook, so it takes the generic UPath path (no local fast path)."""

    def load_from_path(self, context: InputContextLike, path: UPath) -> Any:
        return super().load_from_path(context, path)


class JsonManager(UPathIOManager):
    """A minimal third-party subclass: JSON through ``UPath`` calls."""

    extension = ".json"

    def dump_to_path(self, context: OutputContextLike, obj: Any, path: UPath) -> None:
        path.write_text(json.dumps(obj))

    def load_from_path(self, context: InputContextLike, path: UPath) -> Any:
        return json.loads(path.read_text())


def make_manager(kind: str, root: str | Path, **options: Any) -> Any:
    """A manager of ``kind`` (``fast``, ``generic``, ``json``, ``memory``) rooted at ``root``."""
    if kind == "fast":
        return PickledObjectFilesystemIOManager(str(root), **options)
    if kind == "generic":
        return GenericPickleManager(str(root), **options)
    if kind == "json":
        return JsonManager(UPath(str(root)), **options)
    if kind == "memory":
        return PickledObjectFilesystemIOManager(f"memory://faults/{root}", **options)
    raise ValueError(kind)


def store(manager: Any, key: list[str], value: Any, partition: str | None = None) -> None:
    if partition is None:
        manager.handle_output(build_output_context(asset_key=key), value)
    else:
        manager.handle_output(build_output_context(
            asset_key=key, partition_key=partition, asset_partitions_def=PARTITIONS), value)


def load(manager: Any, key: list[str], partition: str | None = None) -> Any:
    if partition is None:
        return manager.load_input(build_input_context(asset_key=key))
    return manager.load_input(build_input_context(
        asset_key=key, partition_key=partition, asset_partitions_def=PARTITIONS))


def temporaries(root: Path) -> list[Path]:
    """Temporary files anywhere below ``root``."""
    return [path for path in root.rglob("*") if path.name.startswith(TEMP_FILE_MARKER)]


def entries(root: Path) -> list[str]:
    """Everything below ``root`` (relative paths), markers and temporaries included."""
    return sorted(str(path.relative_to(root)) for path in root.rglob("*"))


def data_files(root: Path) -> list[str]:
    """Stored values below ``root`` (markers and temporaries left out)."""
    return sorted(str(path.relative_to(root)) for path in root.rglob("*")
                  if path.is_file() and not path.name.startswith((MARKER_PREFIX,
                                                                  TEMP_FILE_MARKER)))


def fork(body: Callable[[], None]) -> int:
    """Run ``body`` in a forked child (exit status 0 on success, 1 on an exception)."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        status = 1
        try:
            body()
            status = 0
        finally:
            os._exit(status)
    return pid


def wait(pid: int, timeout: float = 30.0) -> int:
    """The exit status of the child ``pid`` (killed with SIGKILL after ``timeout``)."""
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
        time.sleep(0.002)


def kill(pid: int) -> None:
    """SIGKILL the child ``pid`` and reap it."""
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
