"""Proof of power: the kit (``pr`` profile) catches every broken manager and no correct one."""

from __future__ import annotations

import pytest

from conformance.api import check_io_manager
from spec.requirements import REQUIREMENTS
from tests.conformance.corpus.killrate import (
    BROKEN_MANAGERS,
    CORRECT_MANAGERS,
    kill_rate_table,
    outcome,
    report_for,
    subject_for,
)


def test_corpus_is_large_enough_and_well_labelled() -> None:
    assert len(BROKEN_MANAGERS) >= 25
    assert len(CORRECT_MANAGERS) >= 4
    for manager in BROKEN_MANAGERS:
        assert manager.breaks in REQUIREMENTS, manager  # type: ignore[attr-defined]
    assert len({m.__name__ for m in (*BROKEN_MANAGERS, *CORRECT_MANAGERS)}) == len(
        BROKEN_MANAGERS
    ) + len(CORRECT_MANAGERS)


@pytest.mark.parametrize("manager", BROKEN_MANAGERS, ids=lambda m: m.__name__)
def test_broken_manager_is_caught_on_the_requirement_it_breaks(manager: type) -> None:
    result = outcome(manager)
    own = [r for r in report_for(manager).results if r.requirement_id == result.breaks]
    assert result.caught, (
        f"{manager.__name__} breaks {result.breaks} but the kit reported failures only for "
        f"{result.failing or 'nothing'}; its result for {result.breaks}: "
        + "; ".join(f"{r.status} after {r.examples} examples {r.message[:300]}" for r in own)
    )


@pytest.mark.parametrize("manager", CORRECT_MANAGERS, ids=lambda m: m.__name__)
def test_correct_manager_passes_every_must(manager: type) -> None:
    report = report_for(manager)
    failures = report.failures("MUST")
    assert not failures, "\n\n".join(
        f"{r.requirement_id}: {r.message}\ncounterexample: {r.counterexample}" for r in failures
    )
    assert report.examples > 0


def test_kill_rate_and_false_positives(capsys: pytest.CaptureFixture[str]) -> None:
    broken = [outcome(m) for m in BROKEN_MANAGERS]
    correct = [outcome(m) for m in CORRECT_MANAGERS]
    table = kill_rate_table(broken, correct)
    with capsys.disabled():
        print("\n" + table)
    assert all(o.caught for o in broken), table
    assert not any(o.false_positive for o in correct), table


@pytest.mark.parametrize("manager", BROKEN_MANAGERS, ids=lambda m: m.__name__)
def test_only_never_changes_the_verdict_on_the_broken_requirement(manager: type) -> None:
    """Law: the result for a manager's broken requirement is the same with ``only=<that ID>``
    as in the full run (every check declares every requirement it may report)."""
    breaks: str = manager.breaks  # type: ignore[attr-defined]
    full = {r.requirement_id: r for r in report_for(manager).results}[breaks]
    narrow = check_io_manager(subject_for(manager), only=breaks, name=manager.__name__)
    (selected,) = [r for r in narrow.results if r.requirement_id == breaks]
    assert (selected.status, selected.message) == (full.status, full.message), (
        f"{breaks}: full run {full.status} ({full.message[:200]}), "
        f"only={breaks} {selected.status} ({selected.message[:200]})"
    )
