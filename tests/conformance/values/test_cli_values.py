"""``--values``/``--equals`` on the CLI and the serialisation hint of the reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conformance import check_io_manager, cli
from conformance.hints import values_hint
from tests.conformance.cli.sample_managers import NoneForMissingManager

JSON_MANAGER = "tests.conformance.cli.sample_managers:JsonFileManager"
SAMPLES = "tests.conformance.values.sample_values"


def test_a_json_manager_fails_with_default_values_and_the_report_names_the_flag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    json_path, markdown_path = tmp_path / "r.json", tmp_path / "r.md"
    argv = ["check", JSON_MANAGER, "--only", "IOM-STORE-00", "--failures-dir", "none",
            "--json", str(json_path), "--markdown", str(markdown_path)]
    assert cli.main(argv) == cli.EXIT_FAILED
    out = capsys.readouterr().out
    assert "hint:" in out and "serialisation errors" in out and "--values json" in out
    assert all(len(line) <= 100 for line in out.splitlines() if "hint" in line)
    report = json.loads(json_path.read_text())["reports"][0]
    assert "--values json" in report["hint"]
    assert "--values json" in markdown_path.read_text()


def test_the_same_manager_passes_with_values_json(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["check", JSON_MANAGER, "--only", "IOM-STORE-00", "--values", "json",
            "--failures-dir", "none"]
    assert cli.main(argv) == cli.EXIT_OK
    out = capsys.readouterr().out
    assert "hint:" not in out and "values json" in out


def test_values_and_equals_may_name_module_attributes(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["check", JSON_MANAGER, "--only", "IOM-STORE-002", "--failures-dir", "none",
            "--values", f"{SAMPLES}:small_texts", "--equals", f"{SAMPLES}:loosely_equal"]
    assert cli.main(argv) == cli.EXIT_OK


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--values", "jsn"], "unknown value family 'jsn'"),
        (["--equals", "nothing"], "expected 'MODULE:FUNC'"),
        (["--values", f"{SAMPLES}:NOT_A_STRATEGY"], "expected a hypothesis strategy"),
    ],
)
def test_bad_values_are_usage_errors(
    extra: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["check", JSON_MANAGER, "--only", "IOM-STORE-001", "--failures-dir", "none", *extra]
    assert cli.main(argv) == cli.EXIT_USAGE
    assert message in capsys.readouterr().err


def test_failures_of_another_cause_give_no_hint() -> None:
    report = check_io_manager(NoneForMissingManager, only="IOM-STORE-005")
    assert report.failures() and values_hint(report) is None and report.hint is None


@pytest.mark.parametrize(
    ("message", "serialisation"),
    [
        ("handle_output raised TypeError: Object of type bytes is not JSON serializable", True),
        ("handle_output raised PicklingError: Can't pickle <function <lambda>>", True),
        ("handle_output raised TypeError: can not serialize 'frozenset' object", True),
        ("op output ['r', 'op', 'result'] loaded [1, False], stored (1, False)", True),
        ("round trip: loaded ['a'], expected b'a'", False),
        ("load from a new instance: loaded 'x', expected b'x'", True),
        ("op output ['r', 'op', 'result'] loaded [1, True], stored (1, False)", False),
        ("load_input returned None for data never stored", False),
    ],
)
def test_serialisation_failures_are_told_apart(message: str, serialisation: bool) -> None:
    """Law: a failure is a serialisation failure iff its message says a value could not be
    serialised, or the loaded value differs from the stored one only in container or bytes
    type."""
    from conformance.hints import is_serialisation_failure
    from conformance.report import RequirementResult, Status

    result = RequirementResult("IOM-STORE-001", "MUST", "Round trip", Status.FAIL,
                               message=message)
    assert is_serialisation_failure(result) is serialisation
