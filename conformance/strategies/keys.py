"""Strategies for identifiers: asset keys (adversarial ones included) and op identifiers.

Components are drawn from small pools mixed with text so that equal and colliding keys actually
occur within a handful of examples.
"""

from __future__ import annotations

import re

from hypothesis import strategies as st

__all__ = [
    "COLLIDING_KEY_PAIRS",
    "EXOTIC_COMPONENTS",
    "asset_keys",
    "colliding_asset_key_pairs",
    "is_plain",
    "key_components",
    "mapping_keys",
    "output_names",
    "run_ids",
    "step_keys",
    "versions",
]

PLAIN_COMPONENTS: tuple[str, ...] = ("a", "b", "c", "a_b", "ab", "a-b", "a.b", "A", "x1")
EXOTIC_COMPONENTS: tuple[str, ...] = (
    "",
    ".",
    "..",
    "a/b",
    "/abs",
    "a\\b",
    "C:",
    "~",
    "a b",
    "%2F",
    "é",
    "日本",
    "x" * 300,
)
"""Components that look like path syntax, are empty, non-ASCII or very long (IOM-SEC-002)."""

COLLIDING_KEY_PAIRS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("a_b",), ("a", "b")),
    (("a/b",), ("a", "b")),
    (("a/b", "c"), ("a", "b", "c")),
    (("a", ""), ("a",)),
    (("a.b",), ("a", "b")),
    (("a-b",), ("a", "b")),
    ((".",), ("",)),
    (("..", "a"), ("a",)),
    (("a", "."), ("a",)),
    (("a\\b",), ("a", "b")),
    (("A",), ("a",)),
    (("a", "b"), ("b",)),
    (("x", "a"), ("y", "a")),
    (("a", "b"), ("a",)),
)
"""Distinct keys that a naive ``"/".join`` / ``"_".join`` / case-folding layout maps together."""

_PLAIN = re.compile(r"[A-Za-z0-9_.:|+-]{1,64}")


def is_plain(component: str) -> bool:
    """True for an ordinary identifier component, which every manager must accept.

    Plain: 1-64 characters from ``[A-Za-z0-9_.:|+-]``, not ``.`` or ``..``. Anything else may be
    stored or rejected with a clear, typed error (IOM-SEC-002).
    """
    return bool(_PLAIN.fullmatch(component)) and component not in (".", "..")


def key_components(*, exotic: bool = True) -> st.SearchStrategy[str]:
    """One key component: mostly from small pools (collisions), sometimes free text."""
    pools = st.sampled_from(PLAIN_COMPONENTS)
    if exotic:
        return pools | st.sampled_from(EXOTIC_COMPONENTS) | st.text(max_size=6)
    return pools | st.text("abcxyz_019", min_size=1, max_size=6)


def asset_keys(
    *, min_size: int = 1, max_size: int = 3, exotic: bool = True
) -> st.SearchStrategy[tuple[str, ...]]:
    """Asset key paths (tuples of components), including adversarial ones when ``exotic``."""
    drawn = st.lists(key_components(exotic=exotic), min_size=min_size, max_size=max_size)
    colliding = [k for pair in COLLIDING_KEY_PAIRS for k in pair]
    if not exotic:
        colliding = [k for k in colliding if all(map(is_plain, k))]
    return drawn.map(tuple) | st.sampled_from(colliding)


def colliding_asset_key_pairs() -> st.SearchStrategy[tuple[tuple[str, ...], tuple[str, ...]]]:
    """Two distinct asset keys, often a pair that collides under a naive path join."""
    free = st.tuples(asset_keys(), asset_keys()).filter(lambda pair: pair[0] != pair[1])
    pairs = st.sampled_from(COLLIDING_KEY_PAIRS)
    return pairs | pairs | free


def _ids(pool: tuple[str, ...], *, exotic: bool) -> st.SearchStrategy[str]:
    drawn = st.sampled_from(pool)
    return drawn | st.sampled_from(EXOTIC_COMPONENTS) if exotic else drawn


def run_ids(*, exotic: bool = False) -> st.SearchStrategy[str]:
    """Run ids: a small pool of uuid-like strings."""
    return _ids(("run-1", "run-2", "0b9f2c4e-1d2a-4c43-9e1f-5b6a7c8d9e0f"), exotic=exotic)


def step_keys(*, exotic: bool = False) -> st.SearchStrategy[str]:
    """Step keys, including Dagster's ``op[mapping]`` style."""
    return _ids(("op", "op_b", "op.b", "op[0]"), exotic=exotic)


def output_names(*, exotic: bool = False) -> st.SearchStrategy[str]:
    """Output names."""
    return _ids(("result", "out", "out_b"), exotic=exotic)


def mapping_keys(*, exotic: bool = False) -> st.SearchStrategy[str]:
    """Mapping keys of dynamic outputs (never empty: empty counts as absent, IOM-ID-002)."""
    return _ids(("0", "1", "k_a"), exotic=exotic).filter(bool)


def versions(*, exotic: bool = False) -> st.SearchStrategy[str]:
    """Output versions; the empty string is a version (IOM-ID-003)."""
    return _ids(("v1", "v2", ""), exotic=exotic)
