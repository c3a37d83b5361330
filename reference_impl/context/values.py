"""Argument checking and freezing shared by the contexts and their builders.

Every helper raises ``InvalidContextArgumentError`` with a message naming the argument.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from reference_impl.errors import InvalidContextArgumentError
from reference_impl.narrowing import is_mapping
from spec.values import DagsterTypeLike, PartitionKeyRangeLike, PartitionsDefinitionLike

__all__ = [
    "EMPTY_MAPPING",
    "check_dagster_type",
    "check_key_range",
    "check_optional_str",
    "check_partitions_def",
    "freeze_config",
    "freeze_mapping",
]

EMPTY_MAPPING: Mapping[str, Any] = MappingProxyType({})


def check_optional_str(value: object, argument: str) -> str | None:
    """``value`` itself when it is a ``str`` or ``None``."""
    if value is None or isinstance(value, str):
        return value
    raise InvalidContextArgumentError(
        f"{argument} must be a str or None, got {value!r} of type {type(value).__name__}."
    )


def freeze_mapping(value: Mapping[str, Any] | None, argument: str) -> Mapping[str, Any]:
    """A read-only deep copy of a str-keyed mapping (IOM-CTX-008); empty for ``None``.

    Values that cannot be deep-copied are shared (the mapping itself is still copied).
    """
    if value is None:
        return EMPTY_MAPPING
    if not isinstance(value, Mapping):
        raise InvalidContextArgumentError(
            f"{argument} must be a mapping with str keys, got {type(value).__name__}."
        )
    if not value:
        return EMPTY_MAPPING
    for key in value:
        if not isinstance(key, str):
            raise InvalidContextArgumentError(
                f"{argument} keys must be str, got {key!r} of type {type(key).__name__}."
            )
    try:
        copied = copy.deepcopy(dict(value))
    except Exception:  # a value that refuses to be copied: share it, copy the mapping
        copied = dict(value)
    return MappingProxyType(copied)


def freeze_config(value: Any) -> Any:
    """Per-input/output config: mappings are frozen like :func:`freeze_mapping`, rest kept."""
    if is_mapping(value):
        return MappingProxyType(copy.deepcopy(dict(value))) if value else EMPTY_MAPPING
    return value


def check_dagster_type(value: object) -> DagsterTypeLike | None:
    """``value`` when it is ``None`` or a type descriptor (``DagsterTypeLike``)."""
    if value is None or isinstance(value, DagsterTypeLike):
        return value
    raise InvalidContextArgumentError(
        f"dagster_type must be a type descriptor such as reference_impl.types.DagsterType, got "
        f"{value!r}. For a Python type use DagsterType.from_python_type({value!r})."
    )


def check_partitions_def(value: object) -> PartitionsDefinitionLike | None:
    """``value`` when it is ``None`` or a partitions definition."""
    if value is None or isinstance(value, PartitionsDefinitionLike):
        return value
    raise InvalidContextArgumentError(
        f"asset_partitions_def must be a partitions definition (such as "
        f"StaticPartitionsDefinition), got {value!r} of type {type(value).__name__}."
    )


def check_key_range(value: object) -> PartitionKeyRangeLike | None:
    """``value`` when it is ``None`` or a range with ``str`` ``start`` and ``end``."""
    if value is None:
        return None
    if (
        isinstance(value, PartitionKeyRangeLike)
        and isinstance(value.start, str)
        and isinstance(value.end, str)
    ):
        return value
    raise InvalidContextArgumentError(
        f"asset_partition_key_range must be a PartitionKeyRange(start, end) of str keys, got "
        f"{value!r}."
    )
