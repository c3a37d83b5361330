"""Path components of the layout: op outputs, partitions (multi-partition levels), extensions,
and the ``path`` metadata value."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, cast

from upath import UPath

from reference_impl.errors import ConfigError
from reference_impl.metadata import MetadataValue
from reference_impl.storage.safe_paths import encode_component, encode_components, escape_component
from spec.contexts import InputContextLike, OutputContextLike

__all__ = [
    "check_extension",
    "directories_between",
    "entry_below",
    "op_output_parts",
    "partition_segments",
    "path_metadata",
]

AnyContext = InputContextLike | OutputContextLike
_MAX_EXTENSION_BYTES = 40
VERSIONED_ROOT = "versioned_outputs"


def op_output_parts(context: AnyContext) -> list[str]:
    """The encoded path components of an op output (run id, step key, name[, mapping key]).

    A run id equal to ``versioned_outputs`` is escaped when the output is not versioned.
    """
    identifier = list(context.get_identifier())
    parts = encode_components(identifier)
    if parts and identifier[0] == VERSIONED_ROOT and _output_version(context) is None:
        parts[0] = escape_component(identifier[0])
    return parts


def partition_segments(partition: Any) -> list[str]:
    """The encoded path components of a partition key below its asset's directory.

    A multi-partition key (anything with ``keys_by_dimension``) gives one level per dimension,
    in dimension-name order.
    """
    keys_by_dimension = getattr(partition, "keys_by_dimension", None)
    if isinstance(keys_by_dimension, Mapping):
        # A MultiPartitionKey's keys_by_dimension: str dimension names and keys.
        by_dimension = cast("Mapping[str, str]", keys_by_dimension)
        return [encode_component(by_dimension[name]) for name in sorted(by_dimension)]
    return [encode_component(partition)]


def directories_between(asset_path: UPath, path: UPath) -> list[UPath]:
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


def entry_below(directory: UPath, path: UPath) -> str:
    """The name of the child of ``directory`` on the way to ``path``."""
    top, entry = str(directory), path
    for _ in range(32):
        if str(entry.parent) == top or str(entry.parent) == str(entry):
            return entry.name
        entry = entry.parent
    return path.name


def check_extension(owner: str, extension: str | None) -> None:
    """Raise :class:`ConfigError` unless ``extension`` is empty or a well-formed suffix."""
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
