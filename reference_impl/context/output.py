"""``OutputContext``: what ``IOManager.handle_output`` learns about the output it stores.

Identifiers follow IOM-ID-001..004; metadata and events follow IOM-META-001..005 and 009
(including the deliberate deviation that ``log_event`` rejects events about another asset, see
``docs/deviations/contexts.md``). Build one with
:func:`reference_impl.context.build_output_context`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from reference_impl.asset_key import AssetKey
from reference_impl.context.base import ContextBase
from reference_impl.context.values import check_optional_str, freeze_mapping
from reference_impl.errors import (
    DuplicateMetadataKeyError,
    InvalidContextArgumentError,
    InvalidEventError,
    InvalidMetadataError,
)
from reference_impl.events import AssetMaterialization, AssetObservation
from reference_impl.metadata import MetadataValue, normalize_metadata
from spec.values import DagsterTypeLike, PartitionKeyRangeLike, PartitionsDefinitionLike

__all__ = ["OutputContext", "VERSIONED_OUTPUTS_PREFIX"]

VERSIONED_OUTPUTS_PREFIX = "versioned_outputs"
"""The first component of a versioned output's identifier (IOM-ID-003)."""

AssetEvent = AssetMaterialization | AssetObservation


class OutputContext(ContextBase):
    """The context of one step output. Build it with ``build_output_context``.

    The keyword-only constructor takes the builder's arguments but applies no defaults: without
    ``run_id``, :meth:`get_identifier` raises ``ContextValueUnavailableError``.
    """

    _KIND = "output"
    _BUILDER = "build_output_context"

    __slots__ = (
        "_asset_spec",
        "_events",
        "_events_consumed",
        "_logged_metadata",
        "_mapping_key",
        "_output_metadata",
        "_run_id",
        "_step_key",
        "_version",
    )

    def __init__(
        self,
        *,
        step_key: str | None = None,
        name: str | None = None,
        run_id: str | None = None,
        definition_metadata: Mapping[str, Any] | None = None,
        mapping_key: str | None = None,
        config: Any = None,
        dagster_type: DagsterTypeLike | None = None,
        version: str | None = None,
        resource_config: Mapping[str, Any] | None = None,
        resources: Mapping[str, Any] | None = None,
        op_def: Any = None,
        asset_key: AssetKey | str | Sequence[str] | None = None,
        partition_key: str | None = None,
        asset_partitions_def: PartitionsDefinitionLike | None = None,
        asset_partition_key_range: PartitionKeyRangeLike | None = None,
        asset_spec: Any = None,
        output_metadata: Mapping[str, Any] | None = None,
        step_context: Any = None,
    ) -> None:
        self._step_key = check_optional_str(step_key, "step_key")
        self._run_id = check_optional_str(run_id, "run_id")
        self._mapping_key = check_optional_str(mapping_key, "mapping_key")
        self._version = check_optional_str(version, "version")
        self._asset_spec = asset_spec
        self._output_metadata = freeze_mapping(output_metadata, "output_metadata")
        self._logged_metadata: dict[str, MetadataValue] = {}
        self._events: list[AssetEvent] = []
        self._events_consumed = 0
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

    # ------------------------------------------------------------------ step output
    @property
    def step_key(self) -> str:
        """The producing step's key. Raises ``ContextValueUnavailableError`` when unset."""
        if self._step_key is None:
            raise self._unavailable("step_key")
        return self._step_key

    @property
    def run_id(self) -> str:
        """The producing run's id. Raises ``ContextValueUnavailableError`` when unset."""
        if self._run_id is None:
            raise self._unavailable("run_id")
        return self._run_id

    @property
    def mapping_key(self) -> str | None:
        """The key of a mapped (dynamic) output, or ``None``."""
        return self._mapping_key

    @property
    def version(self) -> str | None:
        """The output's version, or ``None`` when versioning is not used."""
        return self._version

    @property
    def output_metadata(self) -> Mapping[str, Any]:
        """Metadata attached to the output at execution time (read-only; never raises).

        Not changed by :meth:`add_output_metadata` (as in Dagster).
        """
        return self._output_metadata

    @property
    def asset_spec(self) -> Any:
        """The spec of the asset being stored. Raises ``ContextValueUnavailableError`` if unset."""
        if self._asset_spec is None:
            raise self._unavailable("asset_spec")
        return self._asset_spec

    def get_identifier(self) -> Sequence[str]:
        """``[run_id, step_key, name]`` (+ ``mapping_key`` if non-empty), or
        ``["versioned_outputs", version, step_key, name]`` when ``version is not None``.

        Raises ``ContextValueUnavailableError`` when step key, name or run id is missing and
        ``InvalidContextArgumentError`` when both a version and a non-empty mapping key are set
        (an empty mapping key counts as absent, IOM-ID-002; Dagster raises for it too).
        """
        version, step_key, name = self._version, self.step_key, self.name
        if version is not None:
            if self._mapping_key:
                raise InvalidContextArgumentError(
                    f"Mapping key and version both provided for output {name!r} of step "
                    f"{step_key!r}. Dynamic mapping is not supported when using versioning; "
                    "drop one of them."
                )
            return [VERSIONED_OUTPUTS_PREFIX, version, step_key, name]
        identifier = [self.run_id, step_key, name]
        if self._mapping_key:
            identifier.append(self._mapping_key)
        return identifier

    # ------------------------------------------------------------------ metadata
    def add_output_metadata(self, metadata: Mapping[str, Any]) -> None:
        """Record metadata for the handled output, all or nothing.

        Raises ``DuplicateMetadataKeyError`` when a key was already recorded on this context and
        ``InvalidMetadataError`` when ``metadata`` is not a str-keyed mapping or a value cannot
        be normalized; nothing is recorded then.
        """
        if not isinstance(metadata, Mapping):
            raise InvalidMetadataError(
                f"add_output_metadata needs a mapping, got {type(metadata).__name__}. Pass a "
                'dict such as {"rows": 10}.'
            )
        overlap = sorted(str(key) for key in metadata if key in self._logged_metadata)
        if overlap:
            raise DuplicateMetadataKeyError(
                f"Tried to add metadata for key(s) that already have metadata: {overlap}. Add "
                "each key once per handle_output call, or use a fresh context per call."
            )
        self._logged_metadata.update(normalize_metadata(metadata))

    def get_logged_metadata(self) -> Mapping[str, MetadataValue]:
        """The metadata recorded so far, in insertion order (a copy)."""
        return dict(self._logged_metadata)

    def consume_logged_metadata(self) -> Mapping[str, MetadataValue]:
        """The metadata recorded so far; clears it, so its keys may be added again."""
        logged, self._logged_metadata = self._logged_metadata, {}
        return logged

    # ------------------------------------------------------------------ events
    def log_event(self, event: AssetMaterialization | AssetObservation) -> None:
        """Record an ``AssetMaterialization`` or ``AssetObservation``.

        Raises ``InvalidEventError`` for any other object, and for an event about an asset
        other than this output's asset (a deliberate deviation from Dagster, IOM-META-005).
        For an op output (no asset key) events about any asset are accepted.
        """
        if not isinstance(event, (AssetMaterialization, AssetObservation)):
            raise InvalidEventError(
                f"log_event accepts only AssetMaterialization or AssetObservation, got "
                f"{type(event).__name__}: {event!r}."
            )
        if self._asset_key is not None and event.asset_key != self._asset_key:
            raise InvalidEventError(
                f"log_event got an event for asset {event.asset_key.to_user_string()!r}, but "
                f"this output stores asset {self._asset_key.to_user_string()!r}. Events logged "
                "while handling an asset output must concern that asset."
            )
        self._events.append(event)

    def get_logged_events(self) -> Sequence[AssetMaterialization | AssetObservation]:
        """Every event logged on this context, in order (never cleared)."""
        return tuple(self._events)

    def consume_events(self) -> Sequence[AssetMaterialization | AssetObservation]:
        """The events logged since the previous call, in order."""
        fresh = tuple(self._events[self._events_consumed :])
        self._events_consumed = len(self._events)
        return fresh
