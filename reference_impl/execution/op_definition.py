"""Op definitions: a compute function plus its resolved input and output definitions.

:func:`resolve_op_definition` reads the function's signature the way Dagster does: a first
parameter named ``context``, ``_``, ``_context`` or ``context_`` receives the op context; the
other parameters are inputs. Types come from ``In``/``Out`` or else from annotations; a ``-> None``
annotation makes the output ``Nothing`` (its IO manager is never called).

Calling an :class:`OpDefinition` runs its function, unless a caller has installed an interceptor
with :func:`intercepting_calls` (the ``@job`` tracer in :mod:`.composition` does): then the call
goes to the interceptor instead. The dependency points one way: composition imports this module.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable, Generator, Iterable, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Final

from reference_impl.asset_key import AssetKey
from reference_impl.definitions.config import ConfigType, resolve_schema
from reference_impl.errors import InvalidDefinitionError
from reference_impl.execution.specs import NO_VALUE, In, Out
from reference_impl.types import Any as AnyType
from reference_impl.types import DagsterType, Nothing

__all__ = [
    "DEFAULT_IO_MANAGER_KEY",
    "DEFAULT_OUTPUT_NAME",
    "InputDefinition",
    "OpCallInterceptor",
    "OpDefinition",
    "OutputDefinition",
    "intercepting_calls",
    "resolve_op_definition",
    "to_dagster_type",
]

DEFAULT_IO_MANAGER_KEY: Final = "io_manager"
DEFAULT_OUTPUT_NAME: Final = "result"
_CONTEXT_NAMES: Final = frozenset({"context", "_", "_context", "context_"})


def to_dagster_type(declared: object, annotation: object = NO_VALUE) -> DagsterType:
    """The type of an input/output: the declared one if given, else the annotation, else Any."""
    chosen = annotation if declared is NO_VALUE else declared
    if chosen is NO_VALUE or chosen is inspect.Parameter.empty:
        return AnyType
    if isinstance(chosen, DagsterType):
        return chosen
    if chosen == "None":  # an unresolvable string annotation still says "returns nothing"
        return Nothing
    return DagsterType.from_python_type(chosen)


@dataclass(frozen=True)
class InputDefinition:
    """One input of an op: type, definition metadata, default, and how it is loaded.

    ``asset_key``/``partition_mapping`` are set for asset inputs only.
    """

    name: str
    dagster_type: DagsterType
    metadata: Mapping[str, Any]
    input_manager_key: str | None = None
    default_value: Any = NO_VALUE
    asset_key: AssetKey | None = None
    partition_mapping: Any = None

    @property
    def is_nothing(self) -> bool:
        """Whether the input only orders execution and carries no value."""
        return self.dagster_type.is_nothing


@dataclass(frozen=True)
class OutputDefinition:
    """One output of an op: type, definition metadata and the key of the IO manager storing it."""

    name: str
    dagster_type: DagsterType
    metadata: Mapping[str, Any]
    io_manager_key: str = DEFAULT_IO_MANAGER_KEY
    is_required: bool = True

    @property
    def is_nothing(self) -> bool:
        """Whether the output carries no value (the IO manager is skipped)."""
        return self.dagster_type.is_nothing


class OpDefinition:
    """A named compute function with resolved inputs, outputs and required resources.

    Called inside a ``@job`` body it records an invocation and returns output handles; called
    anywhere else it runs the function directly (handy in unit tests).
    """

    def __init__(
        self,
        name: str,
        compute_fn: Callable[..., Any],
        takes_context: bool,
        input_defs: Iterable[InputDefinition],
        output_defs: Iterable[OutputDefinition],
        required_resource_keys: Iterable[str] = (),
        config_schema: object = None,
        description: str | None = None,
    ) -> None:
        self.name = name
        self.compute_fn = compute_fn
        self.takes_context = takes_context
        self.input_defs = tuple(input_defs)
        self.output_defs = tuple(output_defs)
        self.required_resource_keys = frozenset(required_resource_keys)
        self.config_schema = config_schema
        self.config_type: ConfigType = resolve_schema(config_schema)
        self.description = description

    def input_def_named(self, name: str) -> InputDefinition:
        """The input called ``name``; ``InvalidDefinitionError`` listing the inputs otherwise."""
        for input_def in self.input_defs:
            if input_def.name == name:
                return input_def
        names = [d.name for d in self.input_defs]
        raise InvalidDefinitionError(f"op {self.name!r} has no input {name!r}; inputs: {names}.")

    def output_def_named(self, name: str) -> OutputDefinition:
        """The output called ``name``; ``InvalidDefinitionError`` listing the outputs otherwise."""
        for output_def in self.output_defs:
            if output_def.name == name:
                return output_def
        names = [d.name for d in self.output_defs]
        raise InvalidDefinitionError(f"op {self.name!r} has no output {name!r}; outputs: {names}.")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        interceptor = _INTERCEPTOR.get()
        if interceptor is not None:
            return interceptor(self, args, kwargs)
        return self.compute_fn(*args, **kwargs)

    def __repr__(self) -> str:
        return f"OpDefinition({self.name!r})"


OpCallInterceptor = Callable[[OpDefinition, Sequence[Any], Mapping[str, Any]], object]
"""Receives ``(op_def, args, kwargs)`` of an intercepted op call; its result is the call's."""

_INTERCEPTOR: ContextVar[OpCallInterceptor | None] = ContextVar("_INTERCEPTOR", default=None)


@contextmanager
def intercepting_calls(interceptor: OpCallInterceptor) -> Generator[None, None, None]:
    """Route every op call made inside the ``with`` block (in this context) to ``interceptor``."""
    token = _INTERCEPTOR.set(interceptor)
    try:
        yield
    finally:
        _INTERCEPTOR.reset(token)


def _type_hints(fn: Callable[..., Any]) -> dict[str, Any]:
    try:
        return typing.get_type_hints(fn)
    except Exception:  # unresolvable forward references: fall back to the raw annotations
        return dict(getattr(fn, "__annotations__", {}))


def _split_context(fn: Callable[..., Any]) -> tuple[bool, list[inspect.Parameter]]:
    parameters = list(inspect.signature(fn).parameters.values())
    for parameter in parameters:
        if parameter.kind in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD):
            raise InvalidDefinitionError(
                f"{fn.__name__!r} takes *{parameter.name}; an op's inputs must be named "
                "parameters. Replace it with one parameter per input."
            )
    takes_context = bool(parameters) and parameters[0].name in _CONTEXT_NAMES
    return takes_context, parameters[1:] if takes_context else parameters


def resolve_input_defs(
    fn: Callable[..., Any],
    parameters: list[inspect.Parameter],
    ins: Mapping[str, In],
    decorator: str,
) -> list[InputDefinition]:
    """Input definitions for ``parameters`` (``ins`` override types/metadata/managers).

    An ``In`` for a name that is not a parameter is only allowed for ``Nothing`` inputs.
    """
    hints = _type_hints(fn)
    names = [p.name for p in parameters]
    defs: list[InputDefinition] = []
    for parameter in parameters:
        spec = ins.get(parameter.name, In())
        default = spec.default_value
        if default is NO_VALUE and parameter.default is not inspect.Parameter.empty:
            default = parameter.default
        defs.append(InputDefinition(
            name=parameter.name,
            dagster_type=to_dagster_type(spec.dagster_type, hints.get(parameter.name, NO_VALUE)),
            metadata=dict(spec.metadata or {}),
            input_manager_key=spec.input_manager_key,
            default_value=default,
        ))
    for name, spec in ins.items():
        if name in names:
            continue
        dagster_type = to_dagster_type(spec.dagster_type)
        if not dagster_type.is_nothing:
            raise InvalidDefinitionError(
                f"@{decorator} {fn.__name__!r}: ins has {name!r}, which is not a parameter of the "
                f"function (parameters: {names}). Add the parameter or use In(Nothing)."
            )
        defs.append(InputDefinition(name=name, dagster_type=dagster_type,
                                    metadata=dict(spec.metadata or {})))
    return defs


def resolve_output_defs(
    fn: Callable[..., Any], out: Out | Mapping[str, Out] | None
) -> list[OutputDefinition]:
    """Output definitions: one ``result`` output unless ``out`` is a mapping of names."""
    return_annotation = _type_hints(fn).get("return", NO_VALUE)
    if out is None or isinstance(out, Out):
        spec = out or Out()
        return [_output_def(DEFAULT_OUTPUT_NAME, spec, return_annotation)]
    if not isinstance(out, Mapping) or not out:
        raise InvalidDefinitionError(
            f"{fn.__name__!r}: out must be an Out or a non-empty dict of names to Out, got {out!r}."
        )
    return [_output_def(name, spec, NO_VALUE) for name, spec in out.items()]


def _output_def(name: str, spec: Out, annotation: object) -> OutputDefinition:
    if not isinstance(spec, Out):
        raise InvalidDefinitionError(f"output {name!r}: expected an Out(...), got {spec!r}.")
    return OutputDefinition(
        name=name,
        dagster_type=to_dagster_type(spec.dagster_type, annotation),
        metadata=dict(spec.metadata or {}),
        io_manager_key=spec.io_manager_key or DEFAULT_IO_MANAGER_KEY,
        is_required=spec.is_required,
    )


def resolve_op_definition(
    fn: Callable[..., Any],
    name: str | None = None,
    ins: Mapping[str, In] | None = None,
    out: Out | Mapping[str, Out] | None = None,
    required_resource_keys: Iterable[str] | None = None,
    config_schema: object = None,
    description: str | None = None,
) -> OpDefinition:
    """Build the :class:`OpDefinition` that ``@op`` produces for ``fn``."""
    if not callable(fn):
        raise InvalidDefinitionError(f"@op must decorate a function, got {fn!r}.")
    takes_context, parameters = _split_context(fn)
    return OpDefinition(
        name=name or fn.__name__,
        compute_fn=fn,
        takes_context=takes_context,
        input_defs=resolve_input_defs(fn, parameters, dict(ins or {}), "op"),
        output_defs=resolve_output_defs(fn, out),
        required_resource_keys=required_resource_keys or (),
        config_schema=config_schema,
        description=description or inspect.getdoc(fn),
    )
