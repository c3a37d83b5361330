"""Resources of one run: which keys are needed, their config schemas, init and teardown.

A resource may be an ``IOManagerDefinition`` / ``InputManagerDefinition`` (initialised through
:func:`reference_impl.definitions.initialize.open_io_manager` / ``open_input_manager``, which
validate config and register teardown), a ``ConfigurableIOManager(Factory)`` instance or any
object with ``create_io_manager`` (a factory), a ready manager instance, or any other value (a
plain resource, used as is). Resources are initialised once per run, dependencies first, and
torn down when the run's ``ExitStack`` closes, also when a step failed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

from reference_impl.definitions.configurable import ConfigurableIOManagerFactory
from reference_impl.definitions.initialize import open_input_manager, open_io_manager
from reference_impl.definitions.input_manager_definition import InputManagerDefinition
from reference_impl.definitions.resource_definition import ResourceDefinitionBase
from reference_impl.definitions.structured_config import Config
from reference_impl.errors import InvalidDefinitionError, MissingResourceError

__all__ = ["InitializedResource", "RunResources", "input_config_schema_of",
           "open_run_resources", "output_config_schema_of", "required_keys_of"]

@dataclass(frozen=True)
class InitializedResource:
    """A ready resource, its validated config, and the resources it required."""

    key: str
    value: Any
    resource_config: Mapping[str, Any]
    required_resources: Mapping[str, Any] = field(default_factory=dict[str, Any])


def _definition_of(resource: object) -> ResourceDefinitionBase | None:
    if isinstance(resource, ResourceDefinitionBase):
        return resource
    if isinstance(resource, ConfigurableIOManagerFactory):
        return resource.get_resource_definition()
    return None


def required_keys_of(resource: object) -> frozenset[str]:
    """The resource keys a resource needs to be initialised."""
    definition = _definition_of(resource)
    return definition.required_resource_keys if definition is not None else frozenset()


def input_config_schema_of(resource: object) -> object:
    """The per-input config schema of a manager resource (``None``: any config)."""
    definition = _definition_of(resource)
    return getattr(definition, "input_config_schema", None)


def output_config_schema_of(resource: object) -> object:
    """The per-output config schema (``None``: the manager accepts no per-output config)."""
    definition = _definition_of(resource)
    return getattr(definition, "output_config_schema", None)


def _is_manager_source(resource: object) -> bool:
    return _definition_of(resource) is not None or callable(
        getattr(resource, "create_io_manager", None)
    )


def _open(
    resource: object, config: object, dependencies: Mapping[str, Any], stack: ExitStack
) -> tuple[Any, Mapping[str, Any]]:
    """Initialise one resource; return it and the config its contexts report."""
    if isinstance(resource, InputManagerDefinition):
        manager = stack.enter_context(open_input_manager(resource, config, dependencies))
        return manager, resource.process_config(config) or {}
    if _is_manager_source(resource):
        manager = stack.enter_context(open_io_manager(resource, config, dependencies))
        definition = _definition_of(resource)
        if isinstance(resource, Config):
            return manager, dict(resource.config_values)
        if definition is not None:
            return manager, definition.process_config(config) or {}
        return manager, {}
    if config is not None:
        raise InvalidDefinitionError(
            f"resource config was given for {type(resource).__name__}, which is a ready object "
            "and takes no config; remove it from run_config['resources']."
        )
    return resource, {}


class RunResources:
    """The initialised resources of one run, by key."""

    def __init__(self, by_key: Mapping[str, InitializedResource]) -> None:
        self._by_key = dict(by_key)

    def get(self, key: str) -> InitializedResource:
        """The resource under ``key`` (the run checked up front that it exists)."""
        return self._by_key[key]

    def values(self, keys: Iterable[str]) -> dict[str, Any]:
        """``{key: ready resource}`` for ``keys``."""
        return {key: self._by_key[key].value for key in keys}


def _needed_closure(
    resource_defs: Mapping[str, object], needed: Mapping[str, str]
) -> list[str]:
    """Keys to initialise, dependencies before dependents; ``needed`` maps key → who needs it."""
    order: list[str] = []
    visiting: set[str] = set()

    def visit(key: str, needed_by: str) -> None:
        if key in order:
            return
        if key not in resource_defs:
            raise MissingResourceError(
                f"{needed_by} needs resource {key!r}, but no resource with that key was given "
                f"(given: {sorted(resource_defs)}). Add it to resources=/resource_defs=."
            )
        if key in visiting:
            raise InvalidDefinitionError(f"resource {key!r} requires itself (a cycle).")
        visiting.add(key)
        for dependency in sorted(required_keys_of(resource_defs[key])):
            visit(dependency, f"resource {key!r}")
        visiting.discard(key)
        order.append(key)

    for key, needed_by in needed.items():
        visit(key, needed_by)
    return order


def check_resources_available(
    resource_defs: Mapping[str, object], needed: Mapping[str, str]
) -> None:
    """Raise ``MissingResourceError`` if a needed key (or a dependency) has no resource."""
    _needed_closure(resource_defs, needed)


def open_run_resources(
    resource_defs: Mapping[str, object],
    needed: Mapping[str, str],
    resource_run_config: Mapping[str, Any],
    stack: ExitStack,
) -> RunResources:
    """Initialise the needed resources (and their dependencies) once, registering teardowns.

    ``needed`` maps each key to a description of what needs it (for error messages);
    ``resource_run_config`` maps keys to ``{"config": ...}`` as in Dagster run config.
    """
    initialized: dict[str, InitializedResource] = {}
    for key in _needed_closure(resource_defs, needed):
        resource = resource_defs[key]
        dependencies = {k: initialized[k].value for k in sorted(required_keys_of(resource))}
        entry: Mapping[str, Any] = resource_run_config.get(key) or {}
        value, resource_config = _open(resource, entry.get("config"), dependencies, stack)
        initialized[key] = InitializedResource(key, value, resource_config, dependencies)
    return RunResources(initialized)
