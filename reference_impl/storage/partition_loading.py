"""Loading several partitions, synchronously or concurrently, without misaligning keys.

Both loaders return a dict from each requested partition key to its value, or to
:data:`MISSING` when nothing is stored for it (``FileNotFoundError`` on the main path and on the
multi-partition back-compat path). Values always stay with their own key: the async loader
zips results with keys *before* anything is filtered (Dagster 1.13.28 filters first and so
misaligns, IOM-PART-005/008).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from upath import UPath

from reference_impl.errors import StoredValueNotFoundError
from spec.contexts import InputContextLike, OutputContextLike

__all__ = [
    "MISSING",
    "PartitionPaths",
    "allows_missing_partitions",
    "describe_identifier",
    "load_partitions_async",
    "load_partitions_sync",
    "shape_partition_values",
]


class _Missing:
    """Marks a partition with nothing stored (distinct from a stored ``None``)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Final = _Missing()

SyncLoader = Callable[..., Any]
AsyncLoader = Callable[..., Awaitable[Any]]
_NOT_FOUND = (FileNotFoundError, IsADirectoryError)


@dataclass(frozen=True)
class PartitionPaths:
    """Where each partition lives, plus an optional older location to try when it is missing."""

    paths: Mapping[str, UPath]
    fallbacks: Mapping[str, UPath]

    def candidates(self, key: str) -> tuple[UPath, ...]:
        """The paths to try for ``key``, in order."""
        fallback = self.fallbacks.get(key)
        return (self.paths[key],) if fallback is None else (self.paths[key], fallback)


def load_partitions_sync(
    load: SyncLoader, context: InputContextLike, plan: PartitionPaths
) -> dict[str, Any]:
    """Load every partition of ``plan`` one after the other with ``load(context=, path=)``."""
    return {key: _load_one_sync(load, context, plan.candidates(key)) for key in plan.paths}


async def load_partitions_async(
    load: AsyncLoader, context: InputContextLike, plan: PartitionPaths, limit: int
) -> dict[str, Any]:
    """Load every partition of ``plan`` concurrently (at most ``limit`` at a time).

    Errors other than "not found" propagate; results are keyed by their own partition key.
    """
    semaphore = asyncio.Semaphore(max(1, limit))

    async def load_one(key: str) -> Any:
        async with semaphore:
            for path in plan.candidates(key):
                try:
                    return await load(context=context, path=path)
                except _NOT_FOUND:
                    continue
            return MISSING

    keys = list(plan.paths)
    values = await asyncio.gather(*(load_one(key) for key in keys))
    return dict(zip(keys, values, strict=True))


def allows_missing_partitions(context: InputContextLike) -> bool:
    """Whether the input's definition metadata sets ``allow_missing_partitions`` (truthy)."""
    return bool(context.definition_metadata.get("allow_missing_partitions", False))


def shape_partition_values(
    context: InputContextLike, loaded: Mapping[str, Any], paths: Mapping[str, object]
) -> Any:
    """Turn loader results into what ``load_input`` returns.

    One requested partition → its bare value (``None`` if missing but allowed); several → a
    dict in request order without the missing ones; stored ``None`` values are kept
    (IOM-PART-017). Raises :class:`StoredValueNotFoundError` naming the missing partitions
    unless :func:`allows_missing_partitions`.
    """
    missing = [key for key, value in loaded.items() if value is MISSING]
    if missing and not allows_missing_partitions(context):
        shown = ", ".join(repr(str(key)) for key in missing[:5])
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        raise StoredValueNotFoundError(
            f"{len(missing)} of {len(loaded)} partition(s) of {describe_identifier(context)} "
            f"are not stored: {shown}{more} (first missing path: {str(paths[missing[0]])!r}). "
            "Materialize them, or set allow_missing_partitions=True in the input's metadata "
            "to skip them"
        )
    for key in missing:
        context.log.warning(
            f"Couldn't load partition {key} and skipped it because the input metadata "
            "includes allow_missing_partitions=True"
        )
    present = {key: value for key, value in loaded.items() if value is not MISSING}
    if len(loaded) == 1:
        return next(iter(present.values()), None)
    return present


def describe_identifier(context: InputContextLike | OutputContextLike) -> str:
    """A short human description of what ``context`` stores or loads, for error messages."""
    try:
        if context.has_asset_key:
            return f"asset {list(context.asset_key.path)!r}"
        return f"identifier {list(context.get_identifier())!r}"
    except Exception:
        return "this context (no asset key and no identifier)"


def _load_one_sync(load: SyncLoader, context: InputContextLike,
                   candidates: tuple[UPath, ...]) -> Any:
    for path in candidates:
        try:
            return load(context=context, path=path)
        except _NOT_FOUND:
            continue
    return MISSING
