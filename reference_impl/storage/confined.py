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
can remove them again (:meth:`LocalTree.roll_back`).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import time
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import IO, BinaryIO

from reference_impl.errors import UnsafeKeyError
from reference_impl.storage.exchange import exchange_at
from reference_impl.storage.layout import MARKER_PREFIX
from reference_impl.storage.temporaries import (
    SWEEP_INTERVAL_SECONDS,
    sweep_directory,
    temporary_name,
)

__all__ = ["SUPPORTED", "Journal", "LocalTree", "Parts"]


def _close_all(descriptors: list[int]) -> None:
    for descriptor in descriptors:
        with contextlib.suppress(OSError):
            os.close(descriptor)
    descriptors.clear()

Parts = tuple[str, ...]
Writer = Callable[[IO[bytes]], None]

SUPPORTED = (os.open in os.supports_dir_fd and os.mkdir in os.supports_dir_fd
             and hasattr(os, "O_NOFOLLOW") and hasattr(os, "O_DIRECTORY"))
"""Whether this platform has the ``*at`` calls the confinement needs (all POSIX systems)."""

_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_DIR_FLAGS = os.O_RDONLY | _DIRECTORY | _CLOEXEC
_CREATE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC
_READ_FLAGS = os.O_RDONLY | _NOFOLLOW | _CLOEXEC
_BUFFER = 1 << 16
_SYMLINK_ERRNOS = (errno.ELOOP, errno.EMLINK, errno.ENOTDIR)
_MAX_SWEPT = 4096


def open_for_writing(descriptor: int) -> IO[bytes]:
    """The buffered file a value is streamed into (a seam: fault-injection tests replace it)."""
    return open(descriptor, "wb", buffering=_BUFFER)


@dataclass
class Journal:
    """What one store created: directories (relative parts, top down) and markers."""

    directories: list[Parts] = field(default_factory=list)
    markers: list[tuple[Parts, str]] = field(default_factory=list)
    root_created: bool = False


class LocalTree:
    """Confined ``*at`` access below the local directory ``root`` (an absolute path)."""

    def __init__(self, root: str, *, allow_symlinks: bool = False) -> None:
        self.root = root
        self.allow_symlinks = allow_symlinks
        self.real_root = os.path.realpath(root)
        self._swept: dict[Parts, float] = {}
        self.journal: Journal | None = None
        self._root_fd: int | None = None
        self._held: list[int] = []  # every root descriptor opened; closed with the tree
        self._finalizer = weakref.finalize(self, _close_all, self._held)

    # ------------------------------------------------------------------ directories
    def display(self, parts: Sequence[str]) -> str:
        """``root/parts`` as text (for messages)."""
        return os.path.join(self.root, *parts)

    def open_root(self, *, create: bool) -> int:
        """The root's descriptor, opened once (by path) and kept; reopened when the directory
        it names was deleted (``st_nlink == 0``) or, with ``create``, made first."""
        fd = self._root_fd
        if fd is not None and not (create and self._root_is_stale()):
            return fd
        try:
            fd = os.open(self.root, _DIR_FLAGS)
        except FileNotFoundError:
            if not create:
                raise
            os.makedirs(self.root, exist_ok=True)
            if self.journal is not None:
                self.journal.root_created = True
            fd = os.open(self.root, _DIR_FLAGS)
        self._held.append(fd)  # an older root descriptor stays open: a thread may still use it
        self._root_fd = fd
        return fd

    def _root_is_stale(self) -> bool:
        fd = self._root_fd
        return fd is not None and os.fstat(fd).st_nlink == 0

    def release(self, fd: int) -> None:
        """Close a descriptor :meth:`open_directory` returned (the kept root stays open)."""
        if fd not in self._held:
            os.close(fd)

    def close(self) -> None:
        """Close the kept root descriptor (also done when the tree is garbage collected)."""
        self._finalizer()

    def open_directory(self, parts: Sequence[str], *, create: bool = False) -> int:
        """A descriptor of the directory ``root/parts`` (give it back with :meth:`release`);
        never follows a symlink below the root (unless ``allow_symlinks``). Creates missing
        directories when ``create`` (recorded in :attr:`journal`). Raises
        ``FileNotFoundError`` (missing), ``NotADirectoryError`` (a file is in the way) or
        :class:`UnsafeKeyError` (a symlink)."""
        try:
            return self._walk(parts, create)
        except FileNotFoundError:
            if not self._root_is_stale():
                raise
            self._root_fd = None  # the root was deleted (and maybe re-created): start over
            return self._walk(parts, create)

    def _walk(self, parts: Sequence[str], create: bool) -> int:
        fd = self.open_root(create=create)
        for depth in range(len(parts)):
            try:
                child = self._open_child(fd, parts, depth, create)
            finally:
                self.release(fd)
            fd = child
        return fd

    def _open_child(self, fd: int, parts: Sequence[str], depth: int, create: bool) -> int:
        name = parts[depth]
        flags = _DIR_FLAGS if self.allow_symlinks else _DIR_FLAGS | _NOFOLLOW
        for _ in range(3):
            try:
                child = os.open(name, flags, dir_fd=fd)
            except FileNotFoundError:
                if not create:
                    raise
                try:
                    os.mkdir(name, 0o777, dir_fd=fd)
                except FileExistsError:
                    continue  # a concurrent writer created it (or planted something): look
                if self.journal is not None:
                    self.journal.directories.append(tuple(parts[:depth + 1]))
                continue
            except OSError as error:
                if error.errno not in _SYMLINK_ERRNOS:
                    raise
                self._refuse_non_directory(fd, parts, depth, error)
            if self.allow_symlinks:
                self._check_real_path(parts[:depth + 1])
            return child
        raise FileNotFoundError(errno.ENOENT, "directory keeps vanishing", self.display(parts))

    def _refuse_non_directory(self, fd: int, parts: Sequence[str], depth: int,
                              error: OSError) -> None:
        try:
            mode = os.stat(parts[depth], dir_fd=fd, follow_symlinks=False).st_mode
        except OSError:
            raise error from None
        if stat.S_ISLNK(mode):
            raise self.symlink_error(parts[:depth + 1])
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR),
                                 self.display(parts[:depth + 1]))

    def symlink_error(self, parts: Sequence[str]) -> UnsafeKeyError:
        """The refusal of the symlink at ``root/parts``."""
        return UnsafeKeyError(
            f"refusing to follow {self.display(parts)!r}: it is a symlink inside the storage "
            f"root {self.root!r}, and symlinks there are not followed (they can lead writes to "
            "paths not inside the root). Remove it, or pass allow_symlinks=True to follow "
            "symlinks that stay inside the root"
        )

    def _check_real_path(self, parts: Sequence[str]) -> None:
        real = os.path.realpath(self.display(parts))
        prefix = self.real_root.rstrip("/") + "/"
        if real != self.real_root and not real.startswith(prefix):
            raise UnsafeKeyError(
                f"refusing to touch {self.display(parts)!r}: it resolves to {real!r}, which is "
                f"not inside the storage root {self.real_root!r} (a symlink under the root "
                "points out of it)"
            )

    # ------------------------------------------------------------------ entries
    def entry_mode(self, parts: Sequence[str]) -> int | None:
        """The ``st_mode`` of ``root/parts`` (not following a final symlink), or ``None``."""
        try:
            fd = self.open_directory(parts[:-1])
        except (FileNotFoundError, NotADirectoryError):
            return None
        try:
            return os.stat(parts[-1], dir_fd=fd, follow_symlinks=False).st_mode
        except (FileNotFoundError, NotADirectoryError):
            return None
        finally:
            self.release(fd)

    def has_marker(self, parts: Sequence[str], name: str) -> bool:
        """Whether the marker ``root/parts/name`` exists; a symlink there is refused
        (:class:`UnsafeKeyError`: markers are only ever regular files)."""
        mode = self.entry_mode((*parts, name))
        if mode is not None and stat.S_ISLNK(mode):
            raise self.symlink_error((*parts, name))
        return mode is not None

    def create_marker(self, parts: Sequence[str], name: str) -> None:
        """Create the empty file ``root/parts/name`` (``O_EXCL``); an existing regular file is
        fine, anything else there (a symlink, a directory) is refused."""
        fd = self.open_directory(parts)
        try:
            try:
                os.close(os.open(name, _CREATE_FLAGS, 0o666, dir_fd=fd))
            except FileExistsError:
                mode = os.stat(name, dir_fd=fd, follow_symlinks=False).st_mode
                if stat.S_ISLNK(mode):
                    raise self.symlink_error([*parts, name]) from None
                return
            if self.journal is not None:
                self.journal.markers.append((tuple(parts), name))
        finally:
            self.release(fd)

    def unlink(self, parts: Sequence[str]) -> None:
        """Remove the file (or symlink) ``root/parts``; no error when it is gone."""
        fd = self.open_directory(parts[:-1])
        try:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(parts[-1], dir_fd=fd)
        finally:
            self.release(fd)

    def roll_back(self, journal: Journal) -> None:
        """Undo what a failed store created: its markers (in a directory that existed before
        only while nothing but markers is there), then the directories it created (bottom up,
        when empty), then the root if it created it. Never raises (best effort)."""
        created = set(journal.directories)
        for parts, name in reversed(journal.markers):
            with contextlib.suppress(OSError, UnsafeKeyError):
                if parts in created or self._only_markers(parts):
                    self.unlink([*parts, name])
        for parts in reversed(journal.directories):
            with contextlib.suppress(OSError, UnsafeKeyError):
                fd = self.open_directory(parts[:-1])
                try:
                    os.rmdir(parts[-1], dir_fd=fd)
                finally:
                    self.release(fd)
        if journal.root_created:
            with contextlib.suppress(OSError):
                os.rmdir(self.root)

    def _only_markers(self, parts: Sequence[str]) -> bool:
        fd = self.open_directory(parts)
        try:
            return all(name.startswith(MARKER_PREFIX) for name in os.listdir(fd))
        finally:
            self.release(fd)

    # ------------------------------------------------------------------ values
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
                descriptor = os.open(temporary, _CREATE_FLAGS, 0o666, dir_fd=fd)
            except FileNotFoundError:
                if directory or not self._root_is_stale():
                    raise
                self._root_fd = None  # the root was deleted (and maybe re-created): again
                fd = self.open_directory(directory)
                descriptor = os.open(temporary, _CREATE_FLAGS, 0o666, dir_fd=fd)
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

    def open_for_reading(self, parts: Sequence[str]) -> BinaryIO | None:
        """The file ``root/parts`` open for reading, or ``None`` when nothing is stored there
        (missing, a directory, a directory missing on the way). A symlink there is refused
        (:class:`UnsafeKeyError`) unless ``allow_symlinks`` and it stays inside the root."""
        try:
            fd = self.open_directory(parts[:-1])
        except (FileNotFoundError, NotADirectoryError):
            return None
        stale = False
        try:
            try:
                descriptor = os.open(parts[-1], _READ_FLAGS, dir_fd=fd)
            except FileNotFoundError:
                if len(parts) > 1 or not self._root_is_stale():
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
                self._check_real_path(parts)
                try:
                    descriptor = os.open(parts[-1], os.O_RDONLY | _CLOEXEC, dir_fd=fd)
                except (FileNotFoundError, IsADirectoryError):
                    return None
        finally:
            self.release(fd)
        if stale:
            return self.open_for_reading(parts)
        try:
            return open(descriptor, "rb", buffering=_BUFFER)
        except IsADirectoryError:  # FileIO refuses a directory's descriptor
            os.close(descriptor)
            return None
        except BaseException:
            os.close(descriptor)
            raise
