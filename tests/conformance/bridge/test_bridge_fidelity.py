"""The bridge's fast contexts behave exactly like ``dagster.build_*_context`` ones.

Drawn specs are built both ways and every observable accessor is compared (value, or the type
of the exception raised). Dagster's builders cost ~35 ms a call, so few examples are drawn.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings

pytest.importorskip("dagster")

import dagster as dg
from hypothesis import strategies as st

from conformance.bridges.dagster import DagsterContextFactory, dagster_partitions_def
from conformance.bridges.dagster.partitions import effective_time
from conformance.contexts import InputSpec, OutputSpec
from conformance.strategies import (
    asset_output_specs,
    op_output_specs,
    partitioned_output_specs,
)

pytestmark = pytest.mark.dagster

ACCESSORS = (
    "has_asset_key", "asset_key", "has_partition_key", "partition_key", "has_asset_partitions",
    "asset_partition_key", "asset_partition_keys", "asset_partition_key_range",
    "asset_partitions_time_window", "definition_metadata", "get_identifier",
    "get_asset_identifier",
)
OUTPUT_ONLY = ("run_id", "step_key", "name", "mapping_key", "version")
FACTORY = DagsterContextFactory()


def _observe(context: object, names: tuple[str, ...]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for name in names:
        try:
            value = getattr(context, name)
            value = value() if callable(value) else value
            seen[name] = sorted(value) if name == "asset_partition_keys" else value
        except Exception as error:  # the error type is the observation
            seen[name] = type(error).__name__
    return seen


def _as_of(spec: OutputSpec) -> Any:
    """Evaluate partitions as of the spec's end, as the bridge does (Dagster cuts at 'now')."""
    at = None if spec.partitions_def is None else effective_time(spec.partitions_def)
    return dg.partition_loading_context(effective_dt=at)


def _builder_output(spec: OutputSpec) -> dg.OutputContext:
    key_range = spec.partition_key_range
    with _as_of(spec):
        return _build_output(spec, key_range)


def _build_output(spec: OutputSpec, key_range: tuple[str, str] | None) -> dg.OutputContext:
    return dg.build_output_context(
        run_id=spec.run_id, step_key=spec.step_key, name=spec.name, mapping_key=spec.mapping_key,
        version=spec.version, asset_key=None if spec.asset_key is None else list(spec.asset_key),
        partition_key=spec.partition_key,
        asset_partitions_def=None if spec.partitions_def is None
        else dagster_partitions_def(spec.partitions_def),
        asset_partition_key_range=None if key_range is None else dg.PartitionKeyRange(*key_range),
        definition_metadata=dict(spec.definition_metadata),
    )


def _asset_key_builder_form(spec: OutputSpec) -> bool:
    # build_output_context drops falsy asset keys ([]), the bridge keeps AssetKey([]) like a run.
    return spec.asset_key != ()


specs: Callable[[], st.SearchStrategy[OutputSpec]] = lambda: st.one_of(  # noqa: E731
    op_output_specs(exotic=True), asset_output_specs(), partitioned_output_specs()
).filter(_asset_key_builder_form)


@settings(max_examples=10)
@given(spec=specs())
def test_output_context_matches_build_output_context(spec: OutputSpec) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = _observe(_builder_output(spec), ACCESSORS + OUTPUT_ONLY)
        actual = _observe(FACTORY.output_context(spec), ACCESSORS + OUTPUT_ONLY)
    assert actual == expected


@settings(max_examples=6)
@given(spec=specs())
def test_input_context_matches_build_input_context(spec: OutputSpec) -> None:
    input_spec = InputSpec(upstream=spec, asset_key=spec.asset_key,
                           partition_key=spec.partition_key, partitions_def=spec.partitions_def,
                           definition_metadata={"allow_missing_partitions": True})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with _as_of(spec):
            built = dg.build_input_context(
                name="input", upstream_output=_builder_output(spec),
                asset_key=None if spec.asset_key is None else list(spec.asset_key),
                partition_key=spec.partition_key,
                asset_partitions_def=None if spec.partitions_def is None
                else dagster_partitions_def(spec.partitions_def),
                definition_metadata={"allow_missing_partitions": True},
            )
        expected = _observe(built, ACCESSORS)
        actual = _observe(FACTORY.input_context(input_spec), ACCESSORS)
    assert actual == expected


def test_contexts_are_real_dagster_contexts_and_fresh() -> None:
    spec = OutputSpec(run_id="r", step_key="s", name="result", asset_key=("a",))
    first, second = FACTORY.output_context(spec), FACTORY.output_context(spec)
    assert isinstance(first, dg.OutputContext) and first is not second
    first.add_output_metadata({"k": 1})
    second.add_output_metadata({"k": 1})  # no duplicate-key error: metadata is per context
    upstream = FACTORY.input_context(InputSpec(upstream=spec)).upstream_output
    assert isinstance(upstream, dg.OutputContext)
    assert list(upstream.get_identifier()) == ["r", "s", "result"]


def test_context_manager_resources_are_entered_and_exited() -> None:
    events: list[str] = []

    class Tracked:
        def __enter__(self) -> Tracked:
            events.append("enter")
            return self

        def __exit__(self, *exc: object) -> None:
            events.append("exit")

    resource = Tracked()
    with FACTORY.dagster_output_context(OutputSpec(resources={"r": resource})) as context:
        assert context.resources.r is resource
        assert events == ["enter"]
    assert events == ["enter", "exit"]
