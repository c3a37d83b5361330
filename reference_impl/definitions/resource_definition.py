"""The shared base of IO-manager and input-manager definitions: a resource function plus config.

A definition does not run anything by itself; :mod:`reference_impl.definitions.initialize` turns
it into a manager. ``configured`` derives a definition whose config is (partly) fixed.
"""

from __future__ import annotations

import copy
import inspect
import typing
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Self, TypeAlias

from typing_extensions import TypeIs

from reference_impl.definitions.config import ConfigType, resolve_schema, validate_config
from reference_impl.errors import InvalidDefinitionError

__all__ = [
    "ConfigMapping",
    "ResourceDefinitionBase",
    "ResourceFunction",
    "is_decorated_function",
    "takes_context",
]

#: A resource function: takes an init context (or nothing) and returns (or yields) a manager.
ResourceFunction: TypeAlias = Callable[..., Any]
#: What ``configured`` accepts: fixed config, or a function from outer to inner config.
ConfigMapping: TypeAlias = Mapping[str, Any] | Callable[[Any], Any] | Any


def is_decorated_function(candidate: object) -> TypeIs[Callable[..., Any]]:
    """Whether a decorator's first argument is the decorated function (bare ``@decorator`` use).

    Classes, generic aliases such as ``list[str]`` and schema objects are config, not functions.
    """
    return (
        callable(candidate)
        and not isinstance(candidate, type)
        and typing.get_origin(candidate) is None
    )


def takes_context(function: Callable[..., Any]) -> bool:
    """Whether ``function`` takes a context argument (one positional parameter) or none.

    Raises ``InvalidDefinitionError`` when it needs more than one argument.
    """
    try:
        parameters = list(inspect.signature(function).parameters.values())
    except (TypeError, ValueError):
        return True
    required = [
        p for p in parameters
        if p.default is inspect.Parameter.empty
        and p.kind in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    ]
    if len(required) > 1:
        raise InvalidDefinitionError(
            f"{getattr(function, '__name__', function)!r} takes {len(required)} required "
            "arguments; a resource or load function takes a context or no arguments."
        )
    accepts_positional = any(
        p.kind in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD,
                   inspect.Parameter.VAR_POSITIONAL)
        for p in parameters
    )
    return accepts_positional


class ResourceDefinitionBase:
    """A resource function, its config schema, description, required resources and version.

    ``config_schema=None`` accepts any config. Raises ``InvalidDefinitionError`` when
    ``resource_fn`` is not callable or a schema is malformed.
    """

    def __init__(
        self,
        resource_fn: ResourceFunction,
        config_schema: object = None,
        description: str | None = None,
        required_resource_keys: Iterable[str] | None = None,
        version: str | None = None,
    ) -> None:
        if not callable(resource_fn):
            raise InvalidDefinitionError(
                f"resource_fn must be callable, got {type(resource_fn).__name__}."
            )
        if isinstance(required_resource_keys, str):
            raise InvalidDefinitionError(
                "required_resource_keys must be a set of names, not one str; use {'name'}."
            )
        self._resource_fn = resource_fn
        self._resource_fn_takes_context = takes_context(resource_fn)
        self._config_schema: object = config_schema
        self._config_type = resolve_schema(config_schema)
        self._description = description
        self._required_resource_keys = frozenset(required_resource_keys or ())
        self._version = version
        self._configured_from: tuple[ResourceDefinitionBase, Callable[[Any], Any]] | None = None

    @property
    def resource_fn(self) -> ResourceFunction:
        """The function that builds the manager from an init context."""
        return self._resource_fn

    @property
    def config_schema(self) -> object:
        """The schema as given (``None`` means any config)."""
        return self._config_schema

    @property
    def config_type(self) -> ConfigType:
        """The resolved schema."""
        return self._config_type

    @property
    def description(self) -> str | None:
        return self._description

    @property
    def required_resource_keys(self) -> frozenset[str]:
        return self._required_resource_keys

    @property
    def version(self) -> str | None:
        return self._version

    def call_resource_fn(self, context: Any) -> Any:
        """Call the resource function with ``context`` (or with nothing, if it takes none)."""
        if self._resource_fn_takes_context:
            return self._resource_fn(context)
        return self._resource_fn()

    def process_config(self, config: object) -> Any:
        """Validate ``config`` and return what the resource function will see (IOM-DEF-003).

        For a ``configured`` definition the outer config is validated, mapped, and validated
        again against the original schema. Raises ``ConfigError`` naming the failing field.
        """
        validated = validate_config(self._config_type, config)
        if self._configured_from is None:
            return validated
        parent, mapping = self._configured_from
        return parent.process_config(mapping(validated))

    def configured(
        self,
        config_or_config_fn: ConfigMapping,
        config_schema: object = None,
        description: str | None = None,
    ) -> Self:
        """A copy whose config is fixed (a value) or derived (a function of the new config).

        With a fixed value the copy accepts no further config and the value is validated now
        (``ConfigError`` at this call). With a function, ``config_schema`` is the copy's schema
        (``None``: any). Like Dagster, the copy has no ``version``.
        """
        mapping: Callable[[Any], Any]
        if callable(config_or_config_fn):
            mapping = config_or_config_fn
            outer_type = resolve_schema(config_schema)
        else:
            if config_schema is not None:
                raise InvalidDefinitionError(
                    "configured(): config_schema is only meaningful with a config function."
                )
            fixed = config_or_config_fn
            self.process_config(fixed)

            def fixed_config(_: Any) -> Any:
                return copy.deepcopy(fixed)

            mapping = fixed_config
            outer_type = resolve_schema({})
        derived = copy.copy(self)
        derived._configured_from = (self, mapping)
        derived._config_schema = config_schema if callable(config_or_config_fn) else {}
        derived._config_type = outer_type
        derived._version = None
        if description is not None:
            derived._description = description
        return derived

    def __repr__(self) -> str:
        name = getattr(self._resource_fn, "__name__", "resource_fn")
        return f"{type(self).__name__}({name}, description={self._description!r})"
