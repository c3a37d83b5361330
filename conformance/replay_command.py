"""``python -m conformance replay``: rerun every stored failure and print FIXED, STILL FAILING
or CANNOT REPLAY for each, the way Hypothesis' example database and Schemathesis' ``replay``
do. Failures of one target, contexts, profile and seed replay together in worker processes.

Exit codes: 0 every stored failure is fixed (or none is stored), 1 some still fail, 2 usage
error (no such directory, a malformed record), 3 some could not be replayed.
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from typing import TextIO

from conformance.checks.replaying import Replay
from conformance.failures import FailureRecord, load_failures

__all__ = ["run_replay"]


def _group_key(record: FailureRecord) -> tuple[str, str, str, str, int | None]:
    return (record.target, record.cwd, record.contexts, record.profile, record.seed)


def run_replay(args: argparse.Namespace, out: TextIO) -> int:
    """Replay the failures in ``args.failures_dir``; print one line each; return the exit
    code."""
    from conformance.cli import UsageError
    from conformance.isolation.pool import SubjectProblem, WorkerPool
    from conformance.isolation.protocol import SubjectRef
    from conformance.isolation.session import check_in_workers
    from conformance.report import Status

    directory = args.failures_dir
    if not directory.is_dir():
        print(f"no stored failures in {directory}", file=out)
        return 0
    try:
        stored = load_failures(directory)
    except ValueError as error:
        raise UsageError(str(error)) from error
    groups: dict[tuple[str, str, str, str, int | None], list[FailureRecord]] = defaultdict(list)
    for _, record in stored:
        groups[_group_key(record)].append(record)
    counts = {"FIXED": 0, "STILL FAILING": 0, "CANNOT REPLAY": 0}
    with WorkerPool(args.jobs, call_timeout=args.call_timeout, run_timeout=args.timeout,
                    start="auto") as pool:
        pool.start()
        for (target, cwd, contexts, profile, seed), records in groups.items():
            if target.startswith("builtin:"):
                ref = SubjectRef(builtin=target.removeprefix("builtin:"))
            else:
                ref = SubjectRef(target=_located(target, cwd), name=target)
            replays = {r.check: Replay.from_dict(r.replay) for r in records}
            reason = ""
            try:
                report = check_in_workers(ref, pool, contexts=contexts, profile=profile,
                                          seed=seed, replays=replays)
            except SubjectProblem as problem:
                report, reason = None, str(problem)
            by_id = {} if report is None else {r.requirement_id: r for r in report.results}
            for record in records:
                result = by_id.get(record.requirement_id)
                if report is None or report.errors:
                    verdict = "CANNOT REPLAY"
                    detail = reason if report is None else report.errors[0]
                elif result is None:
                    verdict, detail = "CANNOT REPLAY", "the check no longer reports it"
                elif result.status is Status.FAIL:
                    verdict, detail = "STILL FAILING", result.message
                elif result.status is Status.ERROR:
                    unreplayable = "version of Hypothesis" in result.message
                    verdict = "CANNOT REPLAY" if unreplayable else "STILL FAILING"
                    detail = result.message
                else:
                    verdict, detail = "FIXED", "the law holds on the recorded example"
                counts[verdict] += 1
                line = f"{verdict:<14} {record.requirement_id}  {target}  ({record.check})"
                print(line, file=out)
                print(f"    {detail.splitlines()[0][:200] if detail else ''}", file=out)
    print(", ".join(f"{n} {v.lower()}" for v, n in counts.items()), file=out)
    if counts["STILL FAILING"]:
        return 1
    return 3 if counts["CANNOT REPLAY"] else 0


def _located(target: str, cwd: str) -> str:
    """A relative file target, made absolute against the directory it was given in when it
    is not found from here."""
    import os

    source, _, attribute = target.rpartition(":")
    if (source.endswith(".py") or "/" in source) and not os.path.isabs(source) \
            and not os.path.exists(source) and os.path.exists(os.path.join(cwd, source)):
        return f"{os.path.join(cwd, source)}:{attribute}"
    return target
