"""The pr profile always probes adversarial keys and key order, so Dagster's bugs are caught
every run, not by luck (IOM-SEC-001, IOM-PART-001/013), and its sound behaviour passes."""

from __future__ import annotations

import json
import warnings

import pytest

pytest.importorskip("dagster")

from conformance.api import check_io_manager
from conformance.bridges.dagster_subjects import LOCAL_SUBJECTS
from conformance.report import Status

pytestmark = pytest.mark.dagster


def test_dagster_filesystem_manager_fails_confinement_in_the_pr_profile() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report = check_io_manager(
            LOCAL_SUBJECTS["FilesystemIOManager"](), contexts="dagster", only="IOM-SEC-001"
        )
    (result,) = report.results
    assert result.status is Status.FAIL, result
    assert "changed outside the root" in result.message
    assert '".."' in json.dumps(result.counterexample)


def test_dagster_context_orders_fail_deterministically_and_coverage_passes() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report = check_io_manager(
            LOCAL_SUBJECTS["FilesystemIOManager"](), contexts="dagster", only="IOM-PART-0"
        )
        statuses = {r.requirement_id: r.status for r in report.results}
        ctx = check_io_manager(
            LOCAL_SUBJECTS["FilesystemIOManager"](), contexts="dagster", only="IOM-CTX-003"
        )
    assert statuses["IOM-PART-001"] is Status.FAIL
    assert statuses["IOM-PART-013"] is Status.FAIL
    assert ctx.results[0].status is Status.PASS, ctx.results[0].message


def test_dagster_manager_runs_with_reference_contexts() -> None:
    """Dagster's MetadataValue objects are accepted by the reference contexts (IOM-META-007)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report = check_io_manager(LOCAL_SUBJECTS["FilesystemIOManager"](), only="IOM-META-007")
    (result,) = report.results
    assert result.status is Status.PASS, result.message
