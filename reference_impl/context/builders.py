"""``build_output_context`` and ``build_input_context``: Dagster's builders, without an instance.

Same parameters in the same order as Dagster 1.13. A built context works as a plain object and as
a context manager (``with build_output_context(...) as context:``), which sets up and tears down
context-manager resources. Building costs microseconds: no instance, no global state.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any

from reference_impl.asset_key import AssetKey
from reference_impl.context.input import InputContext
from reference_impl.context.output import OutputContext
from reference_impl.errors import InvalidContextArgumentError
from spec.contexts import OutputContextLike
from spec.values import DagsterTypeLike, PartitionKeyRangeLike, PartitionsDefinitionLike

__all__ = ["RUN_ID_PLACEHOLDER", "build_input_context", "build_output_context"]

RUN_ID_PLACEHOLDER = "__EPHEMERAL_RUN_ID"
"""The run id of a built output context when none is given (Dagster's constant)."""

CoercibleToAssetKey = AssetKey | str | Sequence[str]


def _definition_metadata(
    definition_metadata: Mapping[str, Any] | None,
    metadata: Mapping[str, Any] | None,
    builder: str,
) -> Mapping[str, Any] | None:
    if metadata is None:
        return definition_metadata
    if definition_metadata is not None:
        raise InvalidContextArgumentError(
            f'{builder}: do not use the deprecated "metadata" together with '
            '"definition_metadata"; pass definition_metadata only.'
        )
    warnings.warn(
        f'{builder}(metadata=...) is deprecated; use "definition_metadata" instead.',
        DeprecationWarning,
        stacklevel=3,
    )
    return metadata


def build_output_context(
    step_key: str | None = None,
    name: str | None = None,
    definition_metadata: Mapping[str, Any] | None = None,
    run_id: str | None = None,
    mapping_key: str | None = None,
    config: Any = None,
    dagster_type: DagsterTypeLike | None = None,
    version: str | None = None,
    resource_config: Mapping[str, Any] | None = None,
    resources: Mapping[str, Any] | None = None,
    op_def: Any = None,
    asset_key: CoercibleToAssetKey | None = None,
    partition_key: str | None = None,
    asset_partitions_def: PartitionsDefinitionLike | None = None,
    asset_partition_key_range: PartitionKeyRangeLike | None = None,
    instance: Any = None,
    asset_spec: Any = None,
    metadata: Mapping[str, Any] | None = None,
    output_metadata: Mapping[str, Any] | None = None,
) -> OutputContext:
    """Build an ``OutputContext`` for testing ``handle_output``.

    ``run_id`` defaults to ``"__EPHEMERAL_RUN_ID"`` and ``resource_config`` to ``{}``;
    ``asset_key`` is coerced only when truthy. ``instance`` is accepted for compatibility and
    ignored. Mappings are copied (IOM-CTX-008).

    Raises ``InvalidContextArgumentError`` for arguments of the wrong type or for both
    ``metadata`` and ``definition_metadata``, ``InvalidAssetKeyError`` for an asset key that
    cannot be coerced, and ``InvalidPartitionKeyError`` when a range endpoint is not a key of
    ``asset_partitions_def``. ``metadata=`` alone emits a ``DeprecationWarning``.
    """
    del instance  # no instance is needed: nothing is loaded from storage
    return OutputContext(
        step_key=step_key,
        name=name,
        run_id=RUN_ID_PLACEHOLDER if run_id is None else run_id,
        definition_metadata=_definition_metadata(
            definition_metadata, metadata, "build_output_context"
        ),
        mapping_key=mapping_key,
        config=config,
        dagster_type=dagster_type,
        version=version,
        resource_config={} if resource_config is None else resource_config,
        resources=resources,
        op_def=op_def,
        asset_key=asset_key,
        partition_key=partition_key,
        asset_partitions_def=asset_partitions_def,
        asset_partition_key_range=asset_partition_key_range,
        asset_spec=asset_spec,
        output_metadata=output_metadata,
    )


def build_input_context(
    name: str | None = None,
    config: Any = None,
    definition_metadata: Mapping[str, Any] | None = None,
    upstream_output: OutputContextLike | None = None,
    dagster_type: DagsterTypeLike | None = None,
    resource_config: Mapping[str, Any] | None = None,
    resources: Mapping[str, Any] | None = None,
    op_def: Any = None,
    step_context: Any = None,
    asset_key: CoercibleToAssetKey | None = None,
    partition_key: str | None = None,
    asset_partition_key_range: PartitionKeyRangeLike | None = None,
    asset_partitions_def: PartitionsDefinitionLike | None = None,
    instance: Any = None,
    metadata: Mapping[str, Any] | None = None,
) -> InputContext:
    """Build an ``InputContext`` for testing ``load_input``.

    ``asset_partitions_def`` is the upstream asset's definition; ``resource_config`` defaults to
    ``{}``; ``asset_key`` is coerced only when truthy. Raises like
    :func:`build_output_context`, and ``InvalidContextArgumentError`` when ``upstream_output``
    is not an output context.
    """
    return InputContext(
        name=name,
        config=config,
        definition_metadata=_definition_metadata(
            definition_metadata, metadata, "build_input_context"
        ),
        upstream_output=upstream_output,
        dagster_type=dagster_type,
        resource_config={} if resource_config is None else resource_config,
        resources=resources,
        asset_key=asset_key,
        op_def=op_def,
        step_context=step_context,
        partition_key=partition_key,
        asset_partition_key_range=asset_partition_key_range,
        asset_partitions_def=asset_partitions_def,
        instance=instance,
    )
