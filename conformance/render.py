"""Render conformance reports as JSON (machines) and Markdown (CI step summaries).

Every renderer takes a sequence of :class:`~conformance.report.Report` (one per subject) and
returns a string (the terminal text is :mod:`conformance.terminal`'s). The JSON document has a
stable schema, identified by ``schema`` and ``version``; a field is only ever added within a
version.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from conformance.report import Report, RequirementResult, Status
from conformance.report_text import (
    VERDICT_WORD,
    counterexample_json,
    defects_heading,
    find,
    header_line,
    rows,
    summary,
)

__all__ = [
    "JSON_SCHEMA_NAME",
    "JSON_SCHEMA_VERSION",
    "render_json",
    "render_markdown",
]

JSON_SCHEMA_NAME = "iomanager-conformance-report"
JSON_SCHEMA_VERSION = 1

_EMOJI = {
    Status.PASS: "✅",
    Status.FAIL: "❌",
    Status.NOT_APPLICABLE: "\u2796",  # heavy minus sign
    Status.ERROR: "⚠️",
}


def render_json(reports: Sequence[Report]) -> str:
    """One JSON document: ``{"schema", "version", "ok", "reports": [Report.to_dict(), ...]}``."""
    document = {
        "schema": JSON_SCHEMA_NAME,
        "version": JSON_SCHEMA_VERSION,
        "ok": all(report.ok for report in reports),
        "reports": [report.to_dict() for report in reports],
    }
    return json.dumps(document, indent=2, ensure_ascii=False, default=repr) + "\n"


def render_markdown(reports: Sequence[Report]) -> str:
    """A requirement-by-subject table of status emoji, then the details of every failure."""
    lines = ["## IO manager conformance", ""]
    lines += [f"- **{VERDICT_WORD[report.verdict]}** {summary(report)}" for report in reports]
    for report in reports:
        if report.header:
            lines.append(f"  - {_md_cell(header_line(report))}")
        lines += [f"  - ⚠️ could not judge: {_md_cell(e.splitlines()[0])}" for e in report.errors]
        if report.hint:
            lines.append(f"  - 💡 hint: {_md_cell(report.hint)}")
        lines += [f"  - ignored {rid}: {_md_cell(why)}" for rid, why in report.ignored.items()]
    lines += ["", " · ".join(f"{_EMOJI[s]} {s.value}" for s in Status), ""]
    header = ["Requirement", "Level", *(_md_cell(f"`{r.subject}`") for r in reports)]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "|".join(["---"] * len(header)) + "|")
    for rid, level, title in rows(reports):
        cells = [f"**{rid}** {_md_cell(title)}", level]
        for report in reports:
            result = find(report, rid)
            cells.append("" if result is None else _EMOJI[result.status])
        lines.append("| " + " | ".join(cells) + " |")
    failing = [(report, result) for report in reports for result in report.failures()
               if result not in report.context_defects()]
    if failing:
        lines += ["", "### Failures", ""]
    for report, result in failing:
        lines += _markdown_failure(report, result)
    for report in reports:
        if report.context_defects():
            lines += ["", f"### {_md_cell(defects_heading(report))}", ""]
            for result in report.context_defects():
                lines += _markdown_failure(report, result)
    return "\n".join(lines).rstrip() + "\n"


def _markdown_failure(report: Report, result: RequirementResult) -> list[str]:
    lines = [
        f"#### {_EMOJI[result.status]} {result.requirement_id} ({result.level}) "
        f"{_md_cell(result.title)} — `{report.subject}`",
        "",
    ]
    if result.checks:
        lines += ["Checks: " + ", ".join(f"`{check}`" for check in result.checks), ""]
    if result.message:
        lines += [_fence(result.message, ""), ""]
    counterexample = counterexample_json(result)
    if counterexample is not None:
        lines += ["Counterexample:", "", _fence(counterexample, "json"), ""]
    if result.reproduction:
        lines += ["Reproduction:", "", _fence(result.reproduction, "python"), ""]
    return lines


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _fence(text: str, language: str) -> str:
    fence = "`" * max(3, _longest_backtick_run(text) + 1)
    return f"{fence}{language}\n{text.rstrip()}\n{fence}"


def _longest_backtick_run(text: str) -> int:
    best = run = 0
    for char in text:
        run = run + 1 if char == "`" else 0
        best = max(best, run)
    return best
