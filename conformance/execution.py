"""Running one check in the current process and describing its outcome as a :class:`CheckRun`:
plain, picklable data that crosses the worker pipe unchanged.

``kind`` is ``pass``, ``not_applicable``, ``violation`` (a law failed: ``violation_*`` say
which), ``crash`` (the check or the contexts raised; or the target raised a ``BaseException``
such as ``SystemExit`` through a manager call) or ``died`` (the worker process running it died
or hung; set by :mod:`conformance.isolation.pool`, with ``diagnostics``).
"""

from __future__ import annotations

import traceback
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from hypothesis.errors import HypothesisException

from conformance.checks import Check, CheckEnv, NotApplicable, RequirementViolation
from conformance.checks.replaying import Replay
from conformance.checks.signals import ForkedCallFailed
from conformance.contexts import ContextFactory
from conformance.determinism import seed_only_generation
from conformance.domain import with_domain
from conformance.isolation.calls import forget_raised, last_raised
from conformance.profiles import Profile
from conformance.subject import Subject

__all__ = ["CheckRun", "as_declared", "execute_check"]


@dataclass(frozen=True)
class CheckRun:
    """What running one check produced, before the runner folds it into the report."""

    check: str
    kind: str
    examples: int = 0
    notes: Mapping[str, tuple[str, ...]] = field(default_factory=dict[str, tuple[str, ...]])
    last_example: Mapping[str, object] = field(default_factory=dict[str, object])
    message: str = ""
    """The not-applicable reason, or what crashed (type, message, where)."""
    violation_id: str | None = None
    violation_message: str = ""
    violation_counterexample: Mapping[str, object] | None = None
    replay: Replay | None = None
    """How to rerun the failed example (violations and crashes)."""
    diagnostics: Mapping[str, object] | None = None
    """For ``died`` and ``crash``: ``call`` in flight, ``cause``, ``stderr_tail``."""


def execute_check(
    check: Check,
    subject: Subject,
    contexts: ContextFactory,
    profile: Profile,
    *,
    seed: int | None = None,
    replay: Replay | None = None,
    in_worker: bool = False,
) -> CheckRun:
    """Run ``check`` here and now. Manager and definition checks get contexts guarded by the
    subject's asset-key domain (:mod:`conformance.domain`). ``replay`` reruns one recorded
    example only (a stored failure); ``seed`` seeds every hypothesis run. A ``SystemExit``
    raised through the target is a crash of this check; so is ``KeyboardInterrupt`` when
    ``in_worker`` (in the kit's own process it is the user's Ctrl-C and propagates)."""
    if check.target != "context":
        contexts = with_domain(contexts, subject.accepts_asset_key)
    env = CheckEnv(subject, contexts, profile.settings, profile.stateful, seed=seed, replay=replay)
    forget_raised()
    kind, message = "pass", ""
    violation: RequirementViolation | None = None
    diagnostics: dict[str, object] | None = None
    try:
        with seed_only_generation():
            check.run(env)
    except NotApplicable as signal:
        kind, message = "not_applicable", str(signal)
    except RequirementViolation as error:
        kind, violation = "violation", error
    except ForkedCallFailed as failure:  # a forked child's call hung or died: not a verdict
        kind, message = "crash", f"{check.name} could not finish: {failure}"
        diagnostics = {"call": failure.call, "cause": failure.cause}
    except (Exception, HypothesisException) as crash:  # a crash in the check or the contexts
        kind, message = "crash", f"{check.name} crashed: {type(crash).__name__}: {crash}"
        diagnostics = {"call": last_raised(), "cause": _traceback_tail(crash)}
    except (SystemExit, KeyboardInterrupt, GeneratorExit) as exit_:
        if isinstance(exit_, KeyboardInterrupt) and not in_worker:
            raise
        kind = "crash"
        call = last_raised()
        message = (f"the target raised {type(exit_).__name__}({_args(exit_)}) during "
                   f"{call or check.name}")
        diagnostics = {"call": call, "cause": _traceback_tail(exit_)}
    return CheckRun(
        check=check.name,
        kind=kind,
        examples=env.examples,
        notes={rid: tuple(notes) for rid, notes in env.notes.items()},
        last_example=_last_example(env),
        message=message,
        violation_id=None if violation is None else violation.requirement_id,
        violation_message="" if violation is None else violation.message,
        violation_counterexample=None if violation is None else violation.counterexample,
        replay=_replay(env, kind),
        diagnostics=diagnostics,
    )


def _replay(env: CheckEnv, kind: str) -> Replay | None:
    """How to replay this check's failure: the failed hypothesis run, or, for a failure outside
    any hypothesis run (the multi-process checks), the whole check (it is deterministic)."""
    if env.failed_run is not None or kind not in ("violation", "crash"):
        return env.failed_run
    return Replay(run_index=None)


def _not_none(value: object) -> bool:
    return value is not None


def as_declared(subject: Subject) -> Subject:
    """The subject whose ``values`` stay within what it declares it stores: without
    ``stores_none``, ``None`` is never drawn as a value to store (IOM-SEC-003 probes it)."""
    if subject.capabilities.stores_none:
        return subject
    return replace(subject, values=subject.values.filter(_not_none))


def _args(error: BaseException) -> str:
    return ", ".join(repr(arg) for arg in error.args)


def _traceback_tail(error: BaseException, limit: int = 12) -> str:
    lines = traceback.format_exception(type(error), error, error.__traceback__)
    return "".join(lines[-limit:])[-4000:]


def _last_example(env: CheckEnv) -> dict[str, object]:
    extra: dict[str, object] = {k: repr(v) for k, v in env.last_extra.items()}
    if env.last_harness is None:
        return extra
    return env.last_harness.counterexample(**extra)
