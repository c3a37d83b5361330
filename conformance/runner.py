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
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from hypothesis.errors import HypothesisException

from conformance.checks import CHECKS, Check, CheckEnv, NotApplicable, RequirementViolation
from conformance.checks.reproduce import reproduction
from conformance.contexts import ContextFactory
from conformance.domain import with_domain
from conformance.profiles import Profile
from conformance.report import Report, RequirementResult, Status
from conformance.subject import Subject
from spec.requirements import Binds, Requirement, iter_requirements

__all__ = ["clear_context_cache", "run_checks"]

_RANK = {Status.NOT_APPLICABLE: 0, Status.PASS: 1, Status.ERROR: 2, Status.FAIL: 3}


@dataclass
class _Outcome:
    status: Status = Status.NOT_APPLICABLE
    examples: int = 0
    checks: list[str] = field(default_factory=list)
    message: str = ""
    counterexample: Mapping[str, object] | None = None
    reproduction: str | None = None
    notes: list[str] = field(default_factory=list)

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


def _absence_reason(
    subject: Subject, needs: frozenset[str], excludes: frozenset[str] = frozenset()
) -> str | None:
    absent = subject.capabilities.absent(needs)
    present = subject.capabilities.present(excludes)
    if not absent and not present:
        return None
    reasons = [f"capability {name!r} declared absent" for name in absent]
    reasons += [f"capability {name!r} declared (the requirement is for managers without it)"
                for name in present]
    return "; ".join(reasons)


def _not_none(value: object) -> bool:
    return value is not None


def _as_declared(subject: Subject) -> Subject:
    """The subject whose ``values`` stay within what it declares it stores: without
    ``stores_none``, ``None`` is never drawn as a value to store (IOM-SEC-003 probes it)."""
    if subject.capabilities.stores_none:
        return subject
    return replace(subject, values=subject.values.filter(_not_none))


def _not_applicable(subject: Subject, requirement: Requirement) -> str | None:
    return _absence_reason(subject, requirement.needs, requirement.excludes)


def _active() -> dict[str, Requirement]:
    return {r.id: r for r in iter_requirements() if not r.withdrawn}


def _selected(only: str | None) -> dict[str, Requirement]:
    return {r.id: r for r in iter_requirements(only or "") if not r.withdrawn}


def _applicable(check: Check, subject: Subject) -> str | None:
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


def run_checks(
    subject: Subject,
    contexts: ContextFactory,
    profile: Profile,
    *,
    only: str | None = None,
    on_progress: Callable[[str, int, int], None] | None = None,
) -> Report:
    """Run every check that may report a selected requirement and return the Report.

    A check runs when any requirement it covers or declares it may report starts with ``only``;
    only the selected requirements are reported. Since every check declares everything it may
    report, a requirement's verdict is the same with or without ``only``.
    """
    requirements = _selected(only)
    subject = _as_declared(subject)
    outcomes = {rid: _Outcome() for rid in requirements}
    for rid, requirement in requirements.items():
        if requirement.binds is Binds.MANAGER:
            reason = _not_applicable(subject, requirement)
            if reason is not None:
                outcomes[rid].record(Status.NOT_APPLICABLE, reason)
    checks = [c for c in CHECKS.values() if c.reportable & requirements.keys()]
    started = time.perf_counter()
    total_examples = 0
    for done, check in enumerate(checks, start=1):
        total_examples += _run_one(check, subject, contexts, profile, requirements, outcomes)
        if on_progress is not None:
            on_progress(check.name, done, len(checks))
    duration = time.perf_counter() - started
    results = tuple(_result(requirements[rid], outcomes[rid]) for rid in requirements)
    return Report(
        subject=subject.name,
        contexts=contexts.name,
        profile=profile.name,
        results=results,
        duration_seconds=duration,
        examples=total_examples,
    )


@dataclass(frozen=True)
class _Run:
    """What running one check produced, before it is folded into the outcomes."""

    kind: str
    """``pass``, ``not_applicable``, ``violation`` or ``crash``."""
    error: BaseException | None
    examples: int
    notes: Mapping[str, tuple[str, ...]]
    last_example: Mapping[str, object]


_CACHEABLE_FACTORIES: frozenset[str] = frozenset(
    {
        "conformance.contexts.ReferenceContextFactory",
        "conformance.bridges.dagster.factory.DagsterContextFactory",
    }
)
"""Context factories known to be stateless: every instance builds the same contexts, so the
results of context checks can be shared between instances (exact types only: a subclass may
change what it builds)."""

_CONTEXT_RUNS: dict[tuple[str, str, str, str], tuple[Profile, _Run]] = {}
"""Results of context-binding checks per (factory class, factory name, check, profile) in this
process. Other factories (subclasses, user factories, which may hold state) are not cached."""


def clear_context_cache() -> None:
    """Forget the cached results of context-binding checks (they are rerun on next use)."""
    _CONTEXT_RUNS.clear()


def _execute(check: Check, subject: Subject, contexts: ContextFactory, profile: Profile) -> _Run:
    """Run ``check``; a context-binding check runs once per (context factory, profile).

    A manager or definition check gets contexts guarded by the subject's asset-key domain
    (plain keys outside it are discarded: :mod:`conformance.domain`)."""
    if check.target != "context":
        guarded = with_domain(contexts, subject.accepts_asset_key)
        return _execute_now(check, subject, guarded, profile)
    kind = f"{type(contexts).__module__}.{type(contexts).__qualname__}"
    if kind not in _CACHEABLE_FACTORIES:
        return _execute_now(check, subject, contexts, profile)
    key = (
        kind,
        str(contexts.name),
        check.name,
        profile.name,
    )
    cached = _CONTEXT_RUNS.get(key)
    if cached is not None and cached[0] is profile:
        return cached[1]
    run = _execute_now(check, subject, contexts, profile)
    _CONTEXT_RUNS[key] = (profile, run)
    return run


def _execute_now(
    check: Check, subject: Subject, contexts: ContextFactory, profile: Profile
) -> _Run:
    env = CheckEnv(subject, contexts, profile.settings, profile.stateful)
    kind = "pass"
    error: BaseException | None = None
    try:
        check.run(env)
    except NotApplicable as signal:
        kind, error = "not_applicable", signal
    except RequirementViolation as violation:
        kind, error = "violation", violation
    except (Exception, HypothesisException) as crash:  # a crash in the check or the contexts
        kind, error = "crash", crash
    return _Run(
        kind,
        error,
        env.examples,
        {rid: tuple(notes) for rid, notes in env.notes.items()},
        _last_example(env),
    )


def _run_one(
    check: Check,
    subject: Subject,
    contexts: ContextFactory,
    profile: Profile,
    requirements: Mapping[str, Requirement],
    outcomes: dict[str, _Outcome],
) -> int:
    covered = [rid for rid in check.requirements if rid in requirements]
    for rid in covered:
        outcomes[rid].checks.append(check.name)
    covered = [
        rid
        for rid in covered
        if requirements[rid].binds is not Binds.MANAGER
        or _not_applicable(subject, requirements[rid]) is None
    ]
    reason = _applicable(check, subject)
    if reason is not None:
        for rid in covered:
            outcomes[rid].record(Status.NOT_APPLICABLE, reason)
        return 0
    run = _execute(check, subject, contexts, profile)
    if run.kind == "not_applicable":
        for rid in covered:
            outcomes[rid].record(Status.NOT_APPLICABLE, str(run.error))
    elif run.kind == "violation":
        assert isinstance(run.error, RequirementViolation)
        _record_violation(check, run, run.error, subject, covered, outcomes)
    elif run.kind == "crash":
        error = run.error
        message = f"{check.name} crashed: {type(error).__name__}: {error}"
        for rid in covered:
            outcomes[rid].record(Status.ERROR, message, counterexample=dict(run.last_example))
    else:
        for rid in covered:
            outcomes[rid].record(Status.PASS)
    for rid in covered:
        outcomes[rid].examples += run.examples
    for rid, notes in run.notes.items():
        if rid in outcomes:
            outcomes[rid].notes.extend(notes)
    return run.examples


def _last_example(env: CheckEnv) -> dict[str, object]:
    extra: dict[str, object] = {k: repr(v) for k, v in env.last_extra.items()}
    if env.last_harness is None:
        return extra
    return env.last_harness.counterexample(**extra)


def _record_violation(
    check: Check,
    run: _Run,
    violation: RequirementViolation,
    subject: Subject,
    covered: list[str],
    outcomes: dict[str, _Outcome],
) -> None:
    counterexample = dict(violation.counterexample or run.last_example)
    failed = violation.requirement_id
    if failed not in check.reportable:
        # a kit bug: the verdict would depend on ``only``; never report it as the manager's
        message = (
            f"{check.name} reported {failed}, which it does not declare (a conformance kit "
            f"bug; please report it): {violation.message}"
        )
        for rid in {*covered, failed} & outcomes.keys():
            outcomes[rid].record(Status.ERROR, message, counterexample=counterexample)
        return
    steps = counterexample.get("steps")
    repro = (
        reproduction(subject.name, subject.takes_directory, steps)
        if isinstance(steps, list)
        else None
    )
    if failed in outcomes:
        outcomes[failed].record(
            Status.FAIL, violation.message, counterexample=counterexample, reproduction=repro
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
    )
