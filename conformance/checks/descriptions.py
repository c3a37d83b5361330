"""Short descriptions for the harness trace and messages: outputs, inputs, errors, partitionings
and JSON-able renderings of values."""

from __future__ import annotations

from conformance.checks.identity import Partitioning, component_sequence
from conformance.contexts import InputSpec, OutputSpec

__all__ = [
    "brief",
    "describe_error",
    "describe_input",
    "describe_output",
    "describe_partitioning",
]


def describe_error(error: BaseException) -> str:
    """``Type: message`` of ``error``."""
    return f"{type(error).__name__}: {error}"


def describe_partitioning(partitioning: Partitioning | None) -> str:
    """How an output partitions its asset's data, in words."""
    if partitioning is None:
        return "unpartitioned"
    family, expr = partitioning
    return family if expr is None else f"{family} by partition_expr {expr}"


def describe_input(spec: InputSpec) -> str:
    """A short description of what ``spec`` loads (for call tracking and messages)."""
    if spec.asset_key is not None:
        text = f"asset {list(spec.asset_key)}"
        if spec.partition_key_range is not None:
            return f"{text} partitions {list(spec.partition_key_range)}"
        return text if spec.partition_key is None else f"{text} partition {spec.partition_key!r}"
    if spec.upstream is not None:
        return describe_output(spec.upstream)
    return f"input {spec.name!r}"


def describe_output(spec: OutputSpec) -> str:
    """A short description of what ``spec`` stores (for call tracking and messages)."""
    if spec.asset_key is not None:
        text = f"asset {list(spec.asset_key)}"
        return text if spec.partition_key is None else f"{text} partition {spec.partition_key!r}"
    return f"op output {list(component_sequence(spec) or ())}"


def brief(value: object) -> object:
    """A JSON-able rendering of ``value`` (repr for non-JSON types, truncated)."""
    if value is None or isinstance(value, bool | int | str):
        return value if not isinstance(value, str) or len(value) < 200 else value[:200] + "..."
    if isinstance(value, float):
        return value if value == value and abs(value) != float("inf") else repr(value)
    text = repr(value)
    return text if len(text) < 200 else text[:200] + "..."
