"""Hostile targets end as verdicts: exit code 3 and ERROR rows naming the requirement, the call
in flight and the cause, with the report written; a correct manager that floods stdout passes.
(The CI-gate issue's promise: the kit never passes a target it could not judge, never hangs.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conformance.hostile.targets import ONCE_DIRECTORY_VARIABLE

ROOT = Path(__file__).resolve().parents[3]
TARGETS = "tests.conformance.hostile.targets"


def run_kit(tmp_path: Path, target: str, *extra: str) -> tuple[int, dict[str, Any], str]:
    """Run ``python -m conformance check`` on ``target``, judging IOM-STORE-002 (one check, the
    round trip: its first ``handle_output`` is where every hostile target strikes); return
    (exit code, JSON, stderr)."""
    report = tmp_path / "report.json"
    completed = subprocess.run(
        [sys.executable, "-m", "conformance", "check", target, "--only", "IOM-STORE-002",
         "--call-timeout", "3", "--timeout", "120", "--failures-dir", "none",
         "--json", str(report), *extra],
        cwd=ROOT, capture_output=True, text=True, timeout=180,
        env=dict(os.environ, **{ONCE_DIRECTORY_VARIABLE: str(tmp_path)}),
    )
    document = json.loads(report.read_text()) if report.exists() else {}
    return completed.returncode, document, completed.stderr


def store_row(document: dict[str, Any]) -> dict[str, Any]:
    (report,) = document["reports"]
    rows = {r["requirement_id"]: r for r in report["results"]}
    row: dict[str, Any] = rows["IOM-STORE-002"]
    return row


CRASHES = [
    ("ExitsWithSysExit", "SystemExit(0)"),
    ("ExitsWithOsExit", "exited with code 0"),
    ("Segfaults", "SIGSEGV"),
    ("Aborts", "SIGABRT"),
    ("KilledBySignal", "SIGKILL"),
    ("RaisesMemoryError", "MemoryError"),
    ("RaisesKeyboardInterrupt", "KeyboardInterrupt"),
    ("Hangs", "per-call deadline of 3 s"),
    ("Deadlocks", "per-call deadline of 3 s"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("name", "cause"), CRASHES, ids=[c[0] for c in CRASHES])
def test_a_target_that_dies_or_hangs_is_an_error_naming_the_call(
    tmp_path: Path, name: str, cause: str
) -> None:
    code, document, _ = run_kit(tmp_path, f"{TARGETS}:{name}")
    assert code == 3, document
    row = store_row(document)
    assert row["status"] == "error"
    text = row["message"] + json.dumps(row["diagnostics"])
    assert cause in text, text
    assert str(row["diagnostics"]["call"]).startswith("handle_output("), row["diagnostics"]
    assert document["reports"][0]["verdict"] == "error"


@pytest.mark.slow
@pytest.mark.parametrize(("name", "changed"), [
    ("ChangesDirectory", "working directory"),
    ("ChangesRecursionLimit", "recursion limit"),
])
def test_a_target_that_tampers_with_its_process_is_an_error(
    tmp_path: Path, name: str, changed: str
) -> None:
    code, document, _ = run_kit(tmp_path, f"{TARGETS}:{name}")
    assert code == 3
    row = store_row(document)
    assert row["status"] == "error" and changed in row["message"], row
    assert (tmp_path / "report.json").exists()  # written where asked, whatever the target did


@pytest.mark.slow
def test_a_correct_target_flooding_stdout_passes_and_the_report_is_intact(
    tmp_path: Path,
) -> None:
    code, document, _ = run_kit(tmp_path, f"{TARGETS}:PrintsMegabytes")
    assert code == 0
    assert store_row(document)["status"] == "pass"


@pytest.mark.slow
@pytest.mark.parametrize(("module", "cause"), [
    ("import_fails", "the database is unreachable"),
    ("import_exits", "exited with code 4"),
])
def test_a_target_whose_import_fails_is_exit_3_with_a_report(
    tmp_path: Path, module: str, cause: str
) -> None:
    code, document, _ = run_kit(tmp_path, f"tests.conformance.hostile.{module}:Manager")
    assert code == 3
    (report,) = document["reports"]
    assert report["verdict"] == "error" and report["results"] == []
    assert any(cause in error for error in report["errors"]), report["errors"]


def test_a_target_that_is_not_found_is_a_usage_error(tmp_path: Path) -> None:
    code, document, stderr = run_kit(tmp_path, "tests.conformance.hostile.no_such_module:X")
    assert code == 2 and "not found" in stderr and document == {}
