"""IOM-SEC-001: no write leaves the storage root, whatever is planted in the tree: dangling
symlinks at marker names, symlinked directories, hard links to outside files, symlinks at the
value's name, and directories swapped for symlinks while stores run. Local fast path, generic
path and a third-party UPathIOManager subclass alike."""

from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path

import pytest

from reference_impl.errors import StorageError, StoredValueNotFoundError, UnsafeKeyError
from reference_impl.storage import confined_dirs
from reference_impl.storage import exchange as exchange_module
from reference_impl.storage.exchange import exchange
from reference_impl.storage.layout import marker_name
from tests.reference_impl.storage.faults import LOCAL_KINDS, load, make_manager, store


@pytest.fixture
def tree(tmp_path: Path) -> tuple[Path, Path]:
    """A storage root and a directory outside it."""
    root, outside = tmp_path / "root", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    return root, outside


@pytest.mark.parametrize("kind", LOCAL_KINDS)
@pytest.mark.parametrize("depth", [0, 1])
def test_dangling_symlink_at_a_marker_is_refused_not_followed(
        tree: tuple[Path, Path], kind: str, depth: int) -> None:
    """A dangling symlink planted where a layout marker goes is never followed: the store is
    refused and nothing is created outside the root (was: a file created through it)."""
    root, outside = tree
    directory = root / "x" if depth else root
    directory.mkdir(exist_ok=True)
    (directory / marker_name("assets")).symlink_to(outside / "created")
    key = ["x", "a"] if depth else ["a"]
    with pytest.raises(UnsafeKeyError, match="symlink"):
        store(make_manager(kind, root), key, 1)
    assert os.listdir(outside) == []


@pytest.mark.parametrize("kind", LOCAL_KINDS)
def test_symlinked_directory_is_refused_unless_allowed(tree: tuple[Path, Path],
                                                       kind: str) -> None:
    """Symlinks inside the tree are refused by default; allow_symlinks=True follows one that
    stays inside the root, and still refuses one that leads out."""
    root, outside = tree
    (root / "real").mkdir()
    (root / "inside").symlink_to(root / "real")
    (root / "out").symlink_to(outside)
    with pytest.raises(UnsafeKeyError):
        store(make_manager(kind, root), ["inside", "v"], 1)
    allowed = make_manager(kind, root, allow_symlinks=True)
    store(allowed, ["inside", "v"], 2)
    assert load(allowed, ["inside", "v"]) == 2
    with pytest.raises(UnsafeKeyError, match="not inside"):
        store(allowed, ["out", "v"], 3)
    assert os.listdir(outside) == []


@pytest.mark.parametrize("kind", ["fast", "generic"])
def test_hard_link_to_an_outside_file_is_replaced_not_written_through(
        tree: tuple[Path, Path], kind: str) -> None:
    """A hard link planted at a value's name is replaced by the atomic publication; the
    outside file it shares an inode with keeps its bytes."""
    root, outside = tree
    manager = make_manager(kind, root)
    store(manager, ["a"], "first")
    (root / "a").unlink()
    (outside / "victim").write_bytes(b"keep me")
    os.link(outside / "victim", root / "a")
    store(manager, ["a"], "second")
    assert (outside / "victim").read_bytes() == b"keep me"
    assert load(manager, ["a"]) == "second"


def test_symlink_at_the_value_is_refused_for_third_party_writers(
        tree: tuple[Path, Path]) -> None:
    """A subclass's dump_to_path may follow a symlink at its path: such a path is refused
    before the subclass is called (our own writers replace the symlink instead)."""
    root, outside = tree
    manager = make_manager("json", root)
    store(manager, ["a"], 1)
    (root / "a.json").unlink()
    (root / "a.json").symlink_to(outside / "target")
    with pytest.raises(UnsafeKeyError, match="symlink"):
        store(manager, ["a"], 2)
    assert os.listdir(outside) == []


@pytest.mark.parametrize("kind", ["fast", "generic"])
def test_symlinked_value_is_not_read(tree: tuple[Path, Path], kind: str) -> None:
    root, outside = tree
    (outside / "secret").write_bytes(b"\x80\x04K\x01.")  # pickle of 1
    manager = make_manager(kind, root)
    store(manager, ["b"], 0)
    os.symlink(outside / "secret", root / "direct")
    with pytest.raises(UnsafeKeyError):
        load(manager, ["direct"])


@pytest.mark.parametrize("kind", ["fast", "generic"])
def test_directory_swapped_for_a_symlink_during_stores_never_leaks(
        tree: tuple[Path, Path], kind: str) -> None:
    """Race loop: a thread keeps swapping a directory of the tree for a symlink out of the
    root (and back) while stores into it run. Every store either succeeds inside the root or
    raises a typed error; nothing ever appears outside. (A third-party dump_to_path that
    follows symlinks is only checked before it is called: docs/RELIABILITY.md.)"""
    if not exchange_module.is_available():
        pytest.skip("the swap uses renameat2(RENAME_EXCHANGE)")
    root, outside = tree
    manager = make_manager(kind, root)
    store(manager, ["d", "k"], -1)
    (root / "d.link").symlink_to(outside)
    stop = threading.Event()
    swaps = 0

    def swapper() -> None:
        nonlocal swaps
        while not stop.is_set():
            assert exchange(str(root / "d"), str(root / "d.link"))  # d is now the symlink
            time.sleep(0)
            assert exchange(str(root / "d"), str(root / "d.link"))  # and the directory again
            swaps += 1
            time.sleep(0.0002)  # let some stores through the walk

    thread = threading.Thread(target=swapper)
    thread.start()
    outcomes = {"stored": 0, "refused": 0}
    try:
        deadline = time.monotonic() + 0.4
        index = 0
        while time.monotonic() < deadline:
            index += 1
            try:
                store(manager, ["d", "k"], index)
                outcomes["stored"] += 1
            except (UnsafeKeyError, StorageError):
                outcomes["refused"] += 1
    finally:
        stop.set()
        thread.join()
    assert swaps > 0 and outcomes["stored"] > 0
    assert os.listdir(outside) == [], outcomes


@pytest.mark.parametrize("kind", ["fast", "generic"])
@pytest.mark.parametrize("key", [["top"], ["nested", "v"]])
def test_root_deleted_and_recreated_behind_a_live_manager(tmp_path: Path, kind: str,
                                                          key: list[str]) -> None:
    """The root's descriptor is kept open: when the root is deleted (and re-created by
    someone else) the manager notices and uses the new directory, for loads and stores."""
    root = tmp_path / "root"
    manager = make_manager(kind, root)
    store(manager, key, 1)
    shutil.rmtree(root)
    with pytest.raises(StoredValueNotFoundError):
        load(manager, key)
    store(make_manager(kind, root), key, 2)
    assert load(manager, key) == 2
    shutil.rmtree(root)
    store(manager, key, 3)
    assert load(make_manager(kind, root), key) == 3


def test_managers_do_not_leak_descriptors(tmp_path: Path) -> None:
    if not os.path.isdir("/proc/self/fd"):
        pytest.skip("needs /proc/self/fd")
    before = len(os.listdir("/proc/self/fd"))
    for index in range(200):
        store(make_manager("fast", tmp_path), ["k"], index)
    assert len(os.listdir("/proc/self/fd")) <= before + 2


def test_posix_systems_get_the_confined_fast_path(tmp_path: Path) -> None:
    """The confinement needs dir_fd and O_NOFOLLOW; every POSIX system has them."""
    if os.name != "posix":
        pytest.skip("POSIX only")
    assert confined_dirs.SUPPORTED and confined_dirs.NOFOLLOW == os.O_NOFOLLOW
    assert make_manager("fast", tmp_path)._local is not None
