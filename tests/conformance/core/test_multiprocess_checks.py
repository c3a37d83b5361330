"""The multi-process checks (IOM-STORE-012..015): declarations make them not applicable, with
the reason, and the kill points are reproducible."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from conformance.api import check_io_manager
from conformance.checks.consistency import kill_points
from conformance.subject import Capabilities, Subject
from tests.conformance.corpus.broken_concurrency import SharedTempFileName
from tests.conformance.corpus.correct import HashedPickleDirManager

_IDS = ("IOM-STORE-012", "IOM-STORE-013", "IOM-STORE-014", "IOM-STORE-015")


def _statuses(subject: Any) -> dict[str, tuple[str, str]]:
    report = check_io_manager(subject, only="IOM-STORE-01", name="probe")
    return {r.requirement_id: (str(r.status), r.message or "")
            for r in report.results if r.requirement_id in _IDS}


def test_single_writer_declaration_makes_writer_laws_not_applicable() -> None:
    """IOM-STORE-012/013 need ``concurrent_writers``: a manager declaring it absent (whose shared
    temp file would fail IOM-STORE-013) gets not-applicable with the reason; the reader and
    crash laws (IOM-STORE-014/015) still run and pass on it."""
    caps = Capabilities(durable=True, storage_root=True, concurrent_writers=False)
    subject = Subject("single-writer", SharedTempFileName, capabilities=caps)
    statuses = _statuses(subject)
    for rid in ("IOM-STORE-012", "IOM-STORE-013"):
        assert statuses[rid][0] == "not-applicable"
        assert "concurrent_writers" in statuses[rid][1]
    assert statuses["IOM-STORE-014"][0] == "pass"
    assert statuses["IOM-STORE-015"][0] == "pass"


def test_storage_not_shared_between_processes_is_not_applicable(tmp_path: Path) -> None:
    """A durable manager whose storage lives in process memory cannot be raced by processes:
    all four laws are not applicable, saying so (never a false failure)."""
    stores: dict[str, dict[Any, Any]] = {}
    pid = os.getpid()

    class PerProcess(HashedPickleDirManager):
        def put(self, key: Any, obj: Any) -> None:
            stores.setdefault(str(os.getpid() == pid), {})[key] = obj

        def get(self, key: Any) -> Any:
            from tests.conformance.corpus.base import MissingValueError

            try:
                return stores[str(os.getpid() == pid)][key]
            except KeyError:
                raise MissingValueError(repr(key)) from None

    caps = Capabilities(durable=True, storage_root=True)
    statuses = _statuses(Subject("per-process", PerProcess, capabilities=caps))
    for rid in _IDS:
        assert "not shared between processes" in statuses[rid][1], statuses[rid]


def test_kill_points_are_exhaustive_within_budget_and_seeded_beyond() -> None:
    """Every C call is a kill point when they fit the budget; beyond it the sample is the same
    for the same seed and keeps the first and the last call."""
    assert kill_points(5, 40, None) == [1, 2, 3, 4, 5]
    sample = kill_points(500, 40, 7)
    assert sample == kill_points(500, 40, 7)
    assert len(sample) == 40 and sample[0] == 1 and sample[-1] == 500
