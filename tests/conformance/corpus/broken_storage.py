"""Broken managers that lose, invent or clobber stored values (``IOM-STORE-*``)."""

from __future__ import annotations

import contextlib
import json
import pickle
from typing import Any

from tests.conformance.corpus.base import (
    DictManager,
    MissingValueError,
    PickleDirManager,
    StorageKey,
)


class NoneForMissing(DictManager):
    """Returns ``None`` for something never stored."""

    breaks = "IOM-STORE-005"

    def get(self, key: StorageKey) -> Any:
        return self.values.get(key)


class StaleValueForMissing(DictManager):
    """Returns the most recently stored value when asked for something never stored."""

    breaks = "IOM-STORE-005"

    def get(self, key: StorageKey) -> Any:
        if key not in self.values and self.values:
            return list(self.values.values())[-1]
        return super().get(key)


class JsonTuplesBecomeLists(DictManager):
    """Round-trips JSON-able values through JSON, which turns tuples into lists."""

    breaks = "IOM-STORE-001"

    def put(self, key: StorageKey, obj: Any) -> None:
        with contextlib.suppress(TypeError, ValueError):  # not JSON-able: kept as is
            obj = json.loads(json.dumps(obj))
        super().put(key, obj)


class DropsNone(DictManager):
    """Treats storing ``None`` as "nothing to store"."""

    breaks = "IOM-STORE-002"

    def put(self, key: StorageKey, obj: Any) -> None:
        if obj is not None:
            super().put(key, obj)


def _truncate(obj: Any) -> Any:
    if isinstance(obj, str):
        return obj[:3]
    if isinstance(obj, list | tuple):
        return type(obj)(_truncate(item) for item in obj)
    if isinstance(obj, dict):
        return {key: _truncate(value) for key, value in obj.items()}
    return obj


class TruncatesStrings(DictManager):
    """Stores strings (also nested ones) cut to three characters, like a fixed-width column."""

    breaks = "IOM-STORE-001"

    def put(self, key: StorageKey, obj: Any) -> None:
        super().put(key, _truncate(obj))


class FirstWriteWins(DictManager):
    """Ignores a second store under the same identifier."""

    breaks = "IOM-STORE-003"

    def put(self, key: StorageKey, obj: Any) -> None:
        self.values.setdefault(key, obj)


class DestructiveLoad(DictManager):
    """Hands the value over and forgets it: loading twice fails."""

    breaks = "IOM-STORE-006"

    def get(self, key: StorageKey) -> Any:
        try:
            return self.values.pop(key)
        except KeyError:
            raise MissingValueError(f"nothing stored for {key!r}") from None


class InstanceReadCache(PickleDirManager):
    """Caches reads per instance, so another instance's overwrite is never seen."""

    breaks = "IOM-STORE-008"

    def __init__(self, base_dir: str) -> None:
        super().__init__(base_dir)
        self.cache: dict[StorageKey, Any] = {}

    def put(self, key: StorageKey, obj: Any) -> None:
        super().put(key, obj)
        self.cache[key] = obj

    def get(self, key: StorageKey) -> Any:
        if key not in self.cache:
            self.cache[key] = super().get(key)
        return self.cache[key]


class MemoryBackedDirectoryManager(DictManager):
    """Takes a storage directory but keeps values in memory: a new instance sees nothing."""

    breaks = "IOM-STORE-004"
    origin = PickleDirManager  # a directory manager that persists

    def __init__(self, base_dir: str) -> None:
        super().__init__()
        self.base_dir = base_dir


class NonAtomicPickle(PickleDirManager):
    """Truncates the file, then pickles into it: an unpicklable value destroys the old one."""

    breaks = "IOM-STORE-007"

    def put(self, key: StorageKey, obj: Any) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        with self.path_for(key).open("wb") as handle:
            pickle.dump(obj, handle)

    def get(self, key: StorageKey) -> Any:
        try:
            return super().get(key)
        except EOFError:  # the truncated file: report it as missing, like a lost value
            raise MissingValueError(f"stored value for {key!r} is empty") from None


BROKEN_STORAGE: tuple[type, ...] = (
    NoneForMissing,
    StaleValueForMissing,
    JsonTuplesBecomeLists,
    DropsNone,
    TruncatesStrings,
    FirstWriteWins,
    DestructiveLoad,
    InstanceReadCache,
    MemoryBackedDirectoryManager,
    NonAtomicPickle,
)
