"""Runs every plain-Dagster bug reproduction of docs/FIELD.md: each asserts the bug exists."""

from __future__ import annotations

import pathlib
import re
import warnings

import pytest

for _module in (
    "dagster",
    "pandas",
    "polars",
    "dagster_duckdb_pandas",
    "dagster_polars",
    "dagster_deltalake_polars",
):
    pytest.importorskip(_module)

pytestmark = pytest.mark.field

DOC = pathlib.Path(__file__).resolve().parents[2] / "docs" / "FIELD.md"
_BLOCK = re.compile(r"^### (B\d+\..*?)\n\n(?:.*?\n\n)?```python\n(.*?)```", re.S | re.M)
REPROS = dict(_BLOCK.findall(DOC.read_text(encoding="utf-8")))


def test_every_bug_has_a_reproduction() -> None:
    assert len(REPROS) >= 5, sorted(REPROS)


@pytest.mark.parametrize("title", sorted(REPROS))
def test_reproduction_shows_the_bug(title: str) -> None:
    code = REPROS[title]
    if "polars 2" in title:
        import polars as pl

        if int(pl.__version__.split(".")[0]) < 2:
            pytest.skip("needs polars>=2; the field extra pins polars<2 because of this bug")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exec(
            compile(code, f"FIELD.md: {title}", "exec", dont_inherit=True),
            {"__name__": "__repro__"},
        )


def test_dagster_polars_still_passes_rechunk_to_scan_parquet() -> None:
    """The cause of the polars 2 bug, checked whatever polars is installed (polars 2 removed
    ``scan_parquet(rechunk=...)``; the field extra pins polars<2 until dagster-polars stops)."""
    import inspect

    from dagster_polars.io_managers import parquet

    assert 'rechunk=context_metadata.get("rechunk"' in inspect.getsource(parquet), "fixed?"
