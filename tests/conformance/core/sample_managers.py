"""Small managers for the kit's own tests: correct ones in different styles, and broken ones."""

from __future__ import annotations

import hashlib
import os
import pathlib
import pickle
import tempfile
import urllib.parse
from typing import Any

from spec.contexts import InputContextLike, OutputContextLike


def _key(context: Any) -> tuple[str, ...]:
    """The storage key: the asset key path (tagged apart from partitions), else the op
    identifier. Asset ``["x", "p"]`` and partition ``p`` of asset ``["x"]`` differ."""
    if context.has_asset_key and context.has_asset_partitions:
        return ("partition", *context.get_asset_identifier())
    if context.has_asset_key:
        return ("asset", *context.get_asset_identifier())
    return ("op", *context.get_identifier())


def _keys_to_load(context: InputContextLike) -> list[tuple[str, str]]:
    return [(k, k) for k in context.asset_partition_keys]


class DictManager:
    """Correct, in-memory: a dict keyed by asset identifier or op identifier tuples."""

    def __init__(self) -> None:
        self.values: dict[tuple[str, ...], object] = {}

    def handle_output(self, context: OutputContextLike, obj: object) -> None:
        if context.has_asset_partitions and len(context.asset_partition_keys) != 1:
            raise ValueError("can only store one partition per output")
        self.values[_key(context)] = obj

    def load_input(self, context: InputContextLike) -> object:
        if context.has_asset_key and context.has_asset_partitions:
            path = context.asset_key.path
            return _load_partitions(context, lambda p: self.values[("partition", *path, p)])
        upstream = context.upstream_output
        if upstream is None:
            raise LookupError("no upstream output to load")
        if context.has_asset_key:
            return self.values[("asset", *context.asset_key.path)]
        return self.values[_key(upstream)]


def _load_partitions(context: InputContextLike, load_one: Any) -> object:
    keys = list(context.asset_partition_keys)
    allow = bool(context.definition_metadata.get("allow_missing_partitions"))
    loaded: dict[str, object] = {}
    for key in keys:
        try:
            loaded[key] = load_one(key)
        except (KeyError, FileNotFoundError):
            if not allow:
                raise
    if len(keys) == 1:
        if keys[0] in loaded:
            return loaded[keys[0]]
        return None
    return loaded if keys else None


class PickleDirectoryManager:
    """Correct, durable: one pickle file per key, components percent-encoded, atomic writes."""

    def __init__(self, base_dir: pathlib.Path) -> None:
        self.base_dir = pathlib.Path(base_dir)

    def _path(self, key: tuple[str, ...]) -> pathlib.Path:
        parts = [urllib.parse.quote(p, safe="") or "%" for p in key]
        parts = ["%2E" if p == "." else "%2E%2E" if p == ".." else p for p in parts]
        parts = [
            p if len(p) <= 80 else f"{p[:40]}~{hashlib.sha256(p.encode()).hexdigest()}"
            for p in parts
        ]
        encoded = "/".join(parts)
        return self.base_dir / f"{len(key)}" / (encoded + ".pkl")

    def handle_output(self, context: OutputContextLike, obj: object) -> None:
        if context.has_asset_partitions and len(context.asset_partition_keys) != 1:
            raise ValueError("can only store one partition per output")
        data = pickle.dumps(obj)
        path = self._path(_key(context))
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)

    def _read(self, key: tuple[str, ...]) -> object:
        with open(self._path(key), "rb") as handle:
            return pickle.load(handle)

    def load_input(self, context: InputContextLike) -> object:
        if context.has_asset_key and context.has_asset_partitions:
            path = context.asset_key.path
            return _load_partitions(context, lambda p: self._read(("partition", *path, p)))
        if context.has_asset_key:
            return self._read(("asset", *context.asset_key.path))
        upstream = context.upstream_output
        if upstream is None:
            raise LookupError("no upstream output to load")
        return self._read(_key(upstream))


class LastComponentManager(DictManager):
    """Broken (IOM-ID-011): keys assets by the last key component only."""

    def handle_output(self, context: OutputContextLike, obj: object) -> None:
        if context.has_asset_key and not context.has_asset_partitions:
            self.values[("asset", context.asset_key.path[-1])] = obj
            return
        super().handle_output(context, obj)

    def load_input(self, context: InputContextLike) -> object:
        if context.has_asset_key and not context.has_asset_partitions:
            return self.values[("asset", context.asset_key.path[-1])]
        return super().load_input(context)


class NoneForMissingManager(DictManager):
    """Broken (IOM-STORE-005): returns None for data never stored."""

    def load_input(self, context: InputContextLike) -> object:
        try:
            return super().load_input(context)
        except KeyError:
            return None


# --------------------------------------------------------------------------- IOM-STORE-009 / ID-012


class KeyConflictError(ValueError):
    """A typed refusal: the key is a prefix or an extension of a stored key."""


def _sequence(context: Any) -> tuple[str, ...]:
    if context.has_asset_key:
        return tuple(str(p) for p in context.asset_key.path) + tuple(
            _partition_parts(context)
            if context.has_partition_key or _one_partition(context)
            else ()
        )
    return tuple(context.get_identifier())


def _one_partition(context: Any) -> bool:
    return bool(context.has_asset_partitions) and len(context.asset_partition_keys) == 1


def _partition_parts(context: Any) -> tuple[str, ...]:
    key = context.asset_partition_key
    by_dimension = getattr(key, "keys_by_dimension", None)
    if by_dimension is not None:
        return tuple(by_dimension[name] for name in sorted(by_dimension))
    return (str(key),)


def _related(left: tuple[str, ...], right: tuple[str, ...]) -> bool:
    n = min(len(left), len(right))
    return left[:n] == right[:n]


class PrefixRefusingManager(DictManager):
    """Correct under IOM-STORE-009: refuses (typed) a key prefix-related to a stored one."""

    def __init__(self) -> None:
        super().__init__()
        self.sequences: dict[tuple[str, ...], tuple[str, ...]] = {}

    def _conflict(self, context: Any) -> tuple[str, ...] | None:
        key, sequence = _key(context), _sequence(context)
        for other_key, other in self.sequences.items():
            if other_key != key and other_key in self.values and self._related(sequence, other):
                return other
        return None

    def _related(self, sequence: tuple[str, ...], other: tuple[str, ...]) -> bool:
        return _related(sequence, other)

    def handle_output(self, context: OutputContextLike, obj: object) -> None:
        if context.has_asset_partitions and len(context.asset_partition_keys) != 1:
            raise ValueError("can only store one partition per output")
        conflict = self._conflict(context)
        if conflict is not None:
            self._on_conflict(conflict)
            raise KeyConflictError(f"{list(_sequence(context))} conflicts with stored {conflict}")
        super().handle_output(context, obj)
        self.sequences[_key(context)] = _sequence(context)

    def _on_conflict(self, conflict: tuple[str, ...]) -> None:
        """Nothing: the stored values stay intact."""


class LossyRefusingManager(PrefixRefusingManager):
    """Broken (IOM-SEC-003): refuses structurally, but destroys the conflicting value first."""

    def _on_conflict(self, conflict: tuple[str, ...]) -> None:
        for key, sequence in list(self.sequences.items()):
            if sequence == conflict:
                self.values.pop(key, None)


class OverRefusingManager(PrefixRefusingManager):
    """Broken (IOM-STORE-009 does not allow it): refuses keys that merely share a first part."""

    def _related(self, sequence: tuple[str, ...], other: tuple[str, ...]) -> bool:
        return sequence[:1] == other[:1]


class RefuseAllManager(DictManager):
    """Broken: refuses every store with a typed error."""

    def handle_output(self, context: OutputContextLike, obj: object) -> None:
        raise KeyConflictError("this manager refuses everything")


class KindSwitchingManager(DictManager):
    """Correct under the revised IOM-ID-012: storing one kind of an asset (unpartitioned or a
    partition) deletes the other kind's values, like Dagster's path layout."""

    def __init__(self) -> None:
        super().__init__()
        self.kinds: dict[tuple[str, ...], tuple[tuple[str, ...], bool]] = {}

    def handle_output(self, context: OutputContextLike, obj: object) -> None:
        super().handle_output(context, obj)
        if not context.has_asset_key:
            return
        path = tuple(context.asset_key.path)
        partitioned = _one_partition(context)
        for key, (other_path, other_partitioned) in list(self.kinds.items()):
            if other_path == path and other_partitioned != partitioned:
                self.values.pop(key, None)
                del self.kinds[key]
        self.kinds[_key(context)] = (path, partitioned)


class DotPartitionManager(DictManager):
    """Broken (IOM-ID-012): partition ``.`` shares the unpartitioned asset's key (a path join)."""

    @staticmethod
    def _fold(key: tuple[str, ...]) -> tuple[str, ...]:
        if len(key) > 2 and key[0] == "partition" and key[-1] == ".":
            return ("asset", *key[1:-1])
        return key

    def handle_output(self, context: OutputContextLike, obj: object) -> None:
        if context.has_asset_partitions and len(context.asset_partition_keys) != 1:
            raise ValueError("can only store one partition per output")
        self.values[self._fold(_key(context))] = obj

    def load_input(self, context: InputContextLike) -> object:
        if context.has_asset_key and context.has_asset_partitions:
            path = tuple(context.asset_key.path)
            return _load_partitions(
                context, lambda p: self.values[self._fold(("partition", *path, p))]
            )
        return super().load_input(context)


class SortedRangeManager(DictManager):
    """Broken (IOM-PART-015, a SHOULD): range mappings iterate in sorted key order."""

    def load_input(self, context: InputContextLike) -> object:
        loaded = super().load_input(context)
        if isinstance(loaded, dict):
            return dict(sorted(loaded.items()))
        return loaded
