"""Type conformance, python/typing style: one mypy run over tests/typecases, matched on
(file, line, error code) against the ``# E: [code]`` markers in the snippet files."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from mypy import api

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "tests" / "typecases"
MARK = re.compile(r"#\s*E:\s*\[([\w-]+)\]")
ERROR = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): error: .*\[(?P<code>[\w-]+)\]$")

Finding = tuple[str, int, str]


def _case_files() -> list[Path]:
    files = sorted(CASES.glob("**/*.py"))
    if importlib.util.find_spec("dagster") is None:
        files = [f for f in files if "dagster" not in f.parts]
    return files


def _expected(files: list[Path]) -> set[Finding]:
    found: set[Finding] = set()
    for file in files:
        for number, line in enumerate(file.read_text().splitlines(), start=1):
            match = MARK.search(line)
            if match:
                found.add((file.relative_to(ROOT).as_posix(), number, match.group(1)))
    return found


@pytest.fixture(scope="module")
def mypy_findings() -> tuple[set[Finding], set[Finding], str]:
    files = _case_files()
    stdout, stderr, _ = api.run(
        [
            "--config-file",
            str(ROOT / "mypy.ini"),
            "--show-error-codes",
            "--no-pretty",
            "--no-error-summary",
            "--hide-error-context",
            *(str(f.relative_to(ROOT)) for f in files),
        ]
    )
    actual: set[Finding] = set()
    for line in stdout.splitlines():
        match = ERROR.match(line)
        if match:
            actual.add((match["file"], int(match["line"]), match["code"]))
    return _expected(files), actual, stdout + stderr


def test_marked_lines_and_only_those_are_rejected(
    mypy_findings: tuple[set[Finding], set[Finding], str],
) -> None:
    expected, actual, output = mypy_findings
    missing, unexpected = expected - actual, actual - expected
    assert not missing and not unexpected, (
        f"missing={sorted(missing)}\nunexpected={sorted(unexpected)}\n{output}"
    )


def test_suite_has_accepted_and_rejected_cases(
    mypy_findings: tuple[set[Finding], set[Finding], str],
) -> None:
    """Guard against a vacuous suite: both kinds of case must exist."""
    expected, _, _ = mypy_findings
    assert len(expected) >= 8
    accepted_files = [f for f in _case_files() if not MARK.search(f.read_text())]
    assert accepted_files, "no file of purely accepted cases"
