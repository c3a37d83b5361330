"""Members shared by ``OutputContext`` and ``InputContext``.

Accessors for values the context was not given raise ``ContextValueUnavailableError``; partition
accessors raise ``NotPartitionedError``, ``PartitionCountError``,
``MissingPartitionsDefinitionError`` or ``NotTimePartitionedError`` (IOM-CTX-001..004). A context
is also a context manager that sets up and tears down its scoped resources (IOM-CTX-007).
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Any, Self

from reference_impl.asset_key import AssetKey
from reference_impl.context.partition_state import AssetPartitions, derive_asset_partitions
from reference_impl.context.resources import Resources, ResourceSet
from reference_impl.context.values import (
    check_dagster_type,
    check_key_range,
    check_optional_str,
    check_partitions_def,
    freeze_config,
    freeze_mapping,
)
from reference_impl.errors import ContextValueUnavailableError, NotPartitionedError
from spec.values import (
    DagsterTypeLike,
    PartitionKeyRangeLike,
    PartitionsDefinitionLike,
    TimeWindowLike,
)

__all__ = ["ContextBase"]

_LOGGER = logging.getLogger("reference_impl.context")
# A library logs but never prints on its own: without this, Python's last-resort handler writes
# every warning (e.g. skipped missing partitions) to stderr. Applications configure handlers.
logging.getLogger("reference_impl").addHandler(logging.NullHandler())


class ContextBase:
    """State and accessors common to both contexts; not meant to be built directly."""

    _KIND = "context"  # "output" or "input", for messages
    _BUILDER = "build_context"

    __slots__ = (
        "__weakref__",
        "_asset_key",
        "_asset_partitions",
        "_asset_partitions_def",
        "_config",
        "_dagster_type",
        "_definition_metadata",
        "_log",
        "_name",
        "_op_def",
        "_partition_key",
        "_resource_config",
        "_resources",
        "_step_context",
    )

    _asset_key: AssetKey | None
    _asset_partitions: AssetPartitions | None
    _asset_partitions_def: PartitionsDefinitionLike | None
    _config: Any
    _dagster_type: DagsterTypeLike | None
    _definition_metadata: Mapping[str, Any]
    _log: logging.Logger
    _name: str | None
    _op_def: Any
    _partition_key: str | None
    _resource_config: Mapping[str, Any] | None
    _resources: ResourceSet
    _step_context: Any

    # ------------------------------------------------------------------ helpers
    def _unavailable(self, what: str, hint: str | None = None) -> ContextValueUnavailableError:
        argument = hint or what
        return ContextValueUnavailableError(
            f"Attempting to access {what}, but it was not provided when constructing the "
            f"{type(self).__name__}. Pass {argument}=... to {self._BUILDER}(...)."
        )

    def _asset_description(self) -> str:
        if self._asset_key is None:
            return f"this {self._KIND}"
        return f"asset {self._asset_key.to_user_string()!r}"

    def _require_asset_partitions(self, accessor: str) -> AssetPartitions:
        if self._asset_partitions is None:
            raise NotPartitionedError(
                f"Tried to access {accessor}, but {self._asset_description()} covers no asset "
                f"partitions. Pass asset_key=... with partition_key=... or "
                f"asset_partition_key_range=... to {self._BUILDER}(...)."
            )
        return self._asset_partitions

    # ------------------------------------------------------------------ plain values
    @property
    def name(self) -> str:
        """The input's or output's name. Raises ``ContextValueUnavailableError`` when unset."""
        if self._name is None:
            raise self._unavailable("name")
        return self._name

    @property
    def config(self) -> Any:
        """Per-input/output config (frozen when a mapping), or ``None``."""
        return self._config

    @property
    def op_def(self) -> Any:
        """The op definition. Raises ``ContextValueUnavailableError`` when unset."""
        if self._op_def is None:
            raise self._unavailable("op_def")
        return self._op_def

    @property
    def dagster_type(self) -> DagsterTypeLike:
        """The declared type. Raises ``ContextValueUnavailableError`` when unset."""
        if self._dagster_type is None:
            raise self._unavailable("dagster_type")
        return self._dagster_type

    @property
    def step_context(self) -> Any:
        """The framework's step context. Raises ``ContextValueUnavailableError`` when unset."""
        if self._step_context is None:
            raise self._unavailable("step_context")
        return self._step_context

    @property
    def log(self) -> logging.Logger:
        """A logger; always available."""
        return self._log

    @property
    def definition_metadata(self) -> Mapping[str, Any]:
        """Metadata declared on the definition (read-only copy; empty when none)."""
        return self._definition_metadata

    @property
    def metadata(self) -> Mapping[str, Any]:
        """Deprecated alias of :attr:`definition_metadata`; emits ``DeprecationWarning``."""
        warnings.warn(
            f"Property `{type(self).__name__}.metadata` is deprecated and will be removed; use "
            "definition_metadata instead.",
            DeprecationWarning,
            stacklevel=2,
        )
        return self._definition_metadata

    @property
    def resource_config(self) -> Mapping[str, Any] | None:
        """The config of the resource that built the manager (read-only copy)."""
        return self._resource_config

    @property
    def resources(self) -> Resources:
        """The resources as attributes.

        Raises ``ResourceScopeError`` when a scoped resource was given and the context is not
        inside its ``with`` block.
        """
        return self._resources.view()

    # ------------------------------------------------------------------ assets
    @property
    def has_asset_key(self) -> bool:
        """Whether an asset (rather than a plain op output) is stored or loaded."""
        return self._asset_key is not None

    @property
    def asset_key(self) -> AssetKey:
        """The asset key. Raises ``ContextValueUnavailableError`` when there is none."""
        if self._asset_key is None:
            raise self._unavailable("asset_key")
        return self._asset_key

    @property
    def asset_partitions_def(self) -> PartitionsDefinitionLike:
        """The asset's partitions definition.

        Raises ``ContextValueUnavailableError`` without an asset key and ``NotPartitionedError``
        when the asset has no definition.
        """
        if self._asset_partitions_def is None:
            asset_key = self.asset_key
            raise NotPartitionedError(
                f"Attempting to access the partitions definition of asset "
                f"{asset_key.to_user_string()!r}, but it is not partitioned. Pass "
                f"asset_partitions_def=... to {self._BUILDER}(...)."
            )
        return self._asset_partitions_def

    # ------------------------------------------------------------------ partitions
    @property
    def has_partition_key(self) -> bool:
        """Whether the run is partitioned (``partition_key`` given, ``""`` included)."""
        return self._partition_key is not None

    @property
    def partition_key(self) -> str:
        """The run's partition key. Raises ``NotPartitionedError`` on a non-partitioned run."""
        if self._partition_key is None:
            raise NotPartitionedError(
                "Tried to access partition_key on a non-partitioned run. Pass partition_key=... "
                f"to {self._BUILDER}(...)."
            )
        return self._partition_key

    @property
    def has_asset_partitions(self) -> bool:
        """Whether the context covers asset partitions (a key or a range)."""
        return self._asset_partitions is not None

    @property
    def asset_partition_key(self) -> str:
        """The one covered asset partition.

        Raises ``NotPartitionedError`` when none is covered, ``PartitionCountError`` when the
        count is not one, ``MissingPartitionsDefinitionError`` for a multi-key range without a
        definition.
        """
        return self._require_asset_partitions("asset_partition_key").single_key()

    @property
    def asset_partition_key_range(self) -> PartitionKeyRangeLike:
        """The covered partitions as one inclusive range.

        Raises ``NotPartitionedError`` when none are covered and ``PartitionCountError`` when they
        are not one contiguous range of the definition (empty, or a multi-row rectangle).
        """
        return self._require_asset_partitions("asset_partition_key_range").key_range()

    @property
    def asset_partition_keys(self) -> Sequence[str]:
        """Every covered key in definition order: the definition's lazy sequence, not a list.

        Raises ``NotPartitionedError`` when none are covered and
        ``MissingPartitionsDefinitionError`` for a multi-key range without a definition.
        """
        return self._require_asset_partitions("asset_partition_keys").keys()

    @property
    def asset_partitions_time_window(self) -> TimeWindowLike:
        """The time window spanned by the covered partitions.

        Raises ``NotPartitionedError``, ``MissingPartitionsDefinitionError``,
        ``PartitionCountError`` or ``NotTimePartitionedError`` (definition not time-based).
        """
        return self._require_asset_partitions("asset_partitions_time_window").time_window()

    def get_asset_identifier(self) -> Sequence[str]:
        """The asset key's path, plus the partition key when asset partitions are covered.

        Raises ``ContextValueUnavailableError`` without an asset key and ``PartitionCountError``
        (or ``MissingPartitionsDefinitionError``) when not exactly one partition is covered.
        """
        path = list(self.asset_key.path)
        if self._asset_partitions is not None:
            path.append(self._asset_partitions.single_key())
        return path

    # ------------------------------------------------------------------ lifecycle
    def __enter__(self) -> Self:
        self._resources.enter()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> bool:
        return self._resources.exit(exc_type, exc, traceback)

    # ------------------------------------------------------------------ construction
    def _init_common(
        self,
        *,
        name: str | None,
        config: Any,
        definition_metadata: Mapping[str, Any] | None,
        dagster_type: DagsterTypeLike | None,
        resource_config: Mapping[str, Any] | None,
        resources: Mapping[str, Any] | None,
        op_def: Any,
        asset_key: AssetKey | str | Sequence[str] | None,
        partition_key: str | None,
        asset_partition_key_range: PartitionKeyRangeLike | None,
        asset_partitions_def: PartitionsDefinitionLike | None,
        step_context: Any,
    ) -> None:
        """Check, copy and derive the shared state; raises ``InvalidContextArgumentError``,
        ``InvalidAssetKeyError`` or ``InvalidPartitionKeyError`` for bad arguments."""
        self._name = check_optional_str(name, "name")
        self._config = freeze_config(config)
        self._definition_metadata = freeze_mapping(definition_metadata, "definition_metadata")
        self._dagster_type = check_dagster_type(dagster_type)
        self._resource_config = (
            None if resource_config is None else freeze_mapping(resource_config, "resource_config")
        )
        self._resources = ResourceSet(resources, self._BUILDER)
        self._op_def = op_def
        self._asset_key = AssetKey.from_coercible(asset_key) if asset_key else None
        self._partition_key = check_optional_str(partition_key, "partition_key")
        self._asset_partitions_def = check_partitions_def(asset_partitions_def)
        self._step_context = step_context
        self._log = _LOGGER
        self._asset_partitions = derive_asset_partitions(
            partition_key=self._partition_key,
            has_asset_key=self._asset_key is not None,
            key_range=check_key_range(asset_partition_key_range),
            definition=self._asset_partitions_def,
            subject=self._KIND,
            asset=self._asset_description(),
        )
