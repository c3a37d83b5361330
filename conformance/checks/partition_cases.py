"""The shared pieces of the partition checks: drawn cases, partition and range specs, and
storing a window's values and checking the mapping a range loads as.

A :data:`Case` is an asset key, a partitions definition and a window of its keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hypothesis import strategies as st

from conformance.checks.base import CheckEnv, Harness, RequirementViolation
from conformance.contexts import InputSpec, OutputSpec, PartitionsSpec
from conformance.strategies.keys import asset_keys
from conformance.strategies.partitions import key_window, partitions_specs
from reference_impl.narrowing import is_mapping

__all__ = [
    "Case",
    "cases",
    "definitions_for",
    "expect_mapping",
    "part_out",
    "partition_in",
    "range_check",
    "range_in",
    "store_all",
]

Case = tuple[tuple[str, ...], PartitionsSpec, tuple[str, ...]]


def cases(specs: st.SearchStrategy[PartitionsSpec], size: int = 4) -> st.SearchStrategy[Case]:
    """Cases of a plain asset key, a definition drawn from ``specs`` and up to ``size`` keys."""

    @st.composite
    def cases(draw: st.DrawFn) -> Case:
        spec = draw(specs)
        return draw(asset_keys(exotic=False)), spec, draw(key_window(spec, size))

    return cases()


def definitions_for(env: CheckEnv, *, ranges: bool = False) -> st.SearchStrategy[PartitionsSpec]:
    """Definitions to store into; no multi-partitions for range loads (their ranges are
    rectangles, not windows of consecutive keys: IOM-PART-016 covers them)."""
    return partitions_specs(multi=env.subject.capabilities.multi_partitions and not ranges)


def part_out(key: tuple[str, ...], spec: PartitionsSpec, partition: str) -> OutputSpec:
    """The output of one asset partition."""
    return OutputSpec(
        run_id="run-1",
        step_key="asset_op",
        name="result",
        asset_key=key,
        partition_key=partition,
        partitions_def=spec,
    )


def range_in(
    key: tuple[str, ...],
    spec: PartitionsSpec,
    key_range: tuple[str, str],
    allow_missing: bool = False,
) -> InputSpec:
    """The input loading a range of one asset's partitions."""
    upstream = OutputSpec(
        run_id="run-1",
        step_key="asset_op",
        name="result",
        asset_key=key,
        partition_key_range=key_range,
        partitions_def=spec,
    )
    metadata = {"allow_missing_partitions": True} if allow_missing else {}
    return InputSpec(
        upstream=upstream,
        asset_key=key,
        partition_key_range=key_range,
        partitions_def=spec,
        definition_metadata=metadata,
    )


def store_all(
    h: Harness, rid: str, key: tuple[str, ...], spec: PartitionsSpec, values: Mapping[str, object]
) -> bool:
    """Store each partition's value (a raise violates ``rid``); False once one is refused."""
    return all(h.store(part_out(key, spec, p), v, requirement=rid) for p, v in values.items())


def expect_mapping(h: Harness, rid: str, loaded: object, expected: Mapping[str, object]) -> None:
    """``loaded`` is a mapping of exactly ``expected``'s keys to their own values, else ``rid``
    is violated (IOM-PART-006 for wrong keys when ``rid`` is IOM-PART-005)."""
    if not is_mapping(loaded):
        raise RequirementViolation(
            rid, f"loaded {type(loaded).__name__}, not a mapping", h.counterexample(loaded=loaded)
        )
    got = {str(k): v for k, v in loaded.items()}
    if set(got) != set(expected):
        raise RequirementViolation(
            "IOM-PART-006" if rid == "IOM-PART-005" else rid,
            f"mapping keys {sorted(got)} != {sorted(expected)}",
            h.counterexample(loaded=loaded),
        )
    for key, value in expected.items():
        if not h.subject.equals(got[key], value):
            raise RequirementViolation(
                rid,
                f"partition {key!r} loaded {got[key]!r}, stored {value!r}",
                h.counterexample(loaded=loaded),
            )


def partition_in(key: tuple[str, ...], spec: PartitionsSpec, partition: str) -> InputSpec:
    """The input loading one asset partition."""
    return InputSpec(
        upstream=part_out(key, spec, partition),
        asset_key=key,
        partition_key=partition,
        partitions_def=spec,
    )


def range_check(
    env: CheckEnv,
    rid: str,
    body: Any,
    *,
    with_none: bool = False,
    explicit: tuple[dict[str, Any], ...] = (),
) -> None:
    """Run ``body`` on range cases and four values (without ``None`` unless ``with_none``)."""
    values = env.subject.values if with_none else env.subject.values.filter(lambda v: v is not None)
    env.run(
        body,
        explicit=explicit,
        case=cases(definitions_for(env, ranges=True)),
        vals=st.lists(values, min_size=4, max_size=4),
    )
