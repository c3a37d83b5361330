"""Check registration: the :class:`Check` record, the :data:`CHECKS` registry and the
:func:`check` decorator.

The two signals a check raises (:class:`RequirementViolation`, :class:`NotApplicable`) live in
:mod:`conformance.checks.signals` (so the harness and the environment need not import the
registry) and are re-exported here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from conformance.checks.signals import NotApplicable, RequirementViolation

if TYPE_CHECKING:
    from conformance.checks.environment import CheckEnv

__all__ = [
    "CHECKS",
    "HARNESS_REPORTS",
    "Check",
    "NotApplicable",
    "RequirementViolation",
    "Target",
    "check",
]

Target = Literal["manager", "context", "definition"]


HARNESS_REPORTS: tuple[str, ...] = ("IOM-STORE-001", "IOM-META-007", "IOM-SEC-003")
"""What :class:`Harness` itself may report on behalf of any manager check: a failed plain store
or load (IOM-STORE-001, the default ``requirement``), invalid metadata added while storing
(IOM-META-007), an unclear rejection or a refusal that damaged stored values (IOM-SEC-003)."""


@dataclass(frozen=True)
class Check:
    """A registered check.

    ``requirements`` are the requirements it covers (a pass is recorded for them);
    ``reports`` are the other requirements it may report a violation of (never a pass).
    """

    name: str
    requirements: tuple[str, ...]
    target: Target
    needs: frozenset[str]
    run: Callable[[CheckEnv], None]
    doc: str
    reports: tuple[str, ...] = ()

    @property
    def reportable(self) -> frozenset[str]:
        """Every requirement ID this check may record a result for."""
        return frozenset(self.requirements) | frozenset(self.reports)


CHECKS: dict[str, Check] = {}
"""Every registered check by name (filled when ``conformance.checks`` is imported)."""


def check(
    *requirement_ids: str,
    target: Target = "manager",
    needs: tuple[str, ...] = (),
    reports: tuple[str, ...] = (),
) -> Callable[[Callable[[CheckEnv], None]], Callable[[CheckEnv], None]]:
    """Register the decorated function as a check covering ``requirement_ids``.

    ``needs`` are capabilities the check needs beyond those of its requirements. ``reports``
    are the other requirements it may report violations of; a manager check also reports
    :data:`HARNESS_REPORTS`. A violation of an undeclared requirement is a kit bug (the runner
    reports it as an error).
    """

    def register(fn: Callable[[CheckEnv], None]) -> Callable[[CheckEnv], None]:
        name = f"{fn.__module__.rsplit('.', 1)[-1]}.{fn.__name__}"
        implicit = HARNESS_REPORTS if target == "manager" else ()
        extra = tuple(dict.fromkeys(r for r in (*reports, *implicit) if r not in requirement_ids))
        CHECKS[name] = Check(
            name,
            tuple(requirement_ids),
            target,
            frozenset(needs),
            fn,
            (fn.__doc__ or "").strip(),
            extra,
        )
        return fn

    return register
