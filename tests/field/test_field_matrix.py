"""The field matrix of docs/FIELD.md is what the kit finds today: each target is run once
(``pr`` profile, Dagster contexts, manager requirements) and every cell is compared."""

from __future__ import annotations

import pathlib
import re

import pytest

for _module in (
    "dagster",
    "pandas",
    "polars",
    "duckdb",
    "deltalake",
    "dagster_duckdb_pandas",
    "dagster_polars",
    "dagster_deltalake_polars",
    "dagster_aws",
    "moto",
):
    pytest.importorskip(_module)

from conformance.field.matrix import END, START, MatrixRun, run_matrix  # noqa: E402

pytestmark = pytest.mark.field

DOC = pathlib.Path(__file__).resolve().parents[2] / "docs" / "FIELD.md"
_ROW = re.compile(r"^\| (IOM-[A-Z]+-\d{3}) \| [A-Z]+ \| (.*) \|$")


def documented() -> dict[str, dict[str, str]]:
    """target -> requirement -> cell, from the generated block of docs/FIELD.md."""
    block = DOC.read_text(encoding="utf-8").split(START, 1)[1].split(END, 1)[0]
    lines = block.strip().splitlines()
    targets = [cell.split(" (")[0] for cell in lines[0].strip("| ").split(" | ")[2:]]
    cells: dict[str, dict[str, str]] = {t: {} for t in targets}
    for line in lines[2:]:
        match = _ROW.match(line)
        if match is None:
            break
        for target, cell in zip(targets, match.group(2).split(" | "), strict=True):
            cells[target][match.group(1)] = cell.strip()
    return cells


EXPECTED = documented()
_CELL = {"pass": "P", "fail": "**F**", "error": "**E**", "not-applicable": "-"}
_RUNS: dict[str, MatrixRun] = {}


def _run(target: str) -> MatrixRun:
    if target not in _RUNS:
        (_RUNS[target],) = run_matrix([target])
    return _RUNS[target]


@pytest.mark.heavy
@pytest.mark.parametrize("target", sorted(EXPECTED))
def test_matrix_column_matches_the_docs(target: str) -> None:
    run = _run(target)
    found = {r.requirement_id: _CELL[str(r.status)] for r in run.report.results}
    differences = {
        rid: (cell, found.get(rid))
        for rid, cell in EXPECTED[target].items()
        if found.get(rid) != cell
    }
    assert not differences, (
        f"{target}: (documented, found) differ; regenerate with "
        f"`python scripts/field_matrix.py --markdown docs/FIELD.md` and re-classify: "
        f"{differences}"
    )
