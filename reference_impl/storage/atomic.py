"""Atomic writes: a reader sees the old complete value or the new complete value, never a mix.

Local files are written to a temporary file in the target's directory and moved over the target
with ``os.replace`` (atomic on POSIX and Windows): a process killed at any moment leaves the old
or the new value. With ``fsync=True`` the file and then the directory are also flushed to disk,
so the value survives a power loss or kernel crash too (opt-in: it costs milliseconds). Other
fsspec filesystems (``memory://``, ``s3://``) get the whole payload in one ``pipe_file`` call,
which those stores apply at once.
If anything fails before the rename, the temporary file is removed and the target is untouched.
"""

from __future__ import annotations

import contextlib
import io
import os
import uuid
from collections.abc import Callable
from typing import IO, BinaryIO

from upath import UPath

from reference_impl.storage.safe_paths import TEMP_FILE_MARKER, is_local_path

__all__ = [
    "atomic_write",
    "open_for_reading",
    "open_local_for_reading",
    "temporary_name",
    "write_local",
]

Writer = Callable[[IO[bytes]], None]


def temporary_name() -> str:
    """A fresh temporary file name that no encoded key component can equal."""
    return f"{TEMP_FILE_MARKER}{uuid.uuid4().hex}"


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
        path.fs.pipe_file(path.path, buffer.getvalue())


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
    planted symlink) and moved over ``target`` with ``os.replace``, which replaces a symlink
    at ``target`` instead of following it. Raises ``FileNotFoundError`` when ``directory`` is
    missing and ``IsADirectoryError`` when ``target`` is a directory; in every failure case the
    temporary file is removed and ``target`` is unchanged.
    """
    temporary, descriptor = _create_temporary(directory)
    try:
        with open(descriptor, "wb", buffering=_BUFFER) as handle:
            write(handle)
            if fsync:
                handle.flush()
                os.fsync(descriptor)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    if fsync:
        _fsync_directory(directory)


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
