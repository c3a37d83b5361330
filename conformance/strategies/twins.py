"""Near-twin identifiers: distinct strings that real storage conflates (IOM-ID-010..012).

Independent random keys almost never collide, so isolation checks built on them miss the
conflations real back-ends make. Each :class:`Conflation` names one, with explicit pairs (run
first, deterministically) and a way to derive a twin from a drawn string:

* ``case``: case-insensitive file systems (macOS APFS/HFS+, Windows NTFS), SQL identifiers;
* ``unicode-normalisation``: HFS+/APFS store NFD, many tools normalise to NFC;
* ``length-limit``: names cut at a byte limit (255 on ext4 and most file systems, 1,024 for S3
  keys) or truncated by the manager at 64/128 (a manager that hashes the whole name conflates
  nothing; one that truncates before hashing is this class);
* ``trailing-dot-space``: Windows drops trailing dots and spaces (``a.`` and ``a `` are ``a``);
* ``reserved-name``: Windows device names (``CON``, ``NUL``, ...) and the escapes managers
  invent for them (``_CON``), which then collide with real names;
* ``separators``: object stores and path normalisation collapsing doubled, leading and trailing
  separators (``a//b``, ``/a``, ``a/``) or mixing ``\\`` and ``/``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from hypothesis import strategies as st

__all__ = [
    "CONFLATIONS",
    "Conflation",
    "conflation_named",
    "twin_pairs",
    "twin_triples",
]


_Pair = tuple[str, str]


def _swapped_case(text: str) -> _Pair | None:
    twin = text.swapcase()
    return (text, twin) if twin != text else None


def _nfd(text: str) -> _Pair | None:
    composed, decomposed = unicodedata.normalize("NFC", text), unicodedata.normalize("NFD", text)
    return (composed, decomposed) if composed != decomposed else None


def _past_the_limit(text: str) -> _Pair | None:
    """Two names equal in their first 255 bytes (``text`` padded), different after."""
    padded = text + "x" * max(0, 255 - len(text.encode()))
    return (padded + "1", padded + "2")


def _trailing_dot(text: str) -> _Pair | None:
    return (text, text + ".") if text and not text.endswith((".", " ")) else None


def _escaped(text: str) -> _Pair | None:
    return (text, "_" + text) if text.upper() in _RESERVED else None


def _doubled_separator(text: str) -> _Pair | None:
    return (text, text.replace("/", "//", 1)) if "/" in text.strip("/") else None


_RESERVED = frozenset({"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10)),
                       *(f"LPT{n}" for n in range(1, 10))})


@dataclass(frozen=True)
class Conflation:
    """One way storage maps distinct identifiers to one place."""

    name: str
    pairs: tuple[tuple[str, str], ...]
    """Distinct strings the conflation maps together, checked first."""
    derive: Callable[[str], tuple[str, str] | None]
    """Two twins derived from a drawn string (``None`` when it yields none)."""
    seeds: tuple[str, ...]
    """Strings the derivation yields twins for."""


_LONG = 255
_S3_KEY_LIMIT = 1024
CONFLATIONS: tuple[Conflation, ...] = (
    Conflation("case", (("a", "A"), ("Sales", "sales"), ("ab_Cd", "AB_CD")), _swapped_case,
               ("a", "Sales", "x1", "a_b")),
    Conflation("unicode-normalisation",
               (("caf\u00e9", "cafe\u0301"), ("\u00c5", "A\u030a"), ("\u00f1o", "n\u0303o")),
               _nfd, ("caf\u00e9", "\u00e9t\u00e9", "\u00fc")),
    Conflation("length-limit",
               tuple((fill * n + "1", fill * n + "2")
                     for fill, n in (("x", 64), ("x", 128), ("x", _LONG), ("\u00e9", 128),
                                     ("x", _S3_KEY_LIMIT))),
               _past_the_limit, ("a", "x" * 60, "\u00e9t\u00e9")),
    Conflation("trailing-dot-space", (("a", "a."), ("a", "a "), ("a.", "a.."), ("b", "b. ")),
               _trailing_dot, ("a", "x1", "a_b")),
    Conflation("reserved-name", (("CON", "_CON"), ("NUL", "NUL_"), ("AUX", "AUX.x"),
                                 ("COM1", "_COM1")), _escaped, ("CON", "PRN", "LPT1")),
    Conflation("separators", (("a//b", "a/b"), ("a/", "a"), ("/a", "a"), ("a\\b", "a/b")),
               _doubled_separator, ("a/b", "x/y/z")),
)
"""Every conflation class the twin strategies build."""


def conflation_named(name: str) -> Conflation:
    """The conflation called ``name`` (``KeyError`` naming the known ones otherwise)."""
    for conflation in CONFLATIONS:
        if conflation.name == name:
            return conflation
    raise KeyError(f"no conflation {name!r}; known: {', '.join(c.name for c in CONFLATIONS)}")


@st.composite
def _derived(draw: st.DrawFn, conflation: Conflation) -> tuple[str, str]:
    base = draw(st.sampled_from(conflation.seeds)
                | st.text("abcXYZ_é/.", min_size=1, max_size=8))
    derived = conflation.derive(base)
    if derived is None or derived[0] == derived[1]:
        return draw(st.sampled_from(conflation.pairs))
    return derived if draw(st.booleans()) else (derived[1], derived[0])


def twin_pairs(
    conflations: tuple[Conflation, ...] = CONFLATIONS,
) -> st.SearchStrategy[tuple[str, tuple[str, str]]]:
    """``(conflation name, (a, b))`` with ``a != b`` that the named conflation maps together:
    mostly the explicit pairs, sometimes a twin derived from a drawn string."""
    return st.sampled_from(conflations).flatmap(
        lambda c: st.tuples(st.just(c.name), st.sampled_from(c.pairs) | _derived(c))
    )


def twin_triples() -> st.SearchStrategy[tuple[str, tuple[str, str, str]]]:
    """``(conflation name, (a, b, c))``: three distinct strings one conflation maps together
    (e.g. ``a``, ``a.``, ``a ``; ``x`` * 255 + ``1`` / ``2`` / ``3``)."""
    triples = (
        ("case", ("ab", "Ab", "AB")),
        ("trailing-dot-space", ("a", "a.", "a ")),
        ("length-limit", ("x" * _LONG + "1", "x" * _LONG + "2", "x" * _LONG + "3")),
        ("separators", ("a/b", "a//b", "a///b")),
        ("unicode-normalisation", ("\u1e69", "s\u0323\u0307", "\u1e63\u0307")),
    )
    return st.sampled_from(triples)
