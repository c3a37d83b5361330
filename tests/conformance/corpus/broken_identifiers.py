"""Broken managers that store distinct things in one place (``IOM-ID-*``).

Each overrides one method of a correct base and names the requirement it breaks in ``breaks``.
"""

from __future__ import annotations

import re
from typing import Any

from conformance.subject import Subject
from tests.conformance.corpus.base import (
    DictManager,
    PickleDirManager,
    StorageKey,
    table_key_domain,
)


class IgnoresRunId(DictManager):
    """Drops the run id from op-output keys: two runs share one slot."""

    breaks = "IOM-ID-010"

    def op_key(self, context: Any) -> StorageKey:
        identifier = tuple(context.get_identifier())
        if identifier[0] == "versioned_outputs":
            return ("op", identifier)
        return ("op", identifier[1:])


class IgnoresMappingKey(DictManager):
    """Drops the mapping key: every mapped output of a step shares one slot."""

    breaks = "IOM-ID-010"

    def op_key(self, context: Any) -> StorageKey:
        identifier = tuple(context.get_identifier())
        if identifier[0] != "versioned_outputs" and len(identifier) == 4:
            identifier = identifier[:3]
        return ("op", identifier)


class IgnoresVersion(DictManager):
    """Drops the version from versioned outputs: every version shares one slot."""

    breaks = "IOM-ID-010"

    def op_key(self, context: Any) -> StorageKey:
        identifier = tuple(context.get_identifier())
        if identifier[0] == "versioned_outputs":
            identifier = identifier[:1] + identifier[2:]
        return ("op", identifier)


def run_id_of(context: Any) -> str:
    """The run id a context names: its own (output) or its upstream output's (input)."""
    upstream = getattr(context, "upstream_output", None)
    return str((context if upstream is None else upstream).run_id)


class VersionedOutputsScopedByRunId(DictManager):
    """Puts the run id in front of a versioned output's identifier: a later run with the same
    version finds nothing."""

    breaks = "IOM-ID-015"

    def op_key(self, context: Any) -> StorageKey:
        identifier = tuple(context.get_identifier())
        if identifier[0] == "versioned_outputs":
            return ("op", run_id_of(context), identifier)
        return ("op", identifier)


class AssetsScopedByRunId(DictManager):
    """Stores assets under a path that includes the run id (``<run_id>/<asset key>``, as a
    per-run directory would): a later run finds nothing."""

    breaks = "IOM-ID-013"

    def asset_key(self, context: Any, partition: str | None) -> StorageKey:
        return ("asset", run_id_of(context), tuple(context.asset_key.path), partition)


class CachedAcrossRunsStoredPerRun(PickleDirManager):
    """Stores assets durably under the run id (``<run_id>/<asset key>``), behind an in-memory
    cache that ignores the run: a later run in the same process hits the cache, a later run in
    a new process (a new instance) finds nothing."""

    breaks = "IOM-ID-013"

    def __init__(self, base_dir: str) -> None:
        super().__init__(base_dir)
        self.cache: dict[StorageKey, Any] = {}

    def asset_key(self, context: Any, partition: str | None) -> StorageKey:
        return ("asset", run_id_of(context), tuple(context.asset_key.path), partition)

    def put(self, key: StorageKey, obj: Any) -> None:
        super().put(key, obj)
        self.cache[_without_run(key)] = obj

    def get(self, key: StorageKey) -> Any:
        if _without_run(key) in self.cache:
            return self.cache[_without_run(key)]
        return super().get(key)


def _without_run(key: StorageKey) -> StorageKey:
    return (key[0], *key[2:]) if key[0] == "asset" else key


class SlashJoinedAssetKey(DictManager):
    """Joins the asset key with ``/``: ``["a/b"]`` and ``["a", "b"]`` collide."""

    breaks = "IOM-ID-011"

    def asset_key(self, context: Any, partition: str | None) -> StorageKey:
        return ("asset", "/".join(context.asset_key.path), partition)


class UnderscoreJoinedAssetKey(DictManager):
    """Joins the asset key with ``_``: ``["a_b"]`` and ``["a", "b"]`` collide."""

    breaks = "IOM-ID-011"

    def asset_key(self, context: Any, partition: str | None) -> StorageKey:
        return ("asset", "_".join(context.asset_key.path), partition)


class DropsEmptyComponents(DictManager):
    """Drops empty key components: ``["a", ""]`` and ``["a"]`` collide."""

    breaks = "IOM-ID-011"

    def asset_key(self, context: Any, partition: str | None) -> StorageKey:
        return ("asset", tuple(c for c in context.asset_key.path if c), partition)


class IgnoresPartition(DictManager):
    """Stores every partition of an asset in the asset's one slot."""

    breaks = "IOM-ID-012"

    def asset_key(self, context: Any, partition: str | None) -> StorageKey:
        return ("asset", tuple(context.asset_key.path), None)


class LastTwoKeyComponents(DictManager):
    """A table manager (keys ``(schema, table)``) that stores a longer key under its last two
    components, as Dagster's ``DbIOManager`` does: ``["x", "a", "b"]`` shares the table of
    ``["a", "b"]`` instead of being refused."""

    breaks = "IOM-ID-014"

    @classmethod
    def subject(cls) -> Subject:
        """Declares the table domain (one or two ``[A-Za-z0-9_]+`` components)."""
        return Subject.from_object(cls, accepts_asset_key=table_key_domain)

    def asset_key(self, context: Any, partition: str | None) -> StorageKey:
        return ("asset", tuple(context.asset_key.path)[-2:], partition)


class SanitizedKeyComponents(DictManager):
    """A table manager that turns every character a SQL identifier cannot hold into ``_``, so
    ``["a-b"]`` and ``["a.b"]`` share the table of ``["a_b"]`` instead of being refused."""

    breaks = "IOM-ID-014"

    @classmethod
    def subject(cls) -> Subject:
        """Declares the table domain (one or two ``[A-Za-z0-9_]+`` components)."""
        return Subject.from_object(cls, accepts_asset_key=table_key_domain)

    def asset_key(self, context: Any, partition: str | None) -> StorageKey:
        path = tuple(re.sub(r"[^A-Za-z0-9_]", "_", part) for part in context.asset_key.path)
        return ("asset", path, partition)


BROKEN_IDENTIFIERS: tuple[type, ...] = (
    IgnoresRunId,
    IgnoresMappingKey,
    IgnoresVersion,
    VersionedOutputsScopedByRunId,
    AssetsScopedByRunId,
    CachedAcrossRunsStoredPerRun,
    SlashJoinedAssetKey,
    UnderscoreJoinedAssetKey,
    DropsEmptyComponents,
    IgnoresPartition,
    LastTwoKeyComponents,
    SanitizedKeyComponents,
)
