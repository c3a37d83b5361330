"""conformance.strategies.twins: every pair and triple is distinct yet mapped together by the
conflation it is named after (so an isolation failure on it is the conflation's)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any, ClassVar

import pytest
from hypothesis import given

from conformance.checks import CHECKS
from conformance.parametrize import ConformanceCheck
from conformance.strategies.twins import CONFLATIONS, conflation_named, twin_pairs, twin_triples
from conformance.subject import Subject
from tests.conformance.corpus.base import DictManager

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


class _SeenManager(DictManager):
    """A correct manager that records every output it is asked to store."""

    seen: ClassVar[list[dict[str, object]]] = []

    def handle_output(self, context: Any, obj: Any) -> None:
        self.seen.append({
            "asset": tuple(context.asset_key.path) if context.has_asset_key else None,
            "partition": context.partition_key if context.has_partition_key else None,
            "step": context.step_key, "mapping": context.mapping_key,
            "version": context.version,
        })
        super().handle_output(context, obj)


def _seen_by(check: str) -> list[dict[str, object]]:
    _SeenManager.seen.clear()
    report = ConformanceCheck(Subject.from_object(_SeenManager), CHECKS[check]).run()
    assert not report.failures(), report.failures()
    return list(_SeenManager.seen)


_S3_LONG = ("x" * 1024 + "1", "x" * 1024 + "2")


def test_every_run_puts_twins_in_the_later_slots_and_past_the_s3_key_limit() -> None:
    """The explicit examples reach what random draws may miss in a ``pr`` run: the case pair as
    a mapping key and as a version, in an asset key's later component and in a multi-partition
    dimension key, and the 1,024-byte pair (S3's key limit) in each slot's first place."""
    op = _seen_by("twins.twin_op_outputs_isolated")
    assert {"a", "A"} <= {o["mapping"] for o in op}
    assert {"a", "A"} <= {o["version"] for o in op}
    assert set(_S3_LONG) <= {o["step"] for o in op}
    assets = {o["asset"] for o in _seen_by("twins.twin_asset_keys_isolated")}
    assert {("a", "t"), ("A", "t"), ("p", "a"), ("p", "A")} <= assets
    assert {(_S3_LONG[0],), (_S3_LONG[1],)} <= assets
    partitions = {o["partition"] for o in _seen_by("twins.twin_partition_keys_isolated")}
    assert {"a|x", "A|x", *_S3_LONG} <= partitions
