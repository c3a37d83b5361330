"""Context-building and partition benchmarks: reference_impl vs Dagster vs the Dagster bridge.

Run from the repository root: ``.venv/bin/python benchmarks/bench_contexts.py [--quick]``.
Everything runs side by side in one process; the result is a table on stdout (no files).

Targets (checked, and reported as ``ok``/``MISSED``):

* an OutputContext with an asset key and a daily partition: reference builder at least 1000x
  faster than ``dagster.build_output_context``;
* every hourly key over 10 years: reference enumeration at least 20x faster than Dagster's;
* a context over a 50,000-key hourly range, with its keys, range and time window resolved:
  reference under 1 ms.
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

HOURLY_START, HOURLY_END = "2015-01-01-00:00", "2025-01-01-00:00"
DAILY_START, DAILY_END = "2023-01-01", "2024-01-01"


@dataclass(frozen=True)
class Timing:
    """Per-call wall times of one operation (seconds)."""

    label: str
    samples: tuple[float, ...]

    @property
    def median(self) -> float:
        """Median per-call time."""
        return statistics.median(self.samples)


def measure(label: str, fn: Callable[[], object], n: int) -> Timing:
    """Call ``fn`` once to warm up, then ``n`` times, timing each call."""
    fn()
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return Timing(label, tuple(samples))


def _fmt(seconds: float) -> str:
    if seconds >= 1e-1:
        return f"{seconds:8.3f} s "
    if seconds >= 1e-3:
        return f"{seconds * 1e3:8.3f} ms"
    return f"{seconds * 1e6:8.2f} µs"


# ------------------------------------------------------------------ the three workloads


def bench_output_context(n_fast: int, n_slow: int) -> list[Timing]:
    """Build an OutputContext for asset ["a","b"], daily partition 2023-01-02."""
    import dagster as dg

    from conformance.bridges.dagster import DagsterContextFactory
    from conformance.contexts import OutputSpec, PartitionsSpec
    from reference_impl import partitions as ref_partitions
    from reference_impl.context import build_output_context as ref_build

    ref_daily = ref_partitions.DailyPartitionsDefinition(start_date=DAILY_START, end_date=DAILY_END)
    dg_daily = dg.DailyPartitionsDefinition(start_date=DAILY_START, end_date=DAILY_END)
    bridge = DagsterContextFactory()
    spec = OutputSpec(
        run_id="r1",
        step_key="s",
        name="result",
        asset_key=("a", "b"),
        partition_key="2023-01-02",
        partitions_def=PartitionsSpec("daily", start=DAILY_START, end=DAILY_END),
    )

    def reference() -> Any:
        ctx = ref_build(asset_key=["a", "b"], partition_key="2023-01-02",
                        asset_partitions_def=ref_daily)
        return ctx.asset_partition_key

    def dagster() -> Any:
        ctx = dg.build_output_context(asset_key=["a", "b"], partition_key="2023-01-02",
                                      asset_partitions_def=dg_daily)
        return ctx.asset_partition_key

    def via_bridge() -> Any:
        return bridge.output_context(spec).asset_partition_key

    return [
        measure("reference_impl.context.build_output_context", reference, n_fast),
        measure("dagster.build_output_context", dagster, n_slow),
        measure("DagsterContextFactory.output_context (bridge)", via_bridge, n_fast),
    ]


def bench_hourly_keys(n: int) -> list[Timing]:
    """Enumerate (iterate over) every hourly key from 2015 to 2025 (87,672 keys)."""
    import dagster as dg

    from reference_impl import partitions as ref_partitions

    ref_hourly = ref_partitions.HourlyPartitionsDefinition(start_date=HOURLY_START,
                                                           end_date=HOURLY_END)
    dg_hourly = dg.HourlyPartitionsDefinition(start_date=HOURLY_START, end_date=HOURLY_END)

    def reference() -> int:
        return sum(1 for _ in ref_hourly.get_partition_keys())

    def dagster() -> int:
        return sum(1 for _ in dg_hourly.get_partition_keys())

    ref_count, dg_count = reference(), dagster()
    if ref_count != dg_count:
        raise AssertionError(f"key counts differ: reference {ref_count}, dagster {dg_count}")
    return [
        measure(f"reference hourly keys x{ref_count}", reference, n),
        measure(f"dagster hourly keys x{dg_count}", dagster, n),
    ]


def bench_hourly_range(n_fast: int, n_slow: int) -> list[Timing]:
    """A context over 50,000 hourly keys: count keys, read range and time window."""
    import dagster as dg

    from conformance.bridges.dagster import DagsterContextFactory
    from conformance.contexts import OutputSpec, PartitionsSpec
    from reference_impl import partitions as ref_partitions
    from reference_impl.context import build_output_context as ref_build

    ref_hourly = ref_partitions.HourlyPartitionsDefinition(start_date=HOURLY_START,
                                                           end_date=HOURLY_END)
    keys = ref_hourly.get_partition_keys()
    start, end = keys[0], keys[49_999]
    key_range = ref_partitions.PartitionKeyRange(start, end)
    bridge = DagsterContextFactory()
    spec = OutputSpec(
        run_id="r1",
        step_key="s",
        name="result",
        asset_key=("h",),
        partition_key_range=(start, end),
        partitions_def=PartitionsSpec("hourly", start=HOURLY_START, end=HOURLY_END),
    )
    dg_hourly = dg.HourlyPartitionsDefinition(start_date=HOURLY_START, end_date=HOURLY_END)

    def resolve(ctx: Any) -> int:
        n = len(ctx.asset_partition_keys)
        _ = (ctx.asset_partition_key_range, ctx.asset_partitions_time_window)
        return n

    def reference() -> int:
        return resolve(ref_build(asset_key=["h"], asset_partition_key_range=key_range,
                                 asset_partitions_def=ref_hourly))

    def dagster() -> int:
        return resolve(dg.build_output_context(
            asset_key=["h"], asset_partition_key_range=dg.PartitionKeyRange(start, end),
            asset_partitions_def=dg_hourly))

    def via_bridge() -> int:
        return resolve(bridge.output_context(spec))

    for fn in (reference, via_bridge):
        if fn() != 50_000:
            raise AssertionError(f"{fn.__name__} did not resolve 50,000 keys")
    return [
        measure("reference 50,000-key hourly range", reference, n_fast),
        measure("dagster.build_output_context 50,000-key range", dagster, n_slow),
        measure("bridge 50,000-key range (subset cached)", via_bridge, n_slow),
    ]


# ------------------------------------------------------------------ report


def _table(title: str, timings: list[Timing], baseline: Timing) -> str:
    lines = [f"\n{title}", f"{'operation':<52} {'n':>5} {'median':>11} {'vs first':>10}"]
    for t in timings:
        ratio = t.median / baseline.median
        lines.append(f"{t.label:<52} {len(t.samples):>5} {_fmt(t.median)} {ratio:>9.1f}x")
    return "\n".join(lines)


def _target(name: str, ok: bool, detail: str) -> str:
    return f"  {'ok    ' if ok else 'MISSED'} {name}: {detail}"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks and print the table; exit status 1 when a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    scale = 5 if args.quick else 1
    ctx = bench_output_context(n_fast=2000 // scale, n_slow=50 // scale)
    keys = bench_hourly_keys(n=5 if not args.quick else 2)
    rng = bench_hourly_range(n_fast=200 // scale, n_slow=10 // scale)
    print(_table("OutputContext with asset key + daily partition", ctx, ctx[0]))
    print(_table("Enumerate every hourly key over 10 years", keys, keys[0]))
    print(_table("Context over a 50,000-key hourly range", rng, rng[0]))
    ctx_ratio = ctx[1].median / ctx[0].median
    bridge_ratio = ctx[1].median / ctx[2].median
    key_ratio = keys[1].median / keys[0].median
    targets = [
        _target("reference vs dagster.build_output_context >= 1000x", ctx_ratio >= 1000,
                f"{ctx_ratio:,.0f}x"),
        _target("bridge vs dagster.build_output_context (info)", True, f"{bridge_ratio:,.0f}x"),
        _target("reference vs dagster hourly enumeration >= 20x", key_ratio >= 20,
                f"{key_ratio:,.1f}x"),
        _target("reference 50,000-key range < 1 ms", rng[0].median < 1e-3, _fmt(rng[0].median)),
    ]
    print("\nTargets\n" + "\n".join(targets))
    return 0 if all("MISSED" not in t for t in targets) else 1


if __name__ == "__main__":
    raise SystemExit(main())
