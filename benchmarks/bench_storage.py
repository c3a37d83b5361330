"""Benchmark: filesystem round trips (ours vs raw pickle vs Dagster) and async partition loads.

Run: ``.venv/bin/python benchmarks/bench_storage.py [--quick] [--steps]``. Files go to a
temporary directory (the first line of each table names its file system). A round trip is
``handle_output`` + ``load_input`` of one asset with prebuilt contexts (raw: ``pickle.dump`` to
``open(path, "wb")`` + ``pickle.load`` from ``open(path, "rb")``, the same path every time).
Every round trip overwrites the value stored by the previous one. The implementations are
sampled interleaved (one sample of each in turn, rotating the order), so load on the shared
machine hits all of them alike; the table shows the median and p90 per case and the ratio of
medians to raw pickle and to Dagster, all measured in this one process. Rows:

* ``ours``: the reference manager as shipped (on Linux it publishes with
  ``renameat2(RENAME_EXCHANGE)``); ``ours os.replace``: the same with the exchange switched off
  (untimed, per sample), i.e. the ``os.replace`` fallback and the previous behaviour.
  (``durable_writes=True`` always publishes with a rename: after the fsync ext4 has nothing left
  to flush.)
* ``10 MB, old on disk``: each sample first stores the old value (untimed) and ``fsync``s it, so
  the round trip overwrites a value already written back to disk, as a pipeline re-materializing
  an asset stored a while ago does. In the plain cases the overwritten value was stored
  milliseconds earlier and may still be dirty in the page cache.

``--steps`` times, instead, the system calls of the three ways to overwrite a stored file
(in place with ``O_TRUNC``; temp file + ``os.replace``; temp file + exchange + ``unlink``), step
by step. Dagster is imported lazily; without it its row is "n/a".
"""

from __future__ import annotations

import asyncio
import logging
import os
import pickle
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

from upath import UPath

from reference_impl.context import build_input_context, build_output_context
from reference_impl.partitions import PartitionKeyRange, StaticPartitionsDefinition
from reference_impl.storage import PickledObjectFilesystemIOManager, UPathIOManager, exchange
from spec.contexts import InputContextLike, OutputContextLike

SMALL = {"a": 1, "b": [1, 2, 3], "c": "x" * 100}
LARGE = b"\x01" * (10 * 1024 * 1024)
Action = Callable[[], Callable[[], Any]]
"""Prepares one sample (untimed: e.g. builds a fresh output context) and returns the timed part."""
Maker = Callable[[Any], Action]


class Subject(NamedTuple):
    """One implementation: how to time a round trip of a value, and the file it stores."""

    make: Maker
    stored: Path


def raw(root: Path) -> Subject:
    path = root / "raw.pkl"

    def make(value: Any) -> Action:
        def round_trip() -> Any:
            with open(path, "wb") as handle:
                pickle.dump(value, handle, 4)
            with open(path, "rb") as handle:
                return pickle.load(handle)
        return lambda: round_trip
    return Subject(make, path)


def ours(root: Path, fsync: bool, *, use_exchange: bool = True) -> Subject:
    """Our manager; ``use_exchange=False`` publishes with ``os.replace`` (the fallback, and
    what every store did before ``renameat2(RENAME_EXCHANGE)``), switched untimed per sample."""
    manager = PickledObjectFilesystemIOManager(str(root), durable_writes=fsync)
    source = build_input_context(asset_key=["bench", "asset"])
    configure = exchange.enable if use_exchange else exchange.disable

    def make(value: Any) -> Action:
        def prepare() -> Callable[[], Any]:
            configure()
            output = build_output_context(asset_key=["bench", "asset"])

            def round_trip() -> Any:
                manager.handle_output(output, value)
                return manager.load_input(source)
            return round_trip
        return prepare
    return Subject(make, root / "bench" / "asset")


def dagster(root: Path) -> Subject | None:
    try:
        import dagster as dg
        from dagster._core.storage.fs_io_manager import PickledObjectFilesystemIOManager as Dpm
    except ImportError:
        return None
    manager = Dpm(base_dir=str(root))  # type: ignore[no-untyped-call]
    source = dg.build_input_context(asset_key=["bench", "asset"])

    def make(value: Any) -> Action:
        def prepare() -> Callable[[], Any]:
            output = dg.build_output_context(asset_key=["bench", "asset"])

            def round_trip() -> Any:
                manager.handle_output(output, value)
                return manager.load_input(source)
            return round_trip
        return prepare
    return Subject(make, root / "bench" / "asset")


def on_disk(subject: Subject, value: Any) -> Action:
    """Round trips that overwrite an old value already written to disk (clean, allocated), as
    in a pipeline that re-materializes an asset stored a while ago. Untimed: store the old
    value with the implementation itself and ``fsync`` it."""
    prepare = subject.make(value)

    def prepare_on_disk() -> Callable[[], Any]:
        prepare()()
        descriptor = os.open(subject.stored, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        return prepare()
    return prepare_on_disk


def p90(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]


def sample_interleaved(actions: dict[str, Action], repeats: int) -> dict[str, list[float]]:
    for prepare in actions.values():  # warm up: directories, caches, imports
        prepare()()
        prepare()()
    names = list(actions)
    samples: dict[str, list[float]] = {name: [] for name in names}
    for index in range(repeats):
        shift = index % len(names)
        for name in names[shift:] + names[:shift]:
            action = actions[name]()
            start = time.perf_counter()
            action()
            samples[name].append(time.perf_counter() - start)
    return samples


def filesystem_of(path: Path) -> str:
    """The file system holding ``path`` (longest mount point in ``/proc/mounts``; Linux)."""
    real = os.path.realpath(path)
    best: tuple[str, str, str] | None = None
    try:
        with open("/proc/mounts") as mounts:
            lines = mounts.read().splitlines()
    except OSError:
        return "unknown file system"
    for line in lines:
        fields = line.split()
        if len(fields) < 4:
            continue
        device, mount, kind = fields[0], fields[1], fields[2]
        inside = real == mount or real.startswith(mount.rstrip("/") + "/")
        if inside and (best is None or len(mount) >= len(best[1])):
            best = (device, mount, kind)
    return f"{best[2]} ({best[0]} on {best[1]})" if best else "unknown file system"


def round_trip_table(root: Path, quick: bool, fsync: bool) -> None:
    """One table; ``fsync=True`` compares our opt-in durable mode (``durable_writes=True``:
    file and directory fsynced, the cost of durability) instead of the default."""
    label = "ours durable_writes" if fsync else "ours"
    candidates: list[tuple[str, Callable[[Path], Subject | None]]] = [
        ("raw pickle", raw),
        (label, lambda target: ours(target, fsync)),
    ]
    if not fsync and exchange.is_available():  # (durable writes always rename)
        candidates.append((f"{label} os.replace",
                           lambda target: ours(target, fsync, use_exchange=False)))
    candidates.append(("dagster", dagster))
    subjects: dict[str, Subject | None] = {}
    for index, (name, build) in enumerate(candidates):
        target = root / f"subject{index}"
        target.mkdir()
        subjects[name] = build(target)
    small, large = (300, 15) if quick else (2000, 60)
    if fsync:
        small, large = small // 4, large // 3
    cases: list[tuple[str, Any, int, bool]] = [
        ("small dict", SMALL, small, False), ("10 MB bytes", LARGE, large, False)]
    if not fsync:
        cases.append(("10 MB, old on disk", LARGE, max(8, large // 2), True))
    publication = ("renameat2(RENAME_EXCHANGE)" if exchange.is_available()
                   else "os.replace (no renameat2 here)")
    print(f"files on {filesystem_of(root)}; ours publishes with {publication}")
    width = max(17, *(len(name) + 2 for name in subjects))
    print(f"{'case':<19}{'implementation':<{width}}{'median':>11}{'p90':>11}"
          f"{'vs raw':>9}{'vs dagster':>12}")
    for case, value, repeats, aged in cases:
        actions = {name: (on_disk(subject, value) if aged else subject.make(value))
                   for name, subject in subjects.items() if subject is not None}
        samples = sample_interleaved(actions, repeats)
        exchange.enable()
        medians = {name: statistics.median(times) for name, times in samples.items()}
        for name in subjects:
            if name not in samples:
                print(f"{case:<19}{name:<{width}}{'n/a':>11}")
                continue
            versus_dagster = (f"{medians[name] / medians['dagster']:.2f}x"
                              if "dagster" in medians else "n/a")
            print(f"{case:<19}{name:<{width}}{medians[name] * 1e3:>8.3f} ms"
                  f"{p90(samples[name]) * 1e3:>8.3f} ms"
                  f"{medians[name] / medians['raw pickle']:>8.2f}x{versus_dagster:>12}")


class SlowAsyncManager(UPathIOManager):
    extension = ".pkl"

    def dump_to_path(self, context: OutputContextLike, obj: Any, path: UPath) -> None:
        path.write_bytes(pickle.dumps(obj, 4))

    async def load_from_path(self, context: InputContextLike, path: UPath) -> Any:
        await asyncio.sleep(0.02)
        return pickle.loads(path.read_bytes())


def async_partitions(root: Path) -> None:
    keys = [f"p{i:02d}" for i in range(64)]
    definition = StaticPartitionsDefinition(keys)
    manager = SlowAsyncManager(UPath(str(root / "async")))
    for key in keys:
        manager.handle_output(build_output_context(
            asset_key=["a"], partition_key=key, asset_partitions_def=definition), key)
    context = build_input_context(asset_key=["a"], asset_partitions_def=definition,
                                  asset_partition_key_range=PartitionKeyRange(keys[0], keys[-1]))
    samples = sample_interleaved({"async": lambda: lambda: manager.load_input(context)},
                                 5)["async"]
    seconds = statistics.median(samples)
    verdict = "OK" if seconds < 0.15 else "SLOW"
    print(f"async load, 64 partitions x 20 ms latency: median {seconds:.3f} s "
          f"(target < 0.15 s) {verdict}")


def overwrite_in_place(path: Path, data: bytes) -> list[float]:
    """``open(O_TRUNC)`` + ``write`` + ``close`` (raw pickle, Dagster); seconds per step."""
    clock = time.perf_counter
    start = clock()
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC)
    opened = clock()
    os.write(descriptor, data)
    written = clock()
    os.close(descriptor)
    return [opened - start, written - opened, clock() - written]


def overwrite_via_temporary(path: Path, data: bytes, use_exchange: bool) -> list[float]:
    """Temp file, then ``renameat2(RENAME_EXCHANGE)`` + ``unlink`` or ``os.replace``."""
    clock = time.perf_counter
    temporary = str(path.parent / f"%!{os.urandom(8).hex()}")
    start = clock()
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
    opened = clock()
    os.write(descriptor, data)
    written = clock()
    os.close(descriptor)
    closed = clock()
    steps = [opened - start, written - opened, closed - written]
    if use_exchange and exchange.exchange(temporary, str(path)):
        swapped = clock()
        os.unlink(temporary)
        return [*steps, swapped - closed, clock() - swapped]
    os.replace(temporary, path)
    return [*steps, clock() - closed]


def publication_steps(root: Path, quick: bool) -> None:
    """``--steps``: the system calls of the ways to overwrite a stored file, step by step,
    interleaved like the round trips (medians per step). Shows where a store's time goes."""
    columns = {"in place (O_TRUNC)": ["open+trunc", "write", "close"],
               "temp + os.replace": ["open", "write", "close", "replace"]}
    if exchange.is_available():
        columns["temp + exchange"] = ["open", "write", "close", "exchange", "unlink"]
    for label, value, repeats in (("small dict", SMALL, 200 if quick else 2000),
                                  ("10 MB bytes", LARGE, 15 if quick else 60)):
        data = pickle.dumps(value, 4)
        steps: dict[str, Callable[[], list[float]]] = {
            "in place (O_TRUNC)": partial(overwrite_in_place, root / "in_place", data),
            "temp + os.replace": partial(overwrite_via_temporary, root / "replaced", data,
                                         False),
            "temp + exchange": partial(overwrite_via_temporary, root / "exchanged", data, True),
        }
        steps = {name: step for name, step in steps.items() if name in columns}
        for step in steps.values():  # warm up, and create every target
            step()
            step()
        timings: dict[str, list[list[float]]] = {name: [] for name in steps}
        names = list(steps)
        for index in range(repeats):
            shift = index % len(names)
            for name in names[shift:] + names[:shift]:
                timings[name].append(steps[name]())
        print(f"{label}: median ms per step")
        for name, rows in timings.items():
            medians = [statistics.median(column) * 1e3 for column in zip(*rows, strict=True)]
            total = statistics.median(sum(row) for row in rows) * 1e3
            cells = "  ".join(f"{column} {median:.3f}"
                              for column, median in zip(columns[name], medians, strict=True))
            print(f"  {name:<20} total {total:7.3f}   {cells}")


def main() -> None:
    quick = "--quick" in sys.argv[1:]
    if "--steps" in sys.argv[1:]:
        with tempfile.TemporaryDirectory(prefix="bench-storage-") as directory:
            print(f"files on {filesystem_of(Path(directory))}")
            publication_steps(Path(directory), quick)
        return
    # Dagster's builder contexts log a DEBUG line per store to the console; keep that I/O out
    # of its timings (ours logs nothing on this path).
    logging.disable(logging.INFO)
    for fsync in (False, True):
        with tempfile.TemporaryDirectory(prefix="bench-storage-") as directory:
            round_trip_table(Path(directory), quick, fsync)
            print()
    with tempfile.TemporaryDirectory(prefix="bench-storage-") as directory:
        async_partitions(Path(directory))


if __name__ == "__main__":
    main()
