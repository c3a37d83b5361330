"""Execution plans: the steps of a run in topological order, and where each input comes from.

:func:`plan_for_nodes` turns a traced ``@job`` body into a plan (call order is already
topological). :func:`plan_for_assets` orders asset definitions by their dependencies; an input
whose asset is defined but not selected is loaded from outside the run
(:class:`FromExternalAsset`), as Dagster does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from reference_impl.asset_key import AssetKey
from reference_impl.errors import InvalidDefinitionError
from reference_impl.execution.asset_definition import AssetsDefinition
from reference_impl.execution.composition import NodeInvocation
from reference_impl.execution.op_definition import InputDefinition, OpDefinition

__all__ = ["ExecutionPlan", "FromExternalAsset", "FromStepOutput", "PlannedInput", "Step",
           "plan_for_assets", "plan_for_nodes"]


@dataclass(frozen=True)
class FromStepOutput:
    """The input is output ``output_name`` of step ``step_key`` of the same run."""

    step_key: str
    output_name: str


@dataclass(frozen=True)
class FromExternalAsset:
    """The input is an asset that this run does not materialize (loaded from storage)."""

    asset: AssetsDefinition


@dataclass(frozen=True)
class PlannedInput:
    """An input of a step and its source (``None``: input manager or default value only)."""

    definition: InputDefinition
    source: FromStepOutput | FromExternalAsset | None


@dataclass(frozen=True)
class Step:
    """One op execution: its key (the node name), op, asset (if any) and inputs."""

    key: str
    op_def: OpDefinition
    inputs: tuple[PlannedInput, ...]
    asset: AssetsDefinition | None = None


@dataclass(frozen=True)
class ExecutionPlan:
    """The steps of a run in an order where every producer precedes its consumers."""

    job_name: str
    steps: tuple[Step, ...]

    def step_named(self, key: str) -> Step | None:
        """The step with this key, or ``None``."""
        return next((step for step in self.steps if step.key == key), None)

    def step_for_asset(self, key: AssetKey) -> Step | None:
        """The step materializing asset ``key`` in this run, or ``None``."""
        return next((s for s in self.steps if s.asset is not None and s.asset.key == key), None)

    def loading_manager_key(self, planned: PlannedInput) -> str | None:
        """The resource key of the manager that loads ``planned`` (``None``: default value).

        The input's own ``input_manager_key`` wins; else the IO manager of the upstream output.
        """
        if planned.definition.input_manager_key is not None:
            return planned.definition.input_manager_key
        source = planned.source
        if isinstance(source, FromExternalAsset):
            return source.asset.io_manager_key
        if isinstance(source, FromStepOutput):
            upstream = self.step_named(source.step_key)
            if upstream is not None:
                return upstream.op_def.output_def_named(source.output_name).io_manager_key
        return None


def plan_for_nodes(job_name: str, nodes: Sequence[NodeInvocation]) -> ExecutionPlan:
    """The plan of a traced job body (nodes are recorded producers-first)."""
    steps: list[Step] = []
    for node in nodes:
        inputs: list[PlannedInput] = []
        for input_def in node.op_def.input_defs:
            handle = node.inputs.get(input_def.name)
            source = None if handle is None else FromStepOutput(handle.node_name,
                                                                 handle.output_name)
            inputs.append(PlannedInput(input_def, source))
        steps.append(Step(node.name, node.op_def, tuple(inputs)))
    return ExecutionPlan(job_name, tuple(steps))


def _index_assets(assets: Iterable[AssetsDefinition]) -> dict[AssetKey, AssetsDefinition]:
    by_key: dict[AssetKey, AssetsDefinition] = {}
    for asset in assets:
        if not isinstance(asset, AssetsDefinition):
            raise InvalidDefinitionError(
                f"expected asset definitions (made with @asset), got {asset!r}."
            )
        if asset.key in by_key and by_key[asset.key] is not asset:
            raise InvalidDefinitionError(
                f"two different assets have the key {asset.key.to_user_string()!r}; "
                "asset keys must be unique (use key_prefix or key=...)."
            )
        by_key[asset.key] = asset
    return by_key


def _topological(selected: Sequence[AssetsDefinition]) -> list[AssetsDefinition]:
    keys = {asset.key for asset in selected}
    ordered: list[AssetsDefinition] = []
    done: set[AssetKey] = set()
    visiting: set[AssetKey] = set()
    by_key = {asset.key: asset for asset in selected}

    def visit(asset: AssetsDefinition) -> None:
        if asset.key in done:
            return
        if asset.key in visiting:
            raise InvalidDefinitionError(
                f"assets form a cycle through {asset.key.to_user_string()!r}; remove a dependency."
            )
        visiting.add(asset.key)
        for upstream in asset.keys_by_input_name.values():
            if upstream in keys and upstream != asset.key:
                visit(by_key[upstream])
        visiting.discard(asset.key)
        done.add(asset.key)
        ordered.append(asset)

    for asset in selected:
        visit(asset)
    return ordered


def plan_for_assets(
    job_name: str,
    assets: Sequence[AssetsDefinition],
    selection: Iterable[AssetKey] | None = None,
) -> ExecutionPlan:
    """The plan materializing ``selection`` (default: all) of ``assets``.

    Raises ``InvalidDefinitionError`` when an input names an asset that none of ``assets``
    defines, or a selected key is not among them.
    """
    by_key = _index_assets(assets)
    wanted = list(by_key) if selection is None else list(dict.fromkeys(selection))
    unknown = [k.to_user_string() for k in wanted if k not in by_key]
    if unknown:
        raise InvalidDefinitionError(
            f"selection names assets that are not defined: {unknown}; defined: "
            f"{[k.to_user_string() for k in by_key]}."
        )
    chosen = _topological([by_key[key] for key in wanted])
    steps: list[Step] = []
    for asset in chosen:
        inputs: list[PlannedInput] = []
        for input_def in asset.op.input_defs:
            source: FromStepOutput | FromExternalAsset | None = None
            upstream_key = input_def.asset_key
            if upstream_key is not None and not input_def.is_nothing:
                if upstream_key not in by_key:
                    if input_def.input_manager_key is None:
                        raise InvalidDefinitionError(
                            f"input {input_def.name!r} of asset {asset.key.to_user_string()!r} "
                            f"needs asset {upstream_key.to_user_string()!r}, which none of the "
                            "given assets produces. Pass its definition too (and leave it out "
                            "of the selection to load the stored value)."
                        )
                elif upstream_key in wanted:
                    source = FromStepOutput(by_key[upstream_key].node_name, "result")
                else:
                    source = FromExternalAsset(by_key[upstream_key])
            inputs.append(PlannedInput(input_def, source))
        steps.append(Step(asset.node_name, asset.op, tuple(inputs), asset))
    return ExecutionPlan(job_name, tuple(steps))
