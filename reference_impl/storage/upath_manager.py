"""``UPathIOManager``: an abstract IO manager that stores one file per output on any fsspec path.

Subclasses implement ``dump_to_path`` and ``load_from_path`` (which may be ``async def``). The
layout is Dagster's (op outputs ``<base>/<run_id>/<step_key>/<name>[/<mapping_key>]``,
versioned ``<base>/versioned_outputs/<version>/<step_key>/<name>``, assets
``<base>/<k1>/.../<kn>``, partitions ``<base>/<asset path>/<partition key>``, multi-partitions
``<base>/<asset path>/<v1>/<v2>`` in dimension-name order), with every component passed through
:func:`~reference_impl.storage.safe_paths.encode_component` so that unsafe or colliding keys are
encoded instead of interpreted as paths. See ``docs/deviations/storage.md``.
"""

from __future__ import annotations

import inspect
from abc import abstractmethod
from collections.abc import Mapping
from typing import Any, ClassVar

from upath import UPath

from reference_impl.definitions.managers import IOManager
from reference_impl.errors import (
    NotPartitionedError,
    StorageError,
    StoredValueNotFoundError,
    UnsafeKeyError,
)
from reference_impl.storage.async_runner import run_sync
from reference_impl.storage.failures import describe, load_failure, store_failure, target_of
from reference_impl.storage.layout import ASSETS, OUTPUTS, PARTITIONS, DirectoryKinds, Kind
from reference_impl.storage.layout_messages import (
    check_single_partition,
    conflict_message,
    mismatch_message,
    unmarked_partition_message,
)
from reference_impl.storage.partition_loading import (
    MISSING,
    PartitionPaths,
    describe_identifier,
    load_partitions_async,
    load_partitions_sync,
    shape_partition_values,
)
from reference_impl.storage.safe_paths import (
    encode_component,
    encode_components,
    ensure_inside_root,
)
from reference_impl.storage.upath_kinds import UPathKindOps
from reference_impl.storage.upath_paths import (
    check_extension,
    directories_between,
    entry_below,
    op_output_parts,
    partition_segments,
    path_metadata,
)
from spec.contexts import InputContextLike, OutputContextLike

__all__ = [
    "UPathIOManager",
    "check_single_partition",
    "conflict_message",
    "mismatch_message",
    "op_output_parts",
    "partition_segments",
    "path_metadata",
    "unmarked_partition_message",
]

AnyContext = InputContextLike | OutputContextLike


class UPathIOManager(IOManager):
    """Abstract IO manager storing each output in one file under ``base_path``.

    Raises :class:`ConfigError` at construction when ``extension`` is malformed. On a local
    ``base_path`` directories and markers are made through directory descriptors and symlinks
    inside the tree are refused (``allow_symlinks=True`` follows those that stay inside).
    A failed store raises a :class:`~reference_impl.errors.StoreError` (an ``OSError`` from
    ``dump_to_path`` is classified: space, permission, read-only, other) and removes the
    directories and markers it created; other exceptions of ``dump_to_path`` propagate.
    """

    extension: ClassVar[str | None] = None
    """Suffix appended to every stored path; empty, ``None`` or starting with ``.``."""

    max_concurrent_loads: ClassVar[int] = 64
    """Upper bound on partitions an ``async def load_from_path`` loads at the same time."""

    def __init__(self, base_path: UPath | None = None, *, allow_symlinks: bool = False) -> None:
        check_extension(type(self).__name__, self.extension)
        self._base_path = base_path if base_path is not None else UPath(".")
        self._kind_ops = UPathKindOps(self._base_path, allow_symlinks=allow_symlinks)
        self._kinds: DirectoryKinds[UPath] = DirectoryKinds(self._kind_ops)

    # ------------------------------------------------------------------ abstract I/O
    @abstractmethod
    def dump_to_path(self, context: OutputContextLike, obj: Any, path: UPath) -> None:
        """Write ``obj`` to ``path`` (whose parent exists)."""

    @abstractmethod
    def load_from_path(self, context: InputContextLike, path: UPath) -> Any:
        """Read the value stored at ``path``; may be ``async def``.

        Must raise ``FileNotFoundError`` when nothing is stored there.
        """

    # ------------------------------------------------------------------ hooks
    @property
    def base_path(self) -> UPath:
        """The storage root; nothing is written outside it."""
        return self._base_path

    @property
    def fs(self) -> Any:
        """The fsspec filesystem of :attr:`base_path`."""
        return self._base_path.fs

    @property
    def storage_options(self) -> Mapping[str, Any]:
        """The fsspec storage options of :attr:`base_path`."""
        return self._base_path.storage_options

    def get_metadata(self, context: OutputContextLike, obj: Any) -> dict[str, Any]:
        """Extra output metadata recorded after each store (default: none)."""
        return {}

    def get_asset_relative_path(self, context: AnyContext) -> UPath:
        """The asset's path below :attr:`base_path`: its encoded key components."""
        return UPath(*encode_components(context.asset_key.path))

    def get_op_output_relative_path(self, context: AnyContext) -> UPath:
        """The op output's path below :attr:`base_path`: its encoded identifier.

        A run id equal to ``versioned_outputs`` is escaped so that it cannot collide with a
        versioned output.
        """
        return UPath(*op_output_parts(context))

    def get_path_for_partition(self, context: AnyContext, path: UPath, partition: str) -> UPath:
        """The file of one partition below the asset path ``path`` (extension included).

        A multi-partition key (anything with ``keys_by_dimension``) becomes one directory level
        per dimension, in dimension-name order.
        """
        return self._with_extension(path.joinpath(*partition_segments(partition)))

    def path_exists(self, path: UPath) -> bool:
        """Whether something is stored at ``path``."""
        return path.exists()

    def unlink(self, path: UPath) -> None:
        """Delete the file at ``path``."""
        path.unlink()

    def make_directory(self, path: UPath) -> None:
        """Create the directory ``path`` and its parents (no-op when it exists)."""
        path.mkdir(parents=True, exist_ok=True)

    # ------------------------------------------------------------------ IOManager
    def handle_output(self, context: OutputContextLike, obj: Any) -> None:
        """Store ``obj`` at the output's path and record ``path`` metadata (unless ``obj`` is None).

        Raises :class:`PartitionCountError` for an output covering several partitions
        (IOM-PART-010) and :class:`UnsafeKeyError` when the path would leave the root or is
        occupied by another key's file or directory.
        """
        journals = self._kind_ops.begin()
        where: list[UPath] = []
        try:
            path = self._store(context, obj, where)
        except BaseException as error:
            if self._kind_ops.roll_back(journals):
                self._kinds.forget()
            target = target_of(context, str(self._base_path), str(where[0]) if where else "")
            if isinstance(error, StorageError):
                raise describe(error, target) from error.__cause__
            if isinstance(error, OSError):
                raise store_failure(target, error) from error
            raise
        finally:
            self._kind_ops.end()
        metadata: dict[str, Any] = {}
        if obj is not None:
            metadata["path"] = path_metadata(context, str(path))
        metadata.update(self.get_metadata(context=context, obj=obj))
        context.add_output_metadata(metadata)

    def _store(self, context: OutputContextLike, obj: Any, where: list[UPath]) -> UPath:
        """Claim, prepare and write; appends the path to ``where`` as soon as it is known."""
        if context.has_asset_partitions:
            paths = self._get_paths_for_partitions(context)
            check_single_partition(self, context, list(paths))
            path = next(iter(paths.values()))
            where.append(path)
            asset_path = self._get_path_without_extension(context)
            # the asset's directory must be an asset directory before a leftover file in it
            # (the unpartitioned version of this asset) may be removed
            self._claim(context, path, [(asset_path.parent, ASSETS)])
            self._remove_unpartitioned_leftover(context)
            claims: list[tuple[UPath, Kind]] = [(asset_path, PARTITIONS)]
            claims.extend((directory, PARTITIONS)
                          for directory in directories_between(asset_path, path))
        else:
            path = self._get_path(context)
            where.append(path)
            claims = [(path.parent, ASSETS if context.has_asset_key else OUTPUTS)]
        self._prepare_parent(context, path, claims)
        self.dump_to_path(context=context, obj=obj, path=path)
        return path

    def load_input(self, context: InputContextLike) -> Any:
        """Load the upstream value: one path, or every partition the input covers.

        One partition loads as the bare value, several as a dict in the context's key order,
        none as ``None``. Raises :class:`StoredValueNotFoundError` (a ``FileNotFoundError``)
        when something is missing, unless the input's definition metadata sets
        ``allow_missing_partitions`` (then missing partitions are left out).
        """
        try:
            if not context.has_asset_key or not context.has_asset_partitions:
                return self._load_single(context, self._get_path(context))
            if len(context.asset_partition_keys) == 0:
                return None
            return self.load_partitions(context)
        except StoredValueNotFoundError:
            raise
        except StorageError as error:
            raise describe(error, target_of(context, str(self._base_path), "")) from (
                error.__cause__)
        except OSError as error:
            raise load_failure(target_of(context, str(self._base_path), ""), error) from error

    def load_partitions(self, context: InputContextLike) -> Any:
        """Load every partition ``context`` covers (the override point for bulk formats).

        Returns the bare value for one partition and a dict keyed by partition key otherwise.
        """
        paths = self._get_paths_for_partitions(context)
        fallbacks = self._get_multipartition_backcompat_paths(context)
        readable = {key: path for key, path in paths.items()
                    if self._kinds.conflicting_kind(path.parent, PARTITIONS) is None}
        plan = PartitionPaths(paths=readable, fallbacks=fallbacks)
        if inspect.iscoroutinefunction(self.load_from_path):
            found = run_sync(load_partitions_async(
                self.load_from_path, context, plan, self.max_concurrent_loads))
        else:
            found = load_partitions_sync(self.load_from_path, context, plan)
        loaded = {key: found.get(key, MISSING) for key in paths}
        return shape_partition_values(context, loaded, paths)

    # ------------------------------------------------------------------ paths
    def _with_extension(self, path: UPath) -> UPath:
        if not self.extension:
            return path
        return path.with_name(path.name + self.extension)

    def _relative_path(self, context: AnyContext) -> UPath:
        if context.has_asset_key:
            return self.get_asset_relative_path(context)
        return self.get_op_output_relative_path(context)

    def _join(self, relative: UPath) -> UPath:
        return self._base_path.joinpath(*relative.parts)

    def _get_path_without_extension(self, context: AnyContext) -> UPath:
        return self._join(self._relative_path(context))

    def _get_path(self, context: AnyContext) -> UPath:
        path = self._with_extension(self._get_path_without_extension(context))
        ensure_inside_root(self._base_path, path)
        return path

    def _get_paths_for_partitions(self, context: AnyContext) -> dict[str, UPath]:
        if not context.has_asset_partitions:
            raise NotPartitionedError(
                f"{type(self).__name__} was asked for partition paths, but the context for "
                f"{describe_identifier(context)} covers no asset partitions"
            )
        asset_path = self._get_path_without_extension(context)
        paths: dict[str, UPath] = {}
        for key in context.asset_partition_keys:
            path = self.get_path_for_partition(context, asset_path, key)
            ensure_inside_root(self._base_path, path)
            paths[key] = path
        return paths

    def _get_multipartition_backcompat_paths(self, context: AnyContext) -> dict[str, UPath]:
        asset_path = self._get_path_without_extension(context)
        return {
            key: self._with_extension(asset_path.joinpath(encode_component(str(key))))
            for key in context.asset_partition_keys
            if isinstance(getattr(key, "keys_by_dimension", None), Mapping)
        }

    # ------------------------------------------------------------------ helpers
    def _prepare_parent(self, context: OutputContextLike, path: UPath,
                        claims: list[tuple[UPath, Kind]]) -> None:
        unmarked = self._claim(context, path, claims)
        try:
            self.make_directory(path.parent)
        except (FileExistsError, NotADirectoryError) as error:
            raise UnsafeKeyError(
                f"cannot store at {str(path)!r}: a parent of it is a file that holds the value "
                "of another key (a key that is a prefix of this one). Key components map to "
                "directories, so a key cannot be both stored and extended"
            ) from error
        if path.is_dir():
            raise UnsafeKeyError(
                f"cannot store at {str(path)!r}: it is a directory holding the values of "
                "longer keys (or partitions) that start with this key"
            )
        if unmarked and claims[-1][1] == PARTITIONS and self.path_exists(path):
            raise UnsafeKeyError(unmarked_partition_message(context, str(path)))
        self._kind_ops.check_target(path)

    def _claim(self, context: OutputContextLike, path: UPath,
               claims: list[tuple[UPath, Kind]]) -> bool:
        """Claim each directory for its kind (top down); whether the last one was unmarked."""
        unmarked = False
        for directory, kind in claims:
            def conflict(other: Kind, directory: UPath = directory) -> str:
                return conflict_message(context, str(path), self._relative_text(directory),
                                        entry_below(directory, path), other)

            unmarked = self._kinds.claim(directory, kind, conflict)
        return unmarked

    def _relative_text(self, directory: UPath) -> list[str]:
        root, text = str(self._base_path).rstrip("/"), str(directory)
        rest = text[len(root):].strip("/") if text.startswith(root) else text
        return rest.split("/") if rest else []

    def _remove_unpartitioned_leftover(self, context: OutputContextLike) -> None:
        asset_path = self._get_path_without_extension(context)
        ensure_inside_root(self._base_path, asset_path)
        if asset_path.is_file():
            context.log.warning(
                f"Found file at {asset_path} believed to correspond with the previously "
                f"non-partitioned version of asset {context.asset_key.path!r}. Removing it "
                "and replacing it with a directory of partitions."
            )
            self.unlink(asset_path)

    def _load_single(self, context: InputContextLike, path: UPath) -> Any:
        expected = ASSETS if context.has_asset_key else OUTPUTS
        other = self._kinds.conflicting_kind(path.parent, expected)
        if other is not None:
            raise StoredValueNotFoundError(mismatch_message(
                context, str(path), self._relative_text(path.parent), path.name, other))
        try:
            result = self.load_from_path(context=context, path=path)
            if inspect.isawaitable(result):
                result = run_sync(result)
        except StoredValueNotFoundError:
            raise
        except (FileNotFoundError, IsADirectoryError) as error:
            raise StoredValueNotFoundError(
                f"nothing is stored at {str(path)!r} for {describe_identifier(context)}; "
                "materialize the upstream output (or asset) first"
            ) from error
        return result
