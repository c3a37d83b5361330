"""``DagsterContextFactory``: real Dagster contexts built from the kit's context specs.

Semantics are those of ``dagster.build_output_context`` / ``dagster.build_input_context``
(asset-key coercion, run-key to one-partition derivation, range validation), but the contexts are
made with the raw keyword constructors and one prebuilt ``Resources`` object and log manager,
so no ephemeral ``DagsterInstance`` is created per call (~10 µs instead of ~35 ms). Specs that
carry resources go through Dagster's own resource initialisation (its semantics, its cost).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager
from typing import Any, cast

import dagster as dg
from dagster._core.definitions.resource_definition import Resources
from dagster._core.definitions.scoped_resources_builder import ScopedResourcesBuilder
from dagster._core.execution.context.input import KeyRangeNoPartitionsDefPartitionsSubset
from dagster._core.execution.context_creation_job import initialize_console_manager
from dagster._core.log_manager import DagsterLogManager

from conformance.bridges.dagster.partitions import (
    dagster_partitions_def,
    dagster_partitions_subset,
)
from conformance.contexts import InputSpec, OutputSpec, PartitionsSpec
from spec.contexts import InputContextLike, OutputContextLike

__all__ = ["RUN_ID_PLACEHOLDER", "DagsterContextFactory"]

RUN_ID_PLACEHOLDER = "__EPHEMERAL_RUN_ID"
"""The run id ``dagster.build_output_context`` uses when none is given."""


class DagsterContextFactory:
    """Builds ``dagster.OutputContext`` / ``dagster.InputContext`` objects from kit specs.

    Every call returns a new, independent context (fresh logged metadata and events); the
    resources object, log manager, partitions definitions and subsets are shared because Dagster
    never mutates them.
    """

    name = "dagster"

    def __init__(self) -> None:
        self._resources: Resources = ScopedResourcesBuilder().build(None)
        self._log: DagsterLogManager = initialize_console_manager(None)

    def output_context(self, spec: OutputSpec) -> OutputContextLike:
        """A fresh ``dagster.OutputContext``; ``run_id`` defaults as in ``build_output_context``."""
        # pyright is wrong here: Dagster's AssetKey.path is a cached_property, which pyright does
        # not take for the read-only property spec.AssetKeyLike.path (docs/TYPING.md).
        return self.dagster_output_context(spec)  # pyright: ignore[reportReturnType]

    def dagster_output_context(self, spec: OutputSpec) -> dg.OutputContext:
        """Same as :meth:`output_context`, typed as the concrete Dagster class."""
        asset_key = _asset_key(spec.asset_key)
        partitions_def, subset = self._partitions(spec, asset_key)
        context = dg.OutputContext(
            step_key=spec.step_key,
            name=spec.name,
            run_id=RUN_ID_PLACEHOLDER if spec.run_id is None else spec.run_id,
            definition_metadata=dict(spec.definition_metadata),
            mapping_key=spec.mapping_key,
            log_manager=self._log,
            version=spec.version,
            resource_config={},
            resources=self._resources_for(spec.resources),
            asset_key=asset_key,
            partition_key=spec.partition_key,
            asset_partitions_def=partitions_def,
            asset_partitions_subset=subset,
        )
        return context

    def input_context(self, spec: InputSpec) -> InputContextLike:
        """A fresh ``dagster.InputContext`` whose ``upstream_output`` is a fresh output context."""
        upstream = None if spec.upstream is None else self.dagster_output_context(spec.upstream)
        asset_key = _asset_key(spec.asset_key)
        partitions_def, subset = self._partitions(spec, asset_key)
        context = dg.InputContext(
            name=spec.name,
            definition_metadata=dict(spec.definition_metadata),
            upstream_output=upstream,
            log_manager=self._log,
            resource_config={},
            resources=self._resources_for(spec.resources),
            asset_key=asset_key,
            partition_key=spec.partition_key,
            asset_partitions_subset=subset,
            asset_partitions_def=partitions_def,
        )
        # pyright is wrong here, as in output_context (AssetKey.path, docs/TYPING.md).
        return context  # pyright: ignore[reportReturnType]

    def materialization(self, asset_key: tuple[str, ...]) -> object:
        """A ``dagster.AssetMaterialization`` for ``asset_key``."""
        return dg.AssetMaterialization(asset_key=dg.AssetKey(list(asset_key)))

    # ------------------------------------------------------------------ helpers

    def _resources_for(self, resources: Mapping[str, Any]) -> Resources | Mapping[str, Any]:
        """The shared empty resources, or a mapping for Dagster to initialise itself.

        A value that is a context manager becomes Dagster's idiom for one: a generator
        resource that enters it and exits when the context's ``with`` block ends.
        """
        if not resources:
            return self._resources
        return {key: _as_dagster_resource(value) for key, value in resources.items()}

    @staticmethod
    def _partitions(
        spec: OutputSpec | InputSpec, asset_key: dg.AssetKey | None
    ) -> tuple[dg.PartitionsDefinition[str] | None, Any]:
        """(definition, subset) exactly as ``build_*_context`` derives them (``input.py:645``)."""
        key_range = spec.partition_key_range
        if spec.partition_key and asset_key and key_range is None:
            key_range = (spec.partition_key, spec.partition_key)
        pdef_spec: PartitionsSpec | None = spec.partitions_def
        partitions_def = None if pdef_spec is None else dagster_partitions_def(pdef_spec)
        if pdef_spec is not None and key_range is not None:
            return partitions_def, dagster_partitions_subset(pdef_spec, *key_range)
        if key_range is not None:
            return partitions_def, KeyRangeNoPartitionsDefPartitionsSubset(
                dg.PartitionKeyRange(*key_range)
            )
        return partitions_def, None


def _as_dagster_resource(value: object) -> object:
    if not (hasattr(value, "__enter__") and hasattr(value, "__exit__")):
        return value
    manager = cast("AbstractContextManager[object]", value)  # it has __enter__ and __exit__

    @dg.resource
    def entered(_: dg.InitResourceContext) -> Iterator[object]:
        with manager as resource:
            yield resource

    return entered


def _asset_key(path: tuple[str, ...] | None) -> dg.AssetKey | None:
    return None if path is None else dg.AssetKey(list(path))
