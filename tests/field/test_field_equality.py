"""conformance.equality: frame equalities are strict about everything but row order."""

from __future__ import annotations

import pytest

pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")

from conformance.equality import frames_equal, frames_equal_ignoring_row_order  # noqa: E402

pytestmark = pytest.mark.field


def test_pandas_row_order() -> None:
    frame = pd.DataFrame({"a": [1, 2, 2], "b": ["x", "y", "z"]})
    shuffled = frame.iloc[[2, 0, 1]]
    assert frames_equal(frame, frame.copy())
    assert not frames_equal(frame, shuffled)
    assert frames_equal_ignoring_row_order(frame, shuffled)


def test_polars_row_order() -> None:
    frame = pl.DataFrame({"a": [1, 2, 2], "b": ["x", "y", "z"]})
    assert frames_equal(frame, frame.clone())
    assert not frames_equal(frame, frame.reverse())
    assert frames_equal_ignoring_row_order(frame, frame.reverse())


@pytest.mark.parametrize("equals", [frames_equal, frames_equal_ignoring_row_order])
def test_strict_about_content_types_and_duplicates(equals: object) -> None:
    assert callable(equals)
    frame = pd.DataFrame({"a": [1, 1, 2]})
    assert not equals(frame, pd.DataFrame({"a": [1, 2, 2]}))  # multiset, not set
    assert not equals(frame, frame.astype("float64"))  # dtype
    assert not equals(frame, frame.rename(columns={"a": "b"}))  # column names
    assert not equals(frame, pl.DataFrame({"a": [1, 1, 2]}))  # library
    assert not equals(frame, None)
    assert not equals(None, None)  # not a frame
    two = pd.DataFrame({"a": [1], "b": [2]})
    assert not equals(two, two[["b", "a"]])  # column order
    assert not equals(pl.DataFrame({"a": [1]}), pl.DataFrame({"a": [1]}, schema={"a": pl.Int32}))
