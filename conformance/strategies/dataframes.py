"""Strategies for DataFrame values (pandas and polars), with an optional partition column.

A partitioned table keeps the rows of every partition in one table and tells them apart by a
*partition column* (Dagster's ``partition_expr`` definition metadata names it). The asset that
produces a partition fills that column with its partition key (static partitions) or with a time
inside its time window (time partitions). These strategies draw frames whose partition column
holds a neutral *placeholder* (:data:`STATIC_PLACEHOLDER`, :data:`TIME_PLACEHOLDER`);
:func:`fill_partition_column` fills it consistently with the partition being stored, as the
asset body would (see ``conformance.field.binding``). pandas and polars are imported lazily.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from hypothesis import strategies as st

__all__ = [
    "STATIC_PLACEHOLDER",
    "TIME_PLACEHOLDER",
    "PartitionKind",
    "concat_frames",
    "fill_partition_column",
    "pandas_frames",
    "placeholder",
    "polars_frames",
    "rows",
]

PartitionKind = Literal["static", "time"]

STATIC_PLACEHOLDER = "<unbound>"
"""Partition column value of a drawn frame before it is bound to a static partition key."""

TIME_PLACEHOLDER = datetime.datetime(1970, 1, 1)
"""Partition column value of a drawn frame before it is bound to a time window (naive UTC)."""

Row = tuple[int, float, str]


def rows(*, min_rows: int = 0, max_rows: int = 4) -> st.SearchStrategy[list[Row]]:
    """Rows of ``(id: int64, value: float64, label: str)``: no NaN/inf (NaN != NaN in SQL),
    labels of printable text including quotes and non-ASCII (escaping bugs show)."""
    row = st.tuples(
        st.integers(-(2**53), 2**53),
        st.floats(allow_nan=False, allow_infinity=False, width=64),
        st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=6),
    )
    return st.lists(row, min_size=min_rows, max_size=max_rows)


def placeholder(kind: PartitionKind) -> object:
    """The unbound value of a partition column of ``kind``."""
    return STATIC_PLACEHOLDER if kind == "static" else TIME_PLACEHOLDER


def pandas_frames(
    *,
    partition_columns: Mapping[str, PartitionKind] | None = None,
    min_rows: int = 0,
    max_rows: int = 4,
) -> st.SearchStrategy[Any]:
    """``pandas.DataFrame`` values with columns ``id`` (int64), ``value`` (float64), ``label``
    (object, str) and then one column per ``partition_columns`` entry (name -> kind):
    ``object`` (str) for ``static`` partitions, ``datetime64[ns]`` for ``time`` partitions,
    holding :func:`placeholder` until :func:`fill_partition_column` binds it."""
    import pandas as pd  # type: ignore[import-untyped]

    def build(drawn: list[Row]) -> Any:
        frame = pd.DataFrame(
            {
                "id": pd.Series([r[0] for r in drawn], dtype="int64"),
                "value": pd.Series([r[1] for r in drawn], dtype="float64"),
                "label": pd.Series([r[2] for r in drawn], dtype="object"),
            }
        )
        for column, kind in (partition_columns or {}).items():
            frame = fill_partition_column(frame, column, placeholder(kind))
        return frame

    return rows(min_rows=min_rows, max_rows=max_rows).map(build)


def polars_frames(
    *,
    partition_columns: Mapping[str, PartitionKind] | None = None,
    min_rows: int = 0,
    max_rows: int = 4,
) -> st.SearchStrategy[Any]:
    """``polars.DataFrame`` values with columns ``id`` (Int64), ``value`` (Float64), ``label``
    (String) and then one column per ``partition_columns`` entry (name -> kind): String for
    ``static`` partitions, ``Datetime("us")`` for ``time`` partitions, holding the placeholder."""
    import polars as pl

    def build(drawn: list[Row]) -> Any:
        frame = pl.DataFrame(
            {
                "id": pl.Series([r[0] for r in drawn], dtype=pl.Int64),
                "value": pl.Series([r[1] for r in drawn], dtype=pl.Float64),
                "label": pl.Series([r[2] for r in drawn], dtype=pl.String),
            }
        )
        for column, kind in (partition_columns or {}).items():
            frame = fill_partition_column(frame, column, placeholder(kind))
        return frame

    return rows(min_rows=min_rows, max_rows=max_rows).map(build)


def fill_partition_column(frame: Any, column: str, value: object) -> Any:
    """A copy of ``frame`` (pandas or polars) whose ``column`` holds ``value`` in every row,
    added as the last column when absent. ``value`` is a str (static partitions) or a naive
    ``datetime.datetime`` (time partitions: ``datetime64[ns]`` in pandas, ``Datetime("us")`` in
    polars). The input frame is never modified."""
    module = type(frame).__module__.split(".")[0]
    if module == "polars":
        import polars as pl

        dtype = pl.Datetime("us") if isinstance(value, datetime.datetime) else pl.String
        filled = pl.Series(column, [value] * frame.height, dtype=dtype)
        return frame.with_columns(filled) if column in frame.columns else frame.hstack([filled])
    import pandas as pd

    copy = frame.copy()
    if isinstance(value, datetime.datetime):
        copy[column] = pd.Series([value] * len(copy), dtype="datetime64[ns]", index=copy.index)
    else:
        copy[column] = pd.Series([value] * len(copy), dtype="object", index=copy.index)
    return copy


def concat_frames(frames: Sequence[Any]) -> Any:
    """One frame holding the rows of ``frames`` in order (all pandas or all polars, with the
    same columns and dtypes, which the result keeps; pandas gets a fresh ``RangeIndex``): what
    a table holding them returns, and the ``concat`` of the table subjects. Raises
    ``ValueError`` for no frames (a frame's columns cannot be made up)."""
    if not frames:
        raise ValueError("concat_frames needs at least one frame")
    if type(frames[0]).__module__.split(".")[0] == "polars":
        import polars as pl

        return pl.concat(list(frames), how="vertical")
    import pandas as pd

    return pd.concat(list(frames), ignore_index=True)
