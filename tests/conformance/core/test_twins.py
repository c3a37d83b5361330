"""conformance.strategies.twins: every pair and triple is distinct yet mapped together by the
conflation it is named after (so an isolation failure on it is the conflation's)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

import pytest
from hypothesis import given

from conformance.strategies.twins import CONFLATIONS, conflation_named, twin_pairs, twin_triples

_RESERVED = {"CON", "PRN", "AUX", "NUL", "COM1", "LPT1"}


def _device(text: str) -> str:
    stem = text.split(".")[0].upper()
    return stem if stem in _RESERVED else text


FOLDS: dict[str, list[Callable[[str], str]]] = {
    "case": [str.casefold],
    "unicode-normalisation": [lambda s: unicodedata.normalize("NFC", s)],
    "length-limit": [lambda s, n=n: s.encode()[:n].decode(errors="ignore")  # type: ignore[misc]
                     for n in (64, 128, 255, 1024)],
    "trailing-dot-space": [lambda s: s.rstrip(". ")],
    "reserved-name": [lambda s: "_" + s if s in _RESERVED else s,
                      lambda s: s + "_" if s in _RESERVED else s, _device],
    "separators": [lambda s: re.sub(r"/+", "/", s.replace("\\", "/")).strip("/")],
}


def _conflated(name: str, *strings: str) -> bool:
    """Whether some storage behaviour of the class maps all ``strings`` to one name."""
    return any(len({fold(s) for s in strings}) == 1 for fold in FOLDS[name])


def test_every_class_has_a_fold_here_and_its_explicit_pairs_are_twins() -> None:
    assert {c.name for c in CONFLATIONS} == set(FOLDS)
    for conflation in CONFLATIONS:
        for first, second in conflation.pairs:
            assert first != second and _conflated(conflation.name, first, second), (
                conflation.name, first, second)


@given(twin_pairs())
def test_drawn_pairs_are_distinct_twins(drawn: tuple[str, tuple[str, str]]) -> None:
    """Law: every pair the strategy draws, explicit or derived, is two different strings that
    the named conflation maps together."""
    name, (first, second) = drawn
    assert first != second
    assert _conflated(name, first, second), (name, first, second)


@given(twin_triples())
def test_drawn_triples_are_three_distinct_twins(drawn: tuple[str, tuple[str, str, str]]) -> None:
    """Law: a triple is three different strings one conflation maps together."""
    name, strings = drawn
    assert len(set(strings)) == 3 and _conflated(name, *strings), drawn


def test_an_unknown_conflation_is_a_key_error_naming_the_known_ones() -> None:
    assert conflation_named("case").name == "case"
    with pytest.raises(KeyError, match="known: case, unicode-normalisation"):
        conflation_named("casing")
