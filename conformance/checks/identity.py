"""Identity helpers: what distinguishes stored data, the component sequences and parent kinds
of IOM-STORE-009, and the partitioning an output gives its asset's data."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from conformance.contexts import OutputSpec, PartitionsSpec

__all__ = [
    "Identity",
    "Partitioning",
    "StoredEntry",
    "component_sequence",
    "directory_kinds",
    "identity_of",
    "kinds_clash",
    "partitioning_of",
    "same_asset_other_kind",
    "structurally_related",
]

Identity = tuple[object, ...]
"""What distinguishes stored data: ``("asset", key, partition)``, ``("versioned", version,
step, name)`` or ``("op", run, step, name, mapping_key)``."""


def identity_of(spec: OutputSpec) -> Identity:
    """The identity of the data ``spec`` stores (an empty mapping key counts as absent)."""
    if spec.asset_key is not None:
        return ("asset", tuple(spec.asset_key), spec.partition_key)
    if spec.version is not None:
        return ("versioned", spec.version, spec.step_key, spec.name)
    return ("op", spec.run_id, spec.step_key, spec.name, spec.mapping_key or None)


def _partition_components(key: str, partitions_def: PartitionsSpec | None) -> tuple[str, ...]:
    """One component per dimension value (dimension-name order) for a multi-partition key."""
    by_dimension = getattr(key, "keys_by_dimension", None)
    if isinstance(by_dimension, Mapping):
        # A MultiPartitionKey's keys_by_dimension: str dimension names and keys.
        keys = cast("Mapping[str, object]", by_dimension)
        return tuple(str(keys[name]) for name in sorted(keys))
    if partitions_def is not None and partitions_def.kind == "multi":
        return tuple(str(key).split("|"))
    return (str(key),)


def component_sequence(spec: OutputSpec) -> tuple[str, ...] | None:
    """The component sequence of IOM-STORE-009: ``get_identifier()`` of an op output, or the
    asset key path plus the partition's components; ``None`` when ``spec`` names no single
    identifier (a range, or missing op fields)."""
    if spec.asset_key is not None:
        if spec.partition_key_range is not None:
            return None
        parts = tuple(spec.asset_key)
        if spec.partition_key is None:
            return parts
        return parts + _partition_components(spec.partition_key, spec.partitions_def)
    if spec.run_id is None or spec.step_key is None or spec.name is None:
        return None
    if spec.version is not None:
        return ("versioned_outputs", spec.version, spec.step_key, spec.name)
    if spec.mapping_key:
        return (spec.run_id, spec.step_key, spec.name, spec.mapping_key)
    return (spec.run_id, spec.step_key, spec.name)


def structurally_related(left: Sequence[str], right: Sequence[str]) -> bool:
    """Whether one sequence equals, is a strict prefix of, or extends the other (IOM-STORE-009)."""
    shorter, longer = (left, right) if len(left) <= len(right) else (right, left)
    return tuple(longer[: len(shorter)]) == tuple(shorter)


def directory_kinds(spec: OutputSpec) -> dict[tuple[str, ...], str]:
    """The parent sequences ``spec`` occupies, each with the kind it needs there
    (IOM-STORE-009): an op output needs its parent to hold op outputs; an unpartitioned asset
    (or a partitioned asset's own key) needs its parent to hold assets; a partition needs its
    asset's key (and, for multi-partitions, each inner level) to hold partitions."""
    sequence = component_sequence(spec)
    if sequence is None:
        return {}
    if spec.asset_key is None:
        return {sequence[:-1]: "op output"}
    asset = tuple(spec.asset_key)
    kinds = {asset[:-1]: "asset"}
    for depth in range(len(asset), len(sequence)):
        kinds[sequence[:depth]] = "partition"
    return kinds


def kinds_clash(left: OutputSpec, right: OutputSpec) -> bool:
    """Whether ``left`` and ``right`` need one parent sequence to hold different kinds."""
    right_kinds = directory_kinds(right)
    return any(
        parent in right_kinds and right_kinds[parent] != kind
        for parent, kind in directory_kinds(left).items()
    )


def same_asset_other_kind(stored: Identity, new: Identity) -> bool:
    """IOM-ID-012: ``stored`` is the other kind (unpartitioned vs partition) of ``new``'s asset."""
    if stored[0] != "asset" or new[0] != "asset" or stored[1] != new[1]:
        return False
    return (stored[2] is None) != (new[2] is None)



@dataclass
class StoredEntry:
    """One identifier the harness model holds: the unscoped spec and the value stored."""

    spec: OutputSpec
    value: object
    partitioning: Partitioning | None = None
    """The partitioning the store gave its asset's data (:func:`partitioning_of`)."""


Partitioning = tuple[str, str | None]
"""How an asset's stored partitions are laid out (IOM-STORE-009): the partitions definition's
family (``static``, ``time window`` or ``multi``) and its ``partition_expr`` definition
metadata (``repr``; ``None`` when absent)."""


def _family(partitions_def: PartitionsSpec) -> str:
    if partitions_def.kind in ("static", "multi"):
        return partitions_def.kind
    return "time window"


def partitioning_of(spec: OutputSpec, context: Any = None) -> Partitioning | None:
    """The partitioning a partition (or range) output gives its asset's stored data, or
    ``None`` for an op output or an unpartitioned asset. ``partition_expr`` is read from the
    built ``context``'s definition metadata when given (a context factory may add it), else from
    ``spec``."""
    if spec.asset_key is None or spec.partitions_def is None:
        return None
    if spec.partition_key is None and spec.partition_key_range is None:
        return None
    metadata: Mapping[str, object] = spec.definition_metadata
    if context is not None:
        try:
            found = context.definition_metadata
        except Exception:
            found = None
        if isinstance(found, Mapping):
            metadata = cast("Mapping[str, object]", found)  # str keys (spec.ContextLike)
    expr = metadata.get("partition_expr")
    return (_family(spec.partitions_def), None if expr is None else repr(expr))
