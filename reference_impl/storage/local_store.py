"""The local fast path of ``PickledObjectFilesystemIOManager``: parts of encoded key components,
confined ``*at`` calls (:mod:`~reference_impl.storage.confined`), cached directory kinds.

Every failure comes out typed (:mod:`~reference_impl.storage.failures`): what a store created
(directories, markers, the temporary file) is removed again when it fails, and the previously
stored value is untouched.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from typing import Any

from upath import UPath

from reference_impl.errors import StorageError, UnsafeKeyError
from reference_impl.storage.confined import Journal, LocalTree, Parts
from reference_impl.storage.failures import describe, load_failure, store_failure, target_of
from reference_impl.storage.layout import ASSETS, PARTITIONS, DirectoryKinds, Kind
from reference_impl.storage.layout_messages import (
    conflict_message,
    mismatch_message,
    unmarked_partition_message,
)
from reference_impl.storage.partition_loading import MISSING
from reference_impl.storage.pickling import load_pickle
from spec.contexts import InputContextLike, OutputContextLike

__all__ = ["Claim", "Conflict", "LocalStore", "TreeKindOps"]

Claim = tuple[list[str], Kind]
Writer = Any
"""A callable that writes the value into an open binary file."""


class Conflict:
    """A load found a directory of another kind where the value should be."""

    def __init__(self, message: str) -> None:
        self.message = message


class TreeKindOps:
    """:class:`~reference_impl.storage.layout.KindOps` on a :class:`LocalTree` (directories
    are tuples of relative parts)."""

    def __init__(self, tree: LocalTree) -> None:
        self.tree = tree

    def key(self, directory: Parts) -> str:
        return "/".join(directory)

    def has_marker(self, directory: Parts, name: str) -> bool:
        return self.tree.has_marker(directory, name)

    def make_directory(self, directory: Parts) -> None:
        self.tree.release(self.tree.open_directory(directory, create=True))

    def create_marker(self, directory: Parts, name: str) -> None:
        self.tree.create_marker(directory, name)

    def remove_marker(self, directory: Parts, name: str) -> None:
        self.tree.unlink((*directory, name))

    def verify(self, directory: Parts) -> None:
        """Nothing to do: every walk below the root refuses symlinks itself."""


class LocalStore:
    """Stores and loads below a local root through a :class:`LocalTree`."""

    def __init__(self, base_path: UPath, *, allow_symlinks: bool) -> None:
        text = base_path.path or "."
        self.cwd = None if os.path.isabs(text) else os.getcwd()
        self.tree = LocalTree(os.path.abspath(text), allow_symlinks=allow_symlinks)
        self.kinds: DirectoryKinds[Parts] = DirectoryKinds(TreeKindOps(self.tree))
        self.root_text = str(base_path)
        self.display_prefix = str(base_path.joinpath("x"))[:-1]

    def display(self, parts: Sequence[str]) -> str:
        """The path as the generic path would report it (``str`` of the ``UPath``)."""
        return self.display_prefix + "/".join(parts)

    def claim(self, context: OutputContextLike, parts: list[str], claims: list[Claim]) -> bool:
        """Claim each directory for its kind; whether the last one carried no marker."""
        unmarked = False
        for directory_parts, kind in claims:
            if self.kinds.knows("/".join(directory_parts), kind):
                unmarked = False
                continue
            depth = len(directory_parts)

            def conflict(other: Kind, depth: int = depth) -> str:
                return conflict_message(context, self.display(parts), parts[:depth],
                                        parts[depth], other)

            unmarked = self.kinds.claim(tuple(directory_parts), kind, conflict)
        return unmarked

    def store(self, context: OutputContextLike, parts: list[str], claims: list[Claim],
              write: Writer, *, durable: bool, partitioned_asset: list[str] | None = None
              ) -> None:
        """Claim the directories and write the value atomically; every failure is typed and
        leaves nothing this store created behind. For a partition, ``partitioned_asset``
        (the asset's parts) is claimed first and its unpartitioned leftover removed."""
        journal = Journal()
        self.tree.journal = journal
        try:
            if partitioned_asset is not None:
                self.claim(context, parts, [(partitioned_asset[:-1], ASSETS)])
                self.remove_unpartitioned_leftover(context, partitioned_asset)
            self._store(context, parts, claims, write, durable, journal)
        except BaseException as error:
            if journal.directories or journal.markers:
                self.tree.journal = None
                self.tree.roll_back(journal)
                self.kinds.forget()
            if isinstance(error, StorageError):
                raise describe(error, self._target(context, parts)) from error.__cause__
            if isinstance(error, OSError):
                raise store_failure(self._target(context, parts), error) from error
            raise
        finally:
            self.tree.journal = None

    def _store(self, context: OutputContextLike, parts: list[str], claims: list[Claim],
               write: Writer, durable: bool, journal: Journal) -> None:
        for attempt in range(2):
            unmarked = self.claim(context, parts, claims)
            if (unmarked and claims[-1][1] == PARTITIONS
                    and self.tree.entry_mode(parts) is not None):
                raise UnsafeKeyError(unmarked_partition_message(context, self.display(parts)))
            try:
                self.tree.write(parts, write, durable=durable,
                                sync_parents=durable and bool(journal.directories))
                return
            except FileNotFoundError:
                if attempt:
                    raise
                self.kinds.forget()  # the directory was removed behind our back
            except NotADirectoryError as error:
                raise UnsafeKeyError(
                    f"cannot store at {self.display(parts)!r}: a parent of it is a file that "
                    "holds the value of another key (a key that is a prefix of this one)"
                ) from error
            except IsADirectoryError as error:
                raise UnsafeKeyError(
                    f"cannot store at {self.display(parts)!r}: it is a directory holding the "
                    "values of longer keys (or partitions) that start with this key"
                ) from error

    def load(self, context: InputContextLike, parts: list[str], kind: Kind) -> Any:
        """The stored value, ``MISSING``, or a :class:`Conflict`; other failures typed."""
        try:
            directory = tuple(parts[:-1])
            if not self.kinds.knows("/".join(directory), kind):
                other = self.kinds.conflicting_kind(directory, kind)
                if other is not None:
                    return Conflict(mismatch_message(context, self.display(parts),
                                                     parts[:-1], parts[-1], other))
            handle = self.tree.open_for_reading(parts)
            if handle is None:
                return MISSING
            with handle:
                return load_pickle(handle, where=self.display(parts))
        except StorageError as error:
            raise describe(error, self._target(context, parts)) from error.__cause__
        except OSError as error:
            raise load_failure(self._target(context, parts), error) from error

    def remove_unpartitioned_leftover(self, context: OutputContextLike,
                                      asset: list[str]) -> None:
        """Remove the unpartitioned value of ``asset`` before it becomes a directory."""
        if self.kinds.knows("/".join(asset), PARTITIONS):
            return
        mode = self.tree.entry_mode(asset)
        if mode is None or not stat.S_ISREG(mode):
            return
        context.log.warning(
            f"Found file at {self.display(asset)} believed to correspond with the previously "
            f"non-partitioned version of asset {context.asset_key.path!r}. Removing it "
            "and replacing it with a directory of partitions."
        )
        self.tree.unlink(asset)

    def _target(self, context: Any, parts: Sequence[str]) -> Any:
        return target_of(context, self.root_text, self.display(parts))

