"""conformance.render: JSON schema and Markdown step summary (terminal text: test_terminal.py)."""

from __future__ import annotations

import json

from conformance.render import (
    JSON_SCHEMA_NAME,
    JSON_SCHEMA_VERSION,
    render_json,
    render_markdown,
)
from conformance.report import Report, RequirementResult, Status

PASSED = RequirementResult("IOM-STORE-001", "MUST", "Round trip", Status.PASS, examples=12)
FAILED = RequirementResult(
    "IOM-STORE-005",
    "MUST",
    "Missing data raises",
    Status.FAIL,
    examples=3,
    checks=("missing_data_raises",),
    message="load_input returned None for an identifier never stored",
    counterexample={"input": {"upstream": {"run_id": "r", "name": "out"}}},
    reproduction="manager.load_input(build_input_context(...))  # ``` fenced",
)
SKIPPED = RequirementResult(
    "IOM-STORE-004", "MUST", "Persistence | across instances", Status.NOT_APPLICABLE,
    message="capability 'durable' declared absent",
)
ERRORED = RequirementResult("IOM-SEC-004", "SHOULD", "Missing data error type", Status.ERROR,
                            message="crashed")


def _report(subject: str, *results: RequirementResult) -> Report:
    return Report(subject, "reference", "pr", results, duration_seconds=2.0, examples=15)


GOOD = _report("good_manager", PASSED, SKIPPED)
BAD = _report("bad_manager", PASSED, FAILED, SKIPPED, ERRORED)


def test_json_has_a_versioned_schema_and_every_report() -> None:
    document = json.loads(render_json([GOOD, BAD]))
    assert document["schema"] == JSON_SCHEMA_NAME
    assert document["version"] == JSON_SCHEMA_VERSION == 1
    assert document["ok"] is False
    assert [r["subject"] for r in document["reports"]] == ["good_manager", "bad_manager"]
    failed = next(r for r in document["reports"][1]["results"] if r["status"] == "fail")
    assert failed["counterexample"] == {"input": {"upstream": {"run_id": "r", "name": "out"}}}
    assert failed["reproduction"].startswith("manager.load_input")


def test_json_ok_is_true_when_every_report_is_ok() -> None:
    assert json.loads(render_json([GOOD]))["ok"] is True


def test_markdown_table_has_one_row_per_requirement_and_one_column_per_subject() -> None:
    text = render_markdown([GOOD, BAD])
    header = next(line for line in text.splitlines() if line.startswith("| Requirement"))
    assert "`good_manager`" in header and "`bad_manager`" in header
    row = next(line for line in text.splitlines() if line.startswith("| **IOM-STORE-005**"))
    assert row.endswith("|  | ❌ |")  # absent from the good report, failed in the bad one
    assert "Persistence \\| across instances" in text  # pipes escaped inside cells
    store_row = next(line for line in text.splitlines() if "**IOM-STORE-001**" in line)
    assert store_row.count("✅") == 2
    assert "⚠️" in text and "➖" in text  # noqa: RUF001


def test_markdown_failure_details_carry_counterexample_and_reproduction() -> None:
    text = render_markdown([BAD])
    details = text.split("### Failures", 1)[1]
    assert "IOM-STORE-005 (MUST) Missing data raises" in details
    assert '```json\n{\n  "input"' in details
    # the reproduction contains ``` itself, so its fence must be longer
    assert "````python\nmanager.load_input" in details
    assert "IOM-SEC-004" in details  # errors are failures too


def test_markdown_without_failures_has_no_failure_section() -> None:
    assert "### Failures" not in render_markdown([GOOD])


NOT_JUDGED = Report(
    "hangs_on_import", "reference", "pr", (), 0.0, 0,
    header={"kit": "9.9", "spec": "1.0", "hypothesis": "6.1", "python": "3.11", "seed": "7",
            "isolation": "process (jobs=2)", "target": "pkg:hangs_on_import"},
    errors=("importing the target timed out after 60s\nworker stderr (last lines):\n...",),
)


def test_a_run_that_could_not_be_judged_says_so_with_its_header() -> None:
    """A run-level error is NOT JUDGED (never OK) in the step summary, names its cause, and
    the header line says how to reproduce the run (versions, seed, isolation)."""
    markdown = render_markdown([NOT_JUDGED])
    assert "- **NOT JUDGED** hangs_on_import" in markdown
    assert "⚠️ could not judge: importing the target timed out after 60s" in markdown
    assert "seed 7" in markdown
