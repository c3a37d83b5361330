"""Terminal text of conformance reports, every line within ``width`` columns (default 100).

Per report: a header (target, contexts, profile, seed; kit, spec and tool versions), then the
failures first, each with the one-sentence law it breaks, then the passes summarised per area,
the not-applicable and ignored requirements, and a one-line verdict; with several reports a
last line gives the overall verdict. ``verbose`` also lists every requirement with its checks.
Prose is wrapped; verbatim text (counterexamples, reproductions, tracebacks) is folded, with a
``…`` marking each continuation, so nothing is cut off.
"""

from __future__ import annotations

import json
import re
import textwrap
import unicodedata
from collections.abc import Callable, Sequence

from conformance.report import Report, RequirementResult, Status, Verdict
from conformance.report_text import (
    STATUS_WORD,
    VERDICT_STATUS,
    VERDICT_WORD,
    defects_heading,
    summary,
)
from reference_impl.narrowing import is_dict, is_list
from spec.requirements import REQUIREMENTS

__all__ = ["compact_json", "law_of", "render_terminal"]

WIDTH = 100
_ANSI = {
    Status.PASS: "\x1b[32m",
    Status.FAIL: "\x1b[1;31m",
    Status.NOT_APPLICABLE: "\x1b[2m",
    Status.ERROR: "\x1b[1;33m",
}
_RESET = "\x1b[0m"
_ANSI_CODE = re.compile(r"\x1b\[[0-9;]*m")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z`(])")

_Painter = Callable[[Status, str], str]
_LISTED_PASSES = 5
"""Up to this many passes are listed by ID; more are counted per area."""


def render_terminal(
    reports: Sequence[Report], *, color: bool, verbose: bool = False, width: int = WIDTH
) -> str:
    """The terminal text of ``reports`` (ANSI colours when ``color``), lines within ``width``."""
    def paint(status: Status, text: str) -> str:
        return f"{_ANSI[status]}{text}{_RESET}" if color else text

    lines: list[str] = []
    for index, report in enumerate(reports):
        if index:
            lines.append("")
        lines += _report_lines(report, paint, verbose, width)
    if len(reports) > 1:
        lines += ["", _overall(reports, paint)]
    return "\n".join(line for raw in lines for line in _fit(raw, width)) + "\n"


def law_of(requirement_id: str) -> str:
    """The first sentence of the requirement's normative text (its law), or ``""``."""
    requirement = REQUIREMENTS.get(requirement_id)
    if requirement is None:
        return ""
    text = requirement.text.replace("``", "`")
    return _SENTENCE_END.split(text, maxsplit=1)[0]


def _report_lines(report: Report, paint: _Painter, verbose: bool, width: int) -> list[str]:
    title = f"== {report.subject} "
    lines = [title + "=" * max(0, width - len(title)), *_header(report, width)]
    defects = {r.requirement_id for r in report.context_defects()}
    for result in report.failures():
        if result.requirement_id not in defects:
            lines += ["", *_failure(result, paint, width)]
    if defects:
        lines += ["", *_wrap(paint(Status.ERROR, defects_heading(report)), width)]
        for result in report.context_defects():
            lines += ["", *_failure(result, paint, width)]
    for error in report.errors:
        lines += ["", paint(Status.ERROR, "ERROR  could not judge the manager:"),
                  *(f"  {line}" for line in error.splitlines())]
    lines.append("")
    lines += _verbose_rows(report, paint, width) if verbose else _summaries(report, width)
    for requirement_id, reason in report.ignored.items():
        lines += _wrap(f"ignored  {requirement_id}: {reason}", width, indent=9)
    if report.hint:
        lines += _wrap(f"hint: {report.hint}", width, indent=6)
    word = VERDICT_WORD[report.verdict]
    verdict = _wrap(f"{word}  {summary(report)}", width, indent=4)
    verdict[0] = paint(VERDICT_STATUS[report.verdict], word) + verdict[0][len(word):]
    return [*lines, *verdict]


def _header(report: Report, width: int) -> list[str]:
    header = report.header
    if not header:
        return []
    first = [f"target {header.get('target', report.subject)}", f"contexts {report.contexts}",
             f"profile {report.profile}", f"seed {header.get('seed', '?')}"]
    if "values" in header:
        first.append(f"values {header['values']}")
    second = [f"{key} {header[key]}" for key in
              ("kit", "spec", "hypothesis", "python", "dagster", "isolation", "selection")
              if key in header]
    return [*_wrap(" · ".join(first), width, indent=2), *_wrap(" · ".join(second), width, indent=2)]


def _failure(result: RequirementResult, paint: _Painter, width: int) -> list[str]:
    word = STATUS_WORD[result.status]
    lines = [paint(result.status, word) + f" {result.requirement_id} ({result.level}) "
             f"{result.title}"]
    law = law_of(result.requirement_id)
    if law:
        lines += _wrap(f"law: {law}", width, first_indent=2, indent=7)
    if result.checks:
        lines += _wrap("checks: " + ", ".join(result.checks), width, first_indent=2, indent=4)
    for line in result.message.splitlines():
        lines += _wrap(line, width, first_indent=2, indent=4) if line.strip() else [""]
    if result.counterexample is not None:
        lines += ["  counterexample:",
                  *compact_json(dict(result.counterexample), width, indent=4)]
    if result.reproduction:
        lines += ["  reproduction:", *_indent(result.reproduction, 4)]
    return lines


def _summaries(report: Report, width: int) -> list[str]:
    """Passes per area, and the not-applicable requirements by ID."""
    passes = [r.requirement_id for r in report.results if r.status is Status.PASS]
    passed: dict[str, int] = {}
    for requirement_id in passes:
        area = "-".join(requirement_id.split("-")[:2])
        passed[area] = passed.get(area, 0) + 1
    lines: list[str] = []
    if passes:
        areas = (", ".join(passes) if len(passes) <= _LISTED_PASSES
                 else " · ".join(f"{area} {count}" for area, count in passed.items()))
        lines += _wrap(f"passed   {len(passes)}: {areas}", width, indent=9)
    skipped = [r.requirement_id for r in report.results if r.status is Status.NOT_APPLICABLE]
    if skipped:
        lines += _wrap(f"n/a      {len(skipped)} (-v says why): {', '.join(skipped)}", width,
                       indent=9)
    return lines


def _verbose_rows(report: Report, paint: _Painter, width: int) -> list[str]:
    """One row per requirement (status, ID, level, title), then its checks and message."""
    lines: list[str] = []
    for result in report.results:
        word = STATUS_WORD[result.status]
        row = f"{result.requirement_id:<13} {result.level:<6} {result.title}"
        lines.append(paint(result.status, f"{word:<5}") + " " + _clip(row, width - 6))
        detail = ", ".join(result.checks)
        if result.examples:
            detail += f" · {result.examples} examples"
        if result.message and result.status is not Status.FAIL:
            detail += f" · {result.message.splitlines()[0]}"
        if detail:
            lines += _wrap(detail.lstrip(" ·"), width, first_indent=6, indent=8)
    return lines


def _overall(reports: Sequence[Report], paint: _Painter) -> str:
    verdicts = [report.verdict for report in reports]
    failed = verdicts.count(Verdict.FAIL)
    unjudged = verdicts.count(Verdict.ERROR)
    if failed:
        return (paint(Status.FAIL, "FAILED") + f"  {failed} of {len(reports)} managers failed "
                "a MUST requirement" + (f"; {unjudged} could not be judged" if unjudged else ""))
    if unjudged:
        return (paint(Status.ERROR, "NOT JUDGED") + f"  {unjudged} of {len(reports)} managers "
                "could not be judged; no MUST failed")
    return paint(Status.PASS, "OK") + f"  all {len(reports)} managers passed every MUST"


def compact_json(value: object, width: int, indent: int = 0, step: int = 2) -> list[str]:
    """``value`` as JSON lines: a container that fits in ``width`` columns stays on one line,
    a larger one gets one line per item (values JSON cannot hold appear as their ``repr``)."""
    pad = " " * indent
    flat = json.dumps(value, ensure_ascii=False, default=repr)
    if not (is_dict(value) or is_list(value)) or not value or indent + _cells(flat) <= width:
        return [pad + flat]
    items: list[tuple[object, object]] = (
        list(value.items()) if is_dict(value) else [(None, v) for v in value])
    opening, closing = ("{", "}") if is_dict(value) else ("[", "]")
    lines = [pad + opening]
    for position, (key, item) in enumerate(items):
        label = "" if key is None else json.dumps(str(key), ensure_ascii=False) + ": "
        inner = compact_json(item, width - _cells(label), indent + step, step)
        inner[0] = " " * (indent + step) + label + inner[0].lstrip()
        if position < len(items) - 1:
            inner[-1] += ","
        lines += inner
    return [*lines, pad + closing]


def _wrap(text: str, width: int, *, indent: int = 0, first_indent: int = 0) -> list[str]:
    return textwrap.wrap(text, width, initial_indent=" " * first_indent,
                         subsequent_indent=" " * indent, break_on_hyphens=False) or [""]


def _indent(text: str, by: int) -> list[str]:
    return [(" " * by + line).rstrip() for line in text.splitlines()]


def _clip(text: str, width: int) -> str:
    if _cells(text) <= width:
        return text
    while _cells(text) > width - 1:
        text = text[:-1]
    return text + "…"


def _cells(text: str) -> int:
    """Terminal columns ``text`` takes (wide characters count two, combining ones none)."""
    text = _ANSI_CODE.sub("", text)
    return sum(0 if unicodedata.combining(char) else
               2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _fit(line: str, width: int) -> list[str]:
    """``line`` folded into lines of at most ``width`` columns; continuations start with the
    line's indentation and ``… ``."""
    if _cells(line) <= width:
        return [line]
    plain = _ANSI_CODE.sub("", line)
    lead = " " * min(len(plain) - len(plain.lstrip(" ")), width // 2)
    pieces: list[str] = []
    current, used = "", 0
    for char in plain:
        cells = _cells(char)
        if used + cells > width:
            pieces.append(current)
            current, used = lead + "… ", len(lead) + 2
        current += char
        used += cells
    pieces.append(current)
    return pieces
