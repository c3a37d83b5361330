"""The user-facing input/output declarations: ``In``, ``Out`` and ``AssetIn``.

They only record what the user wrote; :mod:`reference_impl.execution.op_definition` resolves them
(together with the function's annotations) into input and output definitions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from reference_impl.asset_key import AssetKey

__all__ = ["NO_VALUE", "AssetIn", "In", "NoValue", "Out"]


class NoValue:
    """Marker type of :data:`NO_VALUE` (an argument that was not given)."""

    def __repr__(self) -> str:
        return "NO_VALUE"


NO_VALUE: Final = NoValue()


@dataclass(frozen=True)
class Out:
    """Declares an op output: its type, which IO manager stores it, and its metadata.

    ``dagster_type`` may be a Python type, a :class:`~reference_impl.types.DagsterType` or
    ``None`` (= ``Nothing``: the output carries no value and no manager is called); when it is not
    given, the function's return annotation decides.
    """

    dagster_type: Any = NO_VALUE
    description: str | None = None
    is_required: bool = True
    io_manager_key: str | None = None
    metadata: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class In:
    """Declares an op input: its type, metadata, default value and the manager that loads it."""

    dagster_type: Any = NO_VALUE
    description: str | None = None
    default_value: Any = NO_VALUE
    metadata: Mapping[str, Any] | None = None
    input_manager_key: str | None = None


@dataclass(frozen=True)
class AssetIn:
    """Declares an asset input: the upstream asset key, metadata, mapping and input manager.

    ``key`` defaults to the parameter name (prefixed by ``key_prefix`` when given).
    ``partition_mapping`` defaults to the mapping the partitions package picks for the two
    partitions definitions.
    """

    key: AssetKey | str | Sequence[str] | None = None
    metadata: Mapping[str, Any] | None = None
    key_prefix: str | Sequence[str] | None = None
    input_manager_key: str | None = None
    partition_mapping: Any = None
    dagster_type: Any = NO_VALUE
