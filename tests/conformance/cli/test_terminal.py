"""conformance.terminal: 100 columns, a header, failures first with their law, passes
summarised, one verdict line; ``verbose`` lists every requirement."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from conformance.report import Report, RequirementResult, Status
from conformance.terminal import compact_json, law_of, render_terminal
from spec.requirements import REQUIREMENTS

HEADER = {"target": "pkg.io:Manager", "kit": "9.9", "spec": "1.0", "hypothesis": "6.1",
          "python": "3.11", "contexts": "reference", "profile": "pr", "seed": "7",
          "isolation": "process (jobs=2)"}
PASSED = RequirementResult("IOM-STORE-001", "MUST", "Round trip", Status.PASS, examples=12,
                           checks=("storage.round_trip",))
LONG_VALUE = "x" * 150 + "漢字" * 40
FAILED = RequirementResult(
    "IOM-STORE-005", "MUST", "Missing data raises", Status.FAIL, examples=3,
    checks=("storage.missing_data_raises",),
    message="load_input returned None for an identifier never stored " * 4,
    counterexample={"input": {"upstream": {"run_id": "r", "name": LONG_VALUE}}},
    reproduction="manager.load_input(build_input_context(upstream_output=" + "a" * 120 + "))",
)
SKIPPED = RequirementResult("IOM-STORE-004", "MUST", "Persistence across instances",
                            Status.NOT_APPLICABLE, message="capability 'durable' declared absent")


def _report(subject: str, *results: RequirementResult, **extra: object) -> Report:
    return Report(subject, "reference", "pr", results, duration_seconds=2.0, examples=15,
                  header=dict(HEADER, target=subject), **extra)  # type: ignore[arg-type]


GOOD = _report("good_manager", PASSED, SKIPPED)
BAD = _report("bad_manager", PASSED, FAILED, SKIPPED)


def test_every_line_fits_100_columns_and_nothing_is_cut_off() -> None:
    """Prose is wrapped and verbatim text folded within 100 columns (wide characters count
    two); every character of the long counterexample value is still there."""
    text = render_terminal([GOOD, BAD], color=False)
    from conformance.terminal import _cells

    assert max(_cells(line) for line in text.splitlines()) <= 100
    unfolded = "".join(line.strip().removeprefix("… ") for line in text.splitlines())
    assert json.dumps(LONG_VALUE, ensure_ascii=False).strip('"') in unfolded
    assert "a" * 120 in unfolded


def test_header_failures_with_their_law_then_passes_then_one_verdict_line() -> None:
    text = render_terminal([BAD], color=False)
    lines = text.splitlines()
    assert lines[0].startswith("== bad_manager ") and len(lines[0]) == 100
    assert "target bad_manager · contexts reference · profile pr · seed 7" in lines[1]
    assert "spec 1.0" in lines[2] and "kit 9.9" in lines[2]
    fail_at = next(i for i, line in enumerate(lines) if line.startswith("FAIL IOM-STORE-005"))
    passed_at = next(i for i, line in enumerate(lines) if line.startswith("passed   1: "))
    assert fail_at < passed_at
    law = " ".join(" ".join(lines[fail_at + 1:fail_at + 4]).split())
    assert law.startswith("law: " + " ".join(law_of("IOM-STORE-005").split())[:40])
    assert "counterexample:" in text and "reproduction:" in text
    assert "passed   1: IOM-STORE-001" in text  # few passes are listed by ID
    many = _report("many", *(RequirementResult(f"IOM-ID-00{n}", "MUST", "t", Status.PASS)
                             for n in range(1, 8)), PASSED)
    assert "passed   8: IOM-ID 7 · IOM-STORE 1" in render_terminal([many], color=False)
    assert "n/a      1 (-v says why): IOM-STORE-004" in text
    assert text.rstrip().splitlines()[-1].startswith("    ") or lines[-1].startswith("FAILED")
    verdicts = [line for line in lines if line.startswith(("FAILED  ", "OK  "))]
    assert verdicts == [next(line for line in lines if line.startswith("FAILED  bad_manager: "
                                                                       "1 passed, 1 failed"))]


def test_verbose_lists_every_requirement_with_its_checks() -> None:
    text = render_terminal([BAD], color=False, verbose=True)
    assert any(line.startswith("pass  IOM-STORE-001 MUST   Round trip") for line in
               text.splitlines())
    assert "storage.round_trip · 12 examples" in text
    assert "n/a   IOM-STORE-004" in text and "capability 'durable' declared absent" in text


def test_colors_only_when_asked() -> None:
    assert "\x1b[" not in render_terminal([BAD], color=False)
    assert "\x1b[1;31mFAIL\x1b[0m IOM-STORE-005" in render_terminal([BAD], color=True)
    assert render_terminal([GOOD], color=True).rstrip().splitlines()[-2].startswith(
        "\x1b[32mOK\x1b[0m  good_manager")


def test_several_reports_end_with_the_overall_verdict() -> None:
    assert render_terminal([GOOD, BAD], color=False).rstrip().splitlines()[-1] == (
        "FAILED  1 of 2 managers failed a MUST requirement")
    assert render_terminal([GOOD, GOOD], color=False).rstrip().splitlines()[-1] == (
        "OK  all 2 managers passed every MUST")


def test_ignored_requirements_are_listed_with_their_reason() -> None:
    report = _report("good_manager", PASSED, ignored={"IOM-PART-015": "no ranges here"})
    assert "ignored  IOM-PART-015: no ranges here" in render_terminal([report], color=False)


def test_a_run_that_could_not_be_judged_says_so_with_its_cause() -> None:
    """A run-level error is NOT JUDGED (never OK) and names its cause."""
    report = Report("hangs_on_import", "reference", "pr", (), 0.0, 0, header=HEADER,
                    errors=("importing the target timed out after 60s\nworker stderr:\n...",))
    text = render_terminal([report], color=False)
    assert "ERROR  could not judge the manager:" in text
    assert "  importing the target timed out after 60s" in text
    assert "NOT JUDGED  hangs_on_import" in text


def test_the_law_is_the_first_sentence_of_the_requirement() -> None:
    for requirement in REQUIREMENTS.values():
        law = law_of(requirement.id)
        assert law and requirement.text.replace("``", "`").startswith(law), requirement.id
    assert law_of("IOM-NOPE-001") == ""


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=4),
    max_leaves=30,
)


@given(JSON_VALUES, st.integers(min_value=20, max_value=100))
def test_compact_json_is_the_same_json_in_fewer_lines(value: object, width: int) -> None:
    """The terminal's counterexample JSON parses back to the value; a container is kept on one
    line when it fits in ``width`` columns."""
    lines = compact_json(value, width, indent=4)
    assert json.loads("\n".join(lines)) == value
    flat = json.dumps(value, ensure_ascii=False)
    from conformance.terminal import _cells

    if 4 + _cells(flat) <= width:
        assert lines == ["    " + flat]
