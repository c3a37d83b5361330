"""Layout markers and directories for the generic ``UPathIOManager`` path, with a journal.

On a local root (POSIX) every directory, marker and check goes through a
:class:`~reference_impl.storage.confined.LocalTree`: nothing is created through a symlink planted
in the tree (a dangling symlink at a marker's name is refused, not followed). On other fsspec
file systems (``memory://``, ``s3://``) there are no symlinks; directories and markers are made
with fsspec calls. Either way a :class:`UPathJournal` records what a store created, so that a
failed first store can remove it again.
"""

from __future__ import annotations

import contextlib
import os
import stat
from dataclasses import dataclass, field

from upath import UPath

from reference_impl.errors import UnsafeKeyError
from reference_impl.storage.confined import SUPPORTED, Journal, LocalTree, Parts
from reference_impl.storage.safe_paths import is_local_path

__all__ = ["UPathJournal", "UPathKindOps"]


@dataclass
class UPathJournal:
    """What one generic store created on a non-local file system."""

    directories: list[UPath] = field(default_factory=list[UPath])
    markers: list[UPath] = field(default_factory=list[UPath])


class UPathKindOps:
    """:class:`~reference_impl.storage.layout.KindOps` on ``UPath`` directories below ``root``."""

    def __init__(self, root: UPath, *, allow_symlinks: bool = False) -> None:
        self.root = root
        self.tree: LocalTree | None = None
        if is_local_path(root) and SUPPORTED:
            self._root_text = os.path.abspath(root.path or ".")
            self.tree = LocalTree(self._root_text, allow_symlinks=allow_symlinks)
        self.journal: UPathJournal | None = None

    # ------------------------------------------------------------------ local helpers
    def parts(self, path: UPath) -> Parts:
        """``path`` relative to the local root, as parts; :class:`UnsafeKeyError` if outside."""
        text = os.path.abspath(path.path or ".")
        if text == self._root_text:
            return ()
        prefix = self._root_text.rstrip("/") + "/"
        if not text.startswith(prefix):
            raise UnsafeKeyError(
                f"refusing to touch {str(path)!r}: it is not inside the storage root "
                f"{str(self.root)!r}"
            )
        return tuple(text[len(prefix):].split("/"))

    def check_target(self, path: UPath) -> None:
        """Before a subclass's ``dump_to_path`` writes ``path`` (local roots): refuse a
        symlink at ``path`` or on the way to it. A check before a use: a swap in between is not
        prevented for third-party writers (ours write through the tree)."""
        if self.tree is None:
            return
        parts = self.parts(path)
        mode = self.tree.entry_mode(parts)
        if mode is not None and stat.S_ISLNK(mode):
            raise self.tree.symlink_error(parts)

    # ------------------------------------------------------------------ journal
    def begin(self) -> tuple[Journal, UPathJournal]:
        """Start recording what the next store creates."""
        local, remote = Journal(), UPathJournal()
        if self.tree is not None:
            self.tree.journal = local
        self.journal = remote
        return local, remote

    def end(self) -> None:
        """Stop recording."""
        if self.tree is not None:
            self.tree.journal = None
        self.journal = None

    def roll_back(self, journals: tuple[Journal, UPathJournal]) -> bool:
        """Remove what a failed store created; whether anything had been created."""
        local, remote = journals
        self.end()
        if self.tree is not None:
            self.tree.roll_back(local)
        created = {str(directory) for directory in remote.directories}
        for marker in reversed(remote.markers):
            if str(marker.parent) in created:
                with contextlib.suppress(OSError):
                    marker.unlink()
        for directory in reversed(remote.directories):
            with contextlib.suppress(OSError):
                directory.rmdir()
        return bool(local.directories or local.markers or remote.directories or remote.markers)

    # ------------------------------------------------------------------ KindOps
    def key(self, directory: UPath) -> str:
        return str(directory)

    def has_marker(self, directory: UPath, name: str) -> bool:
        if self.tree is not None:
            return self.tree.has_marker(self.parts(directory), name)
        try:
            return bool(directory.joinpath(name).exists())
        except (NotADirectoryError, FileNotFoundError):
            return False

    def make_directory(self, directory: UPath) -> None:
        if self.tree is not None:
            self.tree.release(self.tree.open_directory(self.parts(directory), create=True))
            return
        missing: list[UPath] = []
        probe = directory
        for _ in range(64):
            if str(probe) == str(self.root) or probe.exists():
                break
            missing.append(probe)
            probe = probe.parent
        directory.mkdir(parents=True, exist_ok=True)
        if self.journal is not None:
            self.journal.directories.extend(reversed(missing))

    def create_marker(self, directory: UPath, name: str) -> None:
        if self.tree is not None:
            self.tree.create_marker(self.parts(directory), name)
            return
        marker = directory.joinpath(name)
        if marker.exists():
            return
        marker.write_bytes(b"")
        if self.journal is not None:
            self.journal.markers.append(marker)

    def remove_marker(self, directory: UPath, name: str) -> None:
        if self.tree is not None:
            self.tree.unlink((*self.parts(directory), name))
            return
        with contextlib.suppress(FileNotFoundError):
            directory.joinpath(name).unlink()

    def verify(self, directory: UPath) -> None:
        """Nothing to do: local walks refuse symlinks, and the generic path checks every full
        path with ``ensure_inside_root``."""
