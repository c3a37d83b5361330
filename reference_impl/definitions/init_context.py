"""The context a resource (an IO manager definition or factory) is initialised with."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from types import TracebackType
from typing import Any

from reference_impl.errors import ContextValueUnavailableError

__all__ = ["InitResourceContext", "Resources", "build_init_resource_context"]

_LOGGER = logging.getLogger("reference_impl.resources")


class Resources(Mapping[str, Any]):
    """Read-only resources, reachable as attributes (``resources.db``) and as a mapping.

    Reading a resource that was not given raises ``ContextValueUnavailableError`` (also an
    ``AttributeError`` lookup for ``getattr``) naming the key and the keys that exist.
    """

    __slots__ = ("_values",)

    def __init__(self, values: Mapping[str, Any] | None = None) -> None:
        object.__setattr__(self, "_values", dict(values or {}))

    def __getattr__(self, name: str) -> Any:
        values: dict[str, Any] = object.__getattribute__(self, "_values")
        if name in values:
            return values[name]
        if name.startswith("__"):
            raise AttributeError(name)
        raise _MissingResourceError(
            f"no resource {name!r}; available: {sorted(values)}. Pass it in `resources=` "
            "and list it in required_resource_keys."
        )

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Resources are read-only")

    def __getitem__(self, key: str) -> Any:
        return self.__getattr__(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"Resources({sorted(self._values)})"


class _MissingResourceError(ContextValueUnavailableError, AttributeError):
    """A resource was read that the init context was not given."""


class InitResourceContext:
    """What a resource function receives: its validated config, its resources and a logger.

    Satisfies :class:`spec.InitContextLike`. It is also a context manager (a no-op), so
    ``with build_init_resource_context(...) as context:`` works as in Dagster.
    """

    def __init__(
        self,
        resource_config: Any = None,
        resources: Mapping[str, Any] | None = None,
        log: logging.Logger | None = None,
        instance: Any = None,
        resource_def: Any = None,
    ) -> None:
        self._resource_config = resource_config
        self._resources = Resources(resources)
        self._log = log if log is not None else _LOGGER
        self._instance = instance
        self._resource_def = resource_def

    @property
    def resource_config(self) -> Any:
        """The resource's validated config (``None`` when none was given)."""
        return self._resource_config

    @property
    def resources(self) -> Resources:
        """The resources this resource required."""
        return self._resources

    @property
    def log(self) -> logging.Logger:
        """A standard-library logger."""
        return self._log

    @property
    def instance(self) -> Any:
        """Always ``None``: the reference implementation has no Dagster instance."""
        return self._instance

    @property
    def resource_def(self) -> Any:
        """The definition being initialised, or ``None`` when built by hand."""
        return self._resource_def

    def __enter__(self) -> InitResourceContext:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None

    def __repr__(self) -> str:
        return (
            f"InitResourceContext(resource_config={self._resource_config!r}, "
            f"resources={self._resources!r})"
        )


def build_init_resource_context(
    config: Any = None,
    resources: Mapping[str, Any] | None = None,
) -> InitResourceContext:
    """Build an init context for testing a resource function.

    ``config`` is used as given (not validated: validation belongs to a definition, see
    :func:`reference_impl.definitions.initialize_io_manager`). The mapping is copied.
    """
    return InitResourceContext(resource_config=config, resources=resources)
