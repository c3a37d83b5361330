"""Text pieces every report renderer shares: verdict and status words, the one-line summary
and header of a report, the context-defects heading, the requirement rows of several reports."""

from __future__ import annotations

import json
from collections.abc import Iterable

from conformance.report import Report, RequirementResult, Status, Verdict

__all__ = [
    "STATUS_WORD",
    "VERDICT_STATUS",
    "VERDICT_WORD",
    "counterexample_json",
    "defects_heading",
    "defects_note",
    "find",
    "header_line",
    "rows",
    "summary",
]

STATUS_WORD: dict[Status, str] = {
    Status.PASS: "pass",
    Status.FAIL: "FAIL",
    Status.NOT_APPLICABLE: "n/a",
    Status.ERROR: "ERROR",
}

VERDICT_WORD: dict[Verdict, str] = {
    Verdict.PASS: "OK", Verdict.FAIL: "FAILED", Verdict.ERROR: "NOT JUDGED"}
VERDICT_STATUS: dict[Verdict, Status] = {
    Verdict.PASS: Status.PASS, Verdict.FAIL: Status.FAIL, Verdict.ERROR: Status.ERROR}


def defects_heading(report: Report) -> str:
    """The heading of a report's context-defects section: which requirements, and whether
    they decide the verdict."""
    ids = ", ".join(r.requirement_id for r in report.context_defects())
    effect = ("they fail the run (--fatal-context-defects)" if report.context_defects_fatal
              else "they do not decide the verdict")
    return (f"Context defects of the {report.contexts} contexts [{report.subject}]: the "
            f"contexts violate {ids}; these checks cannot judge the manager, and {effect}")


def header_line(report: Report) -> str:
    """The run header in one line: versions, seed, isolation (reproduce a run from it)."""
    order = ("kit", "spec", "hypothesis", "python", "dagster", "seed", "isolation", "values")
    return "; ".join(f"{key} {report.header[key]}" for key in order if key in report.header)


def rows(reports: Iterable[Report]) -> list[tuple[str, str, str]]:
    """(id, level, title) of every requirement in any report, in first-seen order."""
    seen: dict[str, tuple[str, str, str]] = {}
    for report in reports:
        for result in report.results:
            seen.setdefault(
                result.requirement_id, (result.requirement_id, result.level, result.title)
            )
    return list(seen.values())


def defects_note(report: Report) -> str:
    """``", N context defects"`` for a summary line, or nothing."""
    count = len(report.context_defects())
    return "" if not count else f", {count} context defect{'s' if count > 1 else ''}"


def find(report: Report, requirement_id: str) -> RequirementResult | None:
    """The result of ``requirement_id`` in ``report``, if it has one."""
    return next((r for r in report.results if r.requirement_id == requirement_id), None)


def summary(report: Report) -> str:
    """The one-line summary of a report: counts per status, examples, time, contexts."""
    counts = {status: 0 for status in Status}
    for result in report.results:
        counts[result.status] += 1
    must_failures = len(report.manager_failures("MUST"))
    return (
        f"{report.subject}: {counts[Status.PASS]} passed, {counts[Status.FAIL]} failed, "
        f"{counts[Status.ERROR]} errors, {counts[Status.NOT_APPLICABLE]} not applicable "
        f"({must_failures} MUST failing{defects_note(report)}); {report.examples} examples in "
        f"{report.duration_seconds:.1f}s ({report.examples_per_second:.0f}/s); "
        f"contexts={report.contexts}, profile={report.profile}"
    )


def counterexample_json(result: RequirementResult) -> str | None:
    """The counterexample as indented JSON (values JSON cannot hold as their ``repr``)."""
    if result.counterexample is None:
        return None
    return json.dumps(dict(result.counterexample), indent=2, ensure_ascii=False, default=repr)
