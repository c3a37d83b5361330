"""The multi-checker typing conformance suite (tests/spec/typing_suite.py) against its record.

tests/typecases/results.json records, per checker and case, whether the checker reported errors
on exactly the ``# E:`` lines. A checker that was conformant on a case must stay so; the table
in docs/TYPING.md must be the one the record renders to.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from conformance.checkers import CHECKERS, checker_version, is_installed
from tests.spec import typing_suite as suite


def _recorded() -> dict[str, Any]:
    recorded: dict[str, Any] = json.loads(suite.RESULTS.read_text(encoding="utf-8"))
    return recorded


def test_the_record_covers_every_checker_and_case_with_the_current_markers() -> None:
    recorded = _recorded()["checkers"]
    assert sorted(recorded) == sorted(CHECKERS)
    for name, entry in recorded.items():
        assert sorted(entry["cases"]) == sorted(map(suite.case_name, suite.case_files())), name
        for file in suite.case_files():
            stale = entry["cases"][suite.case_name(file)]["expected"]
            assert stale == list(suite.expected_lines(file)), (
                f"{suite.case_name(file)}'s # E: markers changed since the record; rerun "
                f"python scripts/typing_conformance.py --write"
            )


def test_docs_typing_table_is_the_rendered_record() -> None:
    assert suite.doc_block(_recorded()) in suite.DOC.read_text(encoding="utf-8"), (
        "docs/TYPING.md is out of date; rerun python scripts/typing_conformance.py --write"
    )


@pytest.mark.parametrize("checker", CHECKERS)
def test_a_checker_conformant_on_a_case_stays_conformant(checker: str) -> None:
    """Regression gate: every case recorded as conformant for ``checker`` still is."""
    if not is_installed(checker):
        pytest.skip(f"{checker} is not installed (pip install 'iomanager-spec[typecheckers]')")
    recorded = _recorded()["checkers"][checker]
    results, _ = suite.run_cases(checker, suite.runnable_case_files())
    regressed = {
        case: result for case, result in results.items()
        if recorded["cases"][case]["conformant"] and not result.conformant
    }
    assert not regressed, (
        f"{checker} {checker_version(checker)} (recorded with {recorded['version']}) is no "
        f"longer conformant on: " + "; ".join(
            f"{case}: expected errors on lines {list(r.expected)}, reported {list(r.reported)}"
            for case, r in regressed.items()
        )
    )

