"""mypy checks structured-config constructor calls (dataclass_transform): one mypy run over
tests/typecases/definitions, matched on (file, line, code) against the ``# E: [code]`` markers."""

from __future__ import annotations

import re
from pathlib import Path

from mypy import api

ROOT = Path(__file__).resolve().parents[3]
CASES = ROOT / "tests" / "typecases" / "definitions"
MARK = re.compile(r"#\s*E:\s*\[([\w-]+)\]")
ERROR = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): error: .*\[(?P<code>[\w-]+)\]$")


def _expected(files: list[Path]) -> set[tuple[str, int, str]]:
    found = set()
    for file in files:
        for number, line in enumerate(file.read_text().splitlines(), start=1):
            match = MARK.search(line)
            if match:
                found.add((file.relative_to(ROOT).as_posix(), number, match.group(1)))
    return found


def test_mypy_reports_exactly_the_marked_constructor_errors() -> None:
    """Wrong-typed, missing, unknown and positional arguments, bad list items, an EnvVar for an
    int field, and assignment to a frozen field are rejected statically; the rest type-checks."""
    files = sorted(CASES.glob("*.py"))
    assert files, "no type cases found"
    stdout, stderr, _ = api.run([
        "--config-file", str(ROOT / "mypy.ini"), "--show-error-codes", "--no-pretty",
        "--no-error-summary", "--hide-error-context",
        *(str(f.relative_to(ROOT)) for f in files),
    ])
    actual = set()
    for line in stdout.splitlines():
        match = ERROR.match(line)
        if match:
            actual.add((match["file"], int(match["line"]), match["code"]))
    expected = _expected(files)
    assert expected, "the cases mark no expected error"
    assert actual == expected, (
        f"missing={sorted(expected - actual)} unexpected={sorted(actual - expected)}\n"
        f"{stdout}{stderr}"
    )
