"""Execute a plan in process, sequentially, in topological order.

Before any step runs: every needed resource key must exist (``MissingResourceError``) and the run
config must validate (``ConfigError``). Resources are then initialised once and torn down when
the run ends, whether it succeeded or not. With ``raise_on_error=True`` (Dagster's default) the
original exception of a failing step (including one raised by ``handle_output`` or
``load_input``) propagates; otherwise the failure is recorded, the steps downstream of it are
reported as skipped, and independent steps still run.
"""

from __future__ import annotations

import inspect
import uuid
from collections.abc import Iterable, Mapping
from contextlib import ExitStack
from typing import Any, cast

from reference_impl.errors import InvalidDefinitionError, InvalidEventError
from reference_impl.events import AssetMaterialization
from reference_impl.execution.asset_definition import AssetsDefinition
from reference_impl.execution.op_context import OpExecutionContext
from reference_impl.execution.plan import (
    ExecutionPlan,
    FromExternalAsset,
    FromStepOutput,
    PlannedInput,
    Step,
)
from reference_impl.execution.resources import (
    RunResources,
    check_resources_available,
    open_run_resources,
)
from reference_impl.execution.results import (
    ExecuteInProcessResult,
    HandledOutput,
    LoadedInput,
    StepOutcome,
)
from reference_impl.execution.run_config import ResolvedRunConfig, resolve_run_config
from reference_impl.execution.specs import NO_VALUE
from reference_impl.execution.step_contexts import (
    OutputContextSpec,
    artificial_upstream_spec,
    build_step_input_context,
    output_context_spec,
    upstream_partition_keys,
)
from reference_impl.narrowing import is_tuple

__all__ = ["execute_plan", "needed_resource_keys"]


def needed_resource_keys(plan: ExecutionPlan) -> dict[str, str]:
    """Each resource key the plan uses, mapped to a description of its first user."""
    needed: dict[str, str] = {}
    for step in plan.steps:
        for output_def in step.op_def.output_defs:
            if not output_def.is_nothing:
                needed.setdefault(output_def.io_manager_key,
                                  f"output {output_def.name!r} of op {step.key!r}")
        for planned in step.inputs:
            key = plan.loading_manager_key(planned)
            if key is not None and not planned.definition.is_nothing:
                needed.setdefault(key, f"input {planned.definition.name!r} of op {step.key!r}")
        for key in sorted(step.op_def.required_resource_keys):
            needed.setdefault(key, f"op {step.key!r} (required_resource_keys)")
    return needed


class _Run:
    """The state of one run: ids, resources, config, captured values and records."""

    def __init__(self, plan: ExecutionPlan, resources: RunResources, config: ResolvedRunConfig,
                 run_id: str, partition_key: str | None) -> None:
        self.plan = plan
        self.resources = resources
        self.config = config
        self.run_id = run_id
        self.partition_key = partition_key
        self.output_specs: dict[tuple[str, str], OutputContextSpec] = {}
        self.output_values: dict[tuple[str, str], Any] = {}
        self.handled: list[HandledOutput] = []
        self.loaded: list[LoadedInput] = []

    def _upstream(self, planned: PlannedInput) -> tuple[
        OutputContextSpec | None, AssetsDefinition | None
    ]:
        source = planned.source
        if isinstance(source, FromStepOutput):
            upstream_step = self.plan.step_named(source.step_key)
            asset = upstream_step.asset if upstream_step is not None else None
            spec = self.output_specs.get((source.step_key, source.output_name))
            if spec is None:
                raise InvalidDefinitionError(
                    f"input {planned.definition.name!r} reads output {source.output_name!r} of "
                    f"{source.step_key!r}, which is typed Nothing (e.g. `-> None`) and so was "
                    "never stored. Annotate the upstream with the type it returns, or declare "
                    "the input In(Nothing) if it only orders execution."
                )
            return spec, asset
        if isinstance(source, FromExternalAsset):
            upstream_manager = self.resources.get(source.asset.io_manager_key)
            spec = artificial_upstream_spec(source.asset, upstream_manager.resource_config,
                                            upstream_manager.required_resources)
            return spec, source.asset
        return None, None

    def load_input(self, step: Step, planned: PlannedInput) -> Any:
        input_def = planned.definition
        manager_key = self.plan.loading_manager_key(planned)
        if manager_key is None:
            return input_def.default_value
        upstream_spec, upstream_asset = self._upstream(planned)
        upstream_keys = None
        if upstream_asset is not None and upstream_asset.partitions_def is not None:
            upstream_keys = upstream_partition_keys(input_def, upstream_asset, step.asset,
                                                    self.partition_key)
            if not upstream_keys:
                return None  # deviation: no upstream partitions → None, manager not called
        manager = self.resources.get(manager_key)
        context = build_step_input_context(
            step=step,
            input_def=input_def,
            upstream_output=None if upstream_spec is None else upstream_spec.build(),
            upstream_asset=upstream_asset,
            upstream_keys=upstream_keys,
            partition_key=self.partition_key,
            config=self.config.steps[step.key].inputs.get(input_def.name),
            resource_config=manager.resource_config,
            resources=manager.required_resources,
        )
        value = manager.value.load_input(context)
        self.loaded.append(LoadedInput(step.key, input_def.name, manager_key))
        return value

    def handle_output(self, step: Step, output_name: str, value: Any) -> None:
        output_def = step.op_def.output_def_named(output_name)
        if output_def.is_nothing:
            return  # as in Dagster: Nothing / `-> None` outputs skip the IO manager
        manager = self.resources.get(output_def.io_manager_key)
        spec = output_context_spec(
            step=step,
            output_def=output_def,
            run_id=self.run_id,
            partition_key=self.partition_key,
            config=self.config.steps[step.key].outputs.get(output_name),
            resource_config=manager.resource_config,
            resources=manager.required_resources,
        )
        self.output_specs[(step.key, output_name)] = spec
        self.output_values[(step.key, output_name)] = value
        context = spec.build()
        returned = manager.value.handle_output(context, value)
        metadata = dict(context.get_logged_metadata())
        metadata.update(_returned_metadata(returned, step.key, output_name))
        self.handled.append(HandledOutput(step.key, output_name, output_def.io_manager_key,
                                          metadata, tuple(context.get_logged_events())))

    def execute_step(self, step: Step) -> None:
        arguments: dict[str, Any] = {}
        for planned in step.inputs:
            if planned.definition.is_nothing:
                continue
            value = self.load_input(step, planned)
            if value is NO_VALUE:
                raise InvalidDefinitionError(
                    f"input {planned.definition.name!r} of op {step.key!r} has no source."
                )
            arguments[planned.definition.name] = value
        op_def = step.op_def
        if op_def.takes_context:
            context = OpExecutionContext(
                run_id=self.run_id,
                job_name=self.plan.job_name,
                op_name=step.key,
                partition_key=self.partition_key,
                op_config=self.config.steps[step.key].op_config,
                resources=self.resources.values(op_def.required_resource_keys),
                asset_key=None if step.asset is None else step.asset.key,
            )
            result = op_def.compute_fn(context, **arguments)
        else:
            result = op_def.compute_fn(**arguments)
        for output_name, value in _split_outputs(step, result):
            self.handle_output(step, output_name, value)


def _returned_metadata(returned: Any, step_key: str, output_name: str) -> Mapping[str, Any]:
    """Metadata from what ``handle_output`` returned or yielded (Dagster's accepted shapes)."""
    items: Iterable[Any] = returned if inspect.isgenerator(returned) else [returned]
    metadata: dict[str, Any] = {}
    for item in items:
        if item is None:
            continue
        if isinstance(item, Mapping):
            # A dict of metadata: str keys by contract, checked where metadata is normalised.
            metadata.update(cast("Mapping[str, Any]", item))
        elif isinstance(item, AssetMaterialization):
            metadata.update(getattr(item, "metadata", None) or {})
        else:
            raise InvalidEventError(
                f"the IO manager for output {output_name!r} of op {step_key!r} returned "
                f"{item!r} ({type(item).__name__}); handle_output may return only None, a "
                "dict of metadata or an AssetMaterialization."
            )
    return metadata


def _split_outputs(step: Step, result: Any) -> list[tuple[str, Any]]:
    names = [d.name for d in step.op_def.output_defs]
    if len(names) == 1:
        return [(names[0], result)]
    if not is_tuple(result) or len(result) != len(names):
        raise InvalidDefinitionError(
            f"op {step.key!r} declares outputs {names} and must return a tuple of "
            f"{len(names)} values in that order; it returned {result!r}."
        )
    return list(zip(names, result, strict=True))


def _depends_on(step: Step, stopped: set[str]) -> bool:
    return any(
        isinstance(p.source, FromStepOutput) and p.source.step_key in stopped for p in step.inputs
    )


def execute_plan(
    plan: ExecutionPlan,
    resource_defs: Mapping[str, object],
    run_config: Mapping[str, Any] | None = None,
    partition_key: str | None = None,
    raise_on_error: bool = True,
) -> ExecuteInProcessResult:
    """Run ``plan`` with ``resource_defs`` (see the module docstring for the guarantees)."""
    needed = needed_resource_keys(plan)
    check_resources_available(resource_defs, needed)
    config = resolve_run_config(run_config, plan, resource_defs)
    run_id = str(uuid.uuid4())
    outcomes: list[StepOutcome] = []
    raised: Exception | None = None
    with ExitStack() as stack:
        resources = open_run_resources(resource_defs, needed, config.resources, stack)
        run = _Run(plan, resources, config, run_id, partition_key)
        stopped: set[str] = set()
        for step in plan.steps:
            if _depends_on(step, stopped):
                stopped.add(step.key)
                outcomes.append(StepOutcome(step.key, "skipped"))
                continue
            try:
                run.execute_step(step)
            except Exception as error:
                stopped.add(step.key)
                outcomes.append(StepOutcome(step.key, "failure", error))
                if raise_on_error:
                    raised = error
                    break
                continue
            outcomes.append(StepOutcome(step.key, "success"))
    # Resources are closed as after a successful run (generator resources resume after their
    # `yield`, as Dagster's teardown does) and only then is a step's error re-raised.
    if raised is not None:
        raise raised
    return ExecuteInProcessResult(
        run_id=run_id,
        plan=plan,
        outcomes=outcomes,
        output_values=run.output_values,
        handled_outputs=run.handled,
        loaded_inputs=run.loaded,
    )
