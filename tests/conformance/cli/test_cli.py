"""``python -m conformance``: exit codes, outputs, filters and usage errors.

The kit runs with ``--only`` on a small slice of requirements to keep these tests fast; the
slices still run real checks on real managers.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conformance import cli
from conformance.builtins import builtin_subjects
from conformance.report import Report, RequirementResult, Status
from conformance.subject import Subject

GOOD = "tests.conformance.cli.sample_managers:GoodManager"
BAD = "tests.conformance.cli.sample_managers:NoneForMissingManager"
REPO_ROOT = Path(__file__).resolve().parents[3]


def test_exit_0_when_every_applicable_must_passes(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["check", GOOD, "--only", "IOM-STORE-00"]) == cli.EXIT_OK
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert any(line.startswith("passed   ") and "IOM-STORE" in line for line in lines)
    assert lines[-2].startswith(f"OK  {GOOD}")
    header = " ".join(" ".join(lines[1:lines.index("")]).split())
    for field in ("kit ", "spec ", "hypothesis ", "python ", "seed derandomized",
                  "isolation process", f"target {GOOD}", "profile pr"):
        assert field in header


def test_exit_1_names_the_failed_must_and_its_counterexample(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["check", BAD, "--only", "IOM-STORE-005"]) == cli.EXIT_FAILED
    out = capsys.readouterr().out
    assert "FAIL IOM-STORE-005 (MUST) Missing data raises" in out
    assert "counterexample:" in out


def test_json_and_markdown_files_are_written_and_parseable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    json_path, markdown_path = tmp_path / "report.json", tmp_path / "summary.md"
    code = cli.main([
        "check", BAD, "--only", "IOM-STORE-00",
        "--json", str(json_path), "--markdown", str(markdown_path),
    ])
    assert code == cli.EXIT_FAILED
    document = json.loads(json_path.read_text(encoding="utf-8"))
    assert document["version"] == 1 and document["ok"] is False
    (report,) = document["reports"]
    assert report["subject"] == BAD
    failed = [r["requirement_id"] for r in report["results"] if r["status"] == "fail"]
    assert "IOM-STORE-005" in failed
    markdown = markdown_path.read_text(encoding="utf-8")
    assert markdown.startswith("## IO manager conformance")
    assert "### Failures" in markdown and "IOM-STORE-005" in markdown


def test_only_keeps_the_requirements_with_the_prefix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    json_path = tmp_path / "report.json"
    assert cli.main(["check", GOOD, "--only", "IOM-STORE-00", "--json", str(json_path)]) == 0
    results = json.loads(json_path.read_text())["reports"][0]["results"]
    assert results
    assert all(r["requirement_id"].startswith("IOM-STORE-00") for r in results)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["check", "no_colon_here"], "malformed target"),
        (["check", "no_such_module_xyz:Manager"], "module 'no_such_module_xyz' not found"),
        (["check", "tests.conformance.cli.sample_managers:Missing"], "has no attribute"),
        (["check", "tests.conformance.cli.sample_managers:NOT_A_MANAGER"], "cannot check int"),
        (["check", GOOD, "--only", "IOM-NOPE"], "matches no requirement"),
        (["check", GOOD, "--profile", "fast"], "invalid choice: 'fast'"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
    ],
)
def test_usage_errors_exit_2_with_a_message_on_stderr(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(argv) == cli.EXIT_USAGE
    assert message in capsys.readouterr().err


@pytest.mark.parametrize("flag", ["--json", "--markdown", "--junit"])
def test_an_unwritable_report_path_is_a_usage_error_before_any_check_runs(
    flag: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A report path under a regular file cannot be written: exit 2 up front, no table."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    argv = ["check", GOOD, flag, str(blocker / "report.out"), "--only", "IOM-STORE-001"]
    assert cli.main(argv) == cli.EXIT_USAGE
    captured = capsys.readouterr()
    assert "cannot write the report" in captured.err and flag in captured.err
    assert "IOM-STORE-001" not in captured.out


def test_a_missing_optional_dependency_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import importlib.util

    real_find_spec = importlib.util.find_spec

    def without_dagster(name: str, *args: object) -> object:
        return None if name == "dagster" else real_find_spec(name, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(importlib.util, "find_spec", without_dagster)
    assert cli.main(["check", GOOD, "--contexts", "dagster"]) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert "missing optional dependency 'dagster'" in err
    assert "iomanager-spec[dagster]" in err


def test_progress_is_shown_only_on_an_interactive_stderr(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cli.main(["check", GOOD, "--only", "IOM-STORE-002"])
    assert "[1/" not in capsys.readouterr().err
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    cli.main(["check", GOOD, "--only", "IOM-STORE-002"])
    err = capsys.readouterr().err
    assert "\r[" in err and err.endswith("\r")


BUILTIN_NAMES = (
    "InMemoryIOManager",
    "mem_io_manager",
    "FilesystemIOManager",
    "fs_io_manager",
    "PickleUPathIOManager[local]",
    "PickleUPathIOManager[memory]",
)


def test_without_a_target_every_builtin_is_checked_in_one_table(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The wiring only (the built-ins' own conformance runs are the reference's tests)."""
    import conformance.api

    checked: list[object] = []

    def record(subject: object, **kwargs: object) -> Report:
        assert isinstance(subject, Subject)
        assert kwargs["name"] is None  # built-in subjects keep their own names
        checked.append(subject.name)
        result = RequirementResult("IOM-STORE-001", "MUST", "Round trip", Status.PASS)
        return Report(subject.name, "reference", "pr", (result,), 0.1, 1)

    monkeypatch.setattr(conformance.api, "check_io_manager", record)
    argv = ["check", "--only", "IOM-STORE-001", "--isolation", "none"]
    assert cli.main(argv) == cli.EXIT_OK
    assert tuple(checked) == BUILTIN_NAMES
    titles = [line for line in capsys.readouterr().out.splitlines() if line.startswith("== ")]
    assert [title.split()[1] for title in titles] == list(BUILTIN_NAMES)


def test_builtin_subjects_take_a_directory_where_they_store_to_disk() -> None:
    by_name = {s.name: s for s in builtin_subjects()}
    assert set(by_name) == set(BUILTIN_NAMES)
    assert not by_name["InMemoryIOManager"].takes_directory
    for name in ("FilesystemIOManager", "fs_io_manager", "PickleUPathIOManager[local]"):
        assert by_name[name].takes_directory and by_name[name].capabilities.storage_root
    memory = by_name["PickleUPathIOManager[memory]"]
    assert memory.capabilities.durable and not memory.capabilities.storage_root


def test_python_dash_m_conformance_runs_in_a_subprocess() -> None:
    env = {**os.environ, "NO_COLOR": "1"}
    completed = subprocess.run(
        [sys.executable, "-m", "conformance", "check", BAD, "--only", "IOM-STORE-005"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=300, env=env,
    )
    assert completed.returncode == 1, completed.stderr
    assert "IOM-STORE-005" in completed.stdout
    assert completed.stderr == ""  # not a TTY: no progress line


def test_typecheck_passes_a_conforming_manager(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["typecheck", GOOD]) == cli.EXIT_OK
    assert "IOM-DEF-001" in capsys.readouterr().out  # the header's requirement


def test_typecheck_fails_a_wrong_signature_with_mypys_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    json_path = tmp_path / "types.json"
    target = "tests.conformance.cli.sample_managers:WrongSignatureManager"
    assert cli.main(["typecheck", target, "--json", str(json_path)]) == cli.EXIT_FAILED
    out = capsys.readouterr().out
    assert "spec.IOManager[Any, Any]" in out
    assert 'Following member(s) of "WrongSignatureManager" have conflicts' in out
    (result,) = json.loads(json_path.read_text())["reports"][0]["results"]
    assert result["status"] == "fail" and result["requirement_id"] == "IOM-DEF-001"


def test_typecheck_of_a_bad_target_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["typecheck", "tests.conformance.cli.sample_managers:NOT_A_MANAGER"]) == 2
    assert "neither an IO manager" in capsys.readouterr().err


def test_typecheck_accepts_a_file_target_and_a_factory_callable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "file_managers.py").write_text(
        "from pathlib import Path\n"
        "from typing import Any\n\n"
        "class DirManager:\n"
        "    def __init__(self, root: Path) -> None:\n"
        "        self.root = root\n\n"
        "    def handle_output(self, context: Any, obj: Any) -> None:\n"
        "        pass\n\n"
        "    def load_input(self, context: Any) -> Any:\n"
        "        return None\n\n"
        "def make(directory: Path) -> DirManager:\n"
        "    return DirManager(directory)\n"
    )
    monkeypatch.chdir(tmp_path)
    json_path = tmp_path / "types.json"
    assert cli.main(["typecheck", "file_managers.py:make", "--json", str(json_path)]) == 0
    (result,) = json.loads(json_path.read_text())["reports"][0]["results"]
    assert result["title"] == "statically assignable to Callable[[Path], spec.IOManager[Any, Any]]"
