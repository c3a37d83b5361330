"""``Definitions``: a bundle of assets, jobs and resources, with resources bound to its jobs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from reference_impl.asset_key import AssetKey
from reference_impl.errors import InvalidDefinitionError, NoOutputValueError
from reference_impl.execution.asset_definition import AssetsDefinition
from reference_impl.execution.job_definition import JobDefinition
from reference_impl.execution.loader import load_stored_asset_value
from reference_impl.execution.materialize import asset_job

__all__ = ["Definitions"]

ASSET_JOB_NAME = "__ASSET_JOB"


class Definitions:
    """Assets, jobs and resources. ``get_job_def(name)`` returns a job with the resources
    bound (the job's own ``resource_defs`` win on a key clash);
    ``get_implicit_global_asset_job_def()`` materializes every asset."""

    def __init__(
        self,
        assets: Iterable[AssetsDefinition] | None = None,
        jobs: Iterable[JobDefinition] | None = None,
        resources: Mapping[str, object] | None = None,
    ) -> None:
        self.assets = tuple(assets or ())
        self.resources = dict(resources or {})
        self._jobs: dict[str, JobDefinition] = {}
        for job in jobs or ():
            if not isinstance(job, JobDefinition):
                raise InvalidDefinitionError(f"jobs must be @job definitions, got {job!r}.")
            if job.name in self._jobs:
                raise InvalidDefinitionError(f"two jobs are named {job.name!r}; rename one.")
            self._jobs[job.name] = job
        if self.assets:
            asset_job(self.assets)  # validates keys and dependencies now, as Dagster does

    @property
    def job_names(self) -> tuple[str, ...]:
        return tuple(self._jobs)

    def get_job_def(self, name: str) -> JobDefinition:
        """The job called ``name`` with this object's resources bound."""
        job = self._jobs.get(name)
        if job is None:
            raise InvalidDefinitionError(
                f"no job named {name!r}; jobs: {sorted(self._jobs)}."
            )
        return job.with_resources(self.resources)

    def get_implicit_global_asset_job_def(self) -> JobDefinition:
        """A job materializing every asset, with this object's resources."""
        if not self.assets:
            raise InvalidDefinitionError("these Definitions have no assets to materialize.")
        return asset_job(self.assets, self.resources, name=ASSET_JOB_NAME)

    def load_asset_value(self, asset_key: AssetKey | str | list[str],
                         partition_key: str | None = None) -> Any:
        """Load the stored value of an asset through its IO manager (as a downstream asset
        outside the run would): an artificial upstream context, step key ``"none"``."""
        key = AssetKey.from_coercible(asset_key)
        producer = next((a for a in self.assets if a.key == key), None)
        if producer is None:
            raise NoOutputValueError(f"no asset {key.to_user_string()!r} in these Definitions.")
        return load_stored_asset_value(producer, self.resources, partition_key)
