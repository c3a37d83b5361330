"""The context an op or asset function receives as its leading ``context`` parameter."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from reference_impl.asset_key import AssetKey
from reference_impl.definitions.init_context import Resources
from reference_impl.errors import ContextValueUnavailableError

__all__ = ["OpExecutionContext"]

_LOGGER = logging.getLogger("reference_impl.execution")


class OpExecutionContext:
    """Run id, job and op names, the run's partition key, op config and required resources."""

    def __init__(
        self,
        *,
        run_id: str,
        job_name: str,
        op_name: str,
        partition_key: str | None,
        op_config: Any,
        resources: Mapping[str, Any],
        asset_key: AssetKey | None,
    ) -> None:
        self._run_id = run_id
        self._job_name = job_name
        self._op_name = op_name
        self._partition_key = partition_key
        self._op_config = op_config
        self._resources = Resources(resources)
        self._asset_key = asset_key

    @property
    def run_id(self) -> str:
        return self._run_id

    @property
    def job_name(self) -> str:
        return self._job_name

    @property
    def op_name(self) -> str:
        return self._op_name

    @property
    def op_config(self) -> Any:
        """The validated ``ops.<name>.config`` (``None`` when the op has no config)."""
        return self._op_config

    @property
    def resources(self) -> Resources:
        """The resources named in the op's ``required_resource_keys``."""
        return self._resources

    @property
    def log(self) -> logging.Logger:
        return _LOGGER

    @property
    def has_partition_key(self) -> bool:
        return self._partition_key is not None

    @property
    def partition_key(self) -> str:
        """The run's partition key; raises when the run is not partitioned."""
        if self._partition_key is None:
            raise ContextValueUnavailableError(
                f"op {self._op_name!r} read context.partition_key, but this run has no "
                "partition key; pass partition_key=... to materialize/execute_in_process."
            )
        return self._partition_key

    @property
    def has_asset_key(self) -> bool:
        return self._asset_key is not None

    @property
    def asset_key(self) -> AssetKey:
        """The key of the asset being computed; raises for a plain op."""
        if self._asset_key is None:
            raise ContextValueUnavailableError(
                f"op {self._op_name!r} read context.asset_key, but it computes no asset."
            )
        return self._asset_key
