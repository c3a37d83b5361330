"""``conformance.parametrize_with_checks``: one test per check, stable IDs, -k, --lf, xdist.

Inner runs use ``runpytest_subprocess`` (hypothesis keeps global state) with this checkout
first on ``PYTHONPATH``, and ``-k`` to keep the kit's work to a few checks.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance import parametrize_with_checks
from conformance.families import ValuesError
from conformance.parametrize import check_ids
from conformance.runner import plan_checks
from conformance.subject import Subject
from tests.conformance.cli.sample_managers import GoodManager

ROOT = Path(__file__).resolve().parents[3]
TESTS = '''
import conformance
from conformance.subject import Capabilities
from tests.conformance.cli.sample_managers import JsonFileManager, NoneForMissingManager

NO_PARTITIONS = Capabilities(partitions=False, partition_ranges=False, multi_partitions=False)


@conformance.parametrize_with_checks(JsonFileManager, values="json")
def test_json_manager(check):
    check()


@conformance.parametrize_with_checks(NoneForMissingManager, capabilities=NO_PARTITIONS)
def test_broken_manager(check):
    check()
'''


@pytest.fixture
def suite(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    pytester.makepyfile(test_mine=TESTS)
    return pytester


def test_ids_are_requirement_ids_unique_and_stable() -> None:
    checks = plan_checks(Subject.from_object(GoodManager))
    ids = check_ids(checks)
    assert len(set(ids)) == len(ids) == len(checks)
    assert "IOM-STORE-007" in ids and "IOM-STORE-001.round_trip" in ids
    assert ids == check_ids(plan_checks(Subject.from_object(GoodManager)))


def test_bad_arguments_fail_at_decoration() -> None:
    with pytest.raises(ValuesError, match="unknown value family"):
        parametrize_with_checks(GoodManager, values="nope")


def test_one_test_per_check_selected_with_k(suite: pytest.Pytester) -> None:
    collected = suite.runpytest_subprocess("--collect-only", "-q")
    collected.stdout.fnmatch_lines([
        "test_mine.py::test_json_manager?IOM-STORE-001.round_trip?",
        "test_mine.py::test_json_manager?IOM-STORE-007?",
    ])
    result = suite.runpytest_subprocess("-k", "json_manager and IOM-STORE-00", "-v")
    result.stdout.fnmatch_lines(["*test_json_manager?IOM-STORE-007? PASSED*"])
    outcomes = result.parseoutcomes()
    assert outcomes["passed"] >= 6 and "failed" not in outcomes, outcomes


def test_a_failing_check_names_its_requirement_and_lf_reruns_only_it(
    suite: pytest.Pytester,
) -> None:
    first = suite.runpytest_subprocess("-k", "broken_manager and (IOM-STORE-005 or IOM-STORE-003"
                                       " or IOM-PART-005)", "-rs")
    first.assert_outcomes(passed=1, failed=1, skipped=1, deselected=first.parseoutcomes()[
        "deselected"])
    first.stdout.fnmatch_lines([
        "*IOM-STORE-005 (MUST) Missing data raises: fail for *NoneForMissingManager*",
        "*counterexample:*",
        "*not applicable*partitions*",
    ])
    rerun = suite.runpytest_subprocess("--lf", "-v")
    rerun.stdout.fnmatch_lines(["*test_broken_manager?IOM-STORE-005? FAILED*"])
    assert rerun.parseoutcomes()["failed"] == 1 and "passed" not in rerun.parseoutcomes()


def test_runs_under_xdist(suite: pytest.Pytester) -> None:
    result = suite.runpytest_subprocess("-n", "2", "-k", "json_manager and IOM-STORE-00")
    outcomes = result.parseoutcomes()
    assert outcomes["passed"] >= 6 and "failed" not in outcomes, outcomes
