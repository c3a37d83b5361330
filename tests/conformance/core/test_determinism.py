"""Same seed, same verdicts: the kit's generation depends on the seed alone
(conformance.determinism), not on the modules the process imported before the run."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

from conformance.api import check_io_manager
from conformance.report import Report
from tests.conformance.corpus.broken_identifiers import UnderscoreJoinedAssetKey

providers = pytest.importorskip("hypothesis.internal.conjecture.providers")


def _verdicts(report: Report) -> list[tuple[str, str, int, object]]:
    return [(r.requirement_id, r.status.value, r.examples, r.counterexample)
            for r in report.results]


def _run() -> Report:
    return check_io_manager(UnderscoreJoinedAssetKey, only="IOM-PART-00", seed=1234)


def test_no_local_constant_reaches_the_kits_generation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Law (kit determinism, the CI-gate issue): while a check runs, Hypothesis sees no local
    constants, although a local module full of identifier-like literals is loaded; outside the
    check they are back; and the run's statuses, example counts and counterexamples are the
    same before and after that module was imported."""
    before = _verdicts(_run())
    literals = ", ".join(repr(f"{a}{b}") for a in "abcxyz_./" for b in "abcxyz_./")
    (tmp_path / "plenty_of_literals.py").write_text(f"WORDS = [{literals}]\nNUMBERS = [7, 255]\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.import_module("plenty_of_literals")
    seen: list[int] = []
    original = providers.HypothesisProvider._maybe_draw_constant

    def spy(self: object, *args: object, **kwargs: object) -> object:
        seen.append(len(providers._get_local_constants().strings))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(providers.HypothesisProvider, "_maybe_draw_constant", spy)
    try:
        after = _verdicts(_run())
        assert seen and max(seen) == 0
        assert len(providers._get_local_constants().strings) > 0
        assert after == before
    finally:
        sys.modules.pop("plenty_of_literals", None)
