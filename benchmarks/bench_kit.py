"""Conformance-kit benchmarks: a ``pr`` run, with reference contexts and with Dagster contexts.

Run from the repository root: ``.venv/bin/python benchmarks/bench_kit.py [--repeat N]``.
Everything runs in one process; the result is a table on stdout (no files). Each run starts
with the context-check cache cleared, so it does all the work a fresh ``python -m conformance
check`` does (interpreter start-up and imports aside).

Targets (checked, and reported as ``ok``/``MISSED``):

* ``check_io_manager(FilesystemIOManager)`` with the ``pr`` profile and reference contexts
  finishes in under 20 s (the report states examples per second);
* the same run with Dagster contexts through the bridge takes at most 3x the run with reference
  contexts.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import time
import warnings
from dataclasses import dataclass

from conformance.api import check_io_manager
from conformance.runner import clear_context_cache
from reference_impl import FilesystemIOManager

PR_SECONDS_TARGET = 20.0
BRIDGE_RATIO_TARGET = 3.0


@dataclass(frozen=True)
class KitRun:
    """One timed ``pr`` run: wall seconds, examples and whether every MUST passed."""

    contexts: str
    seconds: float
    examples: int
    ok: bool

    @property
    def examples_per_second(self) -> float:
        """Examples per wall-clock second."""
        return self.examples / self.seconds if self.seconds else 0.0


def timed_run(contexts: str) -> KitRun:
    """Run the kit once on the reference FilesystemIOManager with ``contexts``, cache cleared."""
    clear_context_cache()
    started = time.perf_counter()
    report = check_io_manager(FilesystemIOManager, contexts=contexts, profile="pr")
    seconds = time.perf_counter() - started
    return KitRun(contexts, seconds, report.examples, report.ok)


def _verdict(met: bool) -> str:
    return "ok" if met else "MISSED"


def main(argv: list[str] | None = None) -> int:
    """Time ``--repeat`` interleaved runs per context factory and print medians and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per context factory")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    logging.disable(logging.WARNING)  # Dagster logs every skipped partition
    runs: dict[str, list[KitRun]] = {"reference": [], "dagster": []}
    for _ in range(args.repeat):
        for contexts in runs:  # interleaved, so drift in machine load hits both alike
            runs[contexts].append(timed_run(contexts))
    medians = {c: statistics.median(r.seconds for r in rs) for c, rs in runs.items()}
    print("| contexts | median s | min-max s | examples | examples/s | every MUST passed |")
    print("|---|---|---|---|---|---|")
    for contexts, rs in runs.items():
        seconds = [r.seconds for r in rs]
        rate = statistics.median(r.examples_per_second for r in rs)
        print(
            f"| {contexts} | {medians[contexts]:.2f} | {min(seconds):.2f}-{max(seconds):.2f} "
            f"| {rs[0].examples} | {rate:.0f} | {all(r.ok for r in rs)} |"
        )
    ratio = medians["dagster"] / medians["reference"]
    print()
    print(
        f"pr run, reference contexts: {medians['reference']:.2f} s "
        f"(target < {PR_SECONDS_TARGET:.0f} s) {_verdict(medians['reference'] < PR_SECONDS_TARGET)}"
    )
    print(
        f"Dagster contexts / reference contexts: {ratio:.2f}x "
        f"(target <= {BRIDGE_RATIO_TARGET:.0f}x) {_verdict(ratio <= BRIDGE_RATIO_TARGET)}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
