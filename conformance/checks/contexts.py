"""Context semantics checked against the context factory itself (IOM-CTX-001..008)."""

from __future__ import annotations

import importlib
import warnings
from typing import Any

from hypothesis import strategies as st

from conformance.checks.base import CheckEnv, RequirementViolation, check
from conformance.contexts import InputSpec, OutputSpec, PartitionsSpec
from conformance.strategies.partitions import partition_key_ranges, partitions_specs
from conformance.strategies.values import metadata_mappings

_UNAVAILABLE = (
    "step_key",
    "name",
    "asset_key",
    "partition_key",
    "asset_partitions_def",
    "op_def",
    "dagster_type",
)
_PAIRS = (
    ("has_asset_key", "asset_key"),
    ("has_partition_key", "partition_key"),
    ("has_asset_partitions", "asset_partition_keys"),
)


def _raises(context: Any, attribute: str) -> bool:
    try:
        getattr(context, attribute)
    except Exception:
        return True
    return False


@st.composite
def _partitioned(draw: st.DrawFn) -> tuple[PartitionsSpec, tuple[str, str]]:
    spec = draw(partitions_specs())
    return spec, draw(partition_key_ranges(spec))


@check("IOM-CTX-001", "IOM-CTX-002", target="context")
def accessors_raise_and_agree(env: CheckEnv) -> None:
    """Law: a bare context's accessors for absent values raise, and has_* is true exactly when
    its accessor does not raise (bare and partitioned contexts). IOM-CTX-001/002."""

    def body(case: tuple[PartitionsSpec, tuple[str, str]]) -> None:
        spec, key_range = case
        bare = env.contexts.output_context(OutputSpec())
        for attribute in _UNAVAILABLE:
            if not _raises(bare, attribute):
                raise RequirementViolation(
                    "IOM-CTX-001",
                    f"bare context returned {attribute} = {getattr(bare, attribute)!r}",
                )
        full = OutputSpec(asset_key=("a",), partition_key=key_range[0], partitions_def=spec)
        for context in (
            bare,
            env.contexts.output_context(full),
            env.contexts.input_context(InputSpec(upstream=None)),
        ):
            for flag, accessor in _PAIRS:
                if bool(getattr(context, flag)) == _raises(context, accessor):
                    raise RequirementViolation(
                        "IOM-CTX-002",
                        f"{flag} disagrees with {accessor}",
                        {"partitions_def": spec.to_json()},
                    )

    env.run_contexts(body, case=_partitioned())


def _range_keys(spec: PartitionsSpec, start: str, end: str) -> set[str]:
    """The keys the reference definition puts in the range (a rectangle for multi-partitions)."""
    key_range = importlib.import_module("reference_impl.partitions").PartitionKeyRange(start, end)
    return {str(k) for k in spec.build().get_partition_keys_in_range(key_range)}


@check("IOM-CTX-003", "IOM-CTX-004", target="context")
def partition_key_and_range(env: CheckEnv) -> None:
    """Law: asset key + run partition key covers that one partition; an explicit range wins
    (the set of covered keys is the range's, whatever their order); asset_partition_key raises
    unless exactly one partition is covered. IOM-CTX-003/004."""

    def body(case: tuple[PartitionsSpec, tuple[str, str]]) -> None:
        spec, (start, end) = case
        keys = spec.build().get_partition_keys()
        one = env.contexts.output_context(
            OutputSpec(asset_key=("a",), partition_key=start, partitions_def=spec)
        )
        if list(one.asset_partition_keys) != [start] or one.asset_partition_key != start:
            raise RequirementViolation(
                "IOM-CTX-003", f"partition key {start!r} covers {list(one.asset_partition_keys)}"
            )
        run_key = keys[-1] if keys[-1] != start else keys[0]
        ranged = env.contexts.output_context(
            OutputSpec(
                asset_key=("a",),
                partition_key=run_key,
                partition_key_range=(start, end),
                partitions_def=spec,
            )
        )
        covered = list(ranged.asset_partition_keys)
        expected = _range_keys(spec, start, end)
        # which partitions are covered, not their order (IOM-PART-001 checks order)
        if set(map(str, covered)) != expected or ranged.partition_key != run_key:
            raise RequirementViolation(
                "IOM-CTX-003",
                f"explicit range {start}..{end} lost to run key {run_key!r}: covers "
                f"{sorted(map(str, covered))}, expected {sorted(expected)}",
            )
        if (len(covered) == 1) == _raises(ranged, "asset_partition_key"):
            raise RequirementViolation(
                "IOM-CTX-004", f"asset_partition_key with {len(covered)} partitions"
            )
        if not _raises(
            env.contexts.output_context(OutputSpec(asset_key=("a",))), "asset_partition_key"
        ):
            raise RequirementViolation("IOM-CTX-004", "unpartitioned asset_partition_key returned")

    env.run_contexts(body, case=_partitioned())


@check("IOM-CTX-005", "IOM-CTX-006", "IOM-CTX-008", target="context")
def definition_metadata_and_upstream(env: CheckEnv) -> None:
    """Law: definition_metadata is {} by default and equals the given mapping, even after the
    caller mutates it; metadata is its deprecated alias (warns); upstream_output carries the
    producer's identifier, asset key and metadata. IOM-CTX-005/006/008."""

    def body(metadata: dict[str, object]) -> None:
        if dict(env.contexts.output_context(OutputSpec()).definition_metadata) != {}:
            raise RequirementViolation("IOM-CTX-005", "default definition_metadata is not empty")
        given = dict(metadata)
        out = OutputSpec(
            run_id="r", step_key="s", name="n", asset_key=("a",), definition_metadata=given
        )
        context = env.contexts.input_context(InputSpec(upstream=out, definition_metadata=given))
        given["__mutated__"] = 1
        if dict(context.definition_metadata) != metadata:
            raise RequirementViolation("IOM-CTX-008", "context followed the caller's dict")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            alias = context.metadata
        if dict(alias or {}) != metadata or not any(
            issubclass(w.category, DeprecationWarning) for w in caught
        ):
            raise RequirementViolation("IOM-CTX-005", "metadata is not a warning alias")
        upstream = context.upstream_output
        if (
            upstream is None
            or list(upstream.get_identifier()) != ["r", "s", "n"]
            or list(upstream.asset_key.path) != ["a"]
            or dict(upstream.definition_metadata) != metadata
        ):
            raise RequirementViolation("IOM-CTX-006", "upstream_output does not describe producer")

    env.run_contexts(body, metadata=metadata_mappings())


class _Tracked:
    """A context-manager resource that records whether it was entered and exited."""

    def __init__(self) -> None:
        self.entered = False
        self.exited = False

    def __enter__(self) -> _Tracked:
        self.entered = True
        return self

    def __exit__(self, *exc: object) -> None:
        self.exited = True


@check("IOM-CTX-007", target="context")
def resources_torn_down(env: CheckEnv) -> None:
    """Law: in ``with context:``, a context-manager resource is entered before use and exited when
    the block ends. IOM-CTX-007."""

    def body(output: bool) -> None:
        resource = _Tracked()
        spec = OutputSpec(resources={"r": resource})
        context: Any = (
            env.contexts.output_context(spec)
            if output
            else env.contexts.input_context(InputSpec(upstream=None, resources={"r": resource}))
        )
        with context:
            getattr(context.resources, "r", None)
            if not resource.entered:
                raise RequirementViolation("IOM-CTX-007", "resource used before being entered")
        if not resource.exited:
            raise RequirementViolation("IOM-CTX-007", "resource not exited after the block")

    env.run_contexts(body, output=st.booleans())
