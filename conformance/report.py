"""The result of a conformance run: one :class:`RequirementResult` per requirement.

A :class:`Report` is plain, frozen data: renderers (``conformance.render``) turn it into JSON,
Markdown or terminal text; :meth:`Report.to_dict` is JSON-able.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

__all__ = ["Report", "RequirementResult", "Status", "Verdict"]


class Verdict(StrEnum):
    """The verdict of a whole run; the CLI's exit code is 0, 1 or 3 for these."""

    PASS = "pass"
    FAIL = "fail"
    ERROR = "error"


class Status(StrEnum):
    """Outcome of the checks that cover one requirement."""

    PASS = "pass"
    FAIL = "fail"
    NOT_APPLICABLE = "not-applicable"
    ERROR = "error"


@dataclass(frozen=True)
class RequirementResult:
    """The outcome for one requirement.

    ``examples`` counts the hypothesis examples run by the checks covering it; ``message`` is the
    failure or error summary, or the not-applicable reason; ``counterexample`` is the shrunk
    failing example as JSON-able data; ``reproduction`` is a copy-paste Python snippet.
    """

    requirement_id: str
    level: str
    title: str
    status: Status
    examples: int = 0
    checks: tuple[str, ...] = ()
    message: str = ""
    counterexample: Mapping[str, object] | None = None
    reproduction: str | None = None
    diagnostics: Mapping[str, object] | None = None
    """For an ERROR: the manager ``call`` in flight, the ``cause`` and the worker's
    ``stderr_tail`` (and ``exit_code``/``tampered`` when they apply)."""
    replay: Mapping[str, object] | None = None
    """How to rerun the failing example (:class:`conformance.checks.replaying.Replay`)."""
    failed_check: str | None = None
    """The check whose run decided a FAIL or ERROR."""

    def to_dict(self) -> dict[str, object]:
        """JSON-able form (the status as its string value)."""
        return {
            "requirement_id": self.requirement_id,
            "level": self.level,
            "title": self.title,
            "status": self.status.value,
            "examples": self.examples,
            "checks": list(self.checks),
            "message": self.message,
            "counterexample": (None if self.counterexample is None else dict(self.counterexample)),
            "reproduction": self.reproduction,
            "diagnostics": None if self.diagnostics is None else dict(self.diagnostics),
            "replay": None if self.replay is None else dict(self.replay),
            "failed_check": self.failed_check,
        }


@dataclass(frozen=True)
class Report:
    """Every requirement's result for one subject, context factory and profile."""

    subject: str
    contexts: str
    profile: str
    results: tuple[RequirementResult, ...]
    duration_seconds: float
    examples: int
    header: Mapping[str, str] = field(default_factory=dict[str, str])
    """Versions (kit, spec, hypothesis, python, dagster), seed, profile, target."""
    errors: tuple[str, ...] = ()
    """Run-level problems that kept the kit from judging (e.g. the target's import failed)."""
    context_defects_fatal: bool = False
    """Whether context defects (below) decide the verdict like the manager's own failures."""
    ignored: Mapping[str, str] = field(default_factory=dict[str, str])
    """Requirements the run's selection ignored (not run, never in ``results``): ID -> the
    reason the user gave (``--ignore`` or ``[tool.iomanager-conformance] ignore``)."""

    def context_defects(self) -> tuple[RequirementResult, ...]:
        """Failures of requirements that bind the *contexts*, under a context provider other
        than the kit's reference contexts (e.g. Dagster's): defects of that provider, which
        the manager cannot be blamed for. Under the reference contexts such a failure is the
        kit's own defect and stays a failure of the run."""
        if self.contexts == "reference":
            return ()
        return tuple(r for r in self.failures() if _binds_context(r.requirement_id))

    def manager_failures(self, level: str | None = None) -> tuple[RequirementResult, ...]:
        """:meth:`failures` that decide the verdict: all of them, less the context defects
        unless ``context_defects_fatal``."""
        excused: set[str] = set() if self.context_defects_fatal else {
            r.requirement_id for r in self.context_defects()}
        return tuple(r for r in self.failures(level) if r.requirement_id not in excused)

    @property
    def examples_per_second(self) -> float:
        """Examples run per wall-clock second (0.0 for an instantaneous run)."""
        if self.duration_seconds <= 0:
            return 0.0
        return self.examples / self.duration_seconds

    @property
    def ok(self) -> bool:
        """True unless some MUST requirement is FAIL or ERROR (context defects aside)."""
        return not self.errors and not self.manager_failures("MUST")

    @property
    def verdict(self) -> Verdict:
        """``fail`` when a MUST failed; else ``error`` when any check could not finish (an
        ERROR result at any level, or a run-level error); else ``pass``. Context defects
        (:meth:`context_defects`) count only when ``context_defects_fatal``."""
        judged = self.manager_failures()
        if any(r.status is Status.FAIL and r.level == "MUST" for r in judged):
            return Verdict.FAIL
        if self.errors or any(r.status is Status.ERROR for r in judged):
            return Verdict.ERROR
        return Verdict.PASS

    @property
    def hint(self) -> str | None:
        """Advice when most failures share a cause a flag fixes (:mod:`conformance.hints`)."""
        from conformance.hints import values_hint

        return values_hint(self)

    def failures(self, level: str | None = None) -> tuple[RequirementResult, ...]:
        """Results that are FAIL or ERROR, optionally only those of ``level`` (e.g. ``"MUST"``)."""
        return tuple(
            r
            for r in self.results
            if r.status in (Status.FAIL, Status.ERROR) and (level is None or r.level == level)
        )

    def to_dict(self) -> dict[str, object]:
        """JSON-able form, with per-status counts under ``summary``."""
        counts = {status.value: 0 for status in Status}
        for result in self.results:
            counts[result.status.value] += 1
        return {
            "subject": self.subject,
            "contexts": self.contexts,
            "profile": self.profile,
            "ok": self.ok,
            "verdict": self.verdict.value,
            "header": dict(self.header),
            "errors": list(self.errors),
            "context_defects": [r.requirement_id for r in self.context_defects()],
            "context_defects_fatal": self.context_defects_fatal,
            "duration_seconds": self.duration_seconds,
            "examples": self.examples,
            "examples_per_second": self.examples_per_second,
            "summary": counts,
            "hint": self.hint,
            "ignored": dict(self.ignored),
            "results": [r.to_dict() for r in self.results],
        }


def _binds_context(requirement_id: str) -> bool:
    from spec.requirements import REQUIREMENTS, Binds

    requirement = REQUIREMENTS.get(requirement_id)
    return requirement is not None and requirement.binds is Binds.CONTEXT
