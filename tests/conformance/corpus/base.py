"""Correct building blocks shared by the corpus: where a value lives and how partitions load.

:class:`KeyedManager` implements the spec's semantics once, on top of three storage hooks
(``put`` and ``get``); each broken manager overrides exactly one method so it
breaks exactly one requirement. Storage keys are tuples, never joined strings, so distinct
identifiers can never collide.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path
from typing import Any

StorageKey = tuple[object, ...]


class MissingValueError(KeyError):
    """Nothing is stored under the requested key (a ``LookupError``, as IOM-SEC-004 asks)."""


class AssetKeyOutsideDomainError(ValueError):
    """The asset key is outside the manager's declared domain (IOM-ID-014)."""


_TABLE_NAME = re.compile(r"[A-Za-z0-9_]+")


def table_key_domain(key: tuple[str, ...]) -> bool:
    """A table manager's asset-key domain: ``(table,)`` or ``(schema, table)``, each component
    ``[A-Za-z0-9_]+`` (exactly the minimum every domain holds, IOM-ID-014)."""
    return 1 <= len(key) <= 2 and all(_TABLE_NAME.fullmatch(part) for part in key)


class MultiPartitionOutputError(ValueError):
    """An output covers several partitions; this manager stores one partition at a time."""


def allows_missing(context: Any) -> bool:
    """Whether the input's definition metadata sets ``allow_missing_partitions`` truthily."""
    return bool(context.definition_metadata.get("allow_missing_partitions"))


class KeyedManager(ABC):
    """A spec-conforming manager over a key/value store of :data:`StorageKey` tuples."""

    # ------------------------------------------------------------------ storage hooks
    @abstractmethod
    def put(self, key: StorageKey, obj: Any) -> None:
        """Store ``obj`` under ``key``, replacing any earlier value."""

    @abstractmethod
    def get(self, key: StorageKey) -> Any:
        """Return the value under ``key``; raise :class:`MissingValueError` when absent."""

    # ------------------------------------------------------------------ identity
    def asset_key(self, context: Any, partition: str | None) -> StorageKey:
        """Where an asset (partition) lives: its key path and the partition, as a tuple."""
        return ("asset", tuple(context.asset_key.path), partition)

    def op_key(self, context: Any) -> StorageKey:
        """Where an op output lives: its full identifier."""
        return ("op", tuple(context.get_identifier()))

    def output_partitions(self, context: Any) -> Sequence[str]:
        """The partitions an output covers; raise when there are several (IOM-PART-010)."""
        keys = list(context.asset_partition_keys)
        if len(keys) != 1:
            raise MultiPartitionOutputError(
                f"this manager stores one partition per output; got {len(keys)}: {keys[:5]!r}"
            )
        return keys

    # ------------------------------------------------------------------ the protocol
    def handle_output(self, context: Any, obj: Any) -> None:
        """Store ``obj`` for the output (or the one asset partition) ``context`` describes."""
        if context.has_asset_key and context.has_asset_partitions:
            for partition in self.output_partitions(context):
                self.put(self.asset_key(context, partition), obj)
        elif context.has_asset_key:
            self.put(self.asset_key(context, None), obj)
        else:
            self.put(self.op_key(context), obj)

    def load_input(self, context: Any) -> Any:
        """Load the upstream value: bare for one partition, a mapping for several."""
        if context.has_asset_key and context.has_asset_partitions:
            return self.load_partitions(context, list(context.asset_partition_keys))
        if context.has_asset_key:
            return self.get(self.asset_key(context, None))
        return self.get(self.op_key(context))

    def load_partitions(self, context: Any, partitions: Sequence[str]) -> Any:
        """None for no partition, the bare value for one, an aligned mapping for several."""
        loaded = self.load_present(context, partitions)
        if len(partitions) == 0:
            return None
        if len(partitions) == 1:
            return loaded.get(partitions[0])
        return loaded

    def load_present(self, context: Any, partitions: Sequence[str]) -> dict[str, Any]:
        """Each partition's own value; missing ones raise unless allowed, then are skipped."""
        loaded: dict[str, Any] = {}
        for partition in partitions:
            try:
                loaded[partition] = self.get(self.asset_key(context, partition))
            except MissingValueError:
                if not allows_missing(context):
                    raise
        return loaded


class DictManager(KeyedManager):
    """Values in a dict on the instance (not durable)."""

    def __init__(self) -> None:
        self.values: dict[StorageKey, Any] = {}

    def put(self, key: StorageKey, obj: Any) -> None:
        """Store in the dict."""
        self.values[key] = obj

    def get(self, key: StorageKey) -> Any:
        """Read from the dict."""
        try:
            return self.values[key]
        except KeyError:
            raise MissingValueError(f"nothing stored for {key!r}") from None


def file_name(key: StorageKey) -> str:
    """A collision-free file name for ``key``: the SHA-256 of its repr."""
    return hashlib.sha256(repr(key).encode()).hexdigest() + ".pkl"


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temp file in the same directory and ``os.replace``."""
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


class PickleDirManager(KeyedManager):
    """One pickle file per key under ``base_dir``, named by a hash of the key; atomic writes."""

    def __init__(self, base_dir: str) -> None:
        self.root = Path(base_dir)

    def path_for(self, key: StorageKey) -> Path:
        """The file holding ``key``."""
        return self.root / file_name(key)

    def put(self, key: StorageKey, obj: Any) -> None:
        """Pickle first (so a failure changes nothing), then replace the file atomically."""
        data = pickle.dumps(obj)
        self.root.mkdir(parents=True, exist_ok=True)
        write_atomically(self.path_for(key), data)

    def get(self, key: StorageKey) -> Any:
        """Unpickle the file; a missing file is :class:`MissingValueError`."""
        try:
            data = self.path_for(key).read_bytes()
        except FileNotFoundError:
            raise MissingValueError(f"nothing stored for {key!r}") from None
        return pickle.loads(data)

