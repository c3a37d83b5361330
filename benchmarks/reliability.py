"""Reliability figures of the reference managers: kills survived, torn values, escapes,
leftovers, untyped errors, lost values. Run: ``python -m benchmarks.reliability [--kills N]``.

Per manager (POSIX; forked children, so no interpreter start-up per kill):

* **kills**: a child overwrites one key with self-checking 256 KiB values and is SIGKILLed at a
  random moment after its first completed store; then the key is loaded in the parent.
  *survived* counts kills after which a complete value loaded; *torn* counts loads that were
  torn, missing or failed (after kills, and by a reader while two children overwrite).
* **escapes**: files that appear outside the root after planted symlinks (dangling at a
  marker, symlinked directory, at the value), a hard link to an outside file, and a loop
  swapping a directory for a symlink (``renameat2(RENAME_EXCHANGE)``) while storing.
* **leftovers**: temporary files in the tree after the kill loop and one clean store (the max
  seen after any kill in parentheses).
* **untyped**: failures that are not a ``reference_impl`` error, out of the injected ones
  (ENOSPC, EDQUOT, EROFS, EACCES, EIO at the writer; RuntimeError and OSError in a value's
  ``__reduce__``; a corrupt file; a missing value), shown as untyped/raised (a scenario that
  does not fail for a manager, e.g. an unpicklable value in memory, is not counted). *lost*:
  failures after which the previous value did not load back unchanged.

"n/a": the scenario does not apply (no processes share an in-process store; no symlinks on
``memory://``).
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import os
import random
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import IO, Any

from upath import UPath

from reference_impl.context import build_input_context, build_output_context
from reference_impl.errors import IOManagerSpecError
from reference_impl.storage import (
    InMemoryIOManager,
    PickledObjectFilesystemIOManager,
    UPathIOManager,
    confined,
    exchange,
)
from reference_impl.storage.layout import marker_name
from reference_impl.storage.safe_paths import TEMP_FILE_MARKER
from spec.contexts import InputContextLike, OutputContextLike

Factory = Callable[[Path], Any]


class GenericPickle(PickledObjectFilesystemIOManager):
    """Our pickle manager forced onto the generic UPath path (a hook is overridden)."""

    def load_from_path(self, context: InputContextLike, path: UPath) -> Any:
        return super().load_from_path(context, path)


class JsonSubclass(UPathIOManager):
    """A third-party subclass writing with ``UPath.write_text`` (not atomic by itself)."""

    extension = ".json"

    def dump_to_path(self, context: OutputContextLike, obj: Any, path: UPath) -> None:
        path.write_text(json.dumps(obj))

    def load_from_path(self, context: InputContextLike, path: UPath) -> Any:
        return json.loads(path.read_text())


MANAGERS: dict[str, tuple[Factory, bool]] = {
    "FilesystemIOManager (local fast path)":
        (lambda root: PickledObjectFilesystemIOManager(str(root)), True),
    "PickledObject…, generic UPath path (local)": (lambda root: GenericPickle(str(root)), True),
    "UPathIOManager JSON subclass (local)": (lambda root: JsonSubclass(UPath(str(root))), True),
    "PickledObject… on memory://": (lambda root: PickledObjectFilesystemIOManager(
        f"memory://reliability/{root.name}"), False),
    "InMemoryIOManager": (lambda root: InMemoryIOManager(), False),
}
"""name -> (factory, local: shares storage across processes and has symlinks)."""

def store(manager: Any, key: list[str], value: Any) -> None:
    manager.handle_output(build_output_context(asset_key=key, run_id="-".join(key),
                                               step_key="s", name="n"), value)


def load(manager: Any, key: list[str]) -> Any:
    upstream = build_output_context(asset_key=key, run_id="-".join(key), step_key="s",
                                    name="n")
    return manager.load_input(build_input_context(asset_key=key, upstream_output=upstream))


def payload(tag: int, size: int) -> list[Any]:
    return [tag, "x" * size] if size < 1024 else [tag, chr(65 + tag % 26) * size]


def intact(value: Any) -> bool:
    tag, data = value
    return isinstance(data, str) and data == data[:1] * len(data) and len(data) > 0 and (
        data[0] == "x" or data[0] == chr(65 + tag % 26))


def temporaries(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.name.startswith(TEMP_FILE_MARKER)]


def fork(body: Callable[[], None]) -> int:
    pid = os.fork()
    if pid == 0:  # the child
        status = 1
        try:
            body()
            status = 0
        finally:
            os._exit(status)
    return pid


# ------------------------------------------------------------------ scenarios
def kills(factory: Factory, root: Path, count: int, rng: random.Random) -> dict[str, Any]:
    survived = torn = worst = 0
    for index in range(count):
        read_fd, write_fd = os.pipe()

        def writer(index: int = index, write_fd: int = write_fd) -> None:
            manager = factory(root)
            for round_ in range(1_000_000):
                store(manager, ["k"], payload(index * 10_000 + round_, 256 * 1024))
                if round_ == 0:
                    os.write(write_fd, b"r")

        pid = fork(writer)
        os.close(write_fd)
        started = os.read(read_fd, 1) == b"r"
        os.close(read_fd)
        time.sleep(rng.uniform(0, 0.004))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        try:
            ok = started and intact(load(factory(root), ["k"]))
        except Exception:
            ok = False
        survived += ok
        torn += not ok
        worst = max(worst, len(temporaries(root)))
    store(factory(root), ["k"], payload(1, 10))
    torn += readers_during_writes(factory, root)
    return {"survived": survived, "torn": torn, "leftovers": len(temporaries(root)),
            "worst": worst}


def readers_during_writes(factory: Factory, root: Path) -> int:
    """Torn or failed loads by this process while two children overwrite the key."""
    def overwrite(start: int) -> None:
        manager = factory(root)
        for index in range(30):
            store(manager, ["k"], payload(start + index, 65536))

    pids = [fork(partial(overwrite, start)) for start in (0, 5000)]
    reader, bad, alive = factory(root), 0, set(pids)
    while alive:
        for pid in list(alive):
            if os.waitpid(pid, os.WNOHANG)[0]:
                alive.discard(pid)
        try:
            bad += not intact(load(reader, ["k"]))
        except Exception:
            bad += 1
    return bad


def escapes(factory: Factory, base: Path) -> int:
    count = 0
    for scenario in (dangling_marker, symlinked_directory, symlink_at_value, hard_link,
                     swap_race):
        root, outside = base / scenario.__name__ / "root", base / scenario.__name__ / "out"
        root.mkdir(parents=True)
        outside.mkdir()
        (outside / "victim").write_text("keep")
        with contextlib.suppress(Exception):
            scenario(factory, root, outside)
        count += sum(1 for path in outside.rglob("*") if path.name != "victim")
        count += (outside / "victim").read_text() != "keep"
    return count


def dangling_marker(factory: Factory, root: Path, outside: Path) -> None:
    (root / marker_name("assets")).symlink_to(outside / "created")
    store(factory(root), ["a"], payload(1, 10))


def symlinked_directory(factory: Factory, root: Path, outside: Path) -> None:
    (root / "d").symlink_to(outside)
    store(factory(root), ["d", "v"], payload(1, 10))


def symlink_at_value(factory: Factory, root: Path, outside: Path) -> None:
    manager = factory(root)
    store(manager, ["v"], payload(1, 10))
    for path in root.iterdir():
        if not path.name.startswith("%"):
            path.unlink()
            path.symlink_to(outside / "victim")
    store(manager, ["v"], payload(2, 10))


def hard_link(factory: Factory, root: Path, outside: Path) -> None:
    manager = factory(root)
    store(manager, ["v"], payload(1, 10))
    for path in root.iterdir():
        if not path.name.startswith("%"):
            path.unlink()
            os.link(outside / "victim", path)
    store(manager, ["v"], payload(2, 10))


def swap_race(factory: Factory, root: Path, outside: Path) -> None:
    if not exchange.is_available():
        return
    manager = factory(root)
    store(manager, ["d", "k"], payload(0, 10))
    (root / "d.link").symlink_to(outside)
    stop = threading.Event()

    def swapper() -> None:
        while not stop.is_set():
            exchange.exchange(str(root / "d"), str(root / "d.link"))
            exchange.exchange(str(root / "d"), str(root / "d.link"))

    thread = threading.Thread(target=swapper)
    thread.start()
    deadline = time.monotonic() + 0.3
    try:
        while time.monotonic() < deadline:
            with contextlib.suppress(Exception):
                store(manager, ["d", "k"], payload(1, 10))
    finally:
        stop.set()
        thread.join()


class Exploding:
    def __init__(self, error: Exception) -> None:
        self.error = error

    def __reduce__(self) -> Any:
        raise self.error


@contextlib.contextmanager
def failing_writes(code: int) -> Iterator[None]:
    """Writers of every kind fail with ``code``: our low-level writer, fsspec's memory
    ``pipe_file`` and the JSON subclass's ``dump_to_path``."""
    from fsspec.implementations.memory import MemoryFileSystem

    def failing_open(descriptor: int) -> IO[bytes]:
        os.close(descriptor)
        raise OSError(code, os.strerror(code))

    def failing(*args: Any, **kwargs: Any) -> None:
        raise OSError(code, os.strerror(code))

    patches = [(confined, "open_for_writing", failing_open),
               (MemoryFileSystem, "pipe_file", failing), (JsonSubclass, "dump_to_path", failing)]
    saved = [(owner, name, getattr(owner, name)) for owner, name, _ in patches]
    for owner, name, replacement in patches:
        setattr(owner, name, replacement)
    try:
        yield
    finally:
        for owner, name, original in saved:
            setattr(owner, name, original)


def faults(factory: Factory, root: Path, local: bool) -> dict[str, int]:
    untyped = lost = total = 0
    manager = factory(root)
    store(manager, ["k"], payload(1, 10))
    attempts: list[Callable[[], None]] = [
        lambda: store(manager, ["k"], Exploding(RuntimeError("boom"))),
        lambda: store(manager, ["k"], [b"z" * 70000, Exploding(OSError(errno.EIO, "x"))]),
        lambda: load(manager, ["missing"]),
    ]
    for code in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EIO):
        def injected(code: int = code) -> None:
            with failing_writes(code):
                store(manager, ["k"], payload(2, 10))
        attempts.append(injected)
    if local:
        def corrupt() -> None:
            (root / "bad").write_bytes(b"garbage")
            (root / "bad.json").write_bytes(b"garbage")
            load(manager, ["bad"])
        attempts.append(corrupt)
    for attempt in attempts:
        before = load(manager, ["k"])
        try:
            attempt()
            continue  # nothing failed (an in-process store needs no serialization or disk)
        except IOManagerSpecError:
            pass
        except Exception:
            untyped += 1
        total += 1
        try:
            lost += load(manager, ["k"]) != before
        except Exception:
            lost += 1
    return {"untyped": untyped, "lost": lost, "faults": total}


# ------------------------------------------------------------------ table
def measure(name: str, factory: Factory, local: bool, kill_count: int,
            base: Path) -> dict[str, str]:
    rng = random.Random(1)
    row = {"manager": name}
    fault = faults(factory, base / "faults", local)
    if local:
        crash = kills(factory, base / "kills", kill_count, rng)
        row["kills survived"] = f"{crash['survived']}/{kill_count}"
        row["torn values"] = str(crash["torn"])
        row["escapes"] = str(escapes(factory, base / "escapes"))
        row["leftovers"] = f"{crash['leftovers']} (max {crash['worst']})"
    else:
        row.update({"kills survived": "n/a", "torn values": "n/a", "escapes": "n/a",
                    "leftovers": "n/a"})
    row["untyped errors"] = f"{fault['untyped']}/{fault['faults']}"
    row["lost values"] = str(fault["lost"])
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kills", type=int, default=200, help="SIGKILLs per manager")
    args = parser.parse_args()
    rows = []
    for name, (factory, local) in MANAGERS.items():
        with tempfile.TemporaryDirectory(prefix="reliability-") as directory:
            rows.append(measure(name, factory, local, args.kills, Path(directory)))
    columns = list(rows[0])
    print("| " + " | ".join(columns) + " |")
    print("|" + "|".join("---" for _ in columns) + "|")
    for row in rows:
        print("| " + " | ".join(row[column] for column in columns) + " |")


if __name__ == "__main__":
    main()
