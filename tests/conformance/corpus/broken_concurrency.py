"""Broken managers that only show with several processes or a killed writer
(``IOM-STORE-012..015``): each is correct in one process that is never killed."""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Any

from tests.conformance.corpus.base import (
    MissingValueError,
    PickleDirManager,
    StorageKey,
    file_name,
    write_atomically,
)

__all__ = ["BROKEN_CONCURRENCY"]


class IndexFileLosesPartitions(PickleDirManager):
    """Keeps an asset's partitions in one pickled index file, rewritten (atomically) by a
    read-modify-write without a lock: two processes storing partitions at once drop each
    other's updates."""

    breaks = "IOM-STORE-012"

    def _index(self, key: StorageKey) -> Path:
        return self.root / ("index-" + file_name(key[:2]))

    def _read(self, path: Path) -> dict[object, Any]:
        try:
            index: dict[object, Any] = pickle.loads(path.read_bytes())
        except FileNotFoundError:
            return {}
        return index

    def put(self, key: StorageKey, obj: Any) -> None:
        if key[0] != "asset" or key[2] is None:
            super().put(key, obj)
            return
        data = pickle.dumps(obj)
        self.root.mkdir(parents=True, exist_ok=True)
        path = self._index(key)
        index = self._read(path)
        index[key[2]] = data
        write_atomically(path, pickle.dumps(index))

    def get(self, key: StorageKey) -> Any:
        if key[0] != "asset" or key[2] is None:
            return super().get(key)
        index = self._read(self._index(key))
        if key[2] not in index:
            raise MissingValueError(f"nothing stored for {key!r}")
        return pickle.loads(index[key[2]])


class SharedTempFileName(PickleDirManager):
    """Writes through one fixed temporary name (``<file>.tmp``) and renames it: concurrent
    writers of one key truncate each other's temporary file, and one rename finds it gone."""

    breaks = "IOM-STORE-013"

    def put(self, key: StorageKey, obj: Any) -> None:
        data = pickle.dumps(obj)
        self.root.mkdir(parents=True, exist_ok=True)
        path = self.path_for(key)
        temp = path.with_name(path.name + ".tmp")
        temp.write_bytes(data)
        os.replace(temp, path)


class TruncatesBeforeWriting(PickleDirManager):
    """Pickles first, then writes the file in place (``open(..., "wb")``, as Dagster 1.13
    does): a reader between the truncation and the write finds an empty file."""

    breaks = "IOM-STORE-014"

    def put(self, key: StorageKey, obj: Any) -> None:
        data = pickle.dumps(obj)
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.path_for(key), "wb") as handle:
            handle.write(data)


class WritesInTwoChunks(PickleDirManager):
    """Writes the pickle in place in two flushed halves: a writer killed between them leaves
    half a pickle behind, which no later load can read."""

    breaks = "IOM-STORE-015"

    def put(self, key: StorageKey, obj: Any) -> None:
        data = pickle.dumps(obj)
        self.root.mkdir(parents=True, exist_ok=True)
        half = len(data) // 2
        with open(self.path_for(key), "wb") as handle:
            handle.write(data[:half])
            handle.flush()
            handle.write(data[half:])


BROKEN_CONCURRENCY: tuple[type, ...] = (
    IndexFileLosesPartitions,
    SharedTempFileName,
    TruncatesBeforeWriting,
    WritesInTwoChunks,
)
