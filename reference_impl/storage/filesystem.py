"""``PickledObjectFilesystemIOManager``: pickles each output to a file, written atomically.

For a local base directory (a plain path or ``file://``) stores and loads take a fast path of
``os`` calls on encoded key components (no ``UPath`` objects, :mod:`.local_store`): every path
below the root is resolved through directory descriptors, so a symlink planted under the root
(or a directory swapped for one) is refused, never followed. Other filesystems (``memory://``,
``s3://``) and subclasses that override a path or I/O hook use the generic ``UPathIOManager``
path; on a local root that path also writes through directory descriptors.
"""

from __future__ import annotations

import os
from typing import IO, Any, ClassVar

from upath import UPath

from reference_impl.errors import StoredValueNotFoundError
from reference_impl.storage.atomic import atomic_write, open_for_reading
from reference_impl.storage.base_dir import resolve_base_dir
from reference_impl.storage.confined import SUPPORTED
from reference_impl.storage.layout import ASSETS, OUTPUTS, PARTITIONS
from reference_impl.storage.layout_messages import check_single_partition
from reference_impl.storage.local_store import Claim, Conflict, LocalStore
from reference_impl.storage.partition_loading import (
    MISSING,
    describe_identifier,
    shape_partition_values,
)
from reference_impl.storage.pickling import dump_pickle, load_pickle
from reference_impl.storage.safe_paths import encode_component, encode_components, is_local_path
from reference_impl.storage.upath_manager import UPathIOManager
from reference_impl.storage.upath_paths import op_output_parts, partition_segments, path_metadata
from spec.contexts import InputContextLike, OutputContextLike

__all__ = ["PickledObjectFilesystemIOManager"]

_FAST_PATH_HOOKS = (
    "dump_to_path", "load_from_path", "get_asset_relative_path", "get_op_output_relative_path",
    "get_path_for_partition", "make_directory", "path_exists", "unlink", "load_partitions",
    "_with_extension", "_get_path", "_get_paths_for_partitions",
    "_get_multipartition_backcompat_paths", "_remove_unpartitioned_leftover", "_load_single",
    "_prepare_parent",
)


class PickledObjectFilesystemIOManager(UPathIOManager):
    """Stores outputs as pickles (protocol 4) under ``base_dir`` (a path or fsspec URL).

    Every store is atomic: the pickle is streamed into a temporary file next to the target and
    published in one step (swapped with the old file by ``renameat2(RENAME_EXCHANGE)`` on
    Linux, else, and with ``fsync=True``, moved over it with ``os.replace``; see
    :mod:`reference_impl.storage.atomic`), so
    a failed pickle or a killed process leaves the previous value (or nothing), never a torn
    file. ``durable_writes=True`` (alias ``fsync=True``) additionally flushes the file and its
    directory (and any directory the store created) to disk before returning, so a completed
    store also survives a power loss or kernel crash; it is off by default (as in Dagster,
    which never fsyncs) because it costs milliseconds per store.

    Failures are typed (:class:`~reference_impl.errors.StoreError` and
    :class:`~reference_impl.errors.LoadError` subclasses naming key, partition and storage
    root); a failed store leaves the previous value, and a failed first store leaves nothing
    (no temporary file, directory or marker). Temporary files name their owner and stale ones
    are swept (:mod:`reference_impl.storage.temporaries`). Symlinks inside the root are
    refused unless ``allow_symlinks=True`` (then followed while they stay inside the root).
    ``base_dir=None`` resolves like ``FilesystemIOManager`` (``$DAGSTER_HOME`` or a temporary
    directory) instead of raising ``TypeError`` as Dagster 1.13 does. Extra keyword arguments
    are fsspec storage options (e.g. ``endpoint_url``, ``key``, ``secret``).

    Layout markers (``%@assets``, ``%@partitions``, ``%@outputs``) in each directory holding
    values keep identifiers that Dagster maps to the same path (asset ``["x", "a"]`` and
    partition ``a`` of asset ``["x"]``) from overwriting each other: the second store raises
    :class:`~reference_impl.errors.UnsafeKeyError`. See ``docs/deviations/storage.md``.
    """

    extension: ClassVar[str | None] = ""

    def __init__(
        self,
        base_dir: str | os.PathLike[str] | None = None,
        *,
        durable_writes: bool = False,
        fsync: bool = False,
        allow_symlinks: bool = False,
        **storage_options: Any,
    ) -> None:
        root = base_dir if base_dir is not None else resolve_base_dir(None)
        super().__init__(base_path=UPath(root, **storage_options), allow_symlinks=allow_symlinks)
        self._fsync = durable_writes or fsync
        self._allow_symlinks = allow_symlinks
        self._local: LocalStore | None = None
        if SUPPORTED and is_local_path(self.base_path) and all(
            getattr(type(self), name) is getattr(PickledObjectFilesystemIOManager, name)
            for name in _FAST_PATH_HOOKS
        ):
            self._local = LocalStore(self.base_path, allow_symlinks=allow_symlinks)

    def sweep_temporaries(self) -> int:
        """Remove stale temporary files everywhere below a local root (stores already sweep
        each directory they write to); returns how many were removed (0 for remote roots)."""
        tree = self._kind_ops.tree
        return 0 if tree is None else tree.sweep_tree()

    @property
    def durable_writes(self) -> bool:
        """Whether a completed store is flushed to disk (survives power loss)."""
        return self._fsync

    # ------------------------------------------------------------------ generic hooks
    def dump_to_path(self, context: OutputContextLike, obj: Any, path: UPath) -> None:
        """Pickle ``obj`` to ``path`` atomically.

        Raises :class:`~reference_impl.errors.UnpicklableValueError` when ``obj`` cannot be
        pickled; the previous value at ``path`` (if any) is then unchanged.
        """

        def write(handle: IO[bytes]) -> None:
            dump_pickle(obj, handle, where=str(path))

        tree = self._kind_ops.tree
        if tree is not None:  # local: through directory descriptors
            tree.write(self._kind_ops.parts(path), write, durable=self._fsync,
                       sync_parents=self._fsync)
        else:
            atomic_write(path, write, fsync=self._fsync)

    def load_from_path(self, context: InputContextLike, path: UPath) -> Any:
        """Unpickle the value at ``path``.

        Raises ``FileNotFoundError`` when nothing is stored there (``load_input`` turns it into
        :class:`~reference_impl.errors.StoredValueNotFoundError`) and
        :class:`~reference_impl.errors.CorruptStoredValueError` for unreadable bytes.
        """
        tree = self._kind_ops.tree
        if tree is None:
            with open_for_reading(path) as handle:
                return load_pickle(handle, where=str(path))
        opened = tree.open_for_reading(self._kind_ops.parts(path))
        if opened is None:
            raise FileNotFoundError(2, "nothing is stored here", str(path))
        with opened:
            return load_pickle(opened, where=str(path))

    # ------------------------------------------------------------------ IOManager
    def handle_output(self, context: OutputContextLike, obj: Any) -> None:
        """Store ``obj`` (see :meth:`UPathIOManager.handle_output`; same errors)."""
        store = self._local_store()
        if store is None:
            super().handle_output(context, obj)
            return
        extension = self.extension or ""
        if context.has_asset_partitions:
            keys = list(context.asset_partition_keys)
            check_single_partition(self, context, keys)
            asset = encode_components(context.asset_key.path)
            segments = partition_segments(keys[0])
            parts = asset + segments
            partitioned: list[str] | None = asset
            claims: list[Claim] = [(parts[:depth], PARTITIONS)
                                   for depth in range(len(asset), len(parts))]
        elif context.has_asset_key:
            parts, partitioned = encode_components(context.asset_key.path), None
            claims = [(parts[:-1], ASSETS)]
        else:
            parts, partitioned = op_output_parts(context), None
            claims = [(parts[:-1], OUTPUTS)]
        parts[-1] += extension
        where = store.display(parts)

        def write(handle: IO[bytes]) -> None:
            dump_pickle(obj, handle, where=where)

        store.store(context, parts, claims, write, durable=self._fsync,
                    partitioned_asset=partitioned)
        metadata: dict[str, Any] = {} if obj is None else {"path": path_metadata(context, where)}
        metadata.update(self.get_metadata(context=context, obj=obj))
        context.add_output_metadata(metadata)

    def load_input(self, context: InputContextLike) -> Any:
        """Load the upstream value (see :meth:`UPathIOManager.load_input`; same errors)."""
        store = self._local_store()
        if store is None:
            return super().load_input(context)
        extension = self.extension or ""
        if not context.has_asset_key or not context.has_asset_partitions:
            if context.has_asset_key:
                parts, kind = encode_components(context.asset_key.path), ASSETS
            else:
                parts, kind = op_output_parts(context), OUTPUTS
            parts[-1] += extension
            value = store.load(context, parts, kind)
            if isinstance(value, Conflict):
                raise StoredValueNotFoundError(value.message)
            if value is MISSING:
                raise StoredValueNotFoundError(
                    f"nothing is stored at {store.display(parts)!r} for "
                    f"{describe_identifier(context)}; materialize the upstream output (or "
                    "asset) first"
                )
            return value
        keys = list(context.asset_partition_keys)
        if not keys:
            return None
        asset = encode_components(context.asset_key.path)
        loaded: dict[str, Any] = {}
        paths: dict[str, str] = {}
        for key in keys:
            parts = asset + partition_segments(key)
            parts[-1] += extension
            paths[key] = store.display(parts)
            value = store.load(context, parts, PARTITIONS)
            if value is MISSING and hasattr(key, "keys_by_dimension"):
                value = store.load(context, [*asset, encode_component(str(key)) + extension],
                                   PARTITIONS)
            loaded[key] = MISSING if isinstance(value, Conflict) else value
        return shape_partition_values(context, loaded, paths)

    def _local_store(self) -> LocalStore | None:
        store = self._local
        if store is not None and store.cwd is not None and os.getcwd() != store.cwd:
            store = self._local = LocalStore(self.base_path,  # relative root moved
                                             allow_symlinks=self._allow_symlinks)
        return store
