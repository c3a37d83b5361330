"""Strategies and equalities the ``--values``/``--equals`` tests point at."""

from __future__ import annotations

from hypothesis import strategies as st

SMALL_INTS = st.integers(0, 9)


def small_texts() -> st.SearchStrategy[str]:
    """A zero-argument function returning a strategy."""
    return st.text(max_size=3)


def loosely_equal(loaded: object, stored: object) -> bool:
    """Equal under ``==`` (a tuple does not equal a list, but 1 equals 1.0)."""
    return loaded == stored


NOT_A_STRATEGY = 42
