"""Strategies for whole context descriptions (:class:`OutputSpec` / :class:`InputSpec`) and
for built Output/Input context pairs."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from hypothesis import strategies as st

from conformance.contexts import ContextFactory, InputSpec, OutputSpec
from conformance.strategies.keys import (
    asset_keys,
    mapping_keys,
    output_names,
    run_ids,
    step_keys,
    versions,
)
from conformance.strategies.partitions import partition_keys, partitions_specs

__all__ = [
    "ONE_COMPONENT_CHANGES",
    "asset_output_specs",
    "change_one_component",
    "changes_for",
    "context_pairs",
    "input_spec_for",
    "one_component_apart",
    "op_output_specs",
    "output_specs",
    "partitioned_output_specs",
]


@st.composite
def op_output_specs(draw: st.DrawFn, *, exotic: bool = False) -> OutputSpec:
    """Op outputs: plain, mapped or versioned (never both mapped and versioned)."""
    kind = draw(st.sampled_from(["plain", "mapped", "versioned"]))
    return OutputSpec(
        run_id=draw(run_ids(exotic=exotic)),
        step_key=draw(step_keys(exotic=exotic)),
        name=draw(output_names(exotic=exotic)),
        mapping_key=draw(mapping_keys(exotic=exotic)) if kind == "mapped" else None,
        version=draw(versions(exotic=exotic)) if kind == "versioned" else None,
    )


@st.composite
def asset_output_specs(draw: st.DrawFn, *, exotic: bool = True) -> OutputSpec:
    """Unpartitioned asset outputs (op identifiers set too, as in a real run)."""
    return OutputSpec(
        run_id=draw(run_ids()),
        step_key="asset_op",
        name="result",
        asset_key=draw(asset_keys(exotic=exotic)),
    )


@st.composite
def partitioned_output_specs(draw: st.DrawFn, *, multi: bool = True) -> OutputSpec:
    """Outputs of one asset partition."""
    spec = draw(partitions_specs(multi=multi))
    return OutputSpec(
        run_id=draw(run_ids()),
        step_key="asset_op",
        name="result",
        asset_key=draw(asset_keys()),
        partition_key=draw(partition_keys(spec)),
        partitions_def=spec,
    )


def output_specs() -> st.SearchStrategy[OutputSpec]:
    """Any output: op, asset, or asset partition."""
    return st.one_of(op_output_specs(), asset_output_specs(), partitioned_output_specs())


def input_spec_for(output: OutputSpec, **overrides: Any) -> InputSpec:
    """The input that loads exactly ``output`` (same asset, partition and definition)."""
    fields: dict[str, Any] = {
        "upstream": output,
        "asset_key": output.asset_key,
        "partition_key": output.partition_key,
        "partition_key_range": output.partition_key_range,
        "partitions_def": output.partitions_def,
    }
    fields.update(overrides)
    return InputSpec(**fields)


def context_pairs(
    factory: ContextFactory, outputs: st.SearchStrategy[OutputSpec] | None = None
) -> st.SearchStrategy[tuple[Any, Any]]:
    """Built ``(output_context, input_context)`` pairs; the input loads that very output."""
    drawn = output_specs() if outputs is None else outputs
    return drawn.map(
        lambda out: (factory.output_context(out), factory.input_context(input_spec_for(out)))
    )


ONE_COMPONENT_CHANGES: tuple[str, ...] = (
    "run_id",
    "step_key",
    "name",
    "mapping_key",
    "add_mapping_key",
    "remove_mapping_key",
    "version",
    "add_version",
    "remove_version",
)
"""How :func:`one_component_apart` derives a second op output from a first (IOM-ID-010)."""


def _other(draw: st.DrawFn, pool: st.SearchStrategy[str], current: str | None) -> str:
    """A value from ``pool`` different from ``current`` (a suffixed ``current`` as fallback)."""
    drawn = draw(pool)
    return drawn if drawn != current else f"{current}_2"


def changes_for(spec: OutputSpec) -> tuple[str, ...]:
    """The changes of :data:`ONE_COMPONENT_CHANGES` that alter ``spec``'s identifier.

    A run id is not part of a versioned output's identifier (IOM-ID-003); a mapping key and a
    version are never both set (IOM-ID-004).
    """
    if spec.version is not None:
        return ("step_key", "name", "version", "remove_version")
    if spec.mapping_key:
        return ("run_id", "step_key", "name", "mapping_key", "remove_mapping_key")
    return ("run_id", "step_key", "name", "add_mapping_key", "add_version")


def change_one_component(draw: st.DrawFn, spec: OutputSpec, change: str) -> OutputSpec:
    """``spec`` with exactly the one identifier component ``change`` names altered."""
    if change == "run_id":
        return replace(spec, run_id=_other(draw, run_ids(), spec.run_id))
    if change == "step_key":
        return replace(spec, step_key=_other(draw, step_keys(), spec.step_key))
    if change == "name":
        return replace(spec, name=_other(draw, output_names(), spec.name))
    if change in ("mapping_key", "add_mapping_key"):
        return replace(spec, mapping_key=_other(draw, mapping_keys(), spec.mapping_key))
    if change == "remove_mapping_key":
        return replace(spec, mapping_key=None)
    if change in ("version", "add_version"):
        return replace(spec, version=_other(draw, versions(), spec.version))
    if change == "remove_version":
        return replace(spec, version=None)
    raise ValueError(f"unknown change {change!r}; expected one of {ONE_COMPONENT_CHANGES}")


@st.composite
def one_component_apart(draw: st.DrawFn) -> tuple[OutputSpec, OutputSpec, str]:
    """Two op outputs whose identifiers differ in exactly one component, and that component:
    run id, step key, name, mapping key or version, including adding or removing a mapping key
    or a version. Either output may come first."""
    first = draw(op_output_specs())
    change = draw(st.sampled_from(changes_for(first)))
    second = change_one_component(draw, first, change)
    if draw(st.booleans()):
        first, second = second, first
    return first, second, change
