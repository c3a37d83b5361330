"""Asset events an IO manager can log: ``AssetMaterialization`` and ``AssetObservation``.

Both are immutable; the asset key is coerced with ``AssetKey.from_coercible`` and the metadata is
normalized to metadata values. They satisfy ``spec.AssetMaterializationLike`` and
``spec.AssetObservationLike``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType

from reference_impl.asset_key import AssetKey
from reference_impl.errors import InvalidEventError
from reference_impl.metadata import MetadataValue, normalize_metadata

__all__ = ["AssetEvent", "AssetMaterialization", "AssetObservation"]

CoercibleToAssetKey = AssetKey | str | Sequence[str]


class AssetEvent:
    """What a materialization and an observation share.

    Raises ``InvalidAssetKeyError`` for an asset key that cannot be coerced,
    ``InvalidMetadataError`` for metadata that cannot be normalized and ``InvalidEventError``
    for a description, partition or tags of the wrong type.
    """

    __slots__ = ("_asset_key", "_description", "_metadata", "_partition", "_tags")

    def __init__(
        self,
        asset_key: CoercibleToAssetKey,
        description: str | None = None,
        metadata: Mapping[str, object] | None = None,
        partition: str | None = None,
        tags: Mapping[str, str] | None = None,
    ) -> None:
        kind = type(self).__name__
        _require_optional_str(description, f"{kind} description")
        _require_optional_str(partition, f"{kind} partition")
        self._asset_key = AssetKey.from_coercible(asset_key)
        self._description = description
        self._partition = partition
        self._metadata = MappingProxyType(normalize_metadata(metadata or {}))
        self._tags = MappingProxyType(_copy_tags(tags, kind))

    @property
    def asset_key(self) -> AssetKey:
        """The asset the event is about."""
        return self._asset_key

    @property
    def description(self) -> str | None:
        """A human-readable description, or ``None``."""
        return self._description

    @property
    def metadata(self) -> Mapping[str, MetadataValue]:
        """The normalized metadata (read-only)."""
        return self._metadata

    @property
    def partition(self) -> str | None:
        """The partition the event is about, or ``None`` for the whole asset."""
        return self._partition

    @property
    def tags(self) -> Mapping[str, str]:
        """String tags (read-only; empty by default)."""
        return self._tags

    @property
    def label(self) -> str:
        """The asset key as a user string (``a/b``)."""
        return self._asset_key.to_user_string()

    def _fields(self) -> tuple[object, ...]:
        return (
            self._asset_key,
            self._description,
            dict(self._metadata),
            self._partition,
            dict(self._tags),
        )

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, AssetEvent)
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash((type(self), self._asset_key, self._description, self._partition))

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(asset_key={self._asset_key!r}, "
            f"description={self._description!r}, metadata={dict(self._metadata)!r}, "
            f"partition={self._partition!r}, tags={dict(self._tags)!r})"
        )


class AssetMaterialization(AssetEvent):
    """An event recording that an asset (or one partition of it) was written."""

    __slots__ = ()


class AssetObservation(AssetEvent):
    """An event recording that an asset was observed without being written."""

    __slots__ = ()


def _require_optional_str(value: object, what: str) -> None:
    if value is not None and not isinstance(value, str):
        raise InvalidEventError(
            f"{what} must be a str or None, got {value!r} of type {type(value).__name__}."
        )


def _copy_tags(tags: Mapping[str, str] | None, kind: str) -> dict[str, str]:
    if tags is None:
        return {}
    if not isinstance(tags, Mapping):
        raise InvalidEventError(f"{kind} tags must be a mapping of str to str, got {tags!r}.")
    copied = dict(tags)
    for key, value in copied.items():
        if not isinstance(key, str) or not isinstance(value, str):
            raise InvalidEventError(
                f"{kind} tags must map str to str, got {key!r}: {value!r}. Convert both to str."
            )
    return copied
