"""Resource definitions of the built-in managers: ``FilesystemIOManager``, ``fs_io_manager``,
``mem_io_manager``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reference_impl.definitions import (
    ConfigurableIOManagerFactory,
    Field,
    Noneable,
    StringSource,
    io_manager,
)
from reference_impl.storage.base_dir import resolve_base_dir
from reference_impl.storage.filesystem import PickledObjectFilesystemIOManager
from reference_impl.storage.memory import InMemoryIOManager

__all__ = ["FilesystemIOManager", "fs_io_manager", "mem_io_manager"]


class FilesystemIOManager(ConfigurableIOManagerFactory):
    """Built-in filesystem IO manager: pickles values under ``base_dir``.

    ``base_dir`` resolution: the configured value; ``<local_artifact_storage base_dir>/storage``
    from ``$DAGSTER_HOME/dagster.yaml``; ``$DAGSTER_HOME/storage``; a temporary directory.
    Op outputs go to ``<base_dir>/<run_id>/<step_key>/<name>``, assets to
    ``<base_dir>/<k1>/.../<kn>``; re-materializing overwrites atomically.
    ``durable_writes=True`` (not in Dagster; off by default) fsyncs every store so that it
    survives a power loss (``docs/RELIABILITY.md``).
    """

    base_dir: str | None = None
    durable_writes: bool = False

    def create_io_manager(self, context: Any) -> PickledObjectFilesystemIOManager:
        """A pickle manager rooted at the resolved ``base_dir``."""
        return PickledObjectFilesystemIOManager(base_dir=resolve_base_dir(self.base_dir),
                                                durable_writes=self.durable_writes)


@io_manager(config_schema={"base_dir": Field(Noneable(StringSource), is_required=False)})
def fs_io_manager(init_context: Any) -> PickledObjectFilesystemIOManager:
    """Built-in filesystem IO manager (superseded: use ``FilesystemIOManager``).

    Config: optional ``base_dir`` (a string or ``{"env": "VAR"}``), resolved like
    ``FilesystemIOManager``.
    """
    config: Mapping[str, Any] = init_context.resource_config or {}
    return PickledObjectFilesystemIOManager(base_dir=resolve_base_dir(config.get("base_dir")))


@io_manager
def mem_io_manager(init_context: Any) -> InMemoryIOManager:
    """Built-in IO manager keeping values in memory: a new, empty store per initialization."""
    return InMemoryIOManager()


