"""Build the Output/Input contexts a run hands to its managers.

Identifiers follow Dagster: ``run_id`` is the run's uuid, ``step_key`` the node name, ``name``
the output name; an asset output carries the asset key, its partitions definition and (for a
partitioned asset) the run's partition key; its definition metadata is the asset's metadata.
An input's ``upstream_output`` describes the upstream output; for an asset produced outside this
run it is Dagster's artificial context (step key ``"none"``, name = last key component, the
placeholder run id, definition metadata ``{**asset metadata, "dagster/io_manager_key": key}``).

Deviation (see docs/deviations/execution.md): the run's partition key is left off the contexts of
*unpartitioned* assets, because the context builders derive asset partitions from
``partition_key`` + ``asset_key``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from reference_impl.context.builders import build_input_context, build_output_context
from reference_impl.context.input import InputContext
from reference_impl.context.output import OutputContext
from reference_impl.errors import InvalidPartitionKeyError
from reference_impl.execution.asset_definition import AssetsDefinition
from reference_impl.execution.op_definition import InputDefinition, OutputDefinition
from reference_impl.execution.plan import Step
from reference_impl.partitions import PartitionKeyRange, default_partition_mapping

__all__ = ["OutputContextSpec", "artificial_upstream_spec", "build_step_input_context",
           "output_context_spec", "upstream_partition_keys"]

ARTIFICIAL_STEP_KEY = "none"
IO_MANAGER_KEY_METADATA = "dagster/io_manager_key"


@dataclass(frozen=True)
class OutputContextSpec:
    """Everything needed to (re)build the OutputContext of one output.

    The same spec builds the context passed to ``handle_output`` and, later, a fresh
    ``upstream_output`` for each downstream input (logged metadata never leaks between them).
    """

    arguments: Mapping[str, Any] = field(default_factory=dict[str, Any])

    def build(self) -> OutputContext:
        return build_output_context(**self.arguments)


def _asset_partition_arguments(
    asset: AssetsDefinition, partition_key: str | None, where: str
) -> dict[str, Any]:
    if asset.partitions_def is None:
        return {}
    if partition_key is None:
        raise InvalidPartitionKeyError(
            f"{where}: asset {asset.key.to_user_string()!r} is partitioned, but the run has no "
            "partition key; pass partition_key=... to materialize()/execute_in_process()."
        )
    if not asset.partitions_def.has_partition_key(partition_key):
        raise InvalidPartitionKeyError(
            f"{where}: {partition_key!r} is not a partition of asset "
            f"{asset.key.to_user_string()!r}; use one of its partitions definition's keys."
        )
    return {"partition_key": partition_key, "asset_partitions_def": asset.partitions_def}


def output_context_spec(
    *,
    step: Step,
    output_def: OutputDefinition,
    run_id: str,
    partition_key: str | None,
    config: Any,
    resource_config: Mapping[str, Any],
    resources: Mapping[str, Any],
) -> OutputContextSpec:
    """The spec of the context for ``output_def`` of ``step`` in the current run."""
    arguments: dict[str, Any] = {
        "step_key": step.key,
        "name": output_def.name,
        "definition_metadata": dict(output_def.metadata),
        "run_id": run_id,
        "config": config,
        "dagster_type": output_def.dagster_type,
        "resource_config": dict(resource_config),
        "resources": dict(resources),
        "op_def": step.op_def,
    }
    if step.asset is None:
        arguments["partition_key"] = partition_key
    else:
        arguments["asset_key"] = step.asset.key
        arguments.update(_asset_partition_arguments(step.asset, partition_key, f"step {step.key}"))
    return OutputContextSpec(arguments)


def artificial_upstream_spec(
    asset: AssetsDefinition, resource_config: Mapping[str, Any], resources: Mapping[str, Any]
) -> OutputContextSpec:
    """Dagster's stand-in upstream context for an asset not materialized in this run."""
    output_def = asset.op.output_defs[0]
    arguments: dict[str, Any] = {
        "step_key": ARTIFICIAL_STEP_KEY,
        "name": asset.key.path[-1],
        "definition_metadata": {**output_def.metadata,
                                IO_MANAGER_KEY_METADATA: output_def.io_manager_key},
        "dagster_type": output_def.dagster_type,
        "resource_config": dict(resource_config),
        "resources": dict(resources),
        "op_def": asset.op,
        "asset_key": asset.key,
    }
    if asset.partitions_def is not None:
        arguments["asset_partitions_def"] = asset.partitions_def
    return OutputContextSpec(arguments)


def upstream_partition_keys(
    input_def: InputDefinition,
    upstream: AssetsDefinition,
    downstream: AssetsDefinition | None,
    partition_key: str | None,
) -> Sequence[str]:
    """The upstream partition keys an input reads, through its mapping (or the default one)."""
    downstream_def = None if downstream is None else downstream.partitions_def
    mapping = input_def.partition_mapping or default_partition_mapping(
        upstream.partitions_def, downstream_def
    )
    downstream_keys = None if downstream_def is None or partition_key is None else [partition_key]
    return mapping.get_upstream_partition_keys(
        downstream_keys, downstream_def if downstream_keys is not None else None,
        upstream.partitions_def,
    )


def build_step_input_context(
    *,
    step: Step,
    input_def: InputDefinition,
    upstream_output: OutputContext | None,
    upstream_asset: AssetsDefinition | None,
    upstream_keys: Sequence[str] | None,
    partition_key: str | None,
    config: Any,
    resource_config: Mapping[str, Any],
    resources: Mapping[str, Any],
) -> InputContext:
    """The context for loading ``input_def`` of ``step``.

    ``upstream_keys`` (non-empty) are the upstream asset partitions read, when the upstream
    asset is partitioned; they become the context's key range.
    """
    arguments: dict[str, Any] = {
        "name": input_def.name,
        "config": config,
        "definition_metadata": dict(input_def.metadata),
        "upstream_output": upstream_output,
        "dagster_type": input_def.dagster_type,
        "resource_config": dict(resource_config),
        "resources": dict(resources),
        "op_def": step.op_def,
    }
    asset_key = input_def.asset_key
    if asset_key is None:
        arguments["partition_key"] = partition_key
        return build_input_context(**arguments)
    arguments["asset_key"] = asset_key
    if upstream_asset is not None and upstream_asset.partitions_def is not None and upstream_keys:
        arguments["asset_partitions_def"] = upstream_asset.partitions_def
        arguments["asset_partition_key_range"] = PartitionKeyRange(upstream_keys[0],
                                                                   upstream_keys[-1])
        arguments["partition_key"] = partition_key
    return build_input_context(**arguments)
