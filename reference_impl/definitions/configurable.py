"""``ConfigurableIOManagerFactory`` and ``ConfigurableIOManager``: structured-config IO managers.

A factory's fields are its config (see :class:`~.structured_config.Config`);
``create_io_manager(context)`` builds the manager. A ``ConfigurableIOManager`` is its own manager:
``create_io_manager`` returns itself with ``EnvVar`` values resolved.

``get_resource_definition()`` returns an :class:`IOManagerDefinition` whose config schema accepts
the class's field names (values given at construction act as defaults), so a factory works
wherever a definition does. Initialising that definition builds a new instance with the config
applied, calls ``setup_for_execution`` and then ``create_io_manager``; a class that overrides
``teardown_after_execution`` or ``yield_for_execution`` gets a generator resource, torn down when
the manager is released (see :func:`reference_impl.definitions.open_io_manager`).
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Generator, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from reference_impl.definitions.config import Field, Shape
from reference_impl.definitions.io_manager_definition import IOManagerDefinition
from reference_impl.definitions.managers import IOManager
from reference_impl.definitions.structured_config import Config
from spec.managers import IOManager as IOManagerLike

__all__ = ["ConfigurableIOManager", "ConfigurableIOManagerFactory"]


class ConfigurableIOManagerFactory(Config):
    """Base of IO-manager factories configured by annotated fields.

    Subclasses implement :meth:`create_io_manager`. Construction validates the fields
    (``ConfigError``); see :class:`Config`.
    """

    @abstractmethod
    def create_io_manager(self, context: Any) -> IOManagerLike[Any, Any]:
        """Return the IO manager for the run that ``context`` (an init context) initialises."""

    def setup_for_execution(self, context: Any) -> None:
        """Hook run before ``create_io_manager`` when the resource is initialised."""

    def teardown_after_execution(self, context: Any) -> None:
        """Hook run when the initialised manager is released (generator resources only)."""

    @contextmanager
    def yield_for_execution(self, context: Any) -> Generator[IOManagerLike[Any, Any], None, None]:
        """Set up, yield the manager, and tear down (even when the block raises)."""
        self.setup_for_execution(context)
        try:
            yield self.create_io_manager(context)
        finally:
            self.teardown_after_execution(context)

    @classmethod
    def input_config_schema(cls) -> object:
        """Schema of per-input config; ``None`` (the default) allows any."""
        return None

    @classmethod
    def output_config_schema(cls) -> object:
        """Schema of per-output config; ``None`` (the default) allows none."""
        return None

    def _needs_teardown(self) -> bool:
        own = type(self)
        base = ConfigurableIOManagerFactory
        return (
            own.teardown_after_execution is not base.teardown_after_execution
            or own.yield_for_execution is not base.yield_for_execution
        )

    def get_resource_definition(self) -> IOManagerDefinition:
        """An ``IOManagerDefinition`` building this factory's manager; cached per instance.

        Its config may override any field by name (``{"env": "NAME"}`` allowed); unknown names
        raise ``ConfigError`` at initialisation.
        """
        cached = self.__dict__.get("_resource_definition")
        if isinstance(cached, IOManagerDefinition):
            return cached
        definition = IOManagerDefinition(
            self._make_resource_fn(),
            config_schema=Shape({
                name: Field(None, is_required=False)
                for name, info in type(self)._config_fields().items() if info.init
            }),
            description=type(self).__doc__,
            input_config_schema=type(self).input_config_schema(),
            output_config_schema=type(self).output_config_schema(),
        )
        object.__setattr__(self, "_resource_definition", definition)
        return definition

    def _make_resource_fn(self) -> Any:
        factory = self

        def configured_instance(context: Any) -> ConfigurableIOManagerFactory:
            updates: Mapping[str, Any] = context.resource_config or {}
            return factory.with_updated_values(updates) if updates else factory

        if self._needs_teardown():

            def generator_resource_fn(context: Any) -> Iterator[IOManagerLike[Any, Any]]:
                with configured_instance(context).yield_for_execution(context) as manager:
                    yield manager

            return generator_resource_fn

        def resource_fn(context: Any) -> IOManagerLike[Any, Any]:
            instance = configured_instance(context)
            instance.setup_for_execution(context)
            return instance.create_io_manager(context)

        return resource_fn


class ConfigurableIOManager(ConfigurableIOManagerFactory, IOManager):
    """An IO manager configured by annotated fields: implement ``handle_output``/``load_input``.

    ``create_io_manager`` returns this instance with ``EnvVar`` values resolved (a copy when
    there were any; ``MissingEnvVarError`` when a variable is unset).
    """

    def create_io_manager(self, context: Any) -> ConfigurableIOManager:
        return self.with_resolved_env_vars()
