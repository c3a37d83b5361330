"""The reference built-ins as conformance subjects: what ``python -m conformance check`` runs.

``builtin_subjects()`` imports ``reference_impl.storage`` lazily (the kit imports without it).
The in-memory managers key values by run-scoped identifiers, as Dagster's do, so they declare
op outputs only; the filesystem and UPath managers declare everything, durability included.
"""

from __future__ import annotations

import hashlib
import pickle
import uuid
from pathlib import Path
from typing import Any

from conformance.subject import Capabilities, Subject

__all__ = [
    "BUILTIN_NAMES",
    "IN_MEMORY_CAPABILITIES",
    "builtin_names",
    "builtin_subjects",
    "pickle_upath_manager_class",
]

BUILTIN_NAMES: tuple[str, ...] = (
    "InMemoryIOManager",
    "mem_io_manager",
    "FilesystemIOManager",
    "fs_io_manager",
    "PickleUPathIOManager[local]",
    "PickleUPathIOManager[memory]",
)
"""The names of :func:`builtin_subjects`, in order (known without importing the built-ins)."""


def builtin_names() -> tuple[str, ...]:
    """The names of the reference built-in subjects, in the order they are checked."""
    return BUILTIN_NAMES

IN_MEMORY_CAPABILITIES = Capabilities(
    op_outputs=True,
    assets=False,
    partitions=False,
    partition_ranges=False,
    multi_partitions=False,
    durable=False,
    storage_root=False,
)
"""``InMemoryIOManager`` keys by ``get_identifier()``: run-scoped op outputs, nothing durable."""


def builtin_capabilities(obj: object) -> Capabilities | None:
    """The capabilities the kit declares for ``obj`` when it is a reference built-in whose
    defaults would misdescribe it (``InMemoryIOManager``, an instance of it, or
    ``mem_io_manager``), else ``None``. So ``check reference_impl:InMemoryIOManager`` judges it
    as the built-in run does: run-scoped op outputs, not assets."""
    import sys

    storage = sys.modules.get("reference_impl.storage")
    if storage is None:  # never imported: obj cannot be one of its objects
        return None
    in_memory = storage.InMemoryIOManager
    if obj is in_memory or obj is storage.mem_io_manager or type(obj) is in_memory:
        return IN_MEMORY_CAPABILITIES
    return None


def pickle_upath_manager_class() -> type:
    """A minimal ``UPathIOManager`` subclass that pickles values to ``<path>.pkl``.

    It shows the smallest useful subclass: serialize before writing (so a failed pickle leaves
    the old value), write a temporary sibling and rename it over the file (so a reader or a
    killed writer sees the old file or the new one, IOM-STORE-014/016), and let
    ``FileNotFoundError`` signal missing data.
    """
    from reference_impl.storage import UPathIOManager

    class PickleUPathIOManager(UPathIOManager):
        """Pickles each value to one file below ``base_path`` (any fsspec path)."""

        extension = ".pkl"

        def dump_to_path(self, context: Any, obj: Any, path: Any) -> None:
            data = pickle.dumps(obj)
            if getattr(path, "protocol", "file") not in ("", "file", "local"):
                path.write_bytes(data)  # fsspec's rename globs ("?"); memory:// is per process
                return
            temp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
            temp.write_bytes(data)  # a reader or a crash sees the old file or the new one
            temp.rename(path)

        def load_from_path(self, context: Any, path: Any) -> Any:
            return pickle.loads(path.read_bytes())

    return PickleUPathIOManager


def builtin_subjects() -> tuple[Subject, ...]:
    """Subjects for every reference built-in, plus the UPath subclass on disk and in memory."""
    from upath import UPath

    from reference_impl.storage import (
        FilesystemIOManager,
        InMemoryIOManager,
        fs_io_manager,
        mem_io_manager,
    )

    upath_manager = pickle_upath_manager_class()
    token = uuid.uuid4().hex[:12]

    def on_local_directory(directory: Path) -> object:
        return upath_manager(base_path=UPath(directory))

    def in_memory_filesystem(directory: Path) -> object:
        # The directory only names the storage: one example, one memory:// prefix.
        digest = hashlib.sha256(str(directory).encode()).hexdigest()[:16]
        return upath_manager(base_path=UPath(f"memory://iomanager-conformance-{token}/{digest}"))

    return (
        Subject.from_object(
            InMemoryIOManager, name="InMemoryIOManager", capabilities=IN_MEMORY_CAPABILITIES
        ),
        Subject.from_object(
            mem_io_manager, name="mem_io_manager", capabilities=IN_MEMORY_CAPABILITIES
        ),
        # its base_dir config field receives the directory: durable and confined by default
        Subject.from_object(FilesystemIOManager, name="FilesystemIOManager"),
        Subject.from_object(fs_io_manager, name="fs_io_manager"),
        Subject.from_object(
            on_local_directory,
            name="PickleUPathIOManager[local]",
            capabilities=Capabilities(durable=True, storage_root=True),
        ),
        Subject.from_object(
            in_memory_filesystem,
            name="PickleUPathIOManager[memory]",
            capabilities=Capabilities(durable=True, storage_root=False),
        ),
    )
