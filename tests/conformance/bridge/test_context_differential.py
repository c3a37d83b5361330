"""Differential tests: reference contexts vs real Dagster contexts on the same drawn specs,
and the kit's context-binding checks run against Dagster's contexts.

Known Dagster deviations (each reproduced in plain Dagster in docs/DAGSTER.md):
IOM-PART-001/013 (static and multi range keys in hash order), IOM-PART-003 (a time range whose
end precedes the first key is accepted as empty), IOM-META-005 (a deliberate reference
deviation: Dagster's ``log_event`` accepts events for other assets).
"""

from __future__ import annotations

import warnings
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("dagster")

from conformance.bridges.dagster import DagsterContextFactory
from conformance.bridges.dagster_subjects import in_memory_io_manager_subject
from conformance.contexts import OutputSpec, ReferenceContextFactory
from conformance.runner import run_checks
from conformance.strategies import (
    asset_output_specs,
    op_output_specs,
    partition_key_ranges,
    partitioned_output_specs,
    partitions_specs,
)
from spec.requirements import Binds, iter_requirements
from tests.conformance.bridge.test_dagster_builtins import NO_SHRINK

pytestmark = pytest.mark.dagster

DAGSTER, REFERENCE = DagsterContextFactory(), ReferenceContextFactory()
# Detected only when the hash order happens to be wrong. IOM-CTX-003: the kit check reads the
# first covered key, so it trips on the same ordering (reported: compare as a set instead).
ORDER_ONLY = {"IOM-PART-001", "IOM-PART-013", "IOM-CTX-003"}
ALWAYS_FAIL = {"IOM-PART-003", "IOM-META-005"}


def _observe(factory: Any, spec: OutputSpec, ordered: bool) -> dict[str, Any]:
    context = factory.output_context(spec)
    seen: dict[str, Any] = {}
    for name in ("get_identifier", "get_asset_identifier", "asset_partition_keys",
                 "asset_partitions_time_window"):
        try:
            value = getattr(context, name)
            value = value() if callable(value) else value
        except Exception:
            seen[name] = "raises"
            continue
        if name == "asset_partitions_time_window":
            value = (value.start.timestamp(), value.end.timestamp())
        elif name == "asset_partition_keys" and not ordered:
            value = sorted(value)
        seen[name] = [str(v) for v in value] if isinstance(value, list | tuple) and name != (
            "asset_partitions_time_window") else value
    return seen


def _is_time(spec: OutputSpec) -> bool:
    return spec.partitions_def is not None and spec.partitions_def.kind not in ("static", "multi")


@st.composite
def _ranged_specs(draw: st.DrawFn) -> OutputSpec:
    pspec = draw(partitions_specs())
    return OutputSpec(run_id="r", step_key="s", name="result", asset_key=("a",),
                      partitions_def=pspec, partition_key_range=draw(partition_key_ranges(pspec)))


@settings(max_examples=25)
@given(spec=st.one_of(op_output_specs(exotic=True), asset_output_specs(),
                      partitioned_output_specs(), _ranged_specs()))
def test_reference_and_dagster_contexts_agree(spec: OutputSpec) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ordered = _is_time(spec)
        assert _observe(DAGSTER, spec, ordered) == _observe(REFERENCE, spec, ordered)


def test_kit_context_checks_pass_on_dagster_contexts() -> None:
    ids = [r.id for r in iter_requirements() if r.binds is Binds.CONTEXT]
    statuses: dict[str, str] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for rid in ids:
            report = run_checks(in_memory_io_manager_subject(), DAGSTER, NO_SHRINK, only=rid)
            statuses[rid] = next(str(r.status) for r in report.results if r.requirement_id == rid)
    unexpected = {rid: s for rid, s in statuses.items()
                  if rid not in ORDER_ONLY | ALWAYS_FAIL and s not in ("pass", "not-applicable")}
    assert unexpected == {}
    assert {rid: statuses[rid] for rid in ALWAYS_FAIL} == {rid: "fail" for rid in ALWAYS_FAIL}
