"""Turn a definition or factory into a ready manager: the one entry point the kit and tests use.

:func:`open_io_manager` / :func:`open_input_manager` are context managers: they validate config
(IOM-DEF-003), build an :class:`InitResourceContext`, run the resource function, check the result
is a manager (IOM-DEF-001/002) and, when the resource function is a generator or returns a
context manager, run its teardown when the block ends. :func:`initialize_io_manager` /
:func:`initialize_input_manager` do the same for resources that need no teardown and return the
manager directly.

Accepted sources: an :class:`IOManagerDefinition` / :class:`InputManagerDefinition` (including
``@io_manager`` / ``@input_manager`` results and ``configured`` copies), a
``ConfigurableIOManagerFactory`` instance, or any object with ``create_io_manager(context)``
(``spec.IOManagerFactory``, e.g. a Dagster factory).
"""

from __future__ import annotations

import inspect
from collections.abc import Generator, Mapping
from contextlib import AbstractContextManager, ExitStack, contextmanager
from typing import Any, cast

from reference_impl.definitions.configurable import ConfigurableIOManagerFactory
from reference_impl.definitions.init_context import InitResourceContext
from reference_impl.definitions.protocol_check import explain_protocol_mismatch
from reference_impl.definitions.resource_definition import ResourceDefinitionBase
from reference_impl.errors import InvalidDefinitionError, NotAManagerError
from reference_impl.narrowing import is_context_manager
from spec.managers import InputManager as InputManagerLike
from spec.managers import IOManager as IOManagerLike

__all__ = [
    "initialize_input_manager",
    "initialize_io_manager",
    "open_input_manager",
    "open_io_manager",
]


def _as_definition(source: object) -> ResourceDefinitionBase | None:
    if isinstance(source, ResourceDefinitionBase):
        return source
    if isinstance(source, ConfigurableIOManagerFactory):
        return source.get_resource_definition()
    return None


def _missing_resources(definition: ResourceDefinitionBase, resources: Mapping[str, Any]) -> None:
    missing = sorted(definition.required_resource_keys - set(resources))
    if missing:
        raise InvalidDefinitionError(
            f"{definition!r} requires resources {missing}; pass them in resources={{...}}."
        )


def _produce(
    source: object, config: object, resources: Mapping[str, Any], stack: ExitStack
) -> tuple[Any, bool]:
    """Build the manager; return it and whether a teardown was registered on ``stack``."""
    definition = _as_definition(source)
    if definition is None:
        create = getattr(source, "create_io_manager", None)
        if not callable(create):
            raise InvalidDefinitionError(
                f"{type(source).__name__} is neither a manager definition nor a factory with "
                "create_io_manager(context); use @io_manager or ConfigurableIOManagerFactory."
            )
        return create(InitResourceContext(resource_config=config, resources=resources)), False
    _missing_resources(definition, resources)
    resource_config = definition.process_config(config)
    context = InitResourceContext(
        resource_config=resource_config, resources=resources, resource_def=definition
    )
    produced = definition.call_resource_fn(context)
    if inspect.isgenerator(produced):
        # contextmanager drives it with next(), i.e. send(None), which any generator accepts;
        # isgenerator's guard types the send parameter as Never.
        generator = cast("Generator[object, None, object]", produced)
        return stack.enter_context(contextmanager(lambda: generator)()), True
    if is_context_manager(produced) and not _is_manager_like(produced):
        return stack.enter_context(produced), True
    return produced, False


def _is_manager_like(obj: object) -> bool:
    return callable(getattr(obj, "load_input", None))


def _check(produced: object, protocol: type, source: object) -> None:
    problems = explain_protocol_mismatch(produced, protocol)
    if problems:
        raise NotAManagerError(
            f"{source!r} produced {type(produced).__name__}, which is not an "
            f"{protocol.__name__}: " + "; ".join(problems)
            + ". Return an object with handle_output(context, obj) and load_input(context)."
        )


@contextmanager
def _open(source: object, config: object, resources: Mapping[str, Any] | None,
          protocol: type) -> Generator[Any, None, None]:
    with ExitStack() as stack:
        produced, _ = _produce(source, config, dict(resources or {}), stack)
        _check(produced, protocol, source)
        yield produced


def open_io_manager(
    source: object, config: object = None, resources: Mapping[str, Any] | None = None
) -> AbstractContextManager[IOManagerLike[Any, Any]]:
    """Context manager yielding the IO manager built from ``source``; tears it down on exit.

    Raises ``ConfigError`` (bad config, before the resource function runs),
    ``InvalidDefinitionError`` (not a definition/factory, missing required resources) or
    ``NotAManagerError`` (the result lacks a manager method; the message names it).
    """
    return _open(source, config, resources, IOManagerLike)


def open_input_manager(
    source: object, config: object = None, resources: Mapping[str, Any] | None = None
) -> AbstractContextManager[InputManagerLike[Any]]:
    """Like :func:`open_io_manager` for an input manager (only ``load_input`` is required)."""
    return _open(source, config, resources, InputManagerLike)


def initialize_io_manager(
    source: object, config: object = None, resources: Mapping[str, Any] | None = None
) -> IOManagerLike[Any, Any]:
    """Return the IO manager built from ``source`` (a definition or factory).

    Config is validated first (``ConfigError``, IOM-DEF-003). For a resource with teardown (a
    generator), use :func:`open_io_manager`: this function raises ``InvalidDefinitionError``
    rather than leak the teardown. Raises ``NotAManagerError`` when the result is not a manager.
    """
    manager: IOManagerLike[Any, Any] = _initialize(source, config, resources, IOManagerLike)
    return manager


def initialize_input_manager(
    source: object, config: object = None, resources: Mapping[str, Any] | None = None
) -> InputManagerLike[Any]:
    """Like :func:`initialize_io_manager` for an input manager (only ``load_input`` required)."""
    manager: InputManagerLike[Any] = _initialize(source, config, resources, InputManagerLike)
    return manager


def _initialize(
    source: object, config: object, resources: Mapping[str, Any] | None, protocol: type
) -> Any:
    with ExitStack() as stack:
        produced, has_teardown = _produce(source, config, dict(resources or {}), stack)
    if has_teardown:  # the stack above has already run the teardown normally
        raise InvalidDefinitionError(
            f"{source!r} has a teardown (its resource function yields or returns a context "
            "manager); use `with open_io_manager(...) as manager:` so the teardown runs."
        )
    _check(produced, protocol, source)
    return produced
