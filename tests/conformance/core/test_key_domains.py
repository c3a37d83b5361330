"""Asset-key domains (IOM-ID-014) and the ``stores_none`` capability: Subject validation, the
domain guard on contexts, the aliasing probes, and what the runner draws."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable

from conformance.api import check_io_manager
from conformance.checks.key_domains import ALIASING_KEY_PAIRS, aliasing_key_pairs
from conformance.contexts import InputSpec, OutputSpec, ReferenceContextFactory
from conformance.domain import (
    MINIMUM_ASSET_KEYS,
    DomainContexts,
    in_minimum_domain,
    with_domain,
    without_domain,
)
from conformance.subject import Capabilities, Subject, SubjectError
from tests.conformance.core.sample_managers import DictManager
from tests.conformance.corpus.base import table_key_domain


def _two_components(key: tuple[str, ...]) -> bool:
    return len(key) == 2


def test_a_domain_without_the_minimum_is_refused_with_the_keys_it_misses() -> None:
    with pytest.raises(SubjectError, match=r"rejects \['a'\].*one or two components"):
        Subject.from_object(DictManager, accepts_asset_key=_two_components)
    with pytest.raises(SubjectError, match="must be a callable"):
        Subject("s", DictManager, accepts_asset_key=42)  # type: ignore[arg-type]

    def raises(key: tuple[str, ...]) -> bool:
        raise IndexError("no")

    with pytest.raises(SubjectError, match="IndexError: no"):
        Subject("s", DictManager, accepts_asset_key=raises)


def test_a_table_domain_is_accepted_and_kept() -> None:
    subject = Subject.from_object(DictManager, accepts_asset_key=table_key_domain)
    assert subject.accepts_asset_key is table_key_domain
    assert Subject.from_object(subject, name="renamed").accepts_asset_key is table_key_domain
    assert Subject.from_object(DictManager).accepts_asset_key is None


def test_minimum_keys_are_in_the_minimum_domain() -> None:
    assert all(in_minimum_domain(key) for key in MINIMUM_ASSET_KEYS)
    assert not in_minimum_domain(("a", "b", "c"))
    assert not in_minimum_domain(("a-b",)) and not in_minimum_domain(())


def test_guard_discards_plain_keys_outside_the_domain_and_keeps_adversarial_ones() -> None:
    """Law: a plain asset key outside the declared domain is discarded (hypothesis reject,
    never a pass); an in-domain key or a non-plain (adversarial) key is built. IOM-ID-014."""
    contexts = with_domain(ReferenceContextFactory(), table_key_domain)
    assert isinstance(contexts, DomainContexts)
    assert list(contexts.output_context(OutputSpec(asset_key=("s", "t"))).asset_key.path) == [
        "s",
        "t",
    ]
    assert list(contexts.output_context(OutputSpec(asset_key=("a b",))).asset_key.path) == [
        "a b"
    ]
    assert without_domain(contexts) is contexts.inner
    assert with_domain(contexts.inner, None) is contexts.inner

    outside = OutputSpec(asset_key=("x", "a", "b"))
    builds = (
        lambda: contexts.output_context(outside),
        lambda: contexts.input_context(InputSpec(upstream=outside)),
        lambda: contexts.input_context(InputSpec(upstream=None, asset_key=("a-b",))),
    )

    @settings(max_examples=3, database=None)
    @given(st.sampled_from(range(len(builds))))
    def attempt(index: int) -> None:
        builds[index]()

    with pytest.raises(Unsatisfiable):
        attempt()


def test_aliasing_probes_pair_an_in_domain_key_with_one_outside_the_minimum() -> None:
    for inside, outside in ALIASING_KEY_PAIRS:
        assert in_minimum_domain(inside) and not in_minimum_domain(outside), (inside, outside)


@settings(max_examples=50, database=None, deadline=None)
@given(aliasing_key_pairs())
def test_drawn_aliasing_pairs_straddle_the_minimum_domain(
    pair: tuple[tuple[str, ...], tuple[str, ...]],
) -> None:
    """Law: every drawn pair is (a key of the minimum domain, a key outside it). IOM-ID-014."""
    inside, outside = pair
    assert in_minimum_domain(inside) and not in_minimum_domain(outside)


class _RefusesNone(DictManager):
    def handle_output(self, context: Any, obj: Any) -> None:
        if obj is None:
            raise TypeError("None is not stored here")
        super().handle_output(context, obj)


def test_without_stores_none_the_kit_never_stores_none_except_to_see_it_refused() -> None:
    """A correct manager that refuses None passes every MUST once it declares so (the runner
    draws no None for it; IOM-SEC-003 checks the refusal) and fails IOM-STORE-002 otherwise."""
    declared = Subject.from_object(_RefusesNone, capabilities=Capabilities(stores_none=False))
    report = check_io_manager(declared, only="IOM-STORE")
    assert report.ok, [(r.requirement_id, r.message) for r in report.failures("MUST")]
    (store_002,) = [r for r in report.results if r.requirement_id == "IOM-STORE-002"]
    assert store_002.status.value == "not-applicable"
    undeclared = check_io_manager(_RefusesNone, only="IOM-STORE-002")
    assert [r.requirement_id for r in undeclared.failures()] == ["IOM-STORE-002"]
