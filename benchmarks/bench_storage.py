"""Benchmark: filesystem round trips (ours vs raw pickle vs Dagster) and async partition loads.

Run: ``.venv/bin/python benchmarks/bench_storage.py [--quick]``. Files go to a temporary
directory. A round trip is ``handle_output`` + ``load_input`` of one asset with prebuilt
contexts (raw: ``pickle.dump`` to a file + ``pickle.load``). The implementations are sampled
interleaved (one sample of each in turn, rotating the order), so load on the shared machine hits
all of them alike; the table shows the median and p90 per case and the ratio of medians to raw
pickle and to Dagster. Dagster is imported lazily; without it its row is "n/a".
"""

from __future__ import annotations

import asyncio
import logging
import pickle
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from upath import UPath

from reference_impl.context import build_input_context, build_output_context
from reference_impl.partitions import PartitionKeyRange, StaticPartitionsDefinition
from reference_impl.storage import PickledObjectFilesystemIOManager, UPathIOManager
from spec.contexts import InputContextLike, OutputContextLike

SMALL = {"a": 1, "b": [1, 2, 3], "c": "x" * 100}
LARGE = b"\x01" * (10 * 1024 * 1024)
Action = Callable[[], Callable[[], Any]]
"""Prepares one sample (untimed: e.g. builds a fresh output context) and returns the timed part."""
Maker = Callable[[Any], Action]


def raw(root: Path) -> Maker:
    path = root / "raw.pkl"

    def make(value: Any) -> Action:
        def round_trip() -> Any:
            with open(path, "wb") as handle:
                pickle.dump(value, handle, 4)
            with open(path, "rb") as handle:
                return pickle.load(handle)
        return lambda: round_trip
    return make


def ours(root: Path, fsync: bool) -> Maker:
    manager = PickledObjectFilesystemIOManager(str(root), fsync=fsync)
    source = build_input_context(asset_key=["bench", "asset"])

    def make(value: Any) -> Action:
        def prepare() -> Callable[[], Any]:
            output = build_output_context(asset_key=["bench", "asset"])

            def round_trip() -> Any:
                manager.handle_output(output, value)
                return manager.load_input(source)
            return round_trip
        return prepare
    return make


def dagster(root: Path) -> Maker | None:
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
    return make


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


def round_trip_table(root: Path, quick: bool, fsync: bool) -> None:
    """One table; ``fsync=True`` compares our opt-in durable mode instead of the default."""
    makers: dict[str, Maker | None] = {}
    label = "ours fsync=True" if fsync else "ours"
    for name, directory in (("raw pickle", "raw"), (label, "ours"), ("dagster", "dagster")):
        target = root / directory
        target.mkdir()
        makers[name] = (raw(target) if name == "raw pickle" else
                        ours(target, fsync=fsync) if name == label else dagster(target))
    small, large = (300, 15) if quick else (2000, 60)
    if fsync:
        small, large = small // 4, large // 3
    cases = (("small dict", SMALL, small), ("10 MB bytes", LARGE, large))
    print(f"{'case':<12}{'implementation':<17}{'median':>11}{'p90':>11}"
          f"{'vs raw':>9}{'vs dagster':>12}")
    for label, value, repeats in cases:
        actions = {name: make(value) for name, make in makers.items() if make is not None}
        samples = sample_interleaved(actions, repeats)
        medians = {name: statistics.median(times) for name, times in samples.items()}
        for name in makers:
            if name not in samples:
                print(f"{label:<12}{name:<17}{'n/a':>11}")
                continue
            versus_dagster = (f"{medians[name] / medians['dagster']:.2f}x"
                              if "dagster" in medians else "n/a")
            print(f"{label:<12}{name:<17}{medians[name] * 1e3:>8.3f} ms"
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


def main() -> None:
    quick = "--quick" in sys.argv[1:]
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
