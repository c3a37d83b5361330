"""Render conformance reports as JSON (machines), Markdown (CI step summaries) and terminal text.

Every renderer takes a sequence of :class:`~conformance.report.Report` (one per subject) and
returns a string. The JSON document has a stable schema, identified by ``schema`` and
``version``; a field is only ever added within a version.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable, Iterable, Sequence

from conformance.report import Report, RequirementResult, Status, Verdict

__all__ = [
    "JSON_SCHEMA_NAME",
    "JSON_SCHEMA_VERSION",
    "render_json",
    "render_markdown",
    "render_terminal",
]

JSON_SCHEMA_NAME = "iomanager-conformance-report"
JSON_SCHEMA_VERSION = 1

_EMOJI = {
    Status.PASS: "✅",
    Status.FAIL: "❌",
    Status.NOT_APPLICABLE: "\u2796",  # heavy minus sign
    Status.ERROR: "⚠️",
}
_WORD = {
    Status.PASS: "pass",
    Status.FAIL: "FAIL",
    Status.NOT_APPLICABLE: "n/a",
    Status.ERROR: "ERROR",
}
_ANSI = {
    Status.PASS: "\x1b[32m",
    Status.FAIL: "\x1b[1;31m",
    Status.NOT_APPLICABLE: "\x1b[2m",
    Status.ERROR: "\x1b[1;33m",
}
_RESET = "\x1b[0m"

_Painter = Callable[[Status, str], str]


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
    lines += [f"- **{_VERDICT_WORD[report.verdict]}** {_summary(report)}" for report in reports]
    for report in reports:
        if report.header:
            lines.append(f"  - {_md_cell(_header_line(report))}")
        lines += [f"  - ⚠️ could not judge: {_md_cell(e.splitlines()[0])}" for e in report.errors]
        if report.hint:
            lines.append(f"  - 💡 hint: {_md_cell(report.hint)}")
    lines += ["", " · ".join(f"{_EMOJI[s]} {s.value}" for s in Status), ""]
    header = ["Requirement", "Level", *(_md_cell(f"`{r.subject}`") for r in reports)]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "|".join(["---"] * len(header)) + "|")
    for rid, level, title in _rows(reports):
        cells = [f"**{rid}** {_md_cell(title)}", level]
        for report in reports:
            result = _find(report, rid)
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
            lines += ["", f"### {_md_cell(_defects_heading(report))}", ""]
            for result in report.context_defects():
                lines += _markdown_failure(report, result)
    return "\n".join(lines).rstrip() + "\n"


def render_terminal(reports: Sequence[Report], *, color: bool) -> str:
    """A plain-text requirement-by-subject table, failure details, and one summary per subject."""
    def paint(status: Status, text: str) -> str:
        return f"{_ANSI[status]}{text}{_RESET}" if color else text

    rows = _rows(reports)
    id_width = max((len(rid) for rid, _, _ in rows), default=11)
    title_width = min(48, max((len(title) for _, _, title in rows), default=5))
    columns = [max(len(report.subject), 5) for report in reports]
    head = f"{'requirement':<{id_width}}  {'level':<6}  {'title':<{title_width}}"
    for report, width in zip(reports, columns, strict=True):
        head += f"  {report.subject:<{width}}"
    lines = [head, "-" * len(head)]
    for rid, level, title in rows:
        line = f"{rid:<{id_width}}  {level:<6}  {_clip(title, title_width):<{title_width}}"
        for report, width in zip(reports, columns, strict=True):
            result = _find(report, rid)
            word = "" if result is None else _WORD[result.status]
            cell = f"{word:<{width}}"
            line += "  " + (cell if result is None else paint(result.status, cell))
        lines.append(line.rstrip())
    for report in reports:
        defects = {r.requirement_id for r in report.context_defects()}
        for result in report.failures():
            if result.requirement_id not in defects:
                lines += ["", *_terminal_failure(report, result, paint)]
        if defects:
            lines += ["", paint(Status.ERROR, _defects_heading(report))]
            for result in report.context_defects():
                lines += ["", *_terminal_failure(report, result, paint)]
    for report in reports:
        for error in report.errors:
            lines += ["", paint(Status.ERROR, f"ERROR  {report.subject}: could not judge"),
                      *(f"  {line}" for line in error.splitlines())]
    lines.append("")
    for report in reports:
        status = _VERDICT_STATUS[report.verdict]
        lines.append(f"{paint(status, _VERDICT_WORD[report.verdict])}  {_summary(report)}")
        if report.header:
            lines.append(f"    {_header_line(report)}")
        if report.hint:
            lines += textwrap.wrap(f"hint: {report.hint}", 96, initial_indent="    ",
                                   subsequent_indent="      ")
    return "\n".join(lines) + "\n"


_VERDICT_WORD = {Verdict.PASS: "OK", Verdict.FAIL: "FAILED", Verdict.ERROR: "NOT JUDGED"}
_VERDICT_STATUS = {Verdict.PASS: Status.PASS, Verdict.FAIL: Status.FAIL,
                   Verdict.ERROR: Status.ERROR}


def _defects_heading(report: Report) -> str:
    ids = ", ".join(r.requirement_id for r in report.context_defects())
    effect = ("they fail the run (--fatal-context-defects)" if report.context_defects_fatal
              else "they do not decide the verdict")
    return (f"Context defects of the {report.contexts} contexts [{report.subject}]: the "
            f"contexts violate {ids}; these checks cannot judge the manager, and {effect}")


def _header_line(report: Report) -> str:
    """The run header in one line: versions, seed, isolation (reproduce a run from it)."""
    order = ("kit", "spec", "hypothesis", "python", "dagster", "seed", "isolation", "values")
    return "; ".join(f"{key} {report.header[key]}" for key in order if key in report.header)


def _rows(reports: Iterable[Report]) -> list[tuple[str, str, str]]:
    """(id, level, title) of every requirement in any report, in first-seen order."""
    seen: dict[str, tuple[str, str, str]] = {}
    for report in reports:
        for result in report.results:
            seen.setdefault(
                result.requirement_id, (result.requirement_id, result.level, result.title)
            )
    return list(seen.values())


def _defects_note(report: Report) -> str:
    count = len(report.context_defects())
    return "" if not count else f", {count} context defect{'s' if count > 1 else ''}"


def _find(report: Report, requirement_id: str) -> RequirementResult | None:
    return next((r for r in report.results if r.requirement_id == requirement_id), None)


def _summary(report: Report) -> str:
    counts = {status: 0 for status in Status}
    for result in report.results:
        counts[result.status] += 1
    must_failures = len(report.manager_failures("MUST"))
    return (
        f"{report.subject}: {counts[Status.PASS]} passed, {counts[Status.FAIL]} failed, "
        f"{counts[Status.ERROR]} errors, {counts[Status.NOT_APPLICABLE]} not applicable "
        f"({must_failures} MUST failing{_defects_note(report)}); {report.examples} examples in "
        f"{report.duration_seconds:.1f}s ({report.examples_per_second:.0f}/s); "
        f"contexts={report.contexts}, profile={report.profile}"
    )


def _counterexample_json(result: RequirementResult) -> str | None:
    if result.counterexample is None:
        return None
    return json.dumps(dict(result.counterexample), indent=2, ensure_ascii=False, default=repr)


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
    counterexample = _counterexample_json(result)
    if counterexample is not None:
        lines += ["Counterexample:", "", _fence(counterexample, "json"), ""]
    if result.reproduction:
        lines += ["Reproduction:", "", _fence(result.reproduction, "python"), ""]
    return lines


def _terminal_failure(
    report: Report, result: RequirementResult, paint: _Painter
) -> list[str]:
    head = f"{_WORD[result.status]} {result.requirement_id} ({result.level}) {result.title}"
    lines = [paint(result.status, head) + f"  [{report.subject}]"]
    if result.checks:
        lines.append("  checks: " + ", ".join(result.checks))
    if result.message:
        lines += _indent(result.message)
    counterexample = _counterexample_json(result)
    if counterexample is not None:
        lines += ["  counterexample:", *_indent(counterexample, 4)]
    if result.reproduction:
        lines += ["  reproduction:", *_indent(result.reproduction, 4)]
    return lines


def _indent(text: str, by: int = 2) -> list[str]:
    return [(" " * by + line).rstrip() for line in text.splitlines()]


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


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
