"""JUnit XML for CI dashboards (GitHub, GitLab, Jenkins): one ``testsuite`` per report, one
``testcase`` per requirement (``classname`` = the subject, ``name`` = the requirement ID and its
checks); FAIL is a ``failure``, ERROR an ``error``, NOT_APPLICABLE and ignored requirements
``skipped`` (with the reason)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from conformance.report import Report, RequirementResult, Status

__all__ = ["render_junit"]


def _details(result: RequirementResult) -> str:
    parts = [result.message]
    diagnostics = result.diagnostics or {}
    for key in ("call", "cause", "exit_code", "tampered", "stderr_tail"):
        if diagnostics.get(key):
            parts.append(f"{key}: {diagnostics[key]}")
    if result.reproduction:
        parts.append("reproduction:\n" + result.reproduction)
    return "\n".join(p for p in parts if p)


def render_junit(reports: Sequence[Report]) -> str:
    """The JUnit XML document for ``reports``."""
    suites = ET.Element("testsuites", name="iomanager-conformance")
    for report in reports:
        defects: set[str] = set() if report.context_defects_fatal else {
            r.requirement_id for r in report.context_defects()}
        judged = [r for r in report.results if r.requirement_id not in defects]
        suite = ET.SubElement(
            suites, "testsuite", name=f"{report.subject} [{report.contexts}, {report.profile}]",
            tests=str(len(report.results) + len(report.errors) + len(report.ignored)),
            failures=str(sum(r.status is Status.FAIL for r in judged)),
            errors=str(sum(r.status is Status.ERROR for r in judged) + len(report.errors)),
            skipped=str(sum(r.status is Status.NOT_APPLICABLE for r in judged) + len(defects)
                        + len(report.ignored)),
            time=f"{report.duration_seconds:.3f}",
        )
        properties = ET.SubElement(suite, "properties")
        for key, value in report.header.items():
            ET.SubElement(properties, "property", name=key, value=value)
        for message in report.errors:
            case = ET.SubElement(suite, "testcase", classname=report.subject, name="run")
            ET.SubElement(case, "error", message=message.splitlines()[0][:500]).text = message
        for result in report.results:
            name = result.requirement_id + (f" ({', '.join(result.checks)})"
                                            if result.checks else "")
            case = ET.SubElement(suite, "testcase", classname=report.subject, name=name)
            summary = (f"{result.requirement_id} ({result.level}) {result.title}: "
                       f"{result.message}").splitlines()[0][:500]
            if result.requirement_id in defects:
                ET.SubElement(case, "skipped", message=(
                    f"context defect of the {report.contexts} contexts (not the manager's): "
                    + summary)[:500]).text = _details(result)
            elif result.status is Status.FAIL:
                ET.SubElement(case, "failure", message=summary, type=result.level).text = \
                    _details(result)
            elif result.status is Status.ERROR:
                ET.SubElement(case, "error", message=summary).text = _details(result)
            elif result.status is Status.NOT_APPLICABLE:
                ET.SubElement(case, "skipped", message=result.message[:500])
        for requirement_id, reason in report.ignored.items():
            case = ET.SubElement(suite, "testcase", classname=report.subject, name=requirement_id)
            ET.SubElement(case, "skipped", message=f"ignored: {reason}"[:500])
    ET.indent(suites)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(suites, encoding="unicode") \
        + "\n"
