"""``@op``, ``@asset`` and ``@job``, each usable bare or with arguments, as in Dagster."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, overload

from reference_impl.execution.asset_definition import AssetsDefinition, build_assets_definition
from reference_impl.execution.job_definition import JobDefinition, build_job_definition
from reference_impl.execution.op_definition import OpDefinition, resolve_op_definition
from reference_impl.execution.specs import NO_VALUE, AssetIn, In, Out

__all__ = ["asset", "job", "op"]

_Fn = Callable[..., Any]


@overload
def op(compute_fn: _Fn) -> OpDefinition: ...


@overload
def op(
    compute_fn: None = None,
    *,
    name: str | None = None,
    ins: Mapping[str, In] | None = None,
    out: Out | Mapping[str, Out] | None = None,
    required_resource_keys: Iterable[str] | None = None,
    config_schema: object = None,
    description: str | None = None,
) -> Callable[[_Fn], OpDefinition]: ...


def op(
    compute_fn: _Fn | None = None,
    *,
    name: str | None = None,
    ins: Mapping[str, In] | None = None,
    out: Out | Mapping[str, Out] | None = None,
    required_resource_keys: Iterable[str] | None = None,
    config_schema: object = None,
    description: str | None = None,
) -> OpDefinition | Callable[[_Fn], OpDefinition]:
    """Define an op. A leading ``context`` (or ``_``) parameter receives the op context; the
    other parameters are inputs (``ins`` refines them); ``out`` declares the output(s)."""

    def decorate(fn: _Fn) -> OpDefinition:
        return resolve_op_definition(fn, name=name, ins=ins, out=out,
                                     required_resource_keys=required_resource_keys,
                                     config_schema=config_schema, description=description)

    return decorate if compute_fn is None else decorate(compute_fn)


@overload
def asset(compute_fn: _Fn) -> AssetsDefinition: ...


@overload
def asset(
    compute_fn: None = None,
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
) -> Callable[[_Fn], AssetsDefinition]: ...


def asset(
    compute_fn: _Fn | None = None,
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
) -> AssetsDefinition | Callable[[_Fn], AssetsDefinition]:
    """Define an asset. Parameters name upstream assets (``ins`` refines them with
    ``AssetIn``); ``metadata`` becomes the output's definition metadata."""

    def decorate(fn: _Fn) -> AssetsDefinition:
        return build_assets_definition(
            fn, name=name, key=key, key_prefix=key_prefix, ins=ins, metadata=metadata,
            partitions_def=partitions_def, io_manager_key=io_manager_key,
            dagster_type=dagster_type, required_resource_keys=required_resource_keys,
            config_schema=config_schema, description=description,
        )

    return decorate if compute_fn is None else decorate(compute_fn)


@overload
def job(compose_fn: _Fn) -> JobDefinition: ...


@overload
def job(
    compose_fn: None = None,
    *,
    name: str | None = None,
    resource_defs: Mapping[str, object] | None = None,
    description: str | None = None,
) -> Callable[[_Fn], JobDefinition]: ...


def job(
    compose_fn: _Fn | None = None,
    *,
    name: str | None = None,
    resource_defs: Mapping[str, object] | None = None,
    description: str | None = None,
) -> JobDefinition | Callable[[_Fn], JobDefinition]:
    """Define a job: the body's op calls are traced (not run) into a graph of nodes."""

    def decorate(fn: _Fn) -> JobDefinition:
        return build_job_definition(fn, name=name, resource_defs=resource_defs,
                                    description=description)

    return decorate if compose_fn is None else decorate(compose_fn)
