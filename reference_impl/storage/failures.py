"""Turning store and load failures into the typed errors of ``reference_impl.errors``.

:func:`store_failure` and :func:`load_failure` map an operating-system error to the error of its
kind (space, permission, read-only, other) with a message naming the key, the partition, the
storage root and the file; :func:`describe` fills those fields into a typed error raised deeper
down (a serialization or corruption error that only knew the file).
"""

from __future__ import annotations

import errno
from dataclasses import dataclass
from typing import Any

from reference_impl.errors import (
    LoadError,
    LoadIOError,
    LoadPermissionError,
    ReadOnlyStorageError,
    StorageError,
    StorageFullError,
    StoragePermissionError,
    StoreError,
    StoreIOError,
)

__all__ = ["Target", "describe", "load_failure", "store_failure", "target_of"]

_SPACE = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG}
_PERMISSION = {errno.EACCES, errno.EPERM}


@dataclass(frozen=True)
class Target:
    """What a store or load was about: key, partition, storage root and file."""

    key: list[str] | None
    partition: str | None
    storage_root: str
    path: str
    asset: bool

    def describe(self) -> str:
        """E.g. ``partition '2024-01-01' of asset ['sales']`` or ``op output ['r', 's', 'o']``."""
        if not self.asset:
            return f"the op output {self.key!r}"
        if self.partition is None:
            return f"asset {self.key!r}"
        return f"partition {self.partition!r} of asset {self.key!r}"


def target_of(context: Any, storage_root: str, path: str) -> Target:
    """The :class:`Target` of a context (never raises: unknown parts are ``None``)."""
    try:
        if context.has_asset_key:
            key = [str(part) for part in context.asset_key.path]
            partition = None
            if context.has_asset_partitions:
                keys = list(context.asset_partition_keys)
                partition = str(keys[0]) if len(keys) == 1 else None
            return Target(key, partition, storage_root, path, True)
        return Target([str(part) for part in context.get_identifier()], None, storage_root,
                      path, False)
    except Exception:  # a context that cannot say: the path still tells where
        return Target(None, None, storage_root, path, True)


def describe(error: StorageError, target: Target) -> StorageError:
    """Fill ``target`` into ``error`` (fields still unset) and name it in the message."""
    if error.key is None and error.storage_root is None:
        error.key = target.key
        error.partition = target.partition
        error.storage_root = target.storage_root
        error.path = error.path or target.path
        if error.args and isinstance(error.args[0], str):
            error.args = (f"{error.args[0]} [{target.describe()}, storage root "
                          f"{target.storage_root!r}]", *error.args[1:])
    return error


def _reason(error: OSError) -> str:
    name = errno.errorcode.get(error.errno or 0, "") if error.errno else ""
    text = error.strerror or str(error)
    return f"{text} ({name})" if name else f"{type(error).__name__}: {text}"


def store_failure(target: Target, error: OSError) -> StoreError:
    """The typed error for ``error`` raised while storing ``target`` (chain it with ``from``)."""
    code = error.errno
    kind: type[StoreError]
    if code in _SPACE:
        kind, advice = StorageFullError, ("free space on the storage, or raise the quota or "
                                          "file-size limit")
    elif code == errno.EROFS:
        kind, advice = ReadOnlyStorageError, ("the file system is mounted read-only: remount "
                                              "it read-write or choose another base_dir")
    elif code in _PERMISSION:
        kind, advice = StoragePermissionError, ("give this process write access to the "
                                                "storage root, or choose another base_dir")
    else:
        kind, advice = StoreIOError, "check the storage; retrying may help"
    message = (f"cannot store {target.describe()} at {target.path!r} under the storage root "
               f"{target.storage_root!r}: {_reason(error)}. Fix: {advice}. The previously "
               "stored value (if any) is unchanged")
    result = kind(message, key=target.key, partition=target.partition,
                  storage_root=target.storage_root, path=target.path)
    if isinstance(result, OSError):
        result.errno = code
    return result


def load_failure(target: Target, error: OSError) -> LoadError:
    """The typed error for ``error`` raised while loading ``target`` (chain it with ``from``)."""
    kind: type[LoadError] = (LoadPermissionError if error.errno in _PERMISSION
                             else LoadIOError)
    advice = ("give this process read access to the storage root"
              if kind is LoadPermissionError else "check the storage; retrying may help")
    message = (f"cannot load {target.describe()} from {target.path!r} under the storage root "
               f"{target.storage_root!r}: {_reason(error)}. Fix: {advice}")
    result = kind(message, key=target.key, partition=target.partition,
                  storage_root=target.storage_root, path=target.path)
    if isinstance(result, OSError):
        result.errno = error.errno
    return result
