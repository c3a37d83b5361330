"""The field matrix of docs/FIELD.md is what the kit finds today: each target is run once
(``pr`` profile, Dagster contexts, manager requirements) and every cell is compared.

The test checks each target with *one* kit run over every requirement and keeps the manager
requirements of the matrix (:data:`MANAGER_PREFIXES`), instead of one run per prefix as
``run_matrix`` does: that runs each check 3.2 times on average (122 check runs against 50 here,
of which 38 report manager requirements). The verdicts are the same, since the ``pr`` profile is
derandomized and a requirement's verdict does not depend on ``only`` (conformance.runner).
"""

from __future__ import annotations

import logging
import pathlib
import re
import warnings

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

from conformance.api import check_io_manager  # noqa: E402
from conformance.field.matrix import END, MANAGER_PREFIXES, START, field_targets  # noqa: E402
from spec.requirements import Binds, get  # noqa: E402

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


def _in_matrix(requirement_id: str) -> bool:
    return requirement_id.startswith(MANAGER_PREFIXES) and (
        get(requirement_id).binds is not Binds.CONTEXT
    )


def _column(target: str) -> dict[str, str]:
    """requirement -> cell of ``target``'s column, from one kit run (``pr``, Dagster contexts)."""
    logging.disable(logging.CRITICAL)  # as run_matrix: managers log per empty frame
    try:
        with field_targets([target]) as (field_target,), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            report = check_io_manager(
                field_target.subject, contexts=field_target.contexts, profile="pr"
            )
    finally:
        logging.disable(logging.NOTSET)
    return {
        r.requirement_id: _CELL[str(r.status)]
        for r in report.results
        if _in_matrix(r.requirement_id)
    }


@pytest.mark.heavy
@pytest.mark.parametrize("target", sorted(EXPECTED))
def test_matrix_column_matches_the_docs(target: str) -> None:
    found = _column(target)
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
