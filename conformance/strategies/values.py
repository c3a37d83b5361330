"""Strategies for stored values and for metadata."""

from __future__ import annotations

import datetime
import pathlib

from hypothesis import strategies as st

__all__ = ["invalid_metadata_values", "metadata_mappings", "raw_metadata_values", "values"]


def values() -> st.SearchStrategy[object]:
    """Picklable Python values (no NaN): scalars, bytes, and nested lists/tuples/dicts/sets."""
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False),
        st.text(max_size=10),
        st.binary(max_size=10),
        st.frozensets(st.integers(-3, 3), max_size=3),
    )
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3),
            st.tuples(inner, inner),
            st.dictionaries(st.text(max_size=3), inner, max_size=3),
        ),
        max_leaves=6,
    )


def raw_metadata_values() -> st.SearchStrategy[object]:
    """Raw values ``add_output_metadata`` must accept (IOM-META-001); no metadata-value objects."""
    json_like = st.recursive(
        st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=5)),
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
        ),
        max_leaves=4,
    )
    return st.one_of(
        st.text(max_size=8),
        st.integers(),
        st.floats(allow_nan=False),
        st.booleans(),
        st.none(),
        json_like,
        st.builds(pathlib.PurePosixPath, st.sampled_from(["a", "a/b.txt", "/tmp/x"])),
    )


def invalid_metadata_values() -> st.SearchStrategy[object]:
    """Values that cannot be normalized to metadata (IOM-META-002)."""
    return st.one_of(
        st.tuples(st.integers()),
        st.frozensets(st.integers(), max_size=2).map(set),
        st.binary(min_size=1, max_size=4),
        st.just(datetime.datetime(2024, 1, 1)),
        st.builds(object),
    )


def metadata_mappings(
    *, min_size: int = 0, max_size: int = 3
) -> st.SearchStrategy[dict[str, object]]:
    """Metadata mappings with keys from a small pool and valid raw values."""
    keys = st.sampled_from(["path", "rows", "a", "b"]) | st.text(min_size=1, max_size=4)
    return st.dictionaries(keys, raw_metadata_values(), min_size=min_size, max_size=max_size)
