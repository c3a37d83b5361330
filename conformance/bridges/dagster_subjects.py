"""Dagster's built-in IO managers as kit :class:`~conformance.subject.Subject` objects.

Each subject builds the manager the way Dagster does at resource initialisation (one shared
ephemeral ``DagsterInstance`` for the init contexts, created once per process), on a fresh
storage directory per example. Capabilities are what Dagster documents for the manager, so a
failed requirement is Dagster's, not a configuration choice of ours:

* ``FilesystemIOManager`` / ``fs_io_manager`` and the ``UPathIOManager`` subclasses below:
  everything, durable, confined to ``base_dir``.
* ``InMemoryIOManager`` / ``mem_io_manager``: op outputs only (keys are run-scoped
  ``get_identifier()`` tuples, so assets and partitions are not part of the key), not durable.
* ``S3PickleIOManager`` (dagster-aws): everything, durable; ``storage_root`` is not claimed
  because the kit observes the local directory, not the bucket.
"""

from __future__ import annotations

import json
import pathlib
import pickle
import uuid
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any, cast

import dagster as dg
from hypothesis import strategies as st
from upath import UPath

from conformance.subject import Capabilities, Subject

__all__ = [
    "ASYNC_UPATH",
    "EVERYTHING_DURABLE",
    "LOCAL_SUBJECTS",
    "OP_OUTPUTS_ONLY",
    "AsyncPickleUPathIOManager",
    "JsonUPathIOManager",
    "PickleUPathIOManager",
    "filesystem_io_manager_subject",
    "fs_io_manager_subject",
    "in_memory_io_manager_subject",
    "init_context",
    "json_values",
    "mem_io_manager_subject",
    "s3_pickle_io_manager_subject",
    "shared_instance",
    "upath_async_pickle_subject",
    "upath_json_subject",
    "upath_pickle_subject",
]

EVERYTHING_DURABLE = Capabilities(durable=True, storage_root=True)
"""Op outputs, assets, partitions, ranges, multi-partitions; durable; confined to base_dir."""

OP_OUTPUTS_ONLY = Capabilities(
    op_outputs=True,
    assets=False,
    partitions=False,
    partition_ranges=False,
    multi_partitions=False,
    durable=False,
    storage_root=False,
)
"""What Dagster's in-memory manager supports: values keyed by run-scoped identifiers."""

ASYNC_UPATH = EVERYTHING_DURABLE
"""Async ``load_from_path`` changes nothing Dagster documents about a UPath manager."""


@cache
def shared_instance() -> dg.DagsterInstance:
    """One ephemeral instance per process for init contexts (creating one costs ~0.6 s)."""
    # ephemeral() annotates its settings parameter as a bare dict (unknown types to pyright).
    instance_class: Any = dg.DagsterInstance
    return cast(dg.DagsterInstance, instance_class.ephemeral())


def init_context(config: Mapping[str, Any] | None = None) -> dg.InitResourceContext:
    """A Dagster init-resource context on the shared instance (one shared when unconfigured)."""
    if not config:
        return _empty_init_context()
    return dg.build_init_resource_context(config=dict(config), instance=shared_instance())


@cache
def _empty_init_context() -> dg.InitResourceContext:
    return dg.build_init_resource_context(instance=shared_instance())


# ------------------------------------------------------------------ UPathIOManager subclasses


class PickleUPathIOManager(dg.UPathIOManager):
    """The smallest pickle ``UPathIOManager``: the documented two abstract methods."""

    extension = ".pkl"

    def dump_to_path(self, context: dg.OutputContext, obj: Any, path: UPath) -> None:
        """Pickle ``obj`` to ``path``."""
        path.write_bytes(pickle.dumps(obj))

    def load_from_path(self, context: dg.InputContext, path: UPath) -> Any:
        """Unpickle ``path``."""
        return pickle.loads(path.read_bytes())


class JsonUPathIOManager(dg.UPathIOManager):
    """A JSON ``UPathIOManager`` (values must be JSON round-trippable, see :func:`json_values`)."""

    extension = ".json"

    def dump_to_path(self, context: dg.OutputContext, obj: Any, path: UPath) -> None:
        """Write ``obj`` as JSON."""
        path.write_text(json.dumps(obj))

    def load_from_path(self, context: dg.InputContext, path: UPath) -> Any:
        """Read JSON."""
        return json.loads(path.read_text())


class AsyncPickleUPathIOManager(PickleUPathIOManager):
    """Pickle ``UPathIOManager`` with an ``async def load_from_path`` (Dagster's async path)."""

    async def load_from_path(self, context: dg.InputContext, path: UPath) -> Any:
        """Unpickle ``path`` (Dagster runs this with ``asyncio.run``)."""
        return pickle.loads(path.read_bytes())


def json_values() -> st.SearchStrategy[object]:
    """Values that survive ``json.dumps``/``json.loads`` with their exact types."""
    scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=8) | st.floats(
        allow_nan=False, allow_infinity=False
    )
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner,
                                                                     max_size=3),
        max_leaves=6,
    )


# ------------------------------------------------------------------ subjects


def _resource_fn(defn: dg.IOManagerDefinition) -> Callable[[dg.InitResourceContext], object]:
    """The resource function, typed as taking an init context (Dagster types a union)."""
    return cast("Callable[[dg.InitResourceContext], object]", defn.resource_fn)


def filesystem_io_manager_subject() -> Subject:
    """``dagster.FilesystemIOManager(base_dir=<dir>)``, created with ``create_io_manager``."""

    def make(directory: pathlib.Path) -> object:
        return dg.FilesystemIOManager(base_dir=str(directory)).create_io_manager(init_context())

    return Subject("dagster.FilesystemIOManager", make, EVERYTHING_DURABLE)


def fs_io_manager_subject() -> Subject:
    """The legacy ``dagster.fs_io_manager`` definition, initialised with ``base_dir`` config."""

    def make(directory: pathlib.Path) -> object:
        return _resource_fn(dg.fs_io_manager)(init_context({"base_dir": str(directory)}))

    return Subject("dagster.fs_io_manager", make, EVERYTHING_DURABLE)


def in_memory_io_manager_subject() -> Subject:
    """``dagster.InMemoryIOManager()``."""
    return Subject("dagster.InMemoryIOManager", dg.InMemoryIOManager, OP_OUTPUTS_ONLY)


def mem_io_manager_subject() -> Subject:
    """The ``dagster.mem_io_manager`` definition (a new manager per initialisation)."""

    def make() -> object:
        return _resource_fn(dg.mem_io_manager)(init_context())

    return Subject("dagster.mem_io_manager", make, OP_OUTPUTS_ONLY)


def upath_pickle_subject() -> Subject:
    """:class:`PickleUPathIOManager` on a local directory (sync ``load_from_path``)."""

    def make(directory: pathlib.Path) -> PickleUPathIOManager:
        return PickleUPathIOManager(base_path=UPath(directory))

    return Subject(
        "UPathIOManager (sync, pickle)",
        make,
        EVERYTHING_DURABLE,
    )


def upath_json_subject() -> Subject:
    """:class:`JsonUPathIOManager` on a local directory, checked with JSON values."""

    def make(directory: pathlib.Path) -> JsonUPathIOManager:
        return JsonUPathIOManager(base_path=UPath(directory))

    return Subject(
        "UPathIOManager (sync, JSON)",
        make,
        EVERYTHING_DURABLE,
        values=json_values(),
    )


def upath_async_pickle_subject() -> Subject:
    """:class:`AsyncPickleUPathIOManager` on a local directory (async ``load_from_path``)."""

    def make(directory: pathlib.Path) -> AsyncPickleUPathIOManager:
        return AsyncPickleUPathIOManager(base_path=UPath(directory))

    return Subject(
        "UPathIOManager (async, pickle)",
        make,
        ASYNC_UPATH,
    )


def s3_pickle_io_manager_subject(
    endpoint_url: str, bucket: str, *, client: object | None = None
) -> Subject:
    """dagster-aws ``S3PickleIOManager`` on ``bucket`` at ``endpoint_url`` (e.g. a moto server).

    The storage directory the kit hands the factory only names a fresh, unique ``s3_prefix``;
    a fresh directory gets a fresh prefix, the same directory the same prefix (durability).
    ``client`` (a boto3 S3 client) is reused when given, because creating one costs ~50 ms.
    """
    from dagster_aws.s3 import S3PickleIOManager, S3Resource

    class _SharedClientS3Resource(S3Resource):
        def get_client(self) -> Any:
            return client if client is not None else super().get_client()

    resource = _SharedClientS3Resource(endpoint_url=endpoint_url)
    prefixes: dict[pathlib.Path, str] = {}

    def make(directory: pathlib.Path) -> object:
        prefix = prefixes.setdefault(directory, f"kit-{uuid.uuid4().hex}")
        return S3PickleIOManager(s3_resource=resource, s3_bucket=bucket, s3_prefix=prefix)

    caps = Capabilities(durable=True, storage_root=False)
    return Subject("dagster_aws.S3PickleIOManager", make, caps)


LOCAL_SUBJECTS: Mapping[str, Callable[[], Subject]] = {
    "FilesystemIOManager": filesystem_io_manager_subject,
    "fs_io_manager": fs_io_manager_subject,
    "InMemoryIOManager": in_memory_io_manager_subject,
    "mem_io_manager": mem_io_manager_subject,
    "UPathIOManager-sync-pickle": upath_pickle_subject,
    "UPathIOManager-sync-json": upath_json_subject,
    "UPathIOManager-async-pickle": upath_async_pickle_subject,
}
"""Every Dagster built-in that needs no network, by short name."""
