"""Asset definitions: an op that produces one asset, with its key, partitions and metadata.

An asset's node (and so its step key) is its key joined with ``__`` (``["pre", "a"]`` →
``pre__a``), its single output is ``result``, the output's definition metadata is the asset's
metadata, and each input names an upstream asset key: the ``AssetIn`` key, else the parameter
name.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from reference_impl.asset_key import AssetKey
from reference_impl.errors import InvalidDefinitionError
from reference_impl.execution.op_definition import (
    DEFAULT_IO_MANAGER_KEY,
    InputDefinition,
    OpDefinition,
    resolve_input_defs,
    resolve_output_defs,
)
from reference_impl.execution.specs import NO_VALUE, AssetIn, In, Out

__all__ = ["AssetsDefinition", "build_assets_definition"]


class AssetsDefinition:
    """One asset: its key, the op that computes it, its partitions definition and metadata.

    Calling it runs the compute function directly (useful in unit tests).
    """

    def __init__(
        self,
        key: AssetKey,
        op_def: OpDefinition,
        partitions_def: Any = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        self.key = key
        self.op = op_def
        self.partitions_def = partitions_def
        self.metadata = dict(metadata or {})

    @property
    def node_name(self) -> str:
        """The node (step key) name: the key's components joined with ``__``."""
        return self.op.name

    @property
    def io_manager_key(self) -> str:
        """The resource key of the IO manager that stores this asset."""
        return self.op.output_defs[0].io_manager_key

    @property
    def keys_by_input_name(self) -> Mapping[str, AssetKey]:
        """The upstream asset key of each value-carrying input."""
        return {d.name: d.asset_key for d in self.op.input_defs if d.asset_key is not None}

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.op.compute_fn(*args, **kwargs)

    def __repr__(self) -> str:
        return f"AssetsDefinition({self.key.to_user_string()!r})"


def _prefixed(prefix: str | Sequence[str] | None, name: str) -> AssetKey:
    if prefix is None:
        return AssetKey([name])
    parts = [prefix] if isinstance(prefix, str) else list(prefix)
    return AssetKey([*parts, name])


def _asset_key(
    fn: Callable[..., Any],
    key: Any,
    name: str | None,
    key_prefix: str | Sequence[str] | None,
) -> AssetKey:
    if key is not None:
        if name is not None or key_prefix is not None:
            raise InvalidDefinitionError(
                f"@asset {fn.__name__!r}: give either key=... or name=/key_prefix=, not both."
            )
        return AssetKey.from_coercible(key)
    return _prefixed(key_prefix, name or fn.__name__)


def _asset_input(name: str, spec: AssetIn) -> tuple[AssetKey, In]:
    if not isinstance(spec, AssetIn):
        raise InvalidDefinitionError(f"ins[{name!r}] must be an AssetIn(...), got {spec!r}.")
    if spec.key is not None and spec.key_prefix is not None:
        raise InvalidDefinitionError(f"AssetIn for {name!r}: give key or key_prefix, not both.")
    upstream = (
        AssetKey.from_coercible(spec.key) if spec.key is not None
        else _prefixed(spec.key_prefix, name)
    )
    as_in = In(dagster_type=spec.dagster_type, metadata=spec.metadata,
               input_manager_key=spec.input_manager_key)
    return upstream, as_in


def build_assets_definition(
    fn: Callable[..., Any],
    *,
    name: str | None = None,
    key: Any = None,
    key_prefix: str | Sequence[str] | None = None,
    ins: Mapping[str, AssetIn] | None = None,
    metadata: Mapping[str, Any] | None = None,
    partitions_def: Any = None,
    io_manager_key: str | None = None,
    dagster_type: Any = NO_VALUE,
    required_resource_keys: Iterable[str] | None = None,
    config_schema: object = None,
    description: str | None = None,
) -> AssetsDefinition:
    """Build what ``@asset`` produces for ``fn`` (see the module docstring for the rules)."""
    if not callable(fn):
        raise InvalidDefinitionError(f"@asset must decorate a function, got {fn!r}.")
    asset_key = _asset_key(fn, key, name, key_prefix)
    parameters = list(inspect.signature(fn).parameters.values())
    takes_context = bool(parameters) and parameters[0].name in {"context", "_", "_context",
                                                                "context_"}
    value_parameters = parameters[1:] if takes_context else parameters
    asset_ins = dict(ins or {})
    unknown = sorted(set(asset_ins) - {p.name for p in value_parameters})
    if unknown:
        raise InvalidDefinitionError(
            f"@asset {fn.__name__!r}: ins names {unknown}, which are not parameters of the "
            "function. Add the parameters or remove the entries."
        )
    resolved = {n: _asset_input(n, s) for n, s in asset_ins.items()}
    plain_ins = {n: spec for n, (_, spec) in resolved.items()}
    input_defs: list[InputDefinition] = []
    for input_def in resolve_input_defs(fn, value_parameters, plain_ins, "asset"):
        upstream_key, spec = resolved.get(input_def.name, (AssetKey([input_def.name]), None))
        mapping = asset_ins[input_def.name].partition_mapping if spec is not None else None
        input_defs.append(InputDefinition(
            name=input_def.name,
            dagster_type=input_def.dagster_type,
            metadata=input_def.metadata,
            input_manager_key=input_def.input_manager_key,
            default_value=input_def.default_value,
            asset_key=upstream_key,
            partition_mapping=mapping,
        ))
    out = Out(dagster_type=dagster_type, metadata=metadata,
              io_manager_key=io_manager_key or DEFAULT_IO_MANAGER_KEY)
    op_def = OpDefinition(
        name="__".join(asset_key.path),
        compute_fn=fn,
        takes_context=takes_context,
        input_defs=input_defs,
        output_defs=resolve_output_defs(fn, out),
        required_resource_keys=required_resource_keys or (),
        config_schema=config_schema,
        description=description or inspect.getdoc(fn),
    )
    return AssetsDefinition(asset_key, op_def, partitions_def=partitions_def, metadata=metadata)
