"""``PickledObjectFilesystemIOManager``: pickles each output to a file, written atomically.

For a local base directory (a plain path or ``file://``) stores and loads take a fast path of
plain ``os`` calls on strings (no ``UPath`` objects): the root's real path is resolved once,
key components are encoded (which rules out ``..``, separators and absolute parts, so paths are
confined lexically), and a directory's real path is checked against the root once, when the
manager first uses it (symlinks planted under the root are refused). Other filesystems
(``memory://``, ``s3://``) and subclasses that override a path or I/O hook use the generic
``UPathIOManager`` path.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Sequence
from typing import IO, Any, ClassVar

from upath import UPath

from reference_impl.errors import StoredValueNotFoundError, UnsafeKeyError
from reference_impl.storage.atomic import (
    atomic_write,
    open_for_reading,
    open_local_for_reading,
    write_local,
)
from reference_impl.storage.base_dir import resolve_base_dir
from reference_impl.storage.layout import ASSETS, OUTPUTS, PARTITIONS, DirectoryKinds, Kind
from reference_impl.storage.partition_loading import (
    MISSING,
    describe_identifier,
    shape_partition_values,
)
from reference_impl.storage.pickling import dump_pickle, load_pickle
from reference_impl.storage.safe_paths import encode_component, encode_components, is_local_path
from reference_impl.storage.upath_manager import (
    UPathIOManager,
    check_single_partition,
    conflict_message,
    mismatch_message,
    op_output_parts,
    partition_segments,
    path_metadata,
    unmarked_partition_message,
)
from spec.contexts import InputContextLike, OutputContextLike

__all__ = ["PickledObjectFilesystemIOManager"]

_FAST_PATH_HOOKS = (
    "dump_to_path", "load_from_path", "get_asset_relative_path", "get_op_output_relative_path",
    "get_path_for_partition", "make_directory", "path_exists", "unlink", "load_partitions",
    "_with_extension", "_get_path", "_get_paths_for_partitions",
    "_get_multipartition_backcompat_paths", "_remove_unpartitioned_leftover", "_load_single",
    "_prepare_parent",
)

Claim = tuple[list[str], Kind]


class PickledObjectFilesystemIOManager(UPathIOManager):
    """Stores outputs as pickles (protocol 4) under ``base_dir`` (a path or fsspec URL).

    Every store is atomic: the pickle is streamed into a temporary file next to the target and
    published in one step (swapped with the old file by ``renameat2(RENAME_EXCHANGE)`` on
    Linux, else, and with ``fsync=True``, moved over it with ``os.replace``; see
    :mod:`reference_impl.storage.atomic`), so
    a failed pickle or a killed process leaves the previous value (or nothing), never a torn
    file. ``fsync=True`` additionally flushes the file and its directory to disk before
    returning, so the value also survives a power loss or kernel crash; it is off by default
    (as in Dagster, which never fsyncs) because it costs milliseconds per store.
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
        fsync: bool = False,
        **storage_options: Any,
    ) -> None:
        root = base_dir if base_dir is not None else resolve_base_dir(None)
        super().__init__(base_path=UPath(root, **storage_options))
        self._fsync = fsync
        self._local: _LocalStore | None = None
        if is_local_path(self.base_path) and all(
            getattr(type(self), name) is getattr(PickledObjectFilesystemIOManager, name)
            for name in _FAST_PATH_HOOKS
        ):
            self._local = _LocalStore(self.base_path)

    # ------------------------------------------------------------------ generic hooks
    def dump_to_path(self, context: OutputContextLike, obj: Any, path: UPath) -> None:
        """Pickle ``obj`` to ``path`` atomically.

        Raises :class:`~reference_impl.errors.UnpicklableValueError` when ``obj`` cannot be
        pickled; the previous value at ``path`` (if any) is then unchanged.
        """

        def write(handle: IO[bytes]) -> None:
            dump_pickle(obj, handle, where=str(path))

        atomic_write(path, write, fsync=self._fsync)

    def load_from_path(self, context: InputContextLike, path: UPath) -> Any:
        """Unpickle the value at ``path``.

        Raises ``FileNotFoundError`` when nothing is stored there (``load_input`` turns it into
        :class:`~reference_impl.errors.StoredValueNotFoundError`) and
        :class:`~reference_impl.errors.CorruptStoredValueError` for unreadable bytes.
        """
        with open_for_reading(path) as handle:
            return load_pickle(handle, where=str(path))

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
            store.claim(context, parts, [(asset[:-1], ASSETS)])
            store.remove_unpartitioned_leftover(context, asset)
            claims: list[Claim] = [(parts[:depth], PARTITIONS)
                                   for depth in range(len(asset), len(parts))]
        elif context.has_asset_key:
            parts = encode_components(context.asset_key.path)
            claims = [(parts[:-1], ASSETS)]
        else:
            parts = op_output_parts(context)
            claims = [(parts[:-1], OUTPUTS)]
        parts[-1] += extension
        where = store.display(parts)

        def write(handle: IO[bytes]) -> None:
            dump_pickle(obj, handle, where=where)

        store.store(context, parts, claims, write, fsync=self._fsync)
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
            if isinstance(value, _Conflict):
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
            loaded[key] = MISSING if isinstance(value, _Conflict) else value
        return shape_partition_values(context, loaded, paths)

    def _local_store(self) -> _LocalStore | None:
        store = self._local
        if store is not None and store.cwd is not None and os.getcwd() != store.cwd:
            store = self._local = _LocalStore(self.base_path)  # relative root moved
        return store


class _Conflict:
    """A load found a directory of another kind where the value should be."""

    def __init__(self, message: str) -> None:
        self.message = message


class _LocalOps:
    """:class:`~reference_impl.storage.layout.KindOps` on local directories (absolute strings)."""

    def __init__(self, real_root: str) -> None:
        self.real_root = real_root
        self.prefix = real_root if real_root.endswith("/") else real_root + "/"

    def key(self, directory: str) -> str:
        return directory

    def has_marker(self, directory: str, name: str) -> bool:
        try:
            os.stat(directory + "/" + name)
        except (FileNotFoundError, NotADirectoryError):
            return False
        return True

    def make_directory(self, directory: str) -> None:
        os.makedirs(directory, exist_ok=True)

    def create_marker(self, directory: str, name: str) -> None:
        with contextlib.suppress(FileExistsError):
            os.close(os.open(directory + "/" + name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))

    def remove_marker(self, directory: str, name: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(directory + "/" + name)

    def verify(self, directory: str) -> None:
        self.verify_path(directory, allow_root=True)

    def verify_path(self, path: str, *, allow_root: bool) -> None:
        real = os.path.realpath(path)
        if (real == self.real_root and allow_root) or real.startswith(self.prefix):
            return
        raise UnsafeKeyError(
            f"refusing to touch {path!r}: it resolves to {real!r}, which is not inside the "
            f"storage root {self.real_root!r} (a symlink under the root points out of it)"
        )


class _LocalStore:
    """The local fast path: string paths below the root's real path, cached directory kinds."""

    def __init__(self, base_path: UPath) -> None:
        text = base_path.path or "."
        self.cwd = None if os.path.isabs(text) else os.getcwd()
        self.ops = _LocalOps(os.path.realpath(os.path.abspath(text)))
        self.kinds: DirectoryKinds[str] = DirectoryKinds(self.ops)
        self.display_prefix = str(base_path.joinpath("x"))[:-1]

    def directory(self, parts: Sequence[str]) -> str:
        return self.ops.prefix + "/".join(parts) if parts else self.ops.real_root

    def display(self, parts: Sequence[str]) -> str:
        """The path as the generic path would report it (``str`` of the ``UPath``)."""
        return self.display_prefix + "/".join(parts)

    def claim(self, context: OutputContextLike, parts: list[str], claims: list[Claim]) -> bool:
        """Claim each directory for its kind; whether the last one carried no marker."""
        unmarked = False
        for directory_parts, kind in claims:
            directory = self.directory(directory_parts)
            if self.kinds.knows(directory, kind):
                unmarked = False
                continue
            depth = len(directory_parts)

            def conflict(other: Kind, depth: int = depth) -> str:
                return conflict_message(context, self.display(parts), parts[:depth],
                                        parts[depth], other)

            unmarked = self.kinds.claim(directory, kind, conflict)
        return unmarked

    def store(self, context: OutputContextLike, parts: list[str], claims: list[Claim],
              write: Any, *, fsync: bool) -> None:
        directory = self.directory(parts[:-1])
        target = directory + "/" + parts[-1]
        for attempt in range(2):
            unmarked = self.claim(context, parts, claims)
            if unmarked and claims[-1][1] == PARTITIONS and os.path.lexists(target):
                raise UnsafeKeyError(unmarked_partition_message(context, self.display(parts)))
            try:
                write_local(directory, target, write, fsync=fsync)
                return
            except FileNotFoundError:
                if attempt:
                    raise
                self.kinds.forget()  # the directory was removed behind our back
            except IsADirectoryError as error:
                raise UnsafeKeyError(
                    f"cannot store at {self.display(parts)!r}: it is a directory holding the "
                    "values of longer keys (or partitions) that start with this key"
                ) from error

    def load(self, context: InputContextLike, parts: list[str], kind: Kind) -> Any:
        """The stored value, ``MISSING``, or a :class:`_Conflict`."""
        directory = self.directory(parts[:-1])
        if not self.kinds.knows(directory, kind):
            self.ops.verify(directory)
            other = self.kinds.conflicting_kind(directory, kind)
            if other is not None:
                return _Conflict(mismatch_message(context, self.display(parts), parts[:-1],
                                                  parts[-1], other))
        path = directory + "/" + parts[-1]
        where = self.display(parts)
        try:
            handle = open_local_for_reading(path)
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return MISSING
        except OSError as error:
            if error.errno != errno.ELOOP:
                raise
            self.ops.verify_path(path, allow_root=False)  # a symlink: only inside the root
            try:
                handle = open(path, "rb")  # noqa: SIM115 - closed by the with below
            except (FileNotFoundError, IsADirectoryError):
                return MISSING
        with handle:
            return load_pickle(handle, where=where)

    def remove_unpartitioned_leftover(self, context: OutputContextLike,
                                      asset: list[str]) -> None:
        path = self.directory(asset)
        if self.kinds.knows(path, PARTITIONS) or not os.path.isfile(path):
            return
        context.log.warning(
            f"Found file at {self.display(asset)} believed to correspond with the previously "
            f"non-partitioned version of asset {context.asset_key.path!r}. Removing it "
            "and replacing it with a directory of partitions."
        )
        os.unlink(path)
