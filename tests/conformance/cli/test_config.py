"""``[tool.iomanager-conformance]`` in pyproject.toml: validated, and the CLI's defaults
(flags override it); ``--select``/``--ignore``/``--list-checks``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conformance import cli
from conformance.config import ConfigError, load_config

GOOD = "tests.conformance.cli.sample_managers:GoodManager"
BAD = "tests.conformance.cli.sample_managers:NoneForMissingManager"
ROOT = Path(__file__).resolve().parents[3]


def _project(tmp_path: Path, table: str) -> Path:
    (tmp_path / "pyproject.toml").write_text(
        "[project]\nname = 'users-project'\n\n[tool.iomanager-conformance]\n" + table,
        encoding="utf-8")
    return tmp_path / "pyproject.toml"


@pytest.mark.parametrize(("table", "named"), [
    ("profiles = 'pr'\n", "unknown key 'profiles'"),
    ("profile = 'quick'\n", "profile = 'quick'; choose one of pr, dev, thorough"),
    ("jobs = '2'\n", "'jobs' must be an integer of at least 1"),
    ("jobs = 0\n", "'jobs' must be an integer of at least 1"),
    ("call-timeout = -1\n", "'call-timeout' must be a positive number"),
    ("select = 'IOM-STORE'\n", "'select' must be a list"),
    ("select = ['IOM-STORAGE']\n", "'IOM-STORAGE' matches no requirement"),
    ("[tool.iomanager-conformance.ignore]\n'IOM-PART-099' = 'x'\n", "'IOM-PART-099' matches"),
    ("[tool.iomanager-conformance.ignore]\n'IOM-PART-015' = ''\n", "give the reason"),
    ("ignore = ['IOM-PART-015']\n", "'ignore' must be a table"),
])
def test_a_bad_table_is_an_error_naming_the_key_and_the_file(
    tmp_path: Path, table: str, named: str
) -> None:
    path = _project(tmp_path, table)
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    assert named in str(raised.value) and str(path) in str(raised.value)


def test_a_valid_table_gives_values_with_paths_made_absolute(tmp_path: Path) -> None:
    path = _project(tmp_path, "profile = 'dev'\ncall-timeout = 5\nfailures-dir = 'out/f'\n"
                              "hypothesis-database = 'none'\nselect = ['IOM-STORE']\n"
                              "[tool.iomanager-conformance.ignore]\n'IOM-STORE-007' = 'known'\n")
    config = load_config(path)
    assert config.get("profile") == "dev" and config.get("call-timeout") == 5.0
    assert config.get("failures_dir") == str(tmp_path / "out" / "f")
    assert config.get("hypothesis_database") == "none"
    assert config.selection.select == ("IOM-STORE",)
    assert dict(config.selection.ignore) == {"IOM-STORE-007": "known"}
    assert load_config(None).values == {}


def test_the_cli_reads_target_selection_and_ignore_reasons_from_the_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """No argument but ``--isolation none``: the table names a failing target, selects the
    storage chapter and ignores the failing requirement with a reason; the run passes and
    every report names the ignored requirement and its reason."""
    _project(tmp_path, f"target = '{BAD}'\nselect = ['IOM-STORE-00']\n"
                       "failures-dir = 'none'\n[tool.iomanager-conformance.ignore]\n"
                       "'IOM-STORE-005' = 'we raise our own error type'\n")
    monkeypatch.chdir(tmp_path)
    report = tmp_path / "r.json"
    assert cli.main(["check", "--isolation", "none", "--json", str(report)]) == cli.EXIT_OK
    out = capsys.readouterr().out
    assert "ignored  IOM-STORE-005: we raise our own error type" in out
    (document,) = json.loads(report.read_text())["reports"]
    assert document["ignored"] == {"IOM-STORE-005": "we raise our own error type"}
    assert "IOM-STORE-005" not in {r["requirement_id"] for r in document["results"]}
    assert document["header"]["selection"] == "select IOM-STORE-00; ignore IOM-STORE-005"
    # a flag overrides the table: --select replaces its select, the ignore still holds
    argv = ["check", "--isolation", "none", "--select", "IOM-STORE-002,IOM-STORE-005"]
    assert cli.main(argv) == cli.EXIT_OK
    # --config none drops the table: now the failing requirement is judged, and fails
    assert cli.main([*argv, "--config", "none", BAD]) == cli.EXIT_FAILED


def test_a_bad_table_or_flag_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _project(tmp_path, "timeouts = 3\n")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["check", GOOD]) == cli.EXIT_USAGE
    assert "unknown key 'timeouts'" in capsys.readouterr().err
    assert cli.main(["check", GOOD, "--config", "none", "--ignore", "IOM-NOPE"]) == cli.EXIT_USAGE
    assert "'IOM-NOPE' matches no requirement" in capsys.readouterr().err
    assert cli.main(["check", GOOD, "--config", str(tmp_path / "missing.toml")]) == 2


def test_list_checks_lists_the_selection_without_a_target(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["check", "--config", "none", "--list-checks", "--select", "IOM-STORE-00",
            "--ignore", "IOM-STORE-005"]
    assert cli.main(argv) == cli.EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("IOM-STORE-001 MUST")
    assert "storage.round_trip" in lines[1]  # the checks judging it
    assert "ignored IOM-STORE-005: ignored on the command line (--ignore)" in lines
    assert not any(line.startswith("IOM-STORE-005") for line in lines)
    assert lines[-1].endswith("1 ignored") and all(len(line) <= 100 for line in lines)


@pytest.mark.slow
def test_the_tables_call_timeout_ends_a_hanging_target(tmp_path: Path) -> None:
    """A deadline set in the table applies: the hanging target is an ERROR (exit 3) naming the
    table's 2 s deadline, not a hang (the CI-gate issue's configurable deadline)."""
    from tests.conformance.hostile.targets import ONCE_DIRECTORY_VARIABLE

    _project(tmp_path, "target = 'tests.conformance.hostile.targets:Hangs'\n"
                       "call-timeout = 2\ntimeout = 120\nselect = ['IOM-STORE-002']\n"
                       "failures-dir = 'none'\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT), **{ONCE_DIRECTORY_VARIABLE: str(tmp_path)})
    done = subprocess.run([sys.executable, "-m", "conformance", "check", "--json", "r.json"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode == cli.EXIT_NOT_JUDGED, done.stdout + done.stderr
    (report,) = json.loads((tmp_path / "r.json").read_text())["reports"]
    (row,) = report["results"]
    assert row["status"] == "error"
    assert "per-call deadline of 2 s" in row["message"] + json.dumps(row["diagnostics"])
