"""The kit on Dagster's own built-in IO managers, through real Dagster contexts.

Each case pins one requirement's status for one manager: the confirmed Dagster bugs must keep
failing (a pass means Dagster fixed it, or the kit lost its power), and sound behaviour must
keep passing. Shrinking is skipped: only the status matters here (docs/DAGSTER.md has the table).
"""

from __future__ import annotations

import json
import subprocess
import sys
import warnings

import pytest

pytest.importorskip("dagster")

from hypothesis import Phase

from conformance.bridges.dagster import DagsterContextFactory
from conformance.bridges.dagster_subjects import LOCAL_SUBJECTS
from conformance.profiles import Profile, get_profile
from conformance.runner import run_checks

pytestmark = pytest.mark.dagster

_PR = get_profile("pr")
_PHASES = [Phase.explicit, Phase.reuse, Phase.generate]
NO_SHRINK = Profile(
    "pr-noshrink",
    type(_PR.settings)(_PR.settings, phases=_PHASES),
    type(_PR.stateful)(_PR.stateful, phases=_PHASES),
)

CASES = [
    ("FilesystemIOManager", "IOM-ID-010", "fail"),  # versions "a//b" and "a/b": one path
    ("FilesystemIOManager", "IOM-STORE-003", "pass"),
    ("FilesystemIOManager", "IOM-STORE-007", "fail"),  # truncates the file before pickling
    ("FilesystemIOManager", "IOM-PART-017", "fail"),  # stored None dropped from range dicts
    ("FilesystemIOManager", "IOM-SEC-001", "fail"),  # asset key ["..", "x"] escapes base_dir
    ("FilesystemIOManager", "IOM-PART-001", "fail"),  # static ranges in hash order
    ("FilesystemIOManager", "IOM-PART-013", "fail"),  # multi ranges in hash order
    ("FilesystemIOManager", "IOM-CTX-003", "pass"),  # covered set is right, order aside
    ("FilesystemIOManager", "IOM-ID-013", "pass"),  # assets load from a later run
    ("FilesystemIOManager", "IOM-ID-015", "pass"),  # versioned_outputs/<version>/<step>/<name>
    ("fs_io_manager", "IOM-ID-011", "fail"),  # ["a/b"] and ["a", "b"] share one file
    ("InMemoryIOManager", "IOM-ID-010", "pass"),
    ("InMemoryIOManager", "IOM-ID-015", "pass"),  # keyed by the run-free identifier
    ("mem_io_manager", "IOM-STORE-005", "pass"),
    ("UPathIOManager-sync-pickle", "IOM-PART-005", "pass"),
    ("UPathIOManager-sync-json", "IOM-STORE-001", "pass"),
    ("UPathIOManager-sync-pickle", "IOM-ID-013", "pass"),
    ("UPathIOManager-async-pickle", "IOM-PART-008", "fail"),  # values re-keyed positionally
    ("UPathIOManager-async-pickle", "IOM-PART-004", "fail"),  # one partition loads as a dict
    ("UPathIOManager-async-pickle", "IOM-PART-021", "fail"),  # same under allow_missing (#28942)
    ("UPathIOManager-sync-pickle", "IOM-PART-021", "pass"),  # bare value, None when missing
    ("FilesystemIOManager", "IOM-PART-020", "pass"),  # re-storing a partition keeps the others
    ("FilesystemIOManager", "IOM-STORE-010", "pass"),  # storing twice loads one copy
    ("UPathIOManager-sync-pickle", "IOM-PART-022", "pass"),  # range dicts keyed by the keys
]


@pytest.mark.parametrize(("manager", "requirement", "status"), CASES)
def test_dagster_builtin_requirement_status(manager: str, requirement: str, status: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report = run_checks(
            LOCAL_SUBJECTS[manager](), DagsterContextFactory(), NO_SHRINK, only=requirement
        )
    (result,) = [r for r in report.results if r.requirement_id == requirement]
    assert str(result.status) == status, result.message


MULTI_PROCESS = {
    "IOM-STORE-013": "pass",  # concurrent writers of one key end with one whole value
    "IOM-STORE-014": "fail",  # a reader mid-write sees the truncated file
    "IOM-STORE-015": "fail",  # a writer killed mid-pickle leaves a torn file
}
_IN_FRESH_PROCESS = """
import json, sys, warnings
from conformance.bridges.dagster import DagsterContextFactory
from conformance.bridges.dagster_subjects import LOCAL_SUBJECTS
from conformance.runner import run_checks
from tests.conformance.bridge.test_dagster_builtins import NO_SHRINK
warnings.simplefilter("ignore")
report = run_checks(LOCAL_SUBJECTS["FilesystemIOManager"](), DagsterContextFactory(), NO_SHRINK,
                    only="IOM-STORE-01")
print(json.dumps({r.requirement_id: [str(r.status), r.message] for r in report.results}))
"""


def test_dagster_filesystem_manager_under_several_processes() -> None:
    """The multi-process laws on Dagster's FilesystemIOManager, pinned like the cases above.

    They run in a fresh interpreter: the kit forks its writers and declares the checks not
    applicable in a process that runs native threads, which earlier tests in this worker (a
    polars or pyarrow frame) may have started."""
    done = subprocess.run([sys.executable, "-c", _IN_FRESH_PROCESS], capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(done.stdout.strip().splitlines()[-1])
    found = {rid: results[rid][0] for rid in MULTI_PROCESS}
    assert found == MULTI_PROCESS, {rid: results[rid][1][:300] for rid in MULTI_PROCESS}
