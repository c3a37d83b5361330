"""iomanager-spec: structural protocols and normative requirements for Dagster-style IO managers.

Import the protocols from here; :mod:`spec.requirements` holds the requirement registry.
"""

from spec.contexts import ContextLike, InputContextLike, OutputContextLike
from spec.managers import InitContextLike, InputManager, IOManager, IOManagerFactory
from spec.values import (
    AssetEventLike,
    AssetKeyLike,
    AssetMaterializationLike,
    AssetObservationLike,
    DagsterTypeLike,
    LoggerLike,
    MetadataValueLike,
    PartitionKeyRangeLike,
    PartitionsDefinitionLike,
    RawMetadataValue,
    TimeWindowLike,
)

__all__ = [
    "AssetEventLike",
    "AssetKeyLike",
    "AssetMaterializationLike",
    "AssetObservationLike",
    "ContextLike",
    "DagsterTypeLike",
    "IOManager",
    "IOManagerFactory",
    "InitContextLike",
    "InputContextLike",
    "InputManager",
    "LoggerLike",
    "MetadataValueLike",
    "OutputContextLike",
    "PartitionKeyRangeLike",
    "PartitionsDefinitionLike",
    "RawMetadataValue",
    "TimeWindowLike",
]
