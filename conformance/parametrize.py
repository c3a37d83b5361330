"""One test per check from one decorator: ``@conformance.parametrize_with_checks(...)``.

In the style of scikit-learn's ``parametrize_with_checks``: the decorator parametrizes the
test's ``check`` argument with one :class:`ConformanceCheck` per check of the kit, under an ID
naming the first requirement it covers (``IOM-STORE-007``; when several checks start with the
same requirement, each ID adds the check's function: ``IOM-PART-005.partition_round_trip``).
IDs depend on the kit version only, so ``-k``, ``--lf`` and xdist work. The test calls
``check()``: it runs that one check **in the test's own process** (a debugger, ``--pdb``,
coverage, monkeypatching and fixtures all see the manager), and turns its results into a pytest
outcome: a failed MUST fails the test naming the requirement with the counterexample and
reproduction, a failed SHOULD/MAY is an ``xfail``, a check that does not apply to the declared
capabilities is skipped with the reason. For process isolation (a manager that may crash or
``os._exit``), use the plugin's ``ConformanceTests`` or ``--io-manager`` instead.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pytest
from hypothesis.strategies import SearchStrategy

from conformance.checks import Check
from conformance.contexts import ContextFactory, resolve_context_factory
from conformance.execution import CheckRun, as_declared, execute_check
from conformance.profiles import get_profile
from conformance.report import Report, Status
from conformance.runner import fold_runs, plan_checks
from conformance.subject import Capabilities, Subject

__all__ = ["ConformanceCheck", "check_ids", "parametrize_with_checks"]


@dataclass(frozen=True)
class ConformanceCheck:
    """One check of the kit bound to a subject; call it in a test to run it."""

    subject: Subject
    check: Check
    contexts: str | ContextFactory = "reference"
    profile: str = "pr"
    seed: int | None = None

    def run(self) -> Report:
        """Run the check in this process and return the report of the requirements it may
        report (never raises for a failing manager)."""
        factory = resolve_context_factory(self.contexts)
        profile = get_profile(self.profile)
        subject = as_declared(self.subject)

        def execute(checks: Sequence[Check], done: Callable[[str], None]) -> list[CheckRun]:
            runs = [execute_check(c, subject, factory, profile, seed=self.seed) for c in checks]
            for c in checks:
                done(c.name)
            return runs

        return fold_runs(subject, str(factory.name), profile.name, execute,
                         restrict_to={self.check.name})

    def __call__(self) -> None:
        """Run the check and raise the pytest outcome (fail, xfail, skip) its results call
        for; return when every requirement it covers passed."""
        from conformance.plugin_outcomes import describe_failure

        report = self.run()
        if report.errors:
            pytest.fail("the kit could not judge:\n" + "\n".join(report.errors), pytrace=False)
        failures = report.failures()
        for result in failures:
            if result.status is Status.ERROR or result.level == "MUST":
                pytest.fail(describe_failure(result, report.subject), pytrace=False)
        if failures:
            texts = [describe_failure(r, report.subject) for r in failures]
            pytest.xfail(f"{failures[0].level} requirement not met: " + "\n\n".join(texts))
        own = [r for r in report.results if r.requirement_id in self.check.requirements]
        if own and all(r.status is Status.NOT_APPLICABLE for r in own):
            pytest.skip(f"{own[0].requirement_id} not applicable: {own[0].message}")

    def __repr__(self) -> str:
        return f"ConformanceCheck({self.check.name} on {self.subject.name})"


def check_ids(checks: Sequence[Check]) -> list[str]:
    """The test ID of each check: its first requirement, plus ``.function`` when another
    check starts with the same requirement (a check covering none uses its name)."""
    firsts = [c.requirements[0] if c.requirements else c.name for c in checks]
    return [
        first if firsts.count(first) == 1 else f"{first}.{c.name.rsplit('.', 1)[-1]}"
        for first, c in zip(firsts, checks, strict=True)
    ]


def parametrize_with_checks(
    subject: object,
    *,
    values: SearchStrategy[object] | str | None = None,
    equals: Callable[[object, object], bool] | str | None = None,
    capabilities: Capabilities | None = None,
    profile: str = "pr",
    contexts: str | ContextFactory = "reference",
    name: str | None = None,
    accepts_asset_key: Callable[[tuple[str, ...]], bool] | None = None,
    seed: int | None = None,
) -> pytest.MarkDecorator:
    """A ``pytest.mark.parametrize`` of the test's ``check`` argument: one
    :class:`ConformanceCheck` per check of the kit, with stable IDs (:func:`check_ids`).

    ``subject`` and the keyword arguments are those of :meth:`Subject.from_object` and
    :func:`conformance.check_io_manager`; a bad one raises when the test module is collected
    (``SubjectError``, ``ValuesError``, ``UnknownProfileError``).
    """
    get_profile(profile)
    resolved = Subject.from_object(subject, name=name, capabilities=capabilities, values=values,
                                   equals=equals, accepts_asset_key=accepts_asset_key)
    checks = plan_checks(resolved)
    params = [ConformanceCheck(resolved, c, contexts, profile, seed) for c in checks]
    return pytest.mark.parametrize("check", params, ids=check_ids(checks))
