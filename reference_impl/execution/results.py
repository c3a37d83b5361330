"""The result of an in-process run: success, step outcomes, output values and handled outputs.

Output values are the objects the ops returned, captured in memory (as Dagster's
``ExecuteInProcessResult`` does), so reading them never calls an IO manager.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from reference_impl.asset_key import AssetKey
from reference_impl.errors import NoOutputValueError
from reference_impl.execution.plan import ExecutionPlan

__all__ = ["ExecuteInProcessResult", "HandledOutput", "LoadedInput", "StepOutcome"]

StepStatus = Literal["success", "failure", "skipped"]


@dataclass(frozen=True)
class StepOutcome:
    """How one step ended; ``error`` is set for a failure."""

    step_key: str
    status: StepStatus
    error: BaseException | None = None


@dataclass(frozen=True)
class HandledOutput:
    """An output handed to an IO manager, the metadata it logged or returned, and the asset
    events it logged with ``context.log_event``."""

    step_key: str
    output_name: str
    io_manager_key: str
    metadata: Mapping[str, Any] = field(default_factory=dict[str, Any])
    events: tuple[Any, ...] = ()


@dataclass(frozen=True)
class LoadedInput:
    """An input loaded by a manager (``manager_key``) for a step."""

    step_key: str
    input_name: str
    manager_key: str


class ExecuteInProcessResult:
    """What ``execute_in_process`` / ``materialize`` return."""

    def __init__(
        self,
        *,
        run_id: str,
        plan: ExecutionPlan,
        outcomes: Sequence[StepOutcome],
        output_values: Mapping[tuple[str, str], Any],
        handled_outputs: Sequence[HandledOutput],
        loaded_inputs: Sequence[LoadedInput],
    ) -> None:
        self._run_id = run_id
        self._plan = plan
        self._outcomes = tuple(outcomes)
        self._output_values = dict(output_values)
        self._handled_outputs = tuple(handled_outputs)
        self._loaded_inputs = tuple(loaded_inputs)

    @property
    def run_id(self) -> str:
        """The run's id (a fresh uuid4 string per run)."""
        return self._run_id

    @property
    def job_name(self) -> str:
        return self._plan.job_name

    @property
    def success(self) -> bool:
        """Whether every step of the plan ran and succeeded."""
        return len(self.steps_succeeded) == len(self._plan.steps)

    @property
    def step_outcomes(self) -> tuple[StepOutcome, ...]:
        """One outcome per step that was reached, in execution order."""
        return self._outcomes

    def _with_status(self, status: StepStatus) -> tuple[str, ...]:
        return tuple(o.step_key for o in self._outcomes if o.status == status)

    @property
    def steps_succeeded(self) -> tuple[str, ...]:
        return self._with_status("success")

    @property
    def steps_failed(self) -> tuple[str, ...]:
        return self._with_status("failure")

    @property
    def steps_skipped(self) -> tuple[str, ...]:
        return self._with_status("skipped")

    @property
    def handled_outputs(self) -> tuple[HandledOutput, ...]:
        """Outputs given to IO managers, in order (``Nothing`` outputs never appear)."""
        return self._handled_outputs

    @property
    def loaded_inputs(self) -> tuple[LoadedInput, ...]:
        """Inputs loaded through managers, in order."""
        return self._loaded_inputs

    def output_for_node(self, node_name: str, output_name: str = "result") -> Any:
        """The value node ``node_name`` returned for ``output_name``.

        Raises ``NoOutputValueError`` for an unknown node or output, a node that did not
        succeed, or a ``Nothing`` output.
        """
        key = (node_name, output_name)
        if key not in self._output_values:
            known = sorted({f"{n}.{o}" for n, o in self._output_values})
            raise NoOutputValueError(
                f"no value for output {output_name!r} of node {node_name!r} in run "
                f"{self._run_id}; values exist for {known}. Check the node name (an asset's "
                "node is its key joined with '__') and that the step succeeded."
            )
        return self._output_values[key]

    def asset_value(self, asset_key: AssetKey | str | Sequence[str]) -> Any:
        """The value the run computed for asset ``asset_key``."""
        key = AssetKey.from_coercible(asset_key)
        step = self._plan.step_for_asset(key)
        if step is None:
            raise NoOutputValueError(
                f"asset {key.to_user_string()!r} was not materialized in run {self._run_id}."
            )
        return self.output_for_node(step.key)

    def handled_output_metadata(self, node_name: str, output_name: str = "result") -> Mapping[
        str, Any
    ]:
        """The metadata the IO manager logged/returned for an output (empty if none)."""
        for handled in self._handled_outputs:
            if (handled.step_key, handled.output_name) == (node_name, output_name):
                return handled.metadata
        raise NoOutputValueError(
            f"output {output_name!r} of node {node_name!r} was not handled by an IO manager."
        )
