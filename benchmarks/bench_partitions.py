"""Benchmark: time-window partition keys, reference_impl vs Dagster, side by side.

Run: ``.venv/bin/python benchmarks/bench_partitions.py [--repeat N]``. Writes nothing.
Dagster is imported lazily; without it, only our timings are printed.

Cases (each timed as the median of ``--repeat`` runs after one warm-up run):

a. every hourly key over 10 years (2015-01-01 to 2025-01-01, UTC): ``list(get_partition_keys())``;
   also in America/New_York (DST);
b. a 50,000-key hourly range: ``get_partition_keys_in_range`` + ``len`` + first/last key, on
   one definition reused across runs (Dagster then serves it from its cached key list) and on
   a new definition per run (b', no cache);
c. every daily key over 30 years (1995-01-01 to 2025-01-01, UTC), and in America/New_York.

The ratio column is Dagster's median divided by ours (higher is better for us).
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
from collections.abc import Callable
from types import ModuleType
from typing import Any

import reference_impl.partitions as ours

HOURLY_START, HOURLY_END = "2015-01-01-00:00", "2025-01-01-00:00"
DAILY_START, DAILY_END = "1995-01-01", "2025-01-01"
RANGE_FIRST, RANGE_SIZE = 100, 50_000


def median_seconds(action: Callable[[], Any], repeats: int) -> float:
    """The median wall time of ``action`` over ``repeats`` runs, after one warm-up run."""
    action()
    samples = []
    for _ in range(repeats):
        gc.collect()
        began = time.perf_counter()
        action()
        samples.append(time.perf_counter() - began)
    return statistics.median(samples)


def enumerate_hourly(module: Any, timezone: str | None) -> Callable[[], Any]:
    definition = module.HourlyPartitionsDefinition(
        HOURLY_START, end_date=HOURLY_END, timezone=timezone
    )
    return lambda: list(definition.get_partition_keys())


def resolve_range(module: Any) -> Callable[[], Any]:
    definition = module.HourlyPartitionsDefinition(HOURLY_START, end_date=HOURLY_END)
    keys = list(definition.get_partition_keys())
    first, last = keys[RANGE_FIRST], keys[RANGE_FIRST + RANGE_SIZE - 1]
    key_range = module.PartitionKeyRange(first, last)

    def run() -> Any:
        resolved = definition.get_partition_keys_in_range(key_range)
        assert len(resolved) == RANGE_SIZE and resolved[0] == first and resolved[-1] == last
        return resolved

    return run


def enumerate_daily(module: Any, timezone: str | None) -> Callable[[], Any]:
    definition = module.DailyPartitionsDefinition(
        DAILY_START, end_date=DAILY_END, timezone=timezone
    )
    return lambda: list(definition.get_partition_keys())


def resolve_range_cold(module: Any) -> Callable[[], Any]:
    """As ``resolve_range`` but on a new definition each run (no cached keys in Dagster)."""
    keys = list(module.HourlyPartitionsDefinition(HOURLY_START, end_date=HOURLY_END)
                .get_partition_keys())
    first, last = keys[RANGE_FIRST], keys[RANGE_FIRST + RANGE_SIZE - 1]

    def run() -> Any:
        definition = module.HourlyPartitionsDefinition(HOURLY_START, end_date=HOURLY_END)
        resolved = definition.get_partition_keys_in_range(module.PartitionKeyRange(first, last))
        assert len(resolved) == RANGE_SIZE and resolved[0] == first and resolved[-1] == last
        return resolved

    return run


NEW_YORK = "America/New_York"
CASES: list[tuple[str, Callable[[Any], Callable[[], Any]]]] = [
    ("a. hourly keys, 10 years, UTC", lambda module: enumerate_hourly(module, None)),
    ("a'. hourly keys, 10 years, New York", lambda module: enumerate_hourly(module, NEW_YORK)),
    ("b. 50k-key hourly range (same def)", resolve_range),
    ("b'. 50k-key hourly range (new def)", resolve_range_cold),
    ("c. daily keys, 30 years, UTC", lambda module: enumerate_daily(module, None)),
    ("c'. daily keys, 30 years, New York", lambda module: enumerate_daily(module, NEW_YORK)),
]


def load_dagster() -> ModuleType | None:
    try:
        import dagster
    except ImportError:
        return None
    return dagster


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per case (min 5)")
    repeats = max(5, parser.parse_args().repeat)
    dagster = load_dagster()
    if dagster is None:
        print("dagster not installed: reporting reference_impl only")
    else:
        print(f"dagster {dagster.__version__}")
    print(f"median of {repeats} runs\n")
    header = f"{'case':40} {'reference_impl':>15} {'dagster':>12} {'ratio':>8}"
    print(header)
    print("-" * len(header))
    for name, make in CASES:
        mine = median_seconds(make(ours), repeats)
        if dagster is None:
            print(f"{name:40} {mine * 1e3:12.2f} ms {'n/a':>12} {'n/a':>8}")
            continue
        make_outputs_equal(make, dagster)
        theirs = median_seconds(make(dagster), repeats)
        print(f"{name:40} {mine * 1e3:12.2f} ms {theirs * 1e3:9.1f} ms {theirs / mine:7.1f}x")


def make_outputs_equal(make: Callable[[Any], Callable[[], Any]], dagster: ModuleType) -> None:
    """Both libraries produce the same keys for the case (else the timing is meaningless)."""
    mine, theirs = make(ours)(), make(dagster)()
    if list(mine) != list(theirs):
        raise SystemExit("reference_impl and dagster disagree on the benchmarked keys")


if __name__ == "__main__":
    main()
