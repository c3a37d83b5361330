"""``IOManagerDefinition`` and the ``@io_manager`` decorator."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, overload

from reference_impl.definitions.config import resolve_schema
from reference_impl.definitions.managers import IOManager
from reference_impl.definitions.resource_definition import (
    ResourceDefinitionBase,
    ResourceFunction,
    is_decorated_function,
)
from reference_impl.errors import InvalidDefinitionError

__all__ = ["IOManagerDefinition", "io_manager"]


class IOManagerDefinition(ResourceDefinitionBase):
    """A resource definition whose resource function returns (or yields) an IO manager.

    ``input_config_schema=None`` allows any per-input config; ``output_config_schema`` stays
    ``None`` when not given, meaning no per-output config is allowed (as in Dagster). Turn a
    definition into a manager with :func:`reference_impl.definitions.initialize_io_manager`.
    """

    def __init__(
        self,
        resource_fn: ResourceFunction,
        config_schema: object = None,
        description: str | None = None,
        required_resource_keys: Iterable[str] | None = None,
        version: str | None = None,
        input_config_schema: object = None,
        output_config_schema: object = None,
    ) -> None:
        super().__init__(resource_fn, config_schema, description, required_resource_keys, version)
        self._input_config_schema = input_config_schema
        self._input_config_type = resolve_schema(input_config_schema)
        self._output_config_schema = output_config_schema
        self._output_config_type = (
            None if output_config_schema is None else resolve_schema(output_config_schema)
        )

    @property
    def input_config_schema(self) -> object:
        """Schema of per-input config; ``None`` means any config."""
        return self._input_config_schema

    @property
    def output_config_schema(self) -> object:
        """Schema of per-output config; ``None`` means no per-output config is allowed."""
        return self._output_config_schema

    @staticmethod
    def hardcoded_io_manager(
        value: IOManager, description: str | None = None
    ) -> IOManagerDefinition:
        """A definition whose resource function returns ``value`` itself, every time.

        Raises ``InvalidDefinitionError`` when ``value`` is not an :class:`IOManager` instance.
        """
        if not isinstance(value, IOManager):
            raise InvalidDefinitionError(
                f"hardcoded_io_manager() needs an IOManager instance, got "
                f"{type(value).__name__}. Subclass reference_impl IOManager and pass an instance."
            )

        def hardcoded_resource_fn(_context: Any) -> IOManager:
            return value

        return IOManagerDefinition(hardcoded_resource_fn, description=description)


_DecoratedFn = Callable[..., Any]


@overload
def io_manager(config_schema: _DecoratedFn) -> IOManagerDefinition: ...  # type: ignore[overload-overlap]


@overload
def io_manager(
    config_schema: object = None,
    description: str | None = None,
    output_config_schema: object = None,
    input_config_schema: object = None,
    required_resource_keys: Iterable[str] | None = None,
    version: str | None = None,
) -> Callable[[_DecoratedFn], IOManagerDefinition]: ...


def io_manager(
    config_schema: object = None,
    description: str | None = None,
    output_config_schema: object = None,
    input_config_schema: object = None,
    required_resource_keys: Iterable[str] | None = None,
    version: str | None = None,
) -> IOManagerDefinition | Callable[[_DecoratedFn], IOManagerDefinition]:
    """Define an IO manager from a function taking an ``InitResourceContext`` (or nothing).

    Usable bare (``@io_manager``) or with arguments (``@io_manager(config_schema={...})``). The
    function's return value is checked when the definition is initialised, not here. Raises
    ``InvalidDefinitionError`` for a malformed schema or a function needing several arguments.
    """
    if is_decorated_function(config_schema):
        return IOManagerDefinition(config_schema, description=config_schema.__doc__)

    def decorate(fn: _DecoratedFn) -> IOManagerDefinition:
        return IOManagerDefinition(
            fn,
            config_schema=config_schema,
            description=description if description is not None else fn.__doc__,
            required_resource_keys=required_resource_keys,
            version=version,
            input_config_schema=input_config_schema,
            output_config_schema=output_config_schema,
        )

    return decorate
