"""Atomic writes: a reader sees the old complete value or the new complete value, never a mix.

Local files are written to a temporary file in the target's directory and then published at the
target in one atomic step: swapped with the old file by ``renameat2(RENAME_EXCHANGE)`` on Linux
(the old file, now at the temporary name, is then unlinked), or moved over it with
``os.replace`` (atomic on POSIX and Windows) where the exchange is unavailable or there is no
old file. A process killed at any moment leaves the old or the new value (plus, at worst, a
temporary file that no key can name). If anything fails before the publication, the temporary
file is removed and the target is untouched.

With ``fsync=True`` the file is flushed to disk, moved over the target with ``os.replace`` and
the directory flushed too, so the value survives a power loss or kernel crash as well (opt-in:
it costs milliseconds). Without it a power loss soon after a store may lose the new value: the
exchange does not trigger ext4's ``auto_da_alloc`` early writeback, which a rename over a file
(or an in-place truncate, as Dagster writes) does, so the file system may show an empty file
for up to its writeback delay (about 30 s by default).

Other fsspec filesystems (``memory://``, ``s3://``) get the whole payload in one ``pipe_file``
call, which those stores apply at once.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
from collections.abc import Callable
from typing import IO, BinaryIO, Protocol, cast

from upath import UPath

from reference_impl.storage.exchange import exchange
from reference_impl.storage.safe_paths import is_local_path
from reference_impl.storage.temporaries import temporary_name

__all__ = [
    "atomic_write",
    "open_for_reading",
    "open_local_for_reading",
    "publish",
    "temporary_name",
    "write_local",
]

Writer = Callable[[IO[bytes]], None]


class _PipeFile(Protocol):
    """The fsspec file-system method used here, typed (fsspec leaves its parameters unannotated)."""

    def pipe_file(self, path: str, value: bytes) -> None: ...

def atomic_write(path: UPath, write: Writer, *, fsync: bool = False) -> None:
    """Call ``write(file)`` and publish what it wrote at ``path`` atomically.

    ``path.parent`` must exist. Whatever ``write`` raises propagates unchanged, and then nothing
    at ``path`` has changed. ``fsync`` (local files only) trades speed for durability across an
    operating-system crash; process crashes are covered either way.
    """
    if is_local_path(path):
        target = path.path
        write_local(os.path.dirname(target) or ".", target, write, fsync=fsync)
    else:
        buffer = io.BytesIO()
        write(buffer)
        cast(_PipeFile, path.fs).pipe_file(path.path, buffer.getvalue())


def open_for_reading(path: UPath) -> BinaryIO:
    """Open ``path`` for binary reading (the builtin ``open`` for local files).

    Raises ``FileNotFoundError`` when nothing is stored there, ``IsADirectoryError`` for a
    directory (local files).
    """
    if is_local_path(path):
        return open(path.path, "rb")
    handle: BinaryIO = path.open("rb")
    return handle


_CREATE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
_BUFFER = 1 << 16


def write_local(directory: str, target: str, write: Writer, *, fsync: bool) -> None:
    """Atomically publish what ``write(file)`` writes at ``target`` (in ``directory``).

    The temporary file is created with ``O_EXCL`` in ``directory`` (so it never follows a
    planted symlink) and published by :func:`publish` (with ``fsync``: by ``os.replace``),
    which replaces a symlink at ``target`` instead of following it. Raises
    ``FileNotFoundError`` when ``directory`` is missing and ``IsADirectoryError`` when
    ``target`` is a directory; in every failure case the temporary file is removed and
    ``target`` is unchanged.
    """
    temporary, descriptor = _create_temporary(directory)
    try:
        with open(descriptor, "wb", buffering=_BUFFER) as handle:
            write(handle)
            if fsync:
                handle.flush()
                os.fsync(descriptor)
        if fsync:  # the data is on disk already: a replacing rename has nothing to flush,
            os.replace(temporary, target)  # and measured faster than exchange + unlink here
        else:
            publish(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError, IsADirectoryError):
            os.unlink(temporary)
        raise
    if fsync:
        _fsync_directory(directory)


def publish(temporary: str, target: str) -> None:
    """Atomically make ``target`` name the file ``temporary`` (same directory), dropping the old.

    Tries :func:`~reference_impl.storage.exchange.exchange` first: swapping the entries and then
    unlinking the old file (now at ``temporary``) skips the work ext4 does inside a rename that
    replaces a file. Falls back to ``os.replace`` when the exchange is unsupported or ``target``
    does not exist. Raises ``IsADirectoryError`` (the directory left at ``target``) when
    ``target`` is a directory.
    """
    if not exchange(temporary, target):
        os.replace(temporary, target)
        return
    try:
        os.unlink(temporary)  # the old value
    except IsADirectoryError:
        with contextlib.suppress(OSError):  # put the directory back
            if not exchange(temporary, target):
                os.rename(temporary, target)  # pragma: no cover - a racer removed the target
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), target) from None
    except OSError:  # the value is published; as when a rename fails to free the file it
        pass  # replaced, a leftover old file is no error (no key can name a temporary file)


def open_local_for_reading(path: str) -> BinaryIO:
    """Open the local file ``path`` for binary reading without following a symlink there.

    Raises ``FileNotFoundError`` (nothing stored), ``IsADirectoryError`` (a directory) and
    ``OSError`` with ``errno.ELOOP`` when ``path`` itself is a symlink.
    """
    descriptor = os.open(path, _READ_FLAGS)
    try:
        return open(descriptor, "rb", buffering=_BUFFER)
    except BaseException:
        os.close(descriptor)
        raise


def _create_temporary(directory: str) -> tuple[str, int]:
    for _ in range(100):
        temporary = os.path.join(directory, temporary_name())
        try:
            return temporary, os.open(temporary, _CREATE_FLAGS, 0o666)
        except FileExistsError:  # pragma: no cover - a 128-bit random name was taken
            continue
    raise FileExistsError(f"could not create a temporary file in {directory!r}")  # pragma: no cover


def _fsync_directory(directory: str) -> None:
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms that cannot open directories (Windows)
        return
    try:
        os.fsync(descriptor)
    except OSError:  # pragma: no cover - filesystems that refuse directory fsync
        pass
    finally:
        os.close(descriptor)
