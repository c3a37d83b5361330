"""Load a stored asset value through its IO manager, outside any run."""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import ExitStack
from typing import Any

from reference_impl.context.builders import build_input_context
from reference_impl.execution.asset_definition import AssetsDefinition
from reference_impl.execution.resources import open_run_resources
from reference_impl.execution.step_contexts import artificial_upstream_spec
from reference_impl.partitions import PartitionKeyRange

__all__ = ["load_stored_asset_value"]


def load_stored_asset_value(
    asset: AssetsDefinition, resources: Mapping[str, object], partition_key: str | None = None
) -> Any:
    """Initialise the asset's IO manager, load the value (one partition when ``partition_key``
    is given), and tear the manager down. The input context has no name and no op; its
    upstream output is Dagster's artificial one (step key ``"none"``)."""
    key = asset.io_manager_key
    with ExitStack() as stack:
        run_resources = open_run_resources(resources, {key: f"asset {asset.key!r}"}, {}, stack)
        manager = run_resources.get(key)
        upstream = artificial_upstream_spec(asset, manager.resource_config,
                                            manager.required_resources).build()
        arguments: dict[str, Any] = {
            "upstream_output": upstream,
            "asset_key": asset.key,
            "resource_config": dict(manager.resource_config),
            "resources": dict(manager.required_resources),
            "dagster_type": asset.op.output_defs[0].dagster_type,
        }
        if partition_key is not None and asset.partitions_def is not None:
            arguments["asset_partitions_def"] = asset.partitions_def
            arguments["asset_partition_key_range"] = PartitionKeyRange(partition_key,
                                                                       partition_key)
            arguments["partition_key"] = partition_key
        return manager.value.load_input(build_input_context(**arguments))
