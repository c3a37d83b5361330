"""Value strategies per serialisation family: what a JSON, msgpack or Arrow manager stores.

``values()`` (:mod:`conformance.strategies.values`) is the pickle family; the frame families
reuse :func:`~conformance.strategies.dataframes.pandas_frames` and
:func:`~conformance.strategies.dataframes.polars_frames`. Every strategy here draws values that
survive their format's round trip with their type intact (JSON: no tuples, bytes, sets, NaN or
infinities; msgpack: JSON plus bytes, integers within 64 bits).
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from conformance.strategies.dataframes import rows

__all__ = ["arrow_tables", "json_values", "msgpack_values"]


def _finite_floats() -> st.SearchStrategy[float]:
    return st.floats(allow_nan=False, allow_infinity=False)


def json_values() -> st.SearchStrategy[object]:
    """Values ``json.loads(json.dumps(v))`` returns equal and of the same type: ``None``,
    bools, integers, finite floats, text, and nested lists and str-keyed dicts."""
    scalars = st.one_of(
        st.none(), st.booleans(), st.integers(), _finite_floats(), st.text(max_size=10)
    )
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=3), inner, max_size=3),
        max_leaves=6,
    )


def msgpack_values() -> st.SearchStrategy[object]:
    """Values msgpack round-trips by default (``use_bin_type``, lists for arrays): JSON's
    values plus bytes, with integers in ``[-2**63, 2**64)``."""
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**63), 2**64 - 1),
        _finite_floats(),
        st.text(max_size=10),
        st.binary(max_size=10),
    )
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=3), inner, max_size=3),
        max_leaves=6,
    )


def arrow_tables(*, min_rows: int = 0, max_rows: int = 4) -> st.SearchStrategy[Any]:
    """``pyarrow.Table`` values with columns ``id`` (int64), ``value`` (float64) and ``label``
    (string), drawn from the same rows as the frame strategies."""
    import pyarrow

    pa: Any = pyarrow  # pyarrow's compiled functions carry no types

    def build(drawn: list[tuple[int, float, str]]) -> Any:
        return pa.table(
            {
                "id": pa.array([r[0] for r in drawn], pa.int64()),
                "value": pa.array([r[1] for r in drawn], pa.float64()),
                "label": pa.array([r[2] for r in drawn], pa.string()),
            }
        )

    return rows(min_rows=min_rows, max_rows=max_rows).map(build)
