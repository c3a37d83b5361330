"""Run config: parse ``{"ops": ..., "resources": ...}`` and validate it before anything runs.

Per-op entries are ``{"config": ..., "inputs": {name: cfg}, "outputs": {name: cfg}}``. Per-input
config is validated against the ``input_config_schema`` of the manager that loads the input (any
config when it has none); per-output config against the ``output_config_schema`` of the IO
manager that stores the output; a manager without one accepts no per-output config (as in
Dagster). Every failure is a ``ConfigError`` whose message names the path
(``ops.my_op.inputs.x.path``), what was wrong and what to do.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from reference_impl.definitions.config import resolve_schema, validate_config
from reference_impl.errors import ConfigError
from reference_impl.execution.plan import ExecutionPlan, Step
from reference_impl.execution.resources import input_config_schema_of, output_config_schema_of

__all__ = ["ResolvedRunConfig", "StepConfig", "resolve_run_config"]

_TOP_LEVEL_KEYS = ("ops", "resources")
_OP_KEYS = ("config", "inputs", "outputs")


@dataclass(frozen=True)
class StepConfig:
    """The validated config of one step: op config and per-input/per-output config."""

    op_config: Any = None
    inputs: Mapping[str, Any] = field(default_factory=dict[str, Any])
    outputs: Mapping[str, Any] = field(default_factory=dict[str, Any])


@dataclass(frozen=True)
class ResolvedRunConfig:
    """Validated config of every step, and the raw per-resource entries."""

    steps: Mapping[str, StepConfig]
    resources: Mapping[str, Mapping[str, Any]]


def _mapping(value: object, path: str, expected: str) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ConfigError(f"{path}: expected {expected}, got {type(value).__name__} {value!r}.")
    # Run config is user data: the callers match its keys against names (unknown ones fail).
    return cast("Mapping[str, Any]", value)


def _reject_unknown(entries: Mapping[str, Any], allowed: list[str], path: str, what: str) -> None:
    unknown = sorted(set(entries) - set(allowed))
    if unknown:
        raise ConfigError(
            f"{path}: unknown {what} {unknown}; expected some of {sorted(allowed)}. "
            "Fix the names in run_config."
        )


def _resolve_step(
    step: Step, entry: Mapping[str, Any], plan: ExecutionPlan, resource_defs: Mapping[str, object]
) -> StepConfig:
    path = f"ops.{step.key}"
    _reject_unknown(entry, list(_OP_KEYS), path, "keys")
    op_config = validate_config(step.op_def.config_type, entry.get("config"), f"{path}.config")
    given_inputs = _mapping(entry.get("inputs"), f"{path}.inputs", "a dict of input names")
    _reject_unknown(given_inputs, [p.definition.name for p in step.inputs], f"{path}.inputs",
                    "inputs")
    inputs: dict[str, Any] = {}
    for planned in step.inputs:
        name = planned.definition.name
        manager_key = plan.loading_manager_key(planned)
        value = given_inputs.get(name)
        if manager_key is None or manager_key not in resource_defs:
            if value is not None:
                raise ConfigError(
                    f"{path}.inputs.{name}: this input is not loaded by a manager, so it takes "
                    "no config. Remove the entry or give the input an input_manager_key."
                )
            continue
        input_type = resolve_schema(input_config_schema_of(resource_defs[manager_key]))
        inputs[name] = validate_config(input_type, value, f"{path}.inputs.{name}")
    given_outputs = _mapping(entry.get("outputs"), f"{path}.outputs", "a dict of output names")
    _reject_unknown(given_outputs, [d.name for d in step.op_def.output_defs], f"{path}.outputs",
                    "outputs")
    outputs: dict[str, Any] = {}
    for output_def in step.op_def.output_defs:
        value = given_outputs.get(output_def.name)
        manager = resource_defs.get(output_def.io_manager_key)
        schema = None if manager is None else output_config_schema_of(manager)
        if schema is None:
            if value is not None:
                raise ConfigError(
                    f"{path}.outputs.{output_def.name}: IO manager "
                    f"{output_def.io_manager_key!r} accepts no per-output config (it declares "
                    "no output_config_schema). Remove the entry, or give the manager an "
                    "output_config_schema."
                )
            continue
        where = f"{path}.outputs.{output_def.name}"
        outputs[output_def.name] = validate_config(resolve_schema(schema), value, where)
    return StepConfig(op_config, inputs, outputs)


def resolve_run_config(
    run_config: Mapping[str, Any] | None,
    plan: ExecutionPlan,
    resource_defs: Mapping[str, object],
) -> ResolvedRunConfig:
    """Validate ``run_config`` for ``plan`` and the run's resources (see module docstring)."""
    top = _mapping(run_config, "run_config", "a dict")
    _reject_unknown(top, list(_TOP_LEVEL_KEYS), "run_config", "top-level keys")
    ops = _mapping(top.get("ops"), "ops", "a dict of op names")
    _reject_unknown(ops, [step.key for step in plan.steps], "ops", "ops")
    steps = {
        step.key: _resolve_step(step, _mapping(ops.get(step.key), f"ops.{step.key}", "a dict"),
                                plan, resource_defs)
        for step in plan.steps
    }
    resources = _mapping(top.get("resources"), "resources", "a dict of resource keys")
    _reject_unknown(resources, list(resource_defs), "resources", "resources")
    checked: dict[str, Mapping[str, Any]] = {}
    for key, entry in resources.items():
        entry_map = _mapping(entry, f"resources.{key}", 'a dict like {"config": {...}}')
        _reject_unknown(entry_map, ["config"], f"resources.{key}", "keys")
        checked[key] = entry_map
    return ResolvedRunConfig(steps, checked)
