"""``InputManagerDefinition`` and the ``@input_manager`` decorator.

``@input_manager`` decorates a *load function*, not a factory: the definition's resource returns
an :class:`InputManagerWrapper` whose ``load_input(context)`` calls the function with the input
context (or with nothing). If the function returns an :class:`InputManager`, that manager's
``load_input(context)`` result is returned instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, overload

from reference_impl.definitions.config import resolve_schema
from reference_impl.definitions.managers import InputManager
from reference_impl.definitions.resource_definition import (
    ResourceDefinitionBase,
    ResourceFunction,
    is_decorated_function,
    takes_context,
)
from spec.contexts import InputContextLike

__all__ = ["InputManagerDefinition", "InputManagerWrapper", "input_manager"]


class InputManagerDefinition(ResourceDefinitionBase):
    """A resource definition whose resource function returns an input manager.

    ``input_config_schema=None`` allows any per-input config. Turn it into a manager with
    :func:`reference_impl.definitions.initialize_input_manager`.
    """

    def __init__(
        self,
        resource_fn: ResourceFunction,
        config_schema: object = None,
        description: str | None = None,
        input_config_schema: object = None,
        required_resource_keys: Iterable[str] | None = None,
        version: str | None = None,
    ) -> None:
        super().__init__(resource_fn, config_schema, description, required_resource_keys, version)
        self._input_config_schema = input_config_schema
        self._input_config_type = resolve_schema(input_config_schema)

    @property
    def input_config_schema(self) -> object:
        """Schema of per-input config; ``None`` means any config."""
        return self._input_config_schema


class InputManagerWrapper(InputManager):
    """The input manager built by ``@input_manager`` around a load function."""

    def __init__(self, load_fn: Callable[..., Any]) -> None:
        self._load_fn = load_fn
        self._takes_context = takes_context(load_fn)

    def load_input(self, context: InputContextLike) -> Any:
        """Call the load function; delegate to the result when it is itself an input manager."""
        loaded = self._load_fn(context) if self._takes_context else self._load_fn()
        if isinstance(loaded, InputManager):
            return loaded.load_input(context)
        return loaded


_LoadFn = Callable[..., Any]


def _definition_for(
    load_fn: _LoadFn,
    config_schema: object,
    description: str | None,
    input_config_schema: object,
    required_resource_keys: Iterable[str] | None,
    version: str | None,
) -> InputManagerDefinition:
    wrapper = InputManagerWrapper(load_fn)

    def input_manager_resource_fn(_context: Any) -> InputManagerWrapper:
        return wrapper

    return InputManagerDefinition(
        input_manager_resource_fn,
        config_schema=config_schema,
        description=description if description is not None else load_fn.__doc__,
        input_config_schema=input_config_schema,
        required_resource_keys=required_resource_keys,
        version=version,
    )


@overload
def input_manager(config_schema: _LoadFn) -> InputManagerDefinition: ...  # type: ignore[overload-overlap]


@overload
def input_manager(
    config_schema: object = None,
    description: str | None = None,
    input_config_schema: object = None,
    required_resource_keys: Iterable[str] | None = None,
    version: str | None = None,
) -> Callable[[_LoadFn], InputManagerDefinition]: ...


def input_manager(
    config_schema: object = None,
    description: str | None = None,
    input_config_schema: object = None,
    required_resource_keys: Iterable[str] | None = None,
    version: str | None = None,
) -> InputManagerDefinition | Callable[[_LoadFn], InputManagerDefinition]:
    """Define an input manager from a load function taking an ``InputContext`` (or nothing).

    Usable bare or with arguments. Raises ``InvalidDefinitionError`` for a malformed schema or a
    load function that needs more than one argument.
    """
    if is_decorated_function(config_schema):
        return _definition_for(config_schema, None, None, None, None, None)

    def decorate(fn: _LoadFn) -> InputManagerDefinition:
        return _definition_for(
            fn, config_schema, description, input_config_schema, required_resource_keys, version
        )

    return decorate
