"""Runs the registered checks for a subject under a profile and folds the outcomes into a Report.

Per requirement: FAIL beats ERROR beats PASS; a requirement whose ``needs`` the subject declares
absent is NOT_APPLICABLE with the reason (never dropped); a requirement no check covers is
NOT_APPLICABLE with "no automated check" (only SHOULD/MAY may be so: see the coverage test).
Observations a check records with ``CheckEnv.note`` (e.g. structural refusals allowed by
IOM-STORE-009, seen by any check) are attached to their requirement and summarised in the
message of a passing result, so the report shows the requirement was exercised.

The checks run within what the subject declares: without ``stores_none`` its values never
include ``None`` (IOM-SEC-003 probes the refusal), and a declared asset-key domain guards the
contexts of every manager check (:mod:`conformance.domain`; IOM-ID-014 probes outside it).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial

from conformance.checks import CHECKS, Check
from conformance.checks.reproduce import is_trace, reproduction
from conformance.context_cache import (
    cached_context_run,
    cached_run,
    clear_context_cache,
    store_context_run,
)
from conformance.contexts import ContextFactory
from conformance.execution import CheckRun, as_declared, execute_check
from conformance.isolation.protocol import SubjectInfo
from conformance.profiles import Profile
from conformance.report import Report, RequirementResult, Status
from conformance.selection import Selection, as_selection
from conformance.subject import Subject
from reference_impl.narrowing import is_list
from spec.requirements import Binds, Requirement, iter_requirements

__all__ = [
    "Executor",
    "cached_context_run",
    "clear_context_cache",
    "fold_runs",
    "plan_checks",
    "run_checks",
    "store_context_run",
]

_RANK = {Status.NOT_APPLICABLE: 0, Status.PASS: 1, Status.ERROR: 2, Status.FAIL: 3}

Declares = Subject | SubjectInfo
"""What the runner needs of a subject: its name, capabilities and whether it takes a directory
(a :class:`Subject` in this process, or the :class:`SubjectInfo` a worker reported)."""

Executor = Callable[[Sequence[Check], Callable[[str], None]], Sequence[CheckRun]]
"""Runs checks (in this process or in workers) and returns one run per check, in order; calls
its second argument with each check's name as it finishes."""


@dataclass
class _Outcome:
    status: Status = Status.NOT_APPLICABLE
    examples: int = 0
    checks: list[str] = field(default_factory=list[str])
    message: str = ""
    counterexample: Mapping[str, object] | None = None
    reproduction: str | None = None
    notes: list[str] = field(default_factory=list[str])
    diagnostics: Mapping[str, object] | None = None
    replay: Mapping[str, object] | None = None
    failed_check: str | None = None

    def record(self, status: Status, message: str = "", **details: object) -> None:
        if _RANK[status] > _RANK[self.status] or (
            status is self.status and status is Status.NOT_APPLICABLE and not self.message
        ):
            self.status = status
            self.message = message
            counterexample = details.get("counterexample")
            self.counterexample = counterexample if isinstance(counterexample, Mapping) else None
            repro = details.get("reproduction")
            self.reproduction = repro if isinstance(repro, str) else None
            diagnostics = details.get("diagnostics")
            self.diagnostics = diagnostics if isinstance(diagnostics, Mapping) else None
            replay = details.get("replay")
            self.replay = replay if isinstance(replay, Mapping) else None
            check = details.get("check")
            self.failed_check = check if isinstance(check, str) else None


def _absence_reason(
    subject: Declares, needs: frozenset[str], excludes: frozenset[str] = frozenset()
) -> str | None:
    absent = subject.capabilities.absent(needs)
    present = subject.capabilities.present(excludes)
    if not absent and not present:
        return None
    reasons = [f"capability {name!r} declared absent" for name in absent]
    reasons += [f"capability {name!r} declared (the requirement is for managers without it)"
                for name in present]
    return "; ".join(reasons)


def _not_applicable(subject: Declares, requirement: Requirement) -> str | None:
    return _absence_reason(subject, requirement.needs, requirement.excludes)


def _active() -> dict[str, Requirement]:
    return {r.id: r for r in iter_requirements() if not r.withdrawn}


def _selected(only: str | Selection | None) -> dict[str, Requirement]:
    return {r.id: r for r in as_selection(only).requirements()}


def _applicable(check: Check, subject: Declares) -> str | None:
    """The reason ``check`` cannot run for ``subject``, or None when it can.

    Judged on every requirement the check covers, whatever ``only`` selects, so a selection
    never runs a check the full run skips.
    """
    own = _absence_reason(subject, check.needs)
    if own is not None:
        return own
    active = _active()
    covered = [active[rid] for rid in check.requirements if rid in active]
    reasons = [
        _not_applicable(subject, r) if r.binds is Binds.MANAGER else None for r in covered
    ]
    if covered and all(reasons):
        return str(reasons[0])
    return None


def plan_checks(subject: Declares, only: str | Selection | None = None) -> list[Check]:
    """Every check that may report a requirement ``only`` selects (all when ``None``; a
    string is one ID prefix, a :class:`~conformance.selection.Selection` selects and ignores)."""
    requirements = _selected(only)
    return [c for c in CHECKS.values() if c.reportable & requirements.keys()]


def run_checks(
    subject: Subject,
    contexts: ContextFactory,
    profile: Profile,
    *,
    only: str | Selection | None = None,
    on_progress: Callable[[str, int, int], None] | None = None,
    seed: int | None = None,
) -> Report:
    """Run every check that may report a selected requirement, in this process, and return the
    Report.

    A check runs when any requirement it covers or declares it may report starts with ``only``;
    only the selected requirements are reported. Since every check declares everything it may
    report, a requirement's verdict is the same with or without ``only``.
    """
    subject = as_declared(subject)

    def execute(checks: Sequence[Check], done: Callable[[str], None]) -> list[CheckRun]:
        runs: list[CheckRun] = []
        for check in checks:
            runs.append(cached_run(check, contexts, profile, seed, partial(
                execute_check, check, subject, contexts, profile, seed=seed)))
            done(check.name)
        return runs

    return fold_runs(subject, str(contexts.name), profile.name, execute, only=only,
                     on_progress=on_progress)


def fold_runs(
    subject: Declares,
    contexts_name: str,
    profile_name: str,
    execute: Executor,
    *,
    only: str | Selection | None = None,
    on_progress: Callable[[str, int, int], None] | None = None,
    header: Mapping[str, str] | None = None,
    restrict_to: set[str] | None = None,
) -> Report:
    """Plan the checks for ``subject``, run the applicable ones with ``execute`` and fold their
    runs into the Report (per requirement: FAIL beats ERROR beats PASS). ``restrict_to`` (check
    names) runs only those checks and reports only the requirements they may report (a
    replay)."""
    requirements = _selected(only)
    checks = plan_checks(subject, only)
    if restrict_to is not None:
        checks = [c for c in checks if c.name in restrict_to]
        reportable = {rid for c in checks for rid in c.reportable}
        requirements = {rid: r for rid, r in requirements.items() if rid in reportable}
    outcomes = {rid: _Outcome() for rid in requirements}
    for rid, requirement in requirements.items():
        if requirement.binds is Binds.MANAGER:
            reason = _not_applicable(subject, requirement)
            if reason is not None:
                outcomes[rid].record(Status.NOT_APPLICABLE, reason)
    runnable: list[Check] = []
    for check in checks:
        covered = [rid for rid in check.requirements if rid in requirements]
        for rid in covered:
            outcomes[rid].checks.append(check.name)
        reason = _applicable(check, subject)
        if reason is None:
            runnable.append(check)
            continue
        for rid in _covered(check, subject, requirements):
            outcomes[rid].record(Status.NOT_APPLICABLE, reason)
    started = time.perf_counter()
    finished = [len(checks) - len(runnable)]

    def done(name: str) -> None:
        finished[0] += 1
        if on_progress is not None:
            on_progress(name, finished[0], len(checks))

    runs = execute(runnable, done)
    total_examples = 0
    for check, run in zip(runnable, runs, strict=True):
        _fold(check, run, subject, requirements, outcomes)
        total_examples += run.examples
    duration = time.perf_counter() - started
    results = tuple(_result(requirements[rid], outcomes[rid]) for rid in requirements)
    return Report(
        subject=subject.name,
        contexts=contexts_name,
        profile=profile_name,
        results=results,
        duration_seconds=duration,
        examples=total_examples,
        header=dict(header or {}),
        ignored=as_selection(only).ignored() if restrict_to is None else {},
    )


def _covered(
    check: Check, subject: Declares, requirements: Mapping[str, Requirement],
    *, reportable: bool = False,
) -> list[str]:
    """The selected, applicable requirements ``check`` covers (with ``reportable``: also those
    it may only report a violation of)."""
    ids = [*check.requirements, *check.reports] if reportable else list(check.requirements)
    return [
        rid
        for rid in dict.fromkeys(ids)
        if rid in requirements
        and (
            requirements[rid].binds is not Binds.MANAGER
            or _not_applicable(subject, requirements[rid]) is None
        )
    ]


def _describe_death(run: CheckRun) -> str:
    diagnostics = run.diagnostics or {}
    call = diagnostics.get("call")
    where = f" during {call}" if call else ""
    return f"{run.check} could not finish{where}: {diagnostics.get('cause', 'the worker died')}"


def _fold(
    check: Check,
    run: CheckRun,
    subject: Declares,
    requirements: Mapping[str, Requirement],
    outcomes: dict[str, _Outcome],
) -> None:
    covered = _covered(check, subject, requirements)
    replay = None if run.replay is None else run.replay.to_dict()
    tampered = (run.diagnostics or {}).get("tampered")
    changes = "; ".join(str(t) for t in tampered) if is_list(tampered) else ""
    if run.kind == "not_applicable":
        for rid in covered:
            outcomes[rid].record(Status.NOT_APPLICABLE, run.message)
    elif run.kind == "violation":
        _record_violation(check, run, subject, covered, outcomes, replay)
    elif run.kind in ("crash", "died"):
        # a check that did not finish cannot vouch for anything it may report: an error there
        # too, or a run selected by ``--only`` through what a check reports would pass
        message = run.message if run.kind == "crash" else _describe_death(run)
        for rid in _covered(check, subject, requirements, reportable=True):
            outcomes[rid].record(Status.ERROR, message, counterexample=dict(run.last_example),
                                 diagnostics=run.diagnostics, replay=replay, check=check.name)
    else:
        for rid in covered:
            outcomes[rid].record(Status.PASS)
    if tampered:
        message = (f"the target changed the worker's process state during {check.name} "
                   f"({changes}); its results cannot be trusted")
        for rid in _covered(check, subject, requirements, reportable=True):
            outcomes[rid].record(Status.ERROR, message, diagnostics=run.diagnostics,
                                 check=check.name)
    for rid in covered:
        outcomes[rid].examples += run.examples
    for rid, notes in run.notes.items():
        if rid in outcomes:
            outcomes[rid].notes.extend(notes)


def _record_violation(
    check: Check,
    run: CheckRun,
    subject: Declares,
    covered: list[str],
    outcomes: dict[str, _Outcome],
    replay: Mapping[str, object] | None,
) -> None:
    counterexample = dict(run.violation_counterexample or run.last_example)
    failed = str(run.violation_id)
    message_text = run.violation_message
    if failed not in check.reportable:
        # a kit bug: the verdict would depend on ``only``; never report it as the manager's
        message = (
            f"{check.name} reported {failed}, which it does not declare (a conformance kit "
            f"bug; please report it): {message_text}"
        )
        for rid in {*covered, failed} & outcomes.keys():
            outcomes[rid].record(Status.ERROR, message, counterexample=counterexample)
        return
    steps = counterexample.get("steps")
    repro = (
        reproduction(subject.name, subject.takes_directory, steps)
        if is_trace(steps)
        else None
    )
    if failed in outcomes:
        outcomes[failed].record(
            Status.FAIL, message_text, counterexample=counterexample, reproduction=repro,
            replay=replay, check=check.name,
        )
        if failed not in covered:
            outcomes[failed].examples += run.examples
    for rid in covered:
        if rid != failed:
            outcomes[rid].record(Status.PASS, f"checked until {failed} failed")


def _result(requirement: Requirement, outcome: _Outcome) -> RequirementResult:
    message = outcome.message
    if outcome.status is Status.NOT_APPLICABLE and not outcome.checks and not message:
        message = "no automated check covers this requirement"
    if outcome.status is Status.PASS and outcome.notes:
        distinct = list(dict.fromkeys(outcome.notes))
        more = len(outcome.notes) - 1
        summary = distinct[0] + (f" (and {more} more)" if more else "")
        message = f"{message}; {summary}" if message else summary
    return RequirementResult(
        requirement_id=requirement.id,
        level=requirement.level.value,
        title=requirement.title,
        status=outcome.status,
        examples=outcome.examples,
        checks=tuple(outcome.checks),
        message=message,
        counterexample=outcome.counterexample,
        reproduction=outcome.reproduction,
        diagnostics=outcome.diagnostics,
        replay=outcome.replay,
        failed_check=outcome.failed_check,
    )
