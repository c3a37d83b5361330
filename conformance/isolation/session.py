"""Checking one subject in worker processes: ask a worker what the subject declares, plan the
checks here, run them in the pool, fold the runs into a Report.

The kit's process never imports the target. A target the worker cannot import (its import
raises, exits or hangs) gives a Report with a run-level error and no results (verdict
``error``); one that is not found or is not a manager raises :class:`SubjectProblem` with kind
``usage`` (the CLI's exit code 2).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from conformance.checks import Check
from conformance.checks.replaying import Replay
from conformance.execution import CheckRun
from conformance.isolation.pool import SubjectProblem, WorkerPool
from conformance.isolation.protocol import RunCheck, SubjectRef
from conformance.report import Report
from conformance.runner import cached_context_run, fold_runs, store_context_run
from conformance.selection import Selection

__all__ = ["check_in_workers", "import_failed_report"]


def import_failed_report(
    ref: SubjectRef, problem: SubjectProblem, contexts: str, profile: str,
    header: Mapping[str, str],
) -> Report:
    """The report of a run whose target could not be imported (verdict ``error``)."""
    diagnostics = problem.diagnostics
    tail = str(diagnostics.get("stderr_tail") or "")
    message = str(problem) + (f"\nworker stderr (last lines):\n{tail}" if tail else "")
    return Report(ref.describe(), contexts, profile, (), 0.0, 0, header=dict(header),
                  errors=(message,))


def check_in_workers(
    ref: SubjectRef,
    pool: WorkerPool,
    *,
    contexts: str = "reference",
    profile: str = "pr",
    only: str | Selection | None = None,
    seed: int | None = None,
    database: str | None = None,
    replays: Mapping[str, Replay] | None = None,
    on_progress: Callable[[str, int, int], None] | None = None,
    header: Mapping[str, str] | None = None,
) -> Report:
    """Check the subject ``ref`` names in ``pool``'s workers and return its Report.

    ``replays`` maps check names to the one example each must rerun (``replay``); such a run
    runs only those checks. Raises :class:`SubjectProblem` (kind ``usage``) when the target is
    not found or is not a manager.
    """
    try:
        info = pool.describe(ref)
    except SubjectProblem as problem:
        if problem.kind == "usage":
            raise
        return import_failed_report(ref, problem, contexts, profile, header or {})

    def execute(checks: Sequence[Check], done: Callable[[str], None]) -> list[CheckRun]:
        runs: dict[int, CheckRun] = {}
        tasks: list[tuple[int, RunCheck]] = []
        for index, check in enumerate(checks):
            replay = None if replays is None else replays.get(check.name)
            cached = None if replay else cached_context_run(check, contexts, profile, seed)
            if cached is not None:
                runs[index] = cached
                done(check.name)
                continue
            tasks.append((index, RunCheck(ref, contexts, profile, check.name, seed, replay,
                                          database)))
        results = pool.run([task for _, task in tasks], on_done=done)
        for (index, task), run in zip(tasks, results, strict=True):
            runs[index] = run
            if task.replay is None:
                store_context_run(checks[index], contexts, profile, seed, run)
        return [runs[index] for index in range(len(checks))]

    return fold_runs(info, contexts, profile, execute, only=only, on_progress=on_progress,
                     header=header, restrict_to=None if replays is None else set(replays))
