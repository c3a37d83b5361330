"""Reusable equalities for ``Subject.equals`` (``conformance.equality``).

Every equality here is strict about what a manager must keep (the value's type, column names
and order, dtypes, every cell) and lenient only about what the storage does not define. A table
in a database has no row order, so :func:`frames_equal_ignoring_row_order` compares rows as a
multiset; a file written by one writer keeps its row order, so :func:`frames_equal` compares
rows in order. pandas and polars are imported lazily: neither is a dependency of the kit.
"""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["arrow_tables_equal", "frames_equal", "frames_equal_ignoring_row_order"]


def _pandas() -> Any:
    return sys.modules.get("pandas")


def _polars() -> Any:
    return sys.modules.get("polars")


def _kind(value: object) -> str | None:
    pd, pl = _pandas(), _polars()
    if pd is not None and type(value) is pd.DataFrame:
        return "pandas"
    if pl is not None and type(value) is pl.DataFrame:
        return "polars"
    return None


def _same_frame(left: object, right: object, *, ordered: bool) -> bool:
    kind = _kind(left)
    if kind is None or kind != _kind(right):
        return False
    if kind == "pandas":
        return _pandas_equal(left, right, ordered=ordered)
    return _polars_equal(left, right, ordered=ordered)


def _pandas_equal(left: Any, right: Any, *, ordered: bool) -> bool:
    pd = _pandas()
    if list(left.columns) != list(right.columns) or list(left.dtypes) != list(right.dtypes):
        return False
    if len(left) != len(right):
        return False
    if not ordered and len(left.columns) and len(left):
        columns = list(left.columns)
        left = left.sort_values(columns, kind="mergesort", na_position="first")
        right = right.sort_values(columns, kind="mergesort", na_position="first")
    try:
        pd.testing.assert_frame_equal(
            left.reset_index(drop=True), right.reset_index(drop=True), check_exact=True
        )
    except AssertionError:
        return False
    return True


def _polars_equal(left: Any, right: Any, *, ordered: bool) -> bool:
    if left.columns != right.columns or left.dtypes != right.dtypes or left.shape != right.shape:
        return False
    if not ordered and left.width and left.height:
        left = left.sort(left.columns, nulls_last=False, maintain_order=True)
        right = right.sort(right.columns, nulls_last=False, maintain_order=True)
    return bool(left.equals(right))


def frames_equal(left: object, right: object) -> bool:
    """Same frame library and class, same columns in the same order, same dtypes, same rows
    in the same order, exact cell values. Anything that is not a pandas or polars DataFrame is
    unequal to everything (a manager that loads ``None`` for a frame fails)."""
    return _same_frame(left, right, ordered=True)


def frames_equal_ignoring_row_order(left: object, right: object) -> bool:
    """Like :func:`frames_equal`, but rows compare as a multiset (a duplicated row must be
    duplicated on both sides). For storage without a row order (database tables)."""
    return _same_frame(left, right, ordered=False)


def arrow_tables_equal(left: object, right: object) -> bool:
    """Both ``pyarrow.Table`` with the same schema (names, order, types) and the same rows in
    the same order (``Table.equals``; schema metadata is not compared). Anything else is
    unequal to everything."""
    pa = sys.modules.get("pyarrow")
    if pa is None or type(left) is not pa.Table or type(right) is not pa.Table:
        return False
    table: Any = left
    return bool(table.equals(right))
