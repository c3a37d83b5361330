"""A minimal in-process executor: ``@asset``, ``@op``, ``@job``, ``Definitions``, ``materialize``.

Sequential, single process, no persisted runs. It plays the framework side of the IO-manager
protocol: contexts with Dagster's identifiers, per-input/per-output config, resources initialised
once per run and torn down afterwards.
"""

from reference_impl.execution.asset_definition import AssetsDefinition
from reference_impl.execution.decorators import asset, job, op
from reference_impl.execution.definitions import Definitions
from reference_impl.execution.job_definition import JobDefinition
from reference_impl.execution.materialize import materialize
from reference_impl.execution.op_context import OpExecutionContext
from reference_impl.execution.op_definition import OpDefinition
from reference_impl.execution.results import (
    ExecuteInProcessResult,
    HandledOutput,
    LoadedInput,
    StepOutcome,
)
from reference_impl.execution.specs import AssetIn, In, Out

__all__ = [
    "AssetIn",
    "AssetsDefinition",
    "Definitions",
    "ExecuteInProcessResult",
    "HandledOutput",
    "In",
    "JobDefinition",
    "LoadedInput",
    "OpDefinition",
    "OpExecutionContext",
    "Out",
    "StepOutcome",
    "asset",
    "job",
    "materialize",
    "op",
]
