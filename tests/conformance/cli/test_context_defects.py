"""Context defects: failures of requirements that bind the contexts, under a provider other than
the reference contexts, are that provider's defects; they do not decide the manager's verdict."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest

from conformance import cli
from conformance.junit import render_junit
from conformance.render import render_markdown
from conformance.report import Report, RequirementResult, Status, Verdict
from conformance.terminal import render_terminal

RANGE = RequirementResult("IOM-PART-001", "MUST", "Ranges are inclusive, in definition order",
                          Status.FAIL, message="range keys in hash order")
ROUND_TRIP = RequirementResult("IOM-STORE-001", "MUST", "Round trip", Status.PASS)
MANAGER_BUG = RequirementResult("IOM-STORE-005", "MUST", "Missing data raises", Status.FAIL,
                                message="returned None")


def _report(contexts: str, *results: RequirementResult) -> Report:
    return Report("Mine", contexts, "pr", results, 1.0, 10)


def test_a_context_bound_failure_under_dagster_is_a_defect_not_a_verdict() -> None:
    """IOM-PART-001 binds the contexts: under Dagster's contexts its failure is listed as a
    context defect and the manager passes; the flag makes it fatal again."""
    report = _report("dagster", ROUND_TRIP, RANGE)
    assert [r.requirement_id for r in report.context_defects()] == ["IOM-PART-001"]
    assert report.verdict is Verdict.PASS and report.ok
    assert replace(report, context_defects_fatal=True).verdict is Verdict.FAIL
    text = " ".join(render_terminal([report], color=False).split())
    assert "the contexts violate IOM-PART-001; these checks cannot judge the manager" in text
    assert "(0 MUST failing, 1 context defect)" in text
    assert "Context defects of the dagster contexts" in render_markdown([report])
    [case] = [c for c in ET.fromstring(render_junit([report])).iter("testcase")
              if c.get("name", "").startswith("IOM-PART-001")]
    skipped = case.find("skipped")
    assert skipped is not None and "context defect" in (skipped.get("message") or "")


def test_under_the_reference_contexts_it_stays_a_failure_and_manager_bugs_always_count() -> None:
    """The reference contexts are the kit's own: their defect fails the run. A manager-bound
    failure fails the run under any contexts."""
    assert _report("reference", ROUND_TRIP, RANGE).verdict is Verdict.FAIL
    assert _report("reference", RANGE).context_defects() == ()
    report = _report("dagster", RANGE, MANAGER_BUG)
    assert report.verdict is Verdict.FAIL
    assert [r.requirement_id for r in report.manager_failures()] == ["IOM-STORE-005"]


def test_a_correct_manager_passes_under_dagster_contexts(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """End to end: Dagster's contexts hand out hash-ordered ranges (IOM-PART-001); a correct
    manager still exits 0, and 1 with --fatal-context-defects."""
    pytest.importorskip("dagster")
    argv = ["check", "tests.conformance.cli.sample_managers:GoodManager", "--contexts",
            "dagster", "--only", "IOM-PART-001", "--failures-dir", "none"]
    assert cli.main(argv) == cli.EXIT_OK
    assert "the contexts violate IOM-PART-001" in " ".join(capsys.readouterr().out.split())
    assert cli.main([*argv, "--fatal-context-defects"]) == cli.EXIT_FAILED


@pytest.mark.dagster
def test_a_manager_keeping_the_hash_order_it_is_handed_is_not_blamed_for_it() -> None:
    """IOM-PART-015 under Dagster's contexts, which hand out ranges in hash order (their
    IOM-PART-001 defect): a manager that keeps the order the context gave passes, one that
    reverses it still fails; both orders are the definition's under the reference contexts."""
    pytest.importorskip("dagster")
    from conformance.api import check_io_manager
    from tests.conformance.corpus.broken_partitions import ReversedRangeOrder
    from tests.conformance.corpus.correct import DictByIdentifierManager

    def status(manager: type, contexts: str) -> Status:
        report = check_io_manager(manager, contexts=contexts, only="IOM-PART-015")
        (result,) = [r for r in report.results if r.requirement_id == "IOM-PART-015"]
        return result.status

    assert status(DictByIdentifierManager, "dagster") is Status.PASS
    assert status(ReversedRangeOrder, "dagster") is Status.FAIL
    assert status(ReversedRangeOrder, "reference") is Status.FAIL
