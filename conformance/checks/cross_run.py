"""Cross-run checks: a value stored in one run loads from a later run (IOM-ID-013, IOM-ID-015).

Both laws are stated on what a user observes, never on where a manager stores the value: the
output is stored under a context of run A, then loaded through an input context whose upstream
output names run B (everything else the same). For a durable subject the later run loads
through a new manager instance on the same storage, as a later run in another process would
(a run-blind cache in front of run-scoped storage cannot hide the loss); a non-durable one is
loaded through the same instance (the only way a later run can see its values).
"""

from __future__ import annotations

from dataclasses import replace

from hypothesis import strategies as st

from conformance.checks.base import CheckEnv, Harness, RequirementViolation, check
from conformance.contexts import OutputSpec
from conformance.strategies.contexts import (
    asset_output_specs,
    input_spec_for,
    partitioned_output_specs,
)
from conformance.strategies.keys import output_names, run_ids, step_keys, versions


def _in_another_run(out: OutputSpec, later_run: str) -> OutputSpec:
    """``out`` as a context of another run names it: only the run id differs."""
    run_id = later_run if later_run != out.run_id else f"{later_run}-later"
    return replace(out, run_id=run_id)


def _loads_in_later_run(
    h: Harness, requirement: str, out: OutputSpec, value: object, later_run: str
) -> None:
    if not h.store(out, value, requirement=requirement):
        return
    later = _in_another_run(out, later_run)
    if h.subject.capabilities.durable:
        h.new_instance()
    loaded = h.load(input_spec_for(later), requirement=requirement)
    if not h.subject.equals(loaded, value):
        raise RequirementViolation(
            requirement,
            f"stored in run {out.run_id!r}, loaded from run {later.run_id!r}: loaded "
            f"{loaded!r}, expected {value!r}",
            h.counterexample(loaded=loaded, expected=value),
        )


@check("IOM-ID-013", needs=("assets",))
def assets_load_across_runs(env: CheckEnv) -> None:
    """Law: a value stored for an asset (or one partition of it, when the subject declares
    ``partitions``) under a context of run A loads, equal to it, through an input context whose
    upstream output names run B; a load that raises (say, nothing found where run B looks)
    violates the law too. IOM-ID-013."""

    outputs = asset_output_specs(exotic=False)
    caps = env.subject.capabilities
    if caps.partitions:
        outputs = outputs | partitioned_output_specs(multi=caps.multi_partitions)

    def body(h: Harness, out: OutputSpec, value: object, later_run: str) -> None:
        _loads_in_later_run(h, "IOM-ID-013", out, value, later_run)

    env.run(body, out=outputs, value=env.subject.values, later_run=run_ids())


@st.composite
def versioned_output_specs(draw: st.DrawFn) -> OutputSpec:
    """Versioned op outputs (never mapped: IOM-ID-004), plain components."""
    return OutputSpec(
        run_id=draw(run_ids()),
        step_key=draw(step_keys()),
        name=draw(output_names()),
        version=draw(versions()),
    )


@check("IOM-ID-015", needs=("op_outputs",))
def versioned_outputs_load_across_runs(env: CheckEnv) -> None:
    """Law: a value stored for an op output with version V under a context of run A loads,
    equal to it, through an input context whose upstream output names run B with the same step
    key, output name and version V; a load that raises violates the law too. IOM-ID-015."""

    def body(h: Harness, out: OutputSpec, value: object, later_run: str) -> None:
        _loads_in_later_run(h, "IOM-ID-015", out, value, later_run)

    env.run(body, out=versioned_output_specs(), value=env.subject.values, later_run=run_ids())
