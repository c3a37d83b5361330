"""The kit writes nothing where the user did not ask: a passing run leaves the working
directory as it was (no ``.hypothesis``, no cache); a failing run adds only the documented,
self-ignoring ``.conformance/`` folder (its stored failures, for ``replay``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

GOOD = "tests.conformance.cli.sample_managers:GoodManager"
BAD = "tests.conformance.cli.sample_managers:NoneForMissingManager"
ROOT = Path(__file__).resolve().parents[3]


def _check_in(cwd: Path, *argv: str) -> int:
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONDONTWRITEBYTECODE="1")
    done = subprocess.run([sys.executable, "-m", "conformance", "check", *argv,
                           "--config", "none", "--select", "IOM-STORE-00"],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    return done.returncode


def _tree(directory: Path) -> list[str]:
    return sorted(str(p.relative_to(directory)) for p in directory.rglob("*"))


@pytest.mark.parametrize("isolation", ["process", "none"])
def test_a_passing_run_writes_nothing_in_the_working_directory(
    tmp_path: Path, isolation: str
) -> None:
    assert _check_in(tmp_path, GOOD, "--isolation", isolation) == 0
    assert _tree(tmp_path) == []


def test_a_failing_run_writes_only_the_self_ignoring_conformance_folder(tmp_path: Path) -> None:
    assert _check_in(tmp_path, BAD) == 1
    entries = _tree(tmp_path)
    assert {entry.split(os.sep)[0] for entry in entries} == {".conformance"}
    assert (tmp_path / ".conformance" / ".gitignore").read_text().splitlines()[-1] == "*"
    assert any(entry.endswith(".json") for entry in entries)


def test_failures_dir_none_writes_nothing_even_when_failing(tmp_path: Path) -> None:
    assert _check_in(tmp_path, BAD, "--failures-dir", "none") == 1
    assert _tree(tmp_path) == []
