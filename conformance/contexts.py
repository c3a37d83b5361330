"""Building the contexts the checks hand to a manager.

Checks never construct contexts themselves: they describe one with an :class:`OutputSpec` or
:class:`InputSpec` (plain, JSON-able data, also used for counterexamples and reproductions) and
ask a :class:`ContextFactory` for it. ``reference`` builds reference_impl contexts; ``dagster``
(``conformance.bridges.dagster``) builds real Dagster ones, so the same checks validate both.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Protocol, runtime_checkable

from reference_impl.narrowing import is_list_or_tuple, is_mapping, is_tuple
from spec.contexts import InputContextLike, OutputContextLike

__all__ = [
    "CONTEXT_FACTORIES",
    "ContextFactory",
    "ContextFactoryError",
    "InputSpec",
    "OutputSpec",
    "PartitionsSpec",
    "ReferenceContextFactory",
    "resolve_context_factory",
]


class ContextFactoryError(LookupError):
    """A context factory name cannot be resolved (unknown, or its optional extra is missing)."""


TIME_KINDS: tuple[str, ...] = ("hourly", "daily", "weekly", "monthly")
"""Time partitioning kinds, each built with the reference ``<Kind>PartitionsDefinition``."""


@dataclass(frozen=True)
class PartitionsSpec:
    """Describes a partitions definition as data: ``static``, a time kind, or ``multi``.

    Time kinds take ``start``/``end`` in the kind's default format (``%Y-%m-%d-%H:%M`` for
    hourly, ``%Y-%m-%d`` otherwise) and an IANA ``timezone``; ``end`` is always set so the key
    set never depends on the clock. ``multi`` has two named ``dimensions``.
    """

    kind: str
    keys: tuple[str, ...] = ()
    start: str = ""
    end: str = ""
    timezone: str = "UTC"
    dimensions: tuple[tuple[str, PartitionsSpec], ...] = ()

    def build(self) -> Any:
        """The reference_impl partitions definition (cached: equal specs share one object)."""
        return _build_partitions(self)

    def source(self) -> str:
        """Python source that builds the same definition with ``reference_impl.partitions``."""
        if self.kind == "static":
            return f"StaticPartitionsDefinition({list(self.keys)!r})"
        if self.kind == "multi":
            dims = ", ".join(f"{name!r}: {dim.source()}" for name, dim in self.dimensions)
            return f"MultiPartitionsDefinition({{{dims}}})"
        return (
            f"{self.kind.capitalize()}PartitionsDefinition(start_date={self.start!r}, "
            f"end_date={self.end!r}, timezone={self.timezone!r})"
        )

    def to_json(self) -> dict[str, object]:
        """JSON-able form."""
        if self.kind == "static":
            return {"kind": "static", "keys": list(self.keys)}
        if self.kind == "multi":
            return {"kind": "multi", "dimensions": {n: d.to_json() for n, d in self.dimensions}}
        return {"kind": self.kind, "start": self.start, "end": self.end, "timezone": self.timezone}


@lru_cache(maxsize=256)
def _build_partitions(spec: PartitionsSpec) -> Any:
    partitions = importlib.import_module("reference_impl.partitions")
    if spec.kind == "static":
        return partitions.StaticPartitionsDefinition(list(spec.keys))
    if spec.kind == "multi":
        return partitions.MultiPartitionsDefinition(
            {name: dim.build() for name, dim in spec.dimensions}
        )
    if spec.kind not in TIME_KINDS:
        raise ValueError(f"unknown partitions kind {spec.kind!r}")
    cls = getattr(partitions, f"{spec.kind.capitalize()}PartitionsDefinition")
    return cls(start_date=spec.start, end_date=spec.end, timezone=spec.timezone)


@dataclass(frozen=True)
class OutputSpec:
    """Describes an output context; ``None`` means "not given" (the accessor then raises)."""

    run_id: str | None = None
    step_key: str | None = None
    name: str | None = None
    mapping_key: str | None = None
    version: str | None = None
    asset_key: tuple[str, ...] | None = None
    partition_key: str | None = None
    partition_key_range: tuple[str, str] | None = None
    partitions_def: PartitionsSpec | None = None
    definition_metadata: Mapping[str, Any] = field(default_factory=dict[str, Any])
    resources: Mapping[str, Any] = field(default_factory=dict[str, Any])

    def to_json(self) -> dict[str, object]:
        """JSON-able form (the partitions definition as its description)."""
        return _spec_json(self)


@dataclass(frozen=True)
class InputSpec:
    """Describes an input context; ``upstream`` is the output it loads (``None``: a root input)."""

    upstream: OutputSpec | None
    name: str | None = "input"
    asset_key: tuple[str, ...] | None = None
    partition_key: str | None = None
    partition_key_range: tuple[str, str] | None = None
    partitions_def: PartitionsSpec | None = None
    definition_metadata: Mapping[str, Any] = field(default_factory=dict[str, Any])
    resources: Mapping[str, Any] = field(default_factory=dict[str, Any])

    def to_json(self) -> dict[str, object]:
        """JSON-able form (the upstream output nested)."""
        return _spec_json(self)


def _spec_json(spec: OutputSpec | InputSpec) -> dict[str, object]:
    out: dict[str, object] = {}
    fields: dict[str, object] = vars(spec)
    for key, value in fields.items():
        if value is None or (is_mapping(value) and not value):
            continue
        if key == "resources":
            out[key] = sorted(spec.resources)
        elif isinstance(value, OutputSpec | PartitionsSpec):
            out[key] = value.to_json()
        elif is_tuple(value):
            out[key] = list(value)
        elif is_mapping(value):
            out[key] = {str(k): _jsonable(v) for k, v in value.items()}
        else:
            out[key] = value
    return out


def _jsonable(value: object) -> object:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if is_list_or_tuple(value):
        return [_jsonable(v) for v in value]
    if is_mapping(value):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return repr(value)


@runtime_checkable
class ContextFactory(Protocol):
    """Builds framework contexts from specs. Each call returns a new, independent context."""

    @property
    def name(self) -> str:
        """Short name used in reports (``reference``, ``dagster``)."""
        ...

    def output_context(self, spec: OutputSpec) -> OutputContextLike:
        """A fresh output context as described by ``spec``."""
        ...

    def input_context(self, spec: InputSpec) -> InputContextLike:
        """A fresh input context; ``upstream_output`` is a fresh context for ``spec.upstream``."""
        ...

    def materialization(self, asset_key: tuple[str, ...]) -> object:
        """An asset-materialization event for ``asset_key`` (for ``log_event`` checks)."""
        ...


class ReferenceContextFactory:
    """Contexts from ``reference_impl.context.build_output_context`` / ``build_input_context``."""

    name = "reference"

    def __init__(self) -> None:
        self._context = importlib.import_module("reference_impl.context")

    def output_context(self, spec: OutputSpec) -> OutputContextLike:
        """A fresh reference output context."""
        kwargs = _common_kwargs(spec)
        kwargs.update(
            run_id=spec.run_id,
            step_key=spec.step_key,
            name=spec.name,
            mapping_key=spec.mapping_key,
            version=spec.version,
        )
        built: OutputContextLike = self._context.build_output_context(**_drop_none(kwargs))
        return built

    def input_context(self, spec: InputSpec) -> InputContextLike:
        """A fresh reference input context with a fresh upstream output context."""
        kwargs = _common_kwargs(spec)
        kwargs.update(
            name=spec.name,
            upstream_output=None if spec.upstream is None else self.output_context(spec.upstream),
        )
        built: InputContextLike = self._context.build_input_context(**_drop_none(kwargs))
        return built

    def materialization(self, asset_key: tuple[str, ...]) -> object:
        """A ``reference_impl.events.AssetMaterialization`` for ``asset_key``."""
        events = importlib.import_module("reference_impl.events")
        asset_key_cls = importlib.import_module("reference_impl.asset_key").AssetKey
        return events.AssetMaterialization(asset_key=asset_key_cls(list(asset_key)))


def _common_kwargs(spec: OutputSpec | InputSpec) -> dict[str, Any]:
    kwargs: dict[str, Any] = {
        "asset_key": None if spec.asset_key is None else _asset_key(spec.asset_key),
        "partition_key": spec.partition_key,
        "asset_partitions_def": None
        if spec.partitions_def is None
        else spec.partitions_def.build(),
        "definition_metadata": dict(spec.definition_metadata) or None,
        "resources": dict(spec.resources) or None,
    }
    if spec.partition_key_range is not None:
        partitions = importlib.import_module("reference_impl.partitions")
        start, end = spec.partition_key_range
        kwargs["asset_partition_key_range"] = partitions.PartitionKeyRange(start, end)
    return kwargs


def _asset_key(path: tuple[str, ...]) -> object:
    return importlib.import_module("reference_impl.asset_key").AssetKey(list(path))


def _drop_none(kwargs: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in kwargs.items() if v is not None}


CONTEXT_FACTORIES: Mapping[str, str] = {
    "reference": "conformance.contexts:ReferenceContextFactory",
    "dagster": "conformance.bridges.dagster:DagsterContextFactory",
}
"""Context factory names and the importable ``module:attr`` that builds each."""


def resolve_context_factory(contexts: str | ContextFactory) -> ContextFactory:
    """Return ``contexts`` when it is a factory, else build the named one (imported lazily).

    Raises :class:`ContextFactoryError` for an unknown name, or when the named factory's module or
    its optional dependency (``pip install 'iomanager-spec[dagster]'``) is missing.
    """
    if not isinstance(contexts, str):
        return contexts
    target = CONTEXT_FACTORIES.get(contexts)
    if target is None:
        known = ", ".join(sorted(CONTEXT_FACTORIES))
        raise ContextFactoryError(f"unknown contexts {contexts!r}; expected one of: {known}")
    module_name, attr = target.split(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise ContextFactoryError(
            f"contexts={contexts!r} needs {module_name} and its dependencies, which could not be "
            f"imported ({error}); for Dagster contexts install the extra: "
            f"pip install 'iomanager-spec[dagster]'"
        ) from error
    factory: ContextFactory = getattr(module, attr)()
    return factory
