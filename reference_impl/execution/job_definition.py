"""Job definitions: a traced op graph (or asset plan) plus its resource definitions."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from reference_impl.errors import InvalidDefinitionError
from reference_impl.execution.composition import recording
from reference_impl.execution.op_definition import DEFAULT_IO_MANAGER_KEY
from reference_impl.execution.plan import ExecutionPlan, plan_for_nodes
from reference_impl.execution.results import ExecuteInProcessResult
from reference_impl.execution.run import execute_plan

__all__ = ["JobDefinition", "build_job_definition"]


def _default_job_io_manager() -> object:
    from reference_impl.storage import mem_io_manager

    return mem_io_manager


class JobDefinition:
    """A named execution plan with resources; run it with :meth:`execute_in_process`.

    ``default_io_manager`` supplies the ``io_manager`` resource when none is given: an in-memory
    manager for ``@job`` jobs run in process (as Dagster swaps in ``mem_io_manager``).
    """

    def __init__(
        self,
        name: str,
        plan: ExecutionPlan,
        resource_defs: Mapping[str, object] | None = None,
        description: str | None = None,
        default_io_manager: Callable[[], object] = _default_job_io_manager,
    ) -> None:
        self.name = name
        self.plan = plan
        self.resource_defs = dict(resource_defs or {})
        self.description = description
        self._default_io_manager = default_io_manager

    def with_resources(self, resources: Mapping[str, object]) -> JobDefinition:
        """A copy whose resources are ``resources`` overridden by the job's own."""
        merged = {**resources, **self.resource_defs}
        return JobDefinition(self.name, self.plan, merged, self.description,
                             self._default_io_manager)

    def resolved_resources(self, resources: Mapping[str, object] | None = None) -> dict[
        str, object
    ]:
        """The run's resources: the job's, overridden by ``resources``, plus the default IO
        manager under ``io_manager`` when none is given."""
        merged = {**self.resource_defs, **(resources or {})}
        if DEFAULT_IO_MANAGER_KEY not in merged:
            merged[DEFAULT_IO_MANAGER_KEY] = self._default_io_manager()
        return merged

    def execute_in_process(
        self,
        run_config: Mapping[str, Any] | None = None,
        instance: object = None,
        partition_key: str | None = None,
        raise_on_error: bool = True,
        resources: Mapping[str, object] | None = None,
    ) -> ExecuteInProcessResult:
        """Run every step in this process, in order (see :mod:`reference_impl.execution.run`).

        ``instance`` is accepted for signature compatibility and ignored.
        """
        del instance
        return execute_plan(self.plan, self.resolved_resources(resources), run_config,
                            partition_key, raise_on_error)

    def __repr__(self) -> str:
        return f"JobDefinition({self.name!r}, steps={[s.key for s in self.plan.steps]})"


def build_job_definition(
    fn: Callable[..., Any],
    name: str | None = None,
    resource_defs: Mapping[str, object] | None = None,
    description: str | None = None,
) -> JobDefinition:
    """Trace ``fn`` (a job body composing op calls) into a :class:`JobDefinition`."""
    if not callable(fn):
        raise InvalidDefinitionError(f"@job must decorate a function, got {fn!r}.")
    job_name = name or fn.__name__
    with recording(job_name) as recorder:
        fn()
    if not recorder.nodes:
        raise InvalidDefinitionError(
            f"job {job_name!r} calls no ops; call at least one op inside its body."
        )
    return JobDefinition(job_name, plan_for_nodes(job_name, recorder.nodes), resource_defs,
                         description or fn.__doc__)
