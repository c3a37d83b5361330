"""``InputContext``: what ``load_input`` learns about the input it loads and its producer.

There is no ``run_id`` or ``step_key``: :meth:`InputContext.get_identifier` delegates to
``upstream_output`` (IOM-ID-005). ``asset_partitions_def`` is the *upstream* asset's definition
(whatever the builder is given). Build one with :func:`reference_impl.context.build_input_context`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from reference_impl.asset_key import AssetKey
from reference_impl.context.base import ContextBase
from reference_impl.errors import ContextValueUnavailableError, InvalidContextArgumentError
from reference_impl.events import AssetObservation
from reference_impl.metadata import MetadataValue, normalize_metadata
from spec.contexts import OutputContextLike
from spec.values import DagsterTypeLike, PartitionKeyRangeLike, PartitionsDefinitionLike

__all__ = ["InputContext"]


class InputContext(ContextBase):
    """The context of one input being loaded. Build it with ``build_input_context``."""

    _KIND = "input"
    _BUILDER = "build_input_context"

    __slots__ = ("_instance", "_logged_metadata", "_observations", "_upstream_output")

    def __init__(
        self,
        *,
        name: str | None = None,
        config: Any = None,
        definition_metadata: Mapping[str, Any] | None = None,
        upstream_output: OutputContextLike | None = None,
        dagster_type: DagsterTypeLike | None = None,
        resource_config: Mapping[str, Any] | None = None,
        resources: Mapping[str, Any] | None = None,
        asset_key: AssetKey | str | Sequence[str] | None = None,
        op_def: Any = None,
        step_context: Any = None,
        partition_key: str | None = None,
        asset_partition_key_range: PartitionKeyRangeLike | None = None,
        asset_partitions_def: PartitionsDefinitionLike | None = None,
        instance: Any = None,
    ) -> None:
        if upstream_output is not None and not isinstance(upstream_output, OutputContextLike):
            raise InvalidContextArgumentError(
                f"upstream_output must be an output context (build_output_context(...)), got "
                f"{type(upstream_output).__name__}."
            )
        self._upstream_output = upstream_output
        self._instance = instance
        self._logged_metadata: dict[str, MetadataValue] = {}
        self._observations: list[AssetObservation] = []
        self._init_common(
            name=name,
            config=config,
            definition_metadata=definition_metadata,
            dagster_type=dagster_type,
            resource_config=resource_config,
            resources=resources,
            op_def=op_def,
            asset_key=asset_key,
            partition_key=partition_key,
            asset_partition_key_range=asset_partition_key_range,
            asset_partitions_def=asset_partitions_def,
            step_context=step_context,
        )

    @property
    def has_input_name(self) -> bool:
        """False when the value is loaded from outside a run (no input name)."""
        return self._name is not None

    @property
    def upstream_output(self) -> OutputContextLike | None:
        """The output context of the producing step, or ``None`` for a root input."""
        return self._upstream_output

    @property
    def instance(self) -> Any:
        """The instance given to the builder. Raises ``ContextValueUnavailableError`` if unset."""
        if self._instance is None:
            raise self._unavailable("instance")
        return self._instance

    def get_identifier(self) -> Sequence[str]:
        """``upstream_output.get_identifier()``.

        Raises ``ContextValueUnavailableError`` without an upstream output, and whatever the
        upstream output raises.
        """
        if self._upstream_output is None:
            raise ContextValueUnavailableError(
                "InputContext.upstream_output is not defined, so there is no identifier. Pass "
                "upstream_output=build_output_context(...) to build_input_context(...)."
            )
        return self._upstream_output.get_identifier()

    # ------------------------------------------------------------------ input metadata
    def add_input_metadata(
        self, metadata: Mapping[str, Any], description: str | None = None
    ) -> None:
        """Record metadata about the loaded input; later values win for repeated keys.

        With an asset key it also records an ``AssetObservation`` (with the asset partition when
        exactly one is covered). Raises ``InvalidMetadataError`` for unresolvable metadata;
        nothing is recorded then.
        """
        normalized = normalize_metadata(metadata)
        if self._asset_key is not None:
            partitions = self._asset_partitions
            partition = partitions.single_key() if partitions is not None else None
            self._observations.append(
                AssetObservation(
                    self._asset_key,
                    description=description,
                    metadata=normalized,
                    partition=partition,
                )
            )
        self._logged_metadata.update(normalized)

    def get_observations(self) -> Sequence[AssetObservation]:
        """The observations recorded by :meth:`add_input_metadata`, in order."""
        return tuple(self._observations)

    def get_logged_metadata(self) -> Mapping[str, MetadataValue]:
        """The input metadata recorded so far (a copy)."""
        return dict(self._logged_metadata)

    def consume_logged_metadata(self) -> Mapping[str, MetadataValue]:
        """The input metadata recorded so far; clears it."""
        logged, self._logged_metadata = self._logged_metadata, {}
        return logged
