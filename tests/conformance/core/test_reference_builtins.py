"""The reference built-ins conform: every applicable MUST passes in the pr profile."""

from __future__ import annotations

import pathlib

import pytest

from conformance.api import check_io_manager
from conformance.builtins import builtin_subjects
from conformance.report import Status
from conformance.subject import Capabilities, Subject
from reference_impl.storage import PickledObjectFilesystemIOManager


def _pickled_object(directory: pathlib.Path) -> object:
    return PickledObjectFilesystemIOManager(base_dir=str(directory))


def _subjects() -> list[Subject]:
    pickled = Subject.from_object(
        _pickled_object,
        name="PickledObjectFilesystemIOManager",
        capabilities=Capabilities(durable=True, storage_root=True),
    )
    return [*builtin_subjects(), pickled]


@pytest.mark.parametrize("subject", [pytest.param(s, id=s.name) for s in _subjects()])
def test_reference_builtin_passes_every_applicable_must(subject: Subject) -> None:
    report = check_io_manager(subject, profile="pr")
    problems = {r.requirement_id: r.message for r in report.failures("MUST")}
    assert report.ok, problems
    if subject.capabilities.storage_root:  # confined to its root: judged, never skipped
        confinement = [r for r in report.results
                       if r.requirement_id.startswith("IOM-SEC") and r.level == "MUST"]
        assert confinement and all(r.status is Status.PASS for r in confinement), confinement
