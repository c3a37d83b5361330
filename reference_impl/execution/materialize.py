"""``materialize``: run asset definitions in process, like Dagster's function of that name."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping, Sequence
from typing import Any

from reference_impl.asset_key import AssetKey
from reference_impl.execution.asset_definition import AssetsDefinition
from reference_impl.execution.job_definition import JobDefinition
from reference_impl.execution.plan import plan_for_assets
from reference_impl.execution.results import ExecuteInProcessResult

__all__ = ["ASSET_JOB_NAME", "asset_job", "default_asset_io_manager", "materialize"]

ASSET_JOB_NAME = "__ephemeral_asset_job__"

AssetSelection = Sequence[AssetsDefinition | AssetKey | str | Sequence[str]]


def default_asset_io_manager(instance: object = None) -> object:
    """The ``io_manager`` used when none is given: a ``FilesystemIOManager`` rooted at
    ``instance.storage_directory()`` when an instance with one is given, else at a fresh
    ``<tmp>/storage`` (Dagster's ephemeral instance)."""
    from reference_impl.storage import FilesystemIOManager

    storage_directory = getattr(instance, "storage_directory", None)
    if callable(storage_directory):
        return FilesystemIOManager(base_dir=str(storage_directory()))
    return FilesystemIOManager(
        base_dir=os.path.join(tempfile.mkdtemp(prefix="reference_impl-"), "storage")
    )


def _selected_keys(selection: AssetSelection | None) -> list[AssetKey] | None:
    if selection is None:
        return None
    return [item.key if isinstance(item, AssetsDefinition) else AssetKey.from_coercible(item)
            for item in selection]


def asset_job(
    assets: Sequence[AssetsDefinition],
    resources: Mapping[str, object] | None = None,
    selection: AssetSelection | None = None,
    instance: object = None,
    name: str = ASSET_JOB_NAME,
) -> JobDefinition:
    """A job materializing ``selection`` (default: all) of ``assets``; unselected assets that
    selected ones depend on are loaded from storage."""
    plan = plan_for_assets(name, list(assets), _selected_keys(selection))
    return JobDefinition(name, plan, resources,
                         default_io_manager=lambda: default_asset_io_manager(instance))


def materialize(
    assets: Sequence[AssetsDefinition],
    run_config: Mapping[str, Any] | None = None,
    instance: object = None,
    resources: Mapping[str, object] | None = None,
    partition_key: str | None = None,
    raise_on_error: bool = True,
    tags: Mapping[str, str] | None = None,
    selection: AssetSelection | None = None,
) -> ExecuteInProcessResult:
    """Materialize ``assets`` (or ``selection`` of them) in process and return the result.

    The default ``io_manager`` is a filesystem manager (see :func:`default_asset_io_manager`);
    ``tags`` are accepted for signature compatibility and ignored.
    """
    del tags
    job = asset_job(assets, resources, selection, instance)
    return job.execute_in_process(run_config=run_config, partition_key=partition_key,
                                  raise_on_error=raise_on_error)
