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

import contextlib
import inspect
import os
from abc import abstractmethod
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from upath import UPath

from reference_impl.definitions.managers import IOManager
from reference_impl.errors import (
    ConfigError,
    NotPartitionedError,
    PartitionCountError,
    StoredValueNotFoundError,
    UnsafeKeyError,
)
from reference_impl.metadata import MetadataValue
from reference_impl.storage.async_runner import run_sync
from reference_impl.storage.layout import (
    ASSETS,
    OUTPUTS,
    PARTITIONS,
    DirectoryKinds,
    Kind,
    describe_kind,
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
    escape_component,
    is_local_path,
)
from spec.contexts import InputContextLike, OutputContextLike

__all__ = ["UPathIOManager"]

AnyContext = InputContextLike | OutputContextLike
_MAX_EXTENSION_BYTES = 40
_VERSIONED_ROOT = "versioned_outputs"


class UPathIOManager(IOManager):
    """Abstract IO manager storing each output in one file under ``base_path``.

    Raises :class:`ConfigError` at construction when ``extension`` is malformed.
    """

    extension: ClassVar[str | None] = None
    """Suffix appended to every stored path; empty, ``None`` or starting with ``.``."""

    max_concurrent_loads: ClassVar[int] = 64
    """Upper bound on partitions an ``async def load_from_path`` loads at the same time."""

    def __init__(self, base_path: UPath | None = None) -> None:
        _check_extension(type(self).__name__, self.extension)
        self._base_path = base_path if base_path is not None else UPath(".")
        self._kinds: DirectoryKinds[UPath] = DirectoryKinds(_UPathKindOps(self._base_path))

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
        if context.has_asset_partitions:
            paths = self._get_paths_for_partitions(context)
            check_single_partition(self, context, list(paths))
            path = next(iter(paths.values()))
            asset_path = self._get_path_without_extension(context)
            # the asset's directory must be an asset directory before a leftover file in it
            # (the unpartitioned version of this asset) may be removed
            self._claim(context, path, [(asset_path.parent, ASSETS)])
            self._remove_unpartitioned_leftover(context)
            claims = [(asset_path, PARTITIONS)]
            claims += [(directory, PARTITIONS) for directory in _between(asset_path, path)]
        else:
            path = self._get_path(context)
            claims = [(path.parent, ASSETS if context.has_asset_key else OUTPUTS)]
        self._prepare_parent(context, path, claims)
        self.dump_to_path(context=context, obj=obj, path=path)
        metadata: dict[str, Any] = {}
        if obj is not None:
            metadata["path"] = path_metadata(context, str(path))
        metadata.update(self.get_metadata(context=context, obj=obj))
        context.add_output_metadata(metadata)

    def load_input(self, context: InputContextLike) -> Any:
        """Load the upstream value: one path, or every partition the input covers.

        One partition loads as the bare value, several as a dict in the context's key order,
        none as ``None``. Raises :class:`StoredValueNotFoundError` (a ``FileNotFoundError``)
        when something is missing, unless the input's definition metadata sets
        ``allow_missing_partitions`` (then missing partitions are left out).
        """
        if not context.has_asset_key or not context.has_asset_partitions:
            return self._load_single(context, self._get_path(context))
        if len(context.asset_partition_keys) == 0:
            return None
        return self.load_partitions(context)

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

    def _claim(self, context: OutputContextLike, path: UPath,
               claims: list[tuple[UPath, Kind]]) -> bool:
        """Claim each directory for its kind (top down); whether the last one was unmarked."""
        unmarked = False
        for directory, kind in claims:
            def conflict(other: Kind, directory: UPath = directory) -> str:
                return conflict_message(context, str(path), self._relative_text(directory),
                                        _entry_below(directory, path), other)

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


def op_output_parts(context: AnyContext) -> list[str]:
    """The encoded path components of an op output (run id, step key, name[, mapping key]).

    A run id equal to ``versioned_outputs`` is escaped when the output is not versioned.
    """
    identifier = list(context.get_identifier())
    parts = encode_components(identifier)
    if parts and identifier[0] == _VERSIONED_ROOT and _output_version(context) is None:
        parts[0] = escape_component(identifier[0])
    return parts


def partition_segments(partition: Any) -> list[str]:
    """The encoded path components of a partition key below its asset's directory.

    A multi-partition key (anything with ``keys_by_dimension``) gives one level per dimension,
    in dimension-name order.
    """
    keys_by_dimension = getattr(partition, "keys_by_dimension", None)
    if isinstance(keys_by_dimension, Mapping):
        return [encode_component(keys_by_dimension[name]) for name in sorted(keys_by_dimension)]
    return [encode_component(partition)]


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


def _between(asset_path: UPath, path: UPath) -> list[UPath]:
    """Directories strictly below ``asset_path`` and above ``path`` (multi-partition levels)."""
    top, found = str(asset_path), list[UPath]()
    directory = path.parent
    for _ in range(32):
        if str(directory) == top:
            return list(reversed(found))
        found.append(directory)
        parent = directory.parent
        if str(parent) == str(directory):
            break
        directory = parent
    return [path.parent] if str(path.parent) != top else []


def _entry_below(directory: UPath, path: UPath) -> str:
    """The name of the child of ``directory`` on the way to ``path``."""
    top, entry = str(directory), path
    for _ in range(32):
        if str(entry.parent) == top or str(entry.parent) == str(entry):
            return entry.name
        entry = entry.parent
    return path.name


class _UPathKindOps:
    """:class:`~reference_impl.storage.layout.KindOps` through fsspec (any filesystem)."""

    def __init__(self, root: UPath) -> None:
        self._local = is_local_path(root)

    def key(self, directory: UPath) -> str:
        return str(directory)

    def has_marker(self, directory: UPath, name: str) -> bool:
        try:
            return bool(directory.joinpath(name).exists())
        except (NotADirectoryError, FileNotFoundError):
            return False

    def make_directory(self, directory: UPath) -> None:
        if self._local and directory.is_file():
            raise FileExistsError(str(directory))
        directory.mkdir(parents=True, exist_ok=True)

    def create_marker(self, directory: UPath, name: str) -> None:
        directory.joinpath(name).write_bytes(b"")

    def remove_marker(self, directory: UPath, name: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            directory.joinpath(name).unlink()

    def verify(self, directory: UPath) -> None:
        """Nothing to do: the generic path checks every full path with ensure_inside_root."""


def _check_extension(owner: str, extension: str | None) -> None:

    if not extension:
        return
    if not isinstance(extension, str) or not extension.startswith(".") or len(extension) < 2:
        raise ConfigError(
            f"{owner}.extension must be empty or start with '.', like '.json'; got {extension!r}"
        )
    if any(bad in extension for bad in ("/", "\\", "\x00", "::")) or (
        len(extension.encode("utf-8", errors="surrogatepass")) > _MAX_EXTENSION_BYTES
    ):
        raise ConfigError(
            f"{owner}.extension {extension!r} must not contain '/', '\\', NUL or '::' and must "
            f"be at most {_MAX_EXTENSION_BYTES} bytes long"
        )


def _output_version(context: AnyContext) -> str | None:
    upstream = getattr(context, "upstream_output", None)
    source = upstream if upstream is not None else context
    version = getattr(source, "version", None)
    return version if isinstance(version, str) else None


class _PathText(os.PathLike[str]):
    """A path string as an ``os.PathLike``: every framework normalizes it to path metadata."""

    def __init__(self, text: str) -> None:
        self._text = text

    def __fspath__(self) -> str:
        return self._text


def path_metadata(context: OutputContextLike, path: str) -> Any:
    """``MetadataValue.path(str(path))`` for reference contexts; a raw ``os.PathLike`` that
    normalizes to the same path metadata for other frameworks' contexts (e.g. Dagster's)."""
    if type(context).__module__.startswith("reference_impl."):
        return MetadataValue.path(path)
    return _PathText(path)


def _preview(keys: Sequence[str]) -> str:
    shown = ", ".join(repr(key) for key in keys[:3])
    return shown + (", ..." if len(keys) > 3 else "")
