"""How the plugin turns one requirement's result in a Report into a pytest outcome: pass,
skip (not applicable, ignored, not selected), xfail (SHOULD/MAY, context defects), failure
(a MUST) or error (the kit could not judge)."""

from __future__ import annotations

import json

import pytest

from conformance.report import Report, RequirementResult, Status

__all__ = ["assert_judged", "assert_requirement", "describe_failure"]


def assert_requirement(report: Report, requirement_id: str) -> None:
    """Turn ``report``'s result for ``requirement_id`` into a pytest outcome.

    PASS returns; NOT_APPLICABLE, ignored and unselected requirements skip with the reason;
    a failed MUST fails with the counterexample and reproduction; a failed SHOULD or MAY is an
    ``xfail``.
    """
    assert_judged(report, requirement_id)
    result = next((r for r in report.results if r.requirement_id == requirement_id), None)
    if requirement_id in report.ignored:
        pytest.skip(f"{requirement_id} ignored ([tool.iomanager-conformance] ignore): "
                    f"{report.ignored[requirement_id]}")
    if result is None:
        pytest.skip(f"{requirement_id} was not part of this run (not selected)")
    if result.status is Status.PASS:
        return
    if result.status is Status.NOT_APPLICABLE:
        pytest.skip(f"{requirement_id} not applicable: {result.message or 'no reason given'}")
    text = describe_failure(result, report.subject)
    defects = {r.requirement_id for r in report.context_defects()}
    if requirement_id in defects and not report.context_defects_fatal:
        pytest.xfail(f"a defect of the {report.contexts} contexts, not of the manager: {text}")
    if result.level != "MUST":
        pytest.xfail(f"{result.level} requirement not met: {text}")
    pytest.fail(text, pytrace=False)


def assert_judged(report: Report, requirement_id: str) -> None:
    """Fail when the kit could not judge ``requirement_id`` (the target crashed, exited, hung
    or could not be imported). Called in a test's setup, so that pytest counts an *error*, as
    the CLI's exit code 3 does."""
    if report.errors:
        pytest.fail(f"the kit could not judge {report.subject}:\n" + "\n".join(report.errors),
                    pytrace=False)
    for result in report.results:
        if result.requirement_id == requirement_id and result.status is Status.ERROR:
            pytest.fail("the kit could not judge: " + describe_failure(result, report.subject),
                        pytrace=False)


def describe_failure(result: RequirementResult, subject: str) -> str:
    """A self-contained failure text: requirement, message, counterexample, reproduction."""
    lines = [
        f"{result.requirement_id} ({result.level}) {result.title}: {result.status.value} "
        f"for {subject}",
    ]
    if result.checks:
        lines.append("checks: " + ", ".join(result.checks))
    if result.message:
        lines += ["", result.message]
    if result.counterexample is not None:
        lines += ["", "counterexample:", json.dumps(dict(result.counterexample), indent=2,
                                                    default=repr)]
    if result.reproduction:
        lines += ["", "reproduction:", result.reproduction]
    return "\n".join(lines)
