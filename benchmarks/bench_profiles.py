"""What each kit profile costs: wall seconds of a fresh ``python -m conformance check`` per
manager and profile (``pr``, ``dev``, ``thorough``), as a user's CI pays it, with the number of
examples the report counts. Reported, never enforced; the issue's target is ``pr`` under 10 s per
manager on 2 cores.

Run from the repository root: ``python benchmarks/bench_profiles.py [--profiles pr,dev]
[--jobs N] [--repeat N] [--targets A,B] [--contexts reference,dagster]``. With both context
providers, every cell is measured under each (runs interleaved) and shows the Dagster run's
seconds as a ratio of the reference run's. Output is a Markdown table on stdout; every run
writes its JSON report to a temporary directory that is removed afterwards, and stores no
failures.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGETS = (
    "reference_impl:FilesystemIOManager",
    "tests.conformance.corpus.correct:HashedPickleDirManager",
    "tests.conformance.corpus.correct:SqliteManager",
)
PR_TARGET_SECONDS = 10.0


def timed_run(target: str, profile: str, jobs: int, report: Path,
              contexts: str = "reference") -> tuple[float, int, int]:
    """(wall seconds, examples, exit code) of one fresh CLI run (seed 0 for every profile)."""
    command = [sys.executable, "-m", "conformance", "check", target, "--profile", profile,
               "--seed", "0", "-j", str(jobs), "--contexts", contexts, "--failures-dir", "none",
               "--json", str(report)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} exited {done.returncode}:\n{done.stdout[-2000:]}")
    examples = sum(int(r["examples"]) for r in json.loads(report.read_text())["reports"])
    return seconds, examples, done.returncode


def main() -> int:
    """Print the table; exit 0 (the ``pr`` target is reported, not enforced)."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--profiles", default="pr,dev,thorough")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--targets", default=",".join(TARGETS))
    parser.add_argument("--contexts", default="reference",
                        help="reference, dagster, or both (reference,dagster: adds the ratio)")
    args = parser.parse_args()
    profiles = args.profiles.split(",")
    providers = args.contexts.split(",")
    print(f"fresh CLI runs, -j {args.jobs}, seed 0, best of {args.repeat}, "
          f"{os.cpu_count()} cores, contexts {' and '.join(providers)}; seconds (examples)"
          + ("; Dagster / reference" if len(providers) > 1 else ""))
    print("| manager | " + " | ".join(f"`{p}`" for p in profiles) + " |")
    print("|---|" + "---|" * len(profiles))
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.json"
        for target in args.targets.split(","):
            cells = []
            for profile in profiles:
                runs: dict[str, list[tuple[float, int, int]]] = {c: [] for c in providers}
                for _ in range(args.repeat):  # interleaved, so drift hits every provider
                    for contexts in providers:
                        runs[contexts].append(
                            timed_run(target, profile, args.jobs, report, contexts))
                cells.append(" / ".join(_cell(profile, min(runs[c])) for c in providers)
                             + _ratio(runs, providers))
            print(f"| `{target.split(':')[1]}` | " + " | ".join(cells) + " |", flush=True)
    return 0


def _cell(profile: str, run: tuple[float, int, int]) -> str:
    seconds, examples, code = run
    mark = " (MUST failed)" if code else ""
    if profile == "pr":
        mark += "" if seconds < PR_TARGET_SECONDS else " MISSED 10 s"
    return f"{seconds:.1f} s ({examples}){mark}"


def _ratio(runs: dict[str, list[tuple[float, int, int]]], providers: list[str]) -> str:
    """``; 1.23x`` (the second provider's best over the first's), or nothing for one."""
    if len(providers) < 2:
        return ""
    first, second = (min(runs[c])[0] for c in providers[:2])
    return f"; {second / first:.2f}x"


if __name__ == "__main__":
    raise SystemExit(main())
