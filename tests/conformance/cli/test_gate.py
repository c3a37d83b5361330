"""The CLI as a CI gate: JUnit output, stored failures and ``replay``, written reproductions,
and verdicts that depend on the seed only (not on ``-j``)."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conformance import cli

MANAGER = '''
class Manager:
    def __init__(self):
        self.values = {}

    def _key(self, context):
        if context.has_asset_key:
            return ("asset", tuple(context.asset_key.path), context.has_partition_key
                    and context.partition_key)
        return ("op", tuple(context.get_identifier()))

    def handle_output(self, context, obj):
        self.values[self._key(context)] = obj

    def load_input(self, context):
        return self.values.get(self._key(context)){fix}
'''
BROKEN = MANAGER.replace("{fix}", "  # None for missing data: IOM-STORE-005")
FIXED = MANAGER.replace("self.values.get(self._key(context)){fix}",
                        "self.values[self._key(context)]")


def _target(tmp_path: Path, source: str) -> str:
    path = tmp_path / "my_manager.py"
    path.write_text(source, encoding="utf-8")
    return f"{path}:Manager"


def test_junit_xml_has_one_failure_naming_the_requirement(tmp_path: Path) -> None:
    """``--junit``: one testcase per requirement, a FAIL is a ``failure`` citing the law."""
    junit = tmp_path / "report.xml"
    argv = ["check", _target(tmp_path, BROKEN), "--only", "IOM-STORE-00", "--junit", str(junit),
            "--failures-dir", "none"]
    assert cli.main(argv) == cli.EXIT_FAILED
    suites = ET.parse(junit).getroot()
    cases = suites.findall(".//testcase")
    assert cases and all(c.get("name", "").startswith("IOM-STORE-00") for c in cases)
    failed = [c for c in cases if c.find("failure") is not None]
    assert [c.get("name", "").split()[0] for c in failed] == ["IOM-STORE-005"]
    failure = failed[0].find("failure")
    assert failure is not None and "IOM-STORE-005" in (failure.get("message") or "")


def test_a_stored_failure_replays_still_failing_then_fixed_and_its_reproduction_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The user's loop: ``check`` stores the failure and writes a pytest reproduction; both
    say STILL FAILING / fail while the manager is broken, FIXED / pass once it is fixed."""
    target = _target(tmp_path, BROKEN)
    failures, repros = tmp_path / "failures", tmp_path / "repros"
    argv = ["check", target, "--only", "IOM-STORE-005", "--failures-dir", str(failures),
            "--repro-dir", str(repros)]
    assert cli.main(argv) == cli.EXIT_FAILED
    [record] = list(failures.glob("*.json"))
    assert json.loads(record.read_text())["requirement_id"] == "IOM-STORE-005"
    [repro] = list(repros.glob("test_*.py"))
    capsys.readouterr()

    replay = ["replay", "--failures-dir", str(failures)]
    assert cli.main(replay) == cli.EXIT_FAILED
    assert "STILL FAILING" in capsys.readouterr().out
    run = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(repro)]
    still = subprocess.run(run, capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert still.returncode == 1, still.stdout + still.stderr
    assert "IOM-STORE-005 (MUST)" in still.stdout

    (tmp_path / "my_manager.py").write_text(FIXED, encoding="utf-8")
    assert cli.main(replay) == cli.EXIT_OK
    assert "FIXED" in capsys.readouterr().out
    fixed = subprocess.run(run, capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr


def _verdicts(path: Path) -> list[tuple[str, str, object]]:
    results = json.loads(path.read_text())["reports"][0]["results"]
    return [(r["requirement_id"], r["status"], r.get("counterexample")) for r in results]


def test_one_seed_gives_the_same_verdicts_with_one_worker_or_two(tmp_path: Path) -> None:
    """Verdicts and counterexamples depend on the seed only: ``-j 1`` and ``-j 2`` agree."""
    target = _target(tmp_path, BROKEN)
    runs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"j{jobs}.json"
        argv = ["check", target, "--only", "IOM-STORE", "--seed", "7", "-j", jobs,
                "--json", str(out), "--failures-dir", "none"]
        assert cli.main(argv) == cli.EXIT_FAILED
        runs.append(_verdicts(out))
    assert runs[0] == runs[1]
    assert ("IOM-STORE-005", "fail") in [(rid, status) for rid, status, _ in runs[0]]
