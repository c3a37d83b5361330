"""Directories below a local root through descriptors: the walk that never follows a symlink,
markers created with ``O_EXCL | O_NOFOLLOW``, and the journal that lets a failed first store
remove what it created. :class:`~reference_impl.storage.confined.LocalTree` adds the values."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NoReturn

from reference_impl.errors import UnsafeKeyError
from reference_impl.storage.layout import MARKER_PREFIX

__all__ = ["SUPPORTED", "ConfinedDirectories", "Journal", "Parts"]

Parts = tuple[str, ...]

SUPPORTED = (os.open in os.supports_dir_fd and os.mkdir in os.supports_dir_fd
             and hasattr(os, "O_NOFOLLOW") and hasattr(os, "O_DIRECTORY"))
"""Whether this platform has the ``*at`` calls the confinement needs (all POSIX systems)."""

CLOEXEC = getattr(os, "O_CLOEXEC", 0)
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_DIR_FLAGS = os.O_RDONLY | _DIRECTORY | CLOEXEC
CREATE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW | CLOEXEC
"""Flags of every file a store creates (markers, temporaries): never through a symlink."""
_SYMLINK_ERRNOS = (errno.ELOOP, errno.EMLINK, errno.ENOTDIR)


def _close_all(descriptors: list[int]) -> None:
    for descriptor in descriptors:
        with contextlib.suppress(OSError):
            os.close(descriptor)
    descriptors.clear()


@dataclass
class Journal:
    """What one store created: directories (relative parts, top down) and markers."""

    directories: list[Parts] = field(default_factory=list[Parts])
    markers: list[tuple[Parts, str]] = field(default_factory=list[tuple[Parts, str]])
    root_created: bool = False


class ConfinedDirectories:
    """Confined ``*at`` access to the directories below ``root`` (an absolute path)."""

    def __init__(self, root: str, *, allow_symlinks: bool = False) -> None:
        self.root = root
        self.allow_symlinks = allow_symlinks
        self.real_root = os.path.realpath(root)
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
        if fd is not None and not (create and self.root_is_stale()):
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

    def root_is_stale(self) -> bool:
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
            if not self.root_is_stale():
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
        flags = _DIR_FLAGS if self.allow_symlinks else _DIR_FLAGS | NOFOLLOW
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
                self.check_real_path(parts[:depth + 1])
            return child
        raise FileNotFoundError(errno.ENOENT, "directory keeps vanishing", self.display(parts))

    def _refuse_non_directory(self, fd: int, parts: Sequence[str], depth: int,
                              error: OSError) -> NoReturn:
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

    def check_real_path(self, parts: Sequence[str]) -> None:
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
                os.close(os.open(name, CREATE_FLAGS, 0o666, dir_fd=fd))
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
