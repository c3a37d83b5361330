"""The kit passes correct managers and catches broken ones, attributing the failure precisely."""

from __future__ import annotations

import json

from conformance.api import check_io_manager
from conformance.report import Status
from conformance.subject import Capabilities, Subject
from reference_impl.storage import InMemoryIOManager
from tests.conformance.core.sample_managers import (
    DictManager,
    LastComponentManager,
    NoneForMissingManager,
    PickleDirectoryManager,
)


def _must_problems(report: object) -> list[tuple[str, str]]:
    return [(r.requirement_id, r.message) for r in report.failures("MUST")]  # type: ignore[attr-defined]


def test_dict_manager_passes_every_must() -> None:
    report = check_io_manager(DictManager)
    assert report.ok, _must_problems(report)
    statuses = {r.requirement_id: r.status for r in report.results}
    assert statuses["IOM-STORE-004"] is Status.NOT_APPLICABLE
    assert report.examples > 0 and report.examples_per_second > 0


def test_directory_manager_passes_every_must_including_durability_and_confinement() -> None:
    report = check_io_manager(PickleDirectoryManager)
    assert report.ok, _must_problems(report)
    confinement = [r for r in report.results if r.requirement_id.startswith("IOM-SEC")]
    assert confinement and all(r.status is Status.PASS for r in confinement if r.level == "MUST")
    durability = {r.requirement_id: r.status for r in report.results}
    assert durability["IOM-STORE-004"] is Status.PASS  # persistence: judged, not skipped


def test_last_component_manager_fails_asset_isolation() -> None:
    report = check_io_manager(LastComponentManager, only="IOM-ID-011")
    (result,) = report.results
    assert result.status is Status.FAIL
    assert result.counterexample is not None and result.reproduction is not None
    json.dumps(report.to_dict())
    compile(result.reproduction, "<reproduction>", "exec")


def test_none_for_missing_manager_fails_missing_data() -> None:
    report = check_io_manager(NoneForMissingManager, only="IOM-STORE-005")
    assert [r.requirement_id for r in report.failures()] == ["IOM-STORE-005"]
    assert not report.ok


def test_reference_in_memory_manager_passes_every_applicable_must() -> None:
    subject = Subject.from_object(
        InMemoryIOManager, capabilities=Capabilities(assets=False, partitions=False)
    )
    report = check_io_manager(subject)
    assert report.ok, _must_problems(report)
    reasons = {r.requirement_id: r.message for r in report.results}
    assert reasons["IOM-ID-011"] == "capability 'assets' declared absent"


def test_pr_profile_is_deterministic() -> None:
    def summary() -> list[tuple[str, str, int]]:
        report = check_io_manager(NoneForMissingManager, only="IOM-STORE-00")
        return [(r.requirement_id, r.status.value, r.examples) for r in report.results]

    assert summary() == summary()
