"""Directory kinds: telling an asset file from a partition file or an op output at one path.

Dagster's layout maps different identifiers to the same path: the unpartitioned asset
``["x", "a"]`` and partition ``a`` of asset ``["x"]`` are both ``<base>/x/a``; the asset
``[run_id, step, name]`` and that op output are both ``<base>/<run_id>/<step>/<name>``. To keep
Dagster's paths and still never let one overwrite (or be read as) the other (IOM-ID-011/012),
every directory that directly holds stored values carries a marker file naming what it holds:

* ``%@assets``: unpartitioned asset files and partitioned assets' directories;
* ``%@partitions``: the partitions of one asset (also the inner levels of multi-partitions);
* ``%@outputs``: op outputs (and mapped outputs, versioned outputs).

Marker names start with ``%@``, which no encoded key component produces (``@`` is always
percent-encoded and plain components never start with ``%``), so a marker never shadows a value.
A store into a directory of another kind raises :class:`UnsafeKeyError`; a load from one finds
nothing. Directories written without markers (by Dagster or earlier versions) are accepted.

:class:`DirectoryKinds` implements the protocol over :class:`KindOps` (local ``os`` calls or
fsspec ``UPath`` calls) and remembers the directories it has verified; markers are never
removed (except one just created that lost a race), so the memory stays valid while the
storage is not deleted behind the manager's back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, Literal, Protocol, TypeVar

from reference_impl.errors import UnsafeKeyError

__all__ = [
    "ASSETS",
    "KINDS",
    "MARKER_PREFIX",
    "OUTPUTS",
    "PARTITIONS",
    "DirectoryKinds",
    "Kind",
    "KindOps",
    "marker_name",
]

Kind = Literal["assets", "partitions", "outputs"]
ASSETS: Kind = "assets"
PARTITIONS: Kind = "partitions"
OUTPUTS: Kind = "outputs"
KINDS: tuple[Kind, ...] = (ASSETS, PARTITIONS, OUTPUTS)

MARKER_PREFIX = "%@"
"""Prefix of marker files; no encoded key component (plus extension) starts with it."""

_MAX_REMEMBERED = 4096

D = TypeVar("D")
D_contra = TypeVar("D_contra", contravariant=True)


def marker_name(kind: Kind) -> str:
    """The file name of ``kind``'s marker."""
    return MARKER_PREFIX + kind


_DESCRIPTIONS: dict[Kind, str] = {
    ASSETS: "unpartitioned assets (and partitioned assets' directories)",
    PARTITIONS: "the partitions of a partitioned asset",
    OUTPUTS: "op outputs",
}


def describe_kind(kind: Kind) -> str:
    """What a directory of ``kind`` holds, for error messages."""
    return _DESCRIPTIONS[kind]


class KindOps(Protocol[D_contra]):
    """Storage operations the marker protocol needs, on directories of type ``D``."""

    def key(self, directory: D_contra) -> str:
        """A stable text key of ``directory`` (for memory and messages)."""
        ...

    def has_marker(self, directory: D_contra, name: str) -> bool:
        """Whether ``directory/name`` exists (``False`` when ``directory`` does not)."""
        ...

    def make_directory(self, directory: D_contra) -> None:
        """Create ``directory`` with its parents; raise ``FileExistsError`` or
        ``NotADirectoryError`` when a file is in the way."""
        ...

    def create_marker(self, directory: D_contra, name: str) -> None:
        """Create the empty file ``directory/name`` (no error when it exists)."""
        ...

    def remove_marker(self, directory: D_contra, name: str) -> None:
        """Delete ``directory/name`` (no error when it is gone)."""
        ...

    def verify(self, directory: D_contra) -> None:
        """Raise :class:`UnsafeKeyError` when ``directory`` leads out of the storage root."""
        ...


class DirectoryKinds(Generic[D]):
    """Claims directories for one kind of stored value and checks them on load."""

    def __init__(self, ops: KindOps[D]) -> None:
        self.ops = ops
        self._known: dict[str, Kind] = {}

    def knows(self, directory_key: str, kind: Kind) -> bool:
        """Whether ``directory_key`` was already verified to be of ``kind`` (no I/O)."""
        return self._known.get(directory_key) == kind

    def forget(self) -> None:
        """Drop everything remembered (after the storage changed behind our back)."""
        self._known.clear()

    def claim(self, directory: D, kind: Kind, conflict: Callable[[Kind], str]) -> bool:
        """Make sure ``directory`` exists and is marked ``kind``.

        Returns ``True`` when the directory carried no marker at all before (it was new, or
        written without markers). Raises :class:`UnsafeKeyError` with ``conflict(other_kind)``
        as message when it holds another kind, or when a file occupies it (prefix keys).
        """
        key = self.ops.key(directory)
        if self._known.get(key) == kind:
            return False
        ops = self.ops
        ops.verify(directory)
        own = marker_name(kind)
        if ops.has_marker(directory, own):
            self._remember(key, kind)
            return False
        other = self._other_kind(directory, kind)
        if other is not None:
            raise UnsafeKeyError(conflict(other))
        try:
            ops.make_directory(directory)
        except (FileExistsError, NotADirectoryError) as error:
            raise UnsafeKeyError(
                f"cannot create the directory {key!r}: a file holding the value of another key "
                "is in the way (a key that is a prefix of this one). Key components map to "
                "directories, so a key cannot be both stored and extended"
            ) from error
        ops.create_marker(directory, own)
        other = self._other_kind(directory, kind)
        if other is not None:  # lost a race against a writer of another kind
            ops.remove_marker(directory, own)
            raise UnsafeKeyError(conflict(other))
        self._remember(key, kind)
        return True

    def conflicting_kind(self, directory: D, kind: Kind) -> Kind | None:
        """For a load: the other kind ``directory`` is marked with, or ``None`` when it is
        marked ``kind``, unmarked, or missing."""
        key = self.ops.key(directory)
        if self._known.get(key) == kind:
            return None
        if self.ops.has_marker(directory, marker_name(kind)):
            self._remember(key, kind)
            return None
        return self._other_kind(directory, kind)

    def _other_kind(self, directory: D, kind: Kind) -> Kind | None:
        for other in KINDS:
            if other != kind and self.ops.has_marker(directory, marker_name(other)):
                return other
        return None

    def _remember(self, key: str, kind: Kind) -> None:
        if len(self._known) >= _MAX_REMEMBERED:
            self._known.clear()
        self._known[key] = kind
