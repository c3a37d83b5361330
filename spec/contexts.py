"""Protocols for the contexts a framework hands to an IO manager.

``OutputContextLike`` is passed to ``handle_output``; ``InputContextLike`` to ``load_input``.
The error contract is part of the spec: an accessor for a value the context does not have raises
(it never returns a sentinel). Requirements ``IOM-CTX-*`` in :mod:`spec.requirements` state it
normatively; the docstrings below summarize it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from typing_extensions import Protocol, runtime_checkable

from spec.values import (
    AssetKeyLike,
    DagsterTypeLike,
    LoggerLike,
    PartitionKeyRangeLike,
    PartitionsDefinitionLike,
    TimeWindowLike,
)

__all__ = ["ContextLike", "InputContextLike", "OutputContextLike"]


@runtime_checkable
class ContextLike(Protocol):
    """Members shared by input and output contexts."""

    @property
    def name(self) -> str:
        """The input's or output's name. Raises when the context was built without one."""
        ...

    @property
    def config(self) -> Any:
        """Per-input or per-output config validated against the manager's schema, or ``None``."""
        ...

    @property
    def op_def(self) -> Any:
        """The op definition. Raises when the context was built without one."""
        ...

    @property
    def dagster_type(self) -> DagsterTypeLike:
        """The declared type of this input or output. Raises when unknown."""
        ...

    @property
    def log(self) -> LoggerLike:
        """A logger; always available."""
        ...

    @property
    def metadata(self) -> Mapping[str, Any] | None:
        """Deprecated alias of :attr:`definition_metadata`; emits a ``DeprecationWarning``."""
        ...

    @property
    def definition_metadata(self) -> Mapping[str, Any]:
        """Metadata declared on the definition (never raises; empty when none)."""
        ...

    @property
    def resource_config(self) -> Mapping[str, Any] | None:
        """The config of the resource that built the manager."""
        ...

    @property
    def resources(self) -> Any:
        """The resources the manager required, as attributes."""
        ...

    @property
    def has_asset_key(self) -> bool:
        """Whether an asset (rather than a plain op output) is being stored or loaded."""
        ...

    @property
    def asset_key(self) -> AssetKeyLike:
        """The asset key. Raises when :attr:`has_asset_key` is false."""
        ...

    @property
    def asset_partitions_def(self) -> PartitionsDefinitionLike:
        """The asset's partitions definition. Raises when the asset is not partitioned."""
        ...

    @property
    def has_partition_key(self) -> bool:
        """Whether the run is partitioned (a run-level key, which may differ from the asset's)."""
        ...

    @property
    def partition_key(self) -> str:
        """The run's partition key. Raises when :attr:`has_partition_key` is false."""
        ...

    @property
    def has_asset_partitions(self) -> bool:
        """Whether the context covers one or more partitions of a partitioned asset."""
        ...

    @property
    def asset_partition_key(self) -> str:
        """The single asset partition. Raises unless exactly one partition is covered."""
        ...

    @property
    def asset_partition_key_range(self) -> PartitionKeyRangeLike:
        """The covered partitions as one inclusive range. Raises when there are none."""
        ...

    @property
    def asset_partition_keys(self) -> Sequence[str]:
        """Every covered partition key, in the definition's order. Raises when not partitioned."""
        ...

    @property
    def asset_partitions_time_window(self) -> TimeWindowLike:
        """The time window spanned by the covered partitions.

        Raises when the asset is not partitioned, or not by time (a time-window definition or a
        multi-partition definition with exactly one time dimension).
        """
        ...

    def get_identifier(self) -> Sequence[str]:
        """A run-scoped identifier of the step output (see ``IOM-ID-*``)."""
        ...

    def get_asset_identifier(self) -> Sequence[str]:
        """The asset key's path, plus the partition key when exactly one partition is covered.

        Raises when there is no asset key, or when several partitions are covered.
        """
        ...


@runtime_checkable
class OutputContextLike(ContextLike, Protocol):
    """The context of ``IOManager.handle_output``: describes the step output being stored."""

    @property
    def step_key(self) -> str:
        """The key of the step that produced the output. Raises when unknown."""
        ...

    @property
    def run_id(self) -> str:
        """The id of the run that produced the output."""
        ...

    @property
    def mapping_key(self) -> str | None:
        """The key of a mapped (dynamic) output; ``None`` for a regular output."""
        ...

    @property
    def version(self) -> str | None:
        """The output's version when versioning is used, else ``None``."""
        ...

    @property
    def output_metadata(self) -> Mapping[str, Any]:
        """Metadata attached to the output at execution time (never raises)."""
        ...

    @property
    def asset_spec(self) -> Any:
        """The spec of the asset being stored. Raises when unavailable."""
        ...

    def add_output_metadata(self, metadata: Any) -> None:
        """Attach metadata to the handled output.

        All-or-nothing: raises when a key was already added through this context, or when a value
        cannot be normalized to a metadata value; nothing is added then.
        """
        ...

    def log_event(self, event: Any) -> None:
        """Log an ``AssetMaterialization`` or ``AssetObservation``; anything else raises."""
        ...


@runtime_checkable
class InputContextLike(ContextLike, Protocol):
    """The context of ``load_input``: describes the input being loaded and where it came from.

    There is no ``run_id`` or ``step_key``: reach them through :attr:`upstream_output` or
    :meth:`get_identifier`.
    """

    @property
    def has_input_name(self) -> bool:
        """False when the context loads a value from outside a run (no input name)."""
        ...

    @property
    def upstream_output(self) -> OutputContextLike | None:
        """The output context of the step that produced the value, or ``None`` for root inputs."""
        ...
