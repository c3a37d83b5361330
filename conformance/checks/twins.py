"""Near-twin isolation checks: identifiers real storage conflates stay apart (IOM-ID-010..012).

Each check stores distinct values under two or three identifiers that differ only by a
conflation of :mod:`conformance.strategies.twins` (case, Unicode normalisation, a length limit,
trailing dots and spaces, reserved names, separators) in one slot, then loads each: another
identifier's value showing through breaks the isolation requirement of that slot; any other
wrong value is a failed round trip (IOM-STORE-001). Every conflation's first pair runs first
(and a few pairs in fixed slots, :func:`_explicit_examples`);
hypothesis then draws pairs, derived twins and triples. A store the manager refuses (allowed for
non-plain identifiers when the error is clear, IOM-SEC-002/003) ends the example.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from hypothesis import strategies as st

from conformance.checks.base import CheckEnv, Harness, RequirementViolation, check
from conformance.contexts import OutputSpec, PartitionsSpec
from conformance.strategies.contexts import input_spec_for
from conformance.strategies.twins import (
    CONFLATIONS,
    conflation_named,
    twin_pairs,
    twin_triples,
)

__all__ = ["assert_each_loads_its_own"]

_OP_SLOTS: tuple[Callable[[OutputSpec, str], OutputSpec], ...] = (
    lambda spec, text: replace(spec, step_key=text),
    lambda spec, text: replace(spec, name=text),
    lambda spec, text: replace(spec, mapping_key=text),
    lambda spec, text: replace(spec, version=text),
)
"""The op-identifier slots a twin may sit in: step key, output name, mapping key, version."""
_NAME_SLOTS = 3
"""The first slots hold names Dagster validates (``^[A-Za-z0-9_]+$``; a step key adds ``.``
and ``[...]``): only twins that are valid names go there. A version is any string."""
_VALID_NAME = re.compile(r"[A-Za-z0-9_]+")


def assert_each_loads_its_own(
    h: Harness, rid: str, specs: Sequence[OutputSpec], values: Sequence[object], twin: str
) -> None:
    """Store ``values[i]`` under ``specs[i]``, then load each: another's value breaks ``rid``
    (the message names the conflation ``twin``), any other wrong value IOM-STORE-001."""
    for spec, value in zip(specs, values, strict=True):
        if not h.store(spec, value, requirement=rid):
            return
    for index, (spec, value) in enumerate(zip(specs, values, strict=True)):
        loaded = h.load(input_spec_for(spec), requirement=rid)
        if h.subject.equals(loaded, value):
            continue
        others = [j for j, other in enumerate(values) if j != index
                  and h.subject.equals(loaded, other)]
        if others:
            raise RequirementViolation(
                rid,
                f"{_slot_text(spec)} loaded the value stored for {_slot_text(specs[others[0]])}: "
                f"the manager conflates identifiers that differ by {twin} "
                f"({loaded!r} != {value!r})",
                h.counterexample(loaded=loaded, expected=value, conflation=twin),
            )
        raise RequirementViolation(
            "IOM-STORE-001", f"{_slot_text(spec)} loaded {loaded!r}, stored {value!r}",
            h.counterexample(loaded=loaded, expected=value),
        )


def _slot_text(spec: OutputSpec) -> str:
    if spec.partition_key is not None:
        return f"partition {spec.partition_key!a} of asset {list(spec.asset_key or ())!a}"
    if spec.asset_key is not None:
        return f"asset {list(spec.asset_key)!a}"
    return (f"op output (step {spec.step_key!a}, name {spec.name!a}, mapping key "
            f"{spec.mapping_key!a}, version {spec.version!a})")


def _explicit_examples() -> list[tuple[tuple[str, tuple[str, ...]], int]]:
    """``(twins, slot)`` run first: the first pair of every conflation, alternating between the
    first two slots; the longest length-limit pair (past S3's 1,024-byte key limit) in the
    first; and the first case pair in the later slots (an op output's mapping key and version,
    an asset key's first component followed by another, a multi-partition dimension key). The
    rest is drawn."""
    firsts = [((c.name, c.pairs[0]), index % 2) for index, c in enumerate(CONFLATIONS)]
    length, case = conflation_named("length-limit"), conflation_named("case")
    return [*firsts, ((length.name, length.pairs[-1]), 0),
            ((case.name, case.pairs[0]), 2), ((case.name, case.pairs[0]), 3)]


def _twins() -> st.SearchStrategy[tuple[str, tuple[str, ...]]]:
    return twin_pairs() | twin_pairs() | twin_triples()


def _values(env: CheckEnv, count: int) -> st.SearchStrategy[list[object]]:
    equals = env.subject.equals
    return st.lists(env.subject.values.filter(lambda v: v is not None), min_size=count,
                    max_size=count).filter(
        lambda vs: all(not equals(a, b) for i, a in enumerate(vs) for b in vs[i + 1:]))


_Build = Callable[[tuple[str, ...], int], list[OutputSpec]]
"""Outputs that differ only by the given twin strings in the slot numbered by the int."""


def _run(env: CheckEnv, rid: str, build: _Build) -> None:
    """Run ``build`` on every conflation's first pair (explicitly), then on drawn twins."""
    fixed = env.n_distinct_values(3)

    def body(h: Harness, twins: tuple[str, tuple[str, ...]], slot: int,
             values: list[object]) -> None:
        name, strings = twins
        specs = build(strings, slot)
        if specs:
            assert_each_loads_its_own(h, rid, specs, values[: len(specs)], name)

    explicit = [{"twins": twins, "slot": slot, "values": list(fixed)}
                for twins, slot in _explicit_examples()]
    env.run(body, explicit=explicit, twins=_twins(), slot=st.integers(0, 3),
            values=_values(env, 3))


@check("IOM-ID-010", needs=("op_outputs",))
def twin_op_outputs_isolated(env: CheckEnv) -> None:
    """Law: op outputs whose step key, output name, mapping key or version differ only by a
    conflation real storage makes (case, Unicode normalisation, length, trailing dots and
    spaces, reserved names, separators) are stored separately. Names get only twins Dagster
    accepts as names; versions get every twin. IOM-ID-010."""

    def build(strings: tuple[str, ...], slot: int) -> list[OutputSpec]:
        index = slot % len(_OP_SLOTS)
        if index < _NAME_SLOTS and not all(_VALID_NAME.fullmatch(text) for text in strings):
            index = len(_OP_SLOTS) - 1  # not a valid name: the twin goes into the version
        base = OutputSpec(run_id="run-1", step_key="op", name="result")
        return [_OP_SLOTS[index](base, text) for text in strings]

    _run(env, "IOM-ID-010", build)


@check("IOM-ID-011", needs=("assets",))
def twin_asset_keys_isolated(env: CheckEnv) -> None:
    """Law: assets whose keys differ only by a conflation real storage makes, in the first or
    a later component, are stored separately; so are keys that differ by an empty component
    (``["a", "", "b"]`` and ``["a", "b"]``). IOM-ID-011."""

    def build(strings: tuple[str, ...], slot: int) -> list[OutputSpec]:
        prefix: tuple[str, ...] = () if slot % 2 == 0 else ("p",)
        suffix: tuple[str, ...] = ("t",) if slot == 2 else ()
        return [OutputSpec(run_id="run-1", step_key="s", name="result",
                           asset_key=(*prefix, text, *suffix)) for text in strings]

    _run(env, "IOM-ID-011", build)
    empties = (("a", "", "b"), ("a", "b")), (("", "a"), ("a",)), (("a", "b", ""), ("a", "b"))
    fixed = env.n_distinct_values(2)

    def keys_body(h: Harness, keys: tuple[tuple[str, ...], ...]) -> None:
        specs = [OutputSpec(run_id="run-1", step_key="s", name="result", asset_key=key)
                 for key in keys]
        assert_each_loads_its_own(h, "IOM-ID-011", specs, fixed, "an empty component")

    env.run(keys_body, explicit=[{"keys": keys} for keys in empties],
            keys=st.sampled_from(empties))


@check("IOM-ID-012", needs=("assets", "partitions"))
def twin_partition_keys_isolated(env: CheckEnv) -> None:
    """Law: partitions of one asset whose keys differ only by a conflation real storage makes
    are stored separately, in a static definition and as one dimension of a multi-partition
    definition. IOM-ID-012."""
    multi = env.subject.capabilities.multi_partitions

    def build(strings: tuple[str, ...], slot: int) -> list[OutputSpec]:
        if slot % 2 == 1 and multi and not any("|" in s or "," in s for s in strings):
            dims = (("d1", PartitionsSpec("static", keys=strings)),
                    ("d2", PartitionsSpec("static", keys=("x",))))
            spec = PartitionsSpec("multi", dimensions=dims)
            keys = [f"{text}|x" for text in strings]
        else:
            spec = PartitionsSpec("static", keys=strings)
            keys = list(strings)
        if not _buildable(spec):
            return []
        return [OutputSpec(run_id="run-1", step_key="s", name="result", asset_key=("a",),
                           partition_key=key, partitions_def=spec) for key in keys]

    _run(env, "IOM-ID-012", build)


def _buildable(spec: PartitionsSpec) -> bool:
    try:
        return len(spec.build().get_partition_keys()) > 0
    except (ValueError, TypeError, LookupError):
        return False
