"""A check that did not finish vouches for nothing: every selected requirement it covers or
may report is an ERROR (the CI-gate promise: never exit 0 when a check did not complete)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from conformance.checks import CHECKS, Check
from conformance.execution import CheckRun
from conformance.isolation.protocol import SubjectInfo
from conformance.report import Status
from conformance.runner import fold_runs
from conformance.subject import Capabilities

SELECTED = "IOM-STORE-001"


def test_a_died_check_that_only_reports_a_requirement_makes_it_an_error() -> None:
    """Checks covering IOM-STORE-001 pass, one that may only report it dies: the row is an
    ERROR naming the check that could not finish, never a pass."""
    reporters = [c for c in CHECKS.values() if SELECTED in c.reports]
    assert reporters, "the test needs a check that may report IOM-STORE-001 without covering it"
    victim = reporters[0].name

    def execute(checks: Sequence[Check], done: Callable[[str], None]) -> list[CheckRun]:
        runs = []
        for check in checks:
            kind = "died" if check.name == victim else "pass"
            runs.append(CheckRun(check.name, kind, diagnostics={
                "call": "handle_output(asset ['a'])", "cause": "killed", "stderr_tail": ""}
                if kind == "died" else None))
            done(check.name)
        return runs

    subject = SubjectInfo("m", Capabilities(durable=True, storage_root=True), True)
    report = fold_runs(subject, "reference", "pr", execute, only=SELECTED)
    (row,) = [r for r in report.results if r.requirement_id == SELECTED]
    assert row.status is Status.ERROR
    assert victim in row.message and "handle_output(asset ['a'])" in row.message
