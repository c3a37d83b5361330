"""Dagster contexts as a published manager needs them: typed, configured, with metadata.

:class:`FieldContextFactory` is the bridge's ``DagsterContextFactory`` plus three things real
Dagster runs always give a manager and the plain bridge leaves empty:

* ``dagster_type``: a ``PythonObjectDagsterType`` whose ``typing_type`` is the value's class
  (``pandas.DataFrame``, ``polars.DataFrame``), on outputs and inputs (and so on
  ``upstream_output``): managers dispatch their type handlers on it;
* ``resource_config``: the manager's processed config (``DbIOManager`` clients read
  ``database`` / ``root_uri`` from ``context.resource_config``), set per storage root by
  :meth:`bind_resource_config`;
* definition metadata of every *output* (so also of ``input.upstream_output``), computed from the
  output spec by ``output_metadata``: e.g. ``partition_expr`` naming the partition column of
  the definition's kind.

The asset keys a manager supports (a table needs SQL identifiers for its schema and table
names) are declared on its Subject (``Subject.accepts_asset_key``), not here: the runner guards
every context factory with that domain (:mod:`conformance.domain`, IOM-ID-014).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

import dagster as dg

from conformance.bridges.dagster.factory import RUN_ID_PLACEHOLDER, DagsterContextFactory
from conformance.contexts import InputSpec, OutputSpec
from spec.contexts import InputContextLike

__all__ = ["FieldContextFactory"]


class FieldContextFactory(DagsterContextFactory):
    """Real Dagster contexts with ``dagster_type``, ``resource_config`` and output metadata."""

    name = "dagster"

    def __init__(
        self,
        *,
        typing_type: type | None = None,
        output_metadata: Callable[[OutputSpec], Mapping[str, Any]] | None = None,
    ) -> None:
        super().__init__()
        self._dagster_type = (
            None if typing_type is None else dg.PythonObjectDagsterType(typing_type)
        )
        self._output_metadata = output_metadata
        self._resource_config: Mapping[str, Any] = {}

    def bind_resource_config(self, config: Mapping[str, Any]) -> None:
        """Use ``config`` as ``resource_config`` of the contexts built from now on."""
        self._resource_config = dict(config)

    def _with_metadata(self, spec: OutputSpec) -> OutputSpec:
        if self._output_metadata is None:
            return spec
        extra = self._output_metadata(spec)
        return replace(spec, definition_metadata={**extra, **spec.definition_metadata})

    def dagster_output_context(self, spec: OutputSpec) -> dg.OutputContext:
        """A ``dagster.OutputContext`` with type, resource config and definition metadata."""
        spec = self._with_metadata(spec)
        asset_key = None if spec.asset_key is None else dg.AssetKey(list(spec.asset_key))
        partitions_def, subset = self._partitions(spec, asset_key)
        return dg.OutputContext(
            step_key=spec.step_key,
            name=spec.name,
            run_id=RUN_ID_PLACEHOLDER if spec.run_id is None else spec.run_id,
            definition_metadata=dict(spec.definition_metadata),
            mapping_key=spec.mapping_key,
            dagster_type=self._dagster_type,
            log_manager=self._log,
            version=spec.version,
            resource_config=dict(self._resource_config),
            resources=self._resources_for(spec.resources),
            asset_key=asset_key,
            partition_key=spec.partition_key,
            asset_partitions_def=partitions_def,
            asset_partitions_subset=subset,
        )

    def input_context(self, spec: InputSpec) -> InputContextLike:
        """A ``dagster.InputContext`` with type and config; its upstream output carries the
        output's definition metadata (``partition_expr``, ``columns``, ...)."""
        upstream = None if spec.upstream is None else self.dagster_output_context(spec.upstream)
        asset_key = None if spec.asset_key is None else dg.AssetKey(list(spec.asset_key))
        partitions_def, subset = self._partitions(spec, asset_key)
        # pyright is wrong here: Dagster's AssetKey.path is a cached_property, which pyright does
        # not take for the read-only property spec.AssetKeyLike.path (docs/TYPING.md).
        return dg.InputContext(  # pyright: ignore[reportReturnType]
            name=spec.name,
            definition_metadata=dict(spec.definition_metadata),
            upstream_output=upstream,
            dagster_type=self._dagster_type,
            log_manager=self._log,
            resource_config=dict(self._resource_config),
            resources=self._resources_for(spec.resources),
            asset_key=asset_key,
            partition_key=spec.partition_key,
            asset_partitions_subset=subset,
            asset_partitions_def=partitions_def,
        )
