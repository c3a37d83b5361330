"""Local storage below a root, resolved through directory file descriptors (POSIX ``*at`` calls).

Every operation opens the root by its path, then each directory below it with
``os.open(name, O_DIRECTORY | O_NOFOLLOW, dir_fd=parent)``, and creates, renames, reads and
unlinks entries relative to the last descriptor. No path below the root is ever resolved by
the kernel as a whole, so a symlink planted in the tree, or a directory swapped for one after a
check, is never followed: it is refused with :class:`~reference_impl.errors.UnsafeKeyError`.
Markers and temporary files are created with ``O_CREAT | O_EXCL | O_NOFOLLOW`` (a planted
symlink, even a dangling one, makes the call fail instead of creating its target).

``allow_symlinks=True`` (opt-in) follows symlinks inside the tree when their real path stays
inside the root's real path: checked with ``os.path.realpath`` before use, so a swap between the
check and the use is *not* prevented in that mode.

What remains possible (documented in ``docs/RELIABILITY.md``): a process that can rename
directories inside the root can move a directory out of it while a store holds it open; the
store then completes inside the moved directory (the attacker could have moved the file
anyway). Without ``O_NOFOLLOW``/``dir_fd`` support (Windows) the manager falls back to
path-based calls with a ``realpath`` check per directory.

A :class:`Journal` records the directories and markers a store created, so a failed first store
can remove them again (:meth:`LocalTree.roll_back`). Directories and markers live in
:mod:`~reference_impl.storage.confined_dirs`, values here.
"""

from __future__ import annotations

import contextlib
import errno
import os
import time
from collections.abc import Callable, Sequence
from typing import IO, BinaryIO

from reference_impl.errors import UnsafeKeyError
from reference_impl.storage.confined_dirs import (
    CLOEXEC,
    CREATE_FLAGS,
    NOFOLLOW,
    SUPPORTED,
    ConfinedDirectories,
    Journal,
    Parts,
)
from reference_impl.storage.exchange import exchange_at
from reference_impl.storage.temporaries import (
    SWEEP_INTERVAL_SECONDS,
    sweep_directory,
    temporary_name,
)

__all__ = ["SUPPORTED", "Journal", "LocalTree", "Parts", "open_for_writing"]

Writer = Callable[[IO[bytes]], None]
_READ_FLAGS = os.O_RDONLY | NOFOLLOW | CLOEXEC
_BUFFER = 1 << 16
_MAX_SWEPT = 4096


def open_for_writing(descriptor: int) -> IO[bytes]:
    """The buffered file a value is streamed into (a seam: fault-injection tests replace it)."""
    return open(descriptor, "wb", buffering=_BUFFER)


class LocalTree(ConfinedDirectories):
    """Values below a local root: atomic confined writes, confined reads, temporary sweeps."""

    def __init__(self, root: str, *, allow_symlinks: bool = False) -> None:
        super().__init__(root, allow_symlinks=allow_symlinks)
        self._swept: dict[Parts, float] = {}

    def write(self, parts: Sequence[str], write: Writer, *, durable: bool,
              sync_parents: bool = False) -> None:
        """Atomically publish what ``write(file)`` writes at ``root/parts``.

        The value goes to a temporary file (:func:`temporary_name`, ``O_EXCL | O_NOFOLLOW``) in
        the target's directory and is swapped in by ``renameat2(RENAME_EXCHANGE)`` (or moved
        over the target by ``renameat``), all relative to one directory descriptor. With
        ``durable`` the file and the directory (and with ``sync_parents`` every directory up to
        the root) are fsynced before returning. Whatever fails, the temporary file is removed
        and the target is unchanged; raises ``IsADirectoryError`` when the target is a
        directory. Stale temporary files in the directory are swept on the first write there
        and then every :data:`SWEEP_INTERVAL_SECONDS`.
        """
        directory, name = tuple(parts[:-1]), parts[-1]
        fd = self.open_directory(directory)
        try:
            self._maybe_sweep(directory, fd)
            temporary = temporary_name()
            try:
                descriptor = os.open(temporary, CREATE_FLAGS, 0o666, dir_fd=fd)
            except FileNotFoundError:
                if directory or not self.root_is_stale():
                    raise
                self._root_fd = None  # the root was deleted (and maybe re-created): again
                fd = self.open_directory(directory)
                descriptor = os.open(temporary, CREATE_FLAGS, 0o666, dir_fd=fd)
            try:
                with open_for_writing(descriptor) as handle:
                    write(handle)
                    if durable:
                        handle.flush()
                        os.fsync(handle.fileno())
                self._publish(fd, temporary, name, replace=durable)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary, dir_fd=fd)
                raise
            if durable:
                os.fsync(fd)
                if sync_parents:
                    self._sync_parents(directory)
        finally:
            self.release(fd)

    def _publish(self, fd: int, temporary: str, name: str, *, replace: bool) -> None:
        if replace or not exchange_at(fd, temporary, name):
            try:
                os.rename(temporary, name, src_dir_fd=fd, dst_dir_fd=fd)
            except OSError as error:
                if error.errno in (errno.EISDIR, errno.ENOTEMPTY, errno.EEXIST):
                    raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR),
                                            name) from error
                raise
            return
        try:
            os.unlink(temporary, dir_fd=fd)  # the old value (or a planted symlink)
        except IsADirectoryError:
            with contextlib.suppress(OSError):  # put the directory back
                exchange_at(fd, temporary, name)
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), name) from None
        except OSError:  # published; a leftover old file is swept later
            pass

    def _sync_parents(self, directory: Parts) -> None:
        for depth in range(len(directory)):
            fd = self.open_directory(directory[:depth])
            try:
                os.fsync(fd)
            finally:
                self.release(fd)

    def _maybe_sweep(self, directory: Parts, fd: int) -> None:
        now = time.monotonic()
        last = self._swept.get(directory)
        if last is not None and now - last < SWEEP_INTERVAL_SECONDS:
            return
        if len(self._swept) >= _MAX_SWEPT:
            self._swept.clear()
        self._swept[directory] = now
        sweep_directory(fd)

    def sweep_tree(self) -> int:
        """Sweep stale temporaries in every directory below the root (not following symlinks);
        returns how many were removed."""
        removed = 0
        try:
            self.open_root(create=False)
        except FileNotFoundError:
            return 0
        pending: list[Parts] = [()]
        while pending:
            parts = pending.pop()
            try:
                fd = self.open_directory(parts)
            except (OSError, UnsafeKeyError):
                continue
            try:
                removed += sweep_directory(fd)
                for entry in os.scandir(fd):
                    if entry.is_dir(follow_symlinks=False):
                        pending.append((*parts, entry.name))
            finally:
                self.release(fd)
        return removed

    def open_for_reading(self, parts: Sequence[str]) -> BinaryIO | None:
        """The file ``root/parts`` open for reading, or ``None`` when nothing is stored there
        (missing, a directory, a directory missing on the way). A symlink there is refused
        (:class:`UnsafeKeyError`) unless ``allow_symlinks`` and it stays inside the root."""
        try:
            fd = self.open_directory(parts[:-1])
        except (FileNotFoundError, NotADirectoryError):
            return None
        stale = False
        descriptor: int | None = None
        try:
            try:
                descriptor = os.open(parts[-1], _READ_FLAGS, dir_fd=fd)
            except FileNotFoundError:
                if len(parts) > 1 or not self.root_is_stale():
                    return None
                self._root_fd = None  # the root was deleted (and maybe re-created): again
                stale = True
            except (IsADirectoryError, NotADirectoryError):
                return None
            except OSError as error:
                if error.errno not in (errno.ELOOP, errno.EMLINK):
                    raise
                if not self.allow_symlinks:
                    raise self.symlink_error(parts) from None
                self.check_real_path(parts)
                try:
                    descriptor = os.open(parts[-1], os.O_RDONLY | CLOEXEC, dir_fd=fd)
                except (FileNotFoundError, IsADirectoryError):
                    return None
        finally:
            self.release(fd)
        if stale:
            return self.open_for_reading(parts)
        assert descriptor is not None  # opened on every path that neither returned nor set stale
        try:
            return open(descriptor, "rb", buffering=_BUFFER)
        except IsADirectoryError:  # FileIO refuses a directory's descriptor
            os.close(descriptor)
            return None
        except BaseException:
            os.close(descriptor)
            raise
