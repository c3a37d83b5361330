"""Error messages of the layout protocol (shared by the generic and the local fast path), and
the one-partition-per-output check."""

from __future__ import annotations

from collections.abc import Sequence

from reference_impl.errors import PartitionCountError
from reference_impl.storage.layout import OUTPUTS, PARTITIONS, Kind, describe_kind
from reference_impl.storage.partition_loading import describe_identifier
from spec.contexts import InputContextLike, OutputContextLike

__all__ = [
    "check_single_partition",
    "conflict_message",
    "mismatch_message",
    "unmarked_partition_message",
]

AnyContext = InputContextLike | OutputContextLike


def check_single_partition(manager: object, context: OutputContextLike,
                           keys: Sequence[str]) -> None:
    """Raise :class:`PartitionCountError` unless the output covers exactly one partition."""
    if len(keys) != 1:
        raise PartitionCountError(
            f"{type(manager).__name__} stores one partition per output, but the output of "
            f"asset {context.asset_key.path!r} covers {len(keys)} partitions "
            f"({_preview(list(keys))}). Run one partition per run instead of a "
            "single-run backfill, or use a manager that stores ranges"
        )


def _what(context: AnyContext) -> str:
    if context.has_asset_key and context.has_asset_partitions:
        keys = list(context.asset_partition_keys)
        shown = str(keys[0]) if len(keys) == 1 else _preview(keys)
        return f"partition {shown!r} of asset {list(context.asset_key.path)!r}"
    return describe_identifier(context)


def _other_identifier(directory: Sequence[str], entry: str, other: Kind) -> str:
    if other == PARTITIONS:
        return f"partition {entry!r} of the asset stored at {'/'.join(directory)!r}"
    if other == OUTPUTS:
        return f"the op output {[*directory, entry]!r}"
    return f"asset {[*directory, entry]!r}"


def conflict_message(context: AnyContext, path: str, directory: Sequence[str], entry: str,
                     other: Kind) -> str:
    """Why storing ``context``'s value at ``path`` is refused: ``directory`` (relative
    components) holds another kind of value, so ``entry`` there means something else."""
    there = _other_identifier(directory, entry, other)
    return (
        f"cannot store {_what(context)} at {path!r}: the directory {'/'.join(directory)!r} holds "
        f"{describe_kind(other)}, so {entry!r} there is {there}."
        " Dagster's layout maps both identifiers to the same path; storing one would overwrite "
        "or shadow the other. Rename one of the assets (or outputs); both stored values are "
        "unchanged"
    )


def unmarked_partition_message(context: AnyContext, path: str) -> str:
    """Why a partition is not written over a file in a directory written without markers."""
    return (
        f"cannot store {_what(context)} at {path!r}: a file is already there in a directory "
        "that was written without layout markers (by Dagster or an older version), so it may "
        "be an unpartitioned asset whose key ends with this partition key. Delete that file if "
        "it is an old partition value, or rename one of the assets; it is unchanged"
    )


def mismatch_message(context: AnyContext, path: str, directory: Sequence[str], entry: str,
                     other: Kind) -> str:
    """Why nothing is loaded for ``context`` although ``path`` holds a file of another kind."""
    return (
        f"nothing is stored for {_what(context)}: {path!r} is in {'/'.join(directory)!r}, a "
        f"directory of {describe_kind(other)}, so it holds "
        f"{_other_identifier(directory, entry, other)}, not this value"
    )


def _preview(keys: Sequence[str]) -> str:
    shown = ", ".join(repr(key) for key in keys[:3])
    return shown + (", ..." if len(keys) > 3 else "")
